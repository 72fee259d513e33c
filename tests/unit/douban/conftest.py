"""Shared by the Douban tests: the hand-written fixtures, a clock set by hand, the movie cache table."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.clock import SimClock

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "douban"


@pytest.fixture
def fixture_text() -> Callable[[str], str]:
    return lambda name: (FIXTURES / name).read_text(encoding="utf-8")


@pytest.fixture
def fixture_json() -> Callable[[str], Any]:
    return lambda name: json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@pytest.fixture
def clock() -> SimClock:
    return SimClock()


@pytest.fixture
def table(aws):
    """The template's movie cache table, in moto."""
    return aws.Table("MovieCacheTable")
