"""Latency benchmark of the whole pipeline against fake upstreams: `python -m bench` (see __main__.py)."""
