"""CPU seconds spent by this process and every process it started (the stack `make run` starts, moto), from
/proc (Linux): user and system time of each, live or reaped, so a request's cost is what all of them spent."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

_TICKS = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[str, float] | None:
    """The process's name and its CPU seconds, with its reaped children's; None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return None
    fields = text.rsplit(")", 1)[1].split()
    utime, stime, cutime, cstime = (int(value) for value in fields[11:15])
    return command, (utime + stime + cutime + cstime) / _TICKS


def _tree(pid: int) -> list[int]:
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return [pid]
    return [pid, *(descendant for child in children for descendant in _tree(int(child)))]


def snapshot() -> dict[int, tuple[str, float]]:
    """Every process of this tree now: pid → (command line, CPU seconds so far)."""
    return {pid: stat for pid in _tree(os.getpid()) if (stat := _stat(pid)) is not None}


@dataclass
class CpuSpent:
    """CPU seconds spent while it was measured, by process (its command line)."""

    by_process: dict[str, float] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return sum(self.by_process.values())


@contextmanager
def measured() -> Iterator[CpuSpent]:
    """The CPU the tree spends inside the block (processes that start inside it count from zero)."""
    spent = CpuSpent()
    before = snapshot()
    yield spent
    for pid, (command, seconds) in snapshot().items():
        spent.by_process[command] = spent.by_process.get(command, 0.0) + seconds - before.get(pid, ("", 0.0))[1]


def describe(command: str) -> str:
    """A short name for a process of the tree."""
    if "local.moto_server" in command:
        return "moto (child process)"
    if "-m local" in command:
        return "`python -m local` (handlers, pollers, API)"
    return "the benchmark's process"
