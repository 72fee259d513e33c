"""Fakes of the outside world (Douban, …) that tests, integration runs and benchmarks start locally."""
