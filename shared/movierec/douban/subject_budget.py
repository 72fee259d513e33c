"""Douban subjects by id for one request's context step (for_me's liked films, theme's `like`), within a budget.

The recommend worker asks before the model is called, so every second spent here delays the first card: the movie
cache is read for every id, Douban only for the first few misses and only for a few seconds (waiting for the
deployment's Douban budget included: the context step's priority comes after the cards people are waiting for), and
not at all once it has refused (blocked, no budget to spare, or every source down). A subject that cannot be read is
None, and the step leaves it out; :meth:`SubjectsWithinBudget.douban_has_no` tells one Douban says does not exist
from one it would not show now. A list's card or a partial one is good enough here: the prompt names the film.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Protocol

from movierec.douban.budget import LookupSpend, Priority
from movierec.douban.cache import MovieCache
from movierec.douban.lookup import DoubanUnavailable, LookupResult
from movierec.douban.models import DoubanMovie

logger = logging.getLogger(__name__)

MAX_DOUBAN_READS = 4  # subjects read from Douban per request; each costs one request when the desktop page answers
DOUBAN_SECONDS = 4.0  # no Douban read starts after this long


class SubjectLookup(Protocol):
    def by_id(self, subject_id: str, *, spend: LookupSpend) -> LookupResult: ...


class SubjectsWithinBudget:
    """``subjects(douban_id) -> DoubanMovie | None``; build one per request, since the budget is the request's."""

    def __init__(
        self,
        lookup: SubjectLookup,
        cache: MovieCache,
        *,
        max_douban_reads: int = MAX_DOUBAN_READS,
        douban_seconds: float = DOUBAN_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._lookup = lookup
        self._cache = cache
        self._reads_left = max_douban_reads
        self._clock = clock
        self._stop_at = clock() + douban_seconds
        self._refused = False
        self._missing: set[str] = set()  # ids Douban says it has no subject for
        self.douban_requests = 0  # sent so far, retries included

    def __call__(self, subject_id: str) -> DoubanMovie | None:
        cached = self._cache.get_movie(subject_id)
        if cached is not None:
            return cached.movie
        seconds_left = self._stop_at - self._clock()
        if self._refused or self._reads_left <= 0 or seconds_left <= 0:
            return None
        self._reads_left -= 1
        try:
            result = self._lookup.by_id(subject_id, spend=LookupSpend(Priority.CONTEXT, 0.0, seconds_left))
        except DoubanUnavailable as error:
            logger.info("douban refused subject %s for a context step: %s", subject_id, error.reason)
            self._refused = True
            return None
        self.douban_requests += result.douban_requests
        if result.status == "not_found":
            self._missing.add(subject_id)
        return result.movie

    def douban_has_no(self, subject_id: str) -> bool:
        """Whether Douban said, when asked here, that it has no subject ``subject_id``."""
        return subject_id in self._missing
