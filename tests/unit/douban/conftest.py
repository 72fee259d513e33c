"""Shared by the Douban tests: the hand-written fixtures, a clock set by hand, the movie cache table."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "douban"


@pytest.fixture
def fixture_text() -> Callable[[str], str]:
    return lambda name: (FIXTURES / name).read_text(encoding="utf-8")


@pytest.fixture
def fixture_json() -> Callable[[str], Any]:
    return lambda name: json.loads((FIXTURES / name).read_text(encoding="utf-8"))


NOW = 1_800_000_000.0


class Clock:
    """Wall-clock seconds that a test sets by hand."""

    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def table(aws):
    """The template's movie cache table, in moto."""
    return aws.Table("MovieCacheTable")
