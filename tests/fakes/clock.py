"""A wall clock for tests of code that waits: seconds move only when a caller sleeps, so a minute of takers runs in
no time and every wait is recorded."""

from __future__ import annotations

START = 1_800_000_000.0  # 2027-01-15, epoch seconds: any fixed moment


class SimClock:
    """Call it for the time (epoch seconds); pass `sleep` where the code under test sleeps."""

    def __init__(self, now: float = START) -> None:
        self.now = now
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
