"""Subjects by id for a context step: the cache always, Douban only for a few reads, a few seconds, until it refuses."""

from __future__ import annotations

import pytest

from movierec.douban.budget import LookupSpend, Priority
from movierec.douban.cache import MovieCache
from movierec.douban.errors import OutOfBudget
from movierec.douban.lookup import DoubanUnavailable, LookupResult
from movierec.douban.models import DoubanMovie, SuggestCandidate
from movierec.douban.subject_budget import SubjectsWithinBudget


def movie(subject_id: str) -> DoubanMovie:
    return DoubanMovie(id=subject_id, url=f"https://movie.douban.com/subject/{subject_id}/", title=f"片{subject_id}")


class Lookup:
    """by_id as DoubanLookup answers it: found with the requests it took, or DoubanUnavailable."""

    def __init__(self, refuse_from: int | None = None) -> None:
        self.read: list[str] = []
        self.spent: list[LookupSpend] = []
        self.refuse_from = refuse_from

    def by_id(self, subject_id: str, *, spend: LookupSpend) -> LookupResult:
        self.read.append(subject_id)
        self.spent.append(spend)
        if self.refuse_from is not None and len(self.read) > self.refuse_from:
            raise DoubanUnavailable("Douban search 302 to sec.douban.com")
        if subject_id == "404":
            return LookupResult(status="not_found", douban_requests=1)
        return LookupResult(status="found", movie=movie(subject_id), source="desktop", douban_requests=1)


@pytest.fixture
def cache(table, clock) -> MovieCache:
    cache = MovieCache(table, clock=clock)
    for subject_id in ("1", "2", "3", "4", "5", "6"):
        candidate = SuggestCandidate(id=subject_id, title=f"片{subject_id}")
        cache.put([f"片{subject_id}"], None, candidate, movie(subject_id), source="desktop", partial=False)
    return cache


def test_cached_subjects_cost_no_douban_read_however_many(cache, clock):
    lookup = Lookup()
    subjects = SubjectsWithinBudget(lookup, cache, max_douban_reads=0, clock=clock)
    assert [subjects(str(n)).title for n in range(1, 7)] == [f"片{n}" for n in range(1, 7)]
    assert lookup.read == []


def test_douban_is_read_for_the_first_few_misses_only(cache, clock):
    lookup = Lookup()
    subjects = SubjectsWithinBudget(lookup, cache, max_douban_reads=2, clock=clock)
    assert subjects("100").title == "片100"
    assert subjects("404") is None
    assert subjects("101") is None  # the budget is spent
    assert subjects("1").title == "片1"  # the cache still answers
    assert lookup.read == ["100", "404"]
    assert subjects.douban_requests == 2


def test_once_douban_refuses_it_is_not_asked_again(cache, clock):
    lookup = Lookup(refuse_from=0)
    subjects = SubjectsWithinBudget(lookup, cache, max_douban_reads=5, clock=clock)
    assert subjects("100") is None
    assert subjects("101") is None
    assert lookup.read == ["100"]


def test_no_douban_read_starts_after_the_time_budget(cache, clock):
    lookup = Lookup()
    subjects = SubjectsWithinBudget(lookup, cache, max_douban_reads=5, douban_seconds=3, clock=clock)
    assert subjects("100") is not None
    clock.now += 3
    assert subjects("101") is None
    assert lookup.read == ["100"]


def test_a_subject_douban_says_it_has_not_is_told_apart_from_one_it_would_not_show(cache, clock):
    subjects = SubjectsWithinBudget(Lookup(refuse_from=1), cache, max_douban_reads=5, clock=clock)
    assert subjects("404") is None
    assert subjects.douban_has_no("404")
    assert subjects("100") is None  # Douban refuses from here on
    assert not subjects.douban_has_no("100")
    assert not subjects.douban_has_no("1")


def test_douban_is_read_at_the_context_step_s_priority_within_its_seconds(cache, clock):
    lookup = Lookup()
    subjects = SubjectsWithinBudget(lookup, cache, douban_seconds=4.0, clock=clock)

    subjects("100")
    clock.now += 3
    subjects("101")

    assert [spend.priority for spend in lookup.spent] == [Priority.CONTEXT, Priority.CONTEXT]
    # the wait for a token counts within the step's seconds: the second read may wait only what is left
    assert [spend.read_seconds for spend in lookup.spent] == [pytest.approx(4.0), pytest.approx(1.0)]


def test_no_budget_to_spare_is_a_refusal_and_stops_the_reads(cache, clock):
    class NoBudget(Lookup):
        def by_id(self, subject_id: str, *, spend: LookupSpend) -> LookupResult:
            super().by_id(subject_id, spend=spend)
            raise OutOfBudget("no Douban request to spare for context now", retry_after=6)

    lookup = NoBudget()
    subjects = SubjectsWithinBudget(lookup, cache, clock=clock)

    assert subjects("100") is None
    assert subjects("101") is None
    assert lookup.read == ["100"]
    assert not subjects.douban_has_no("100")  # Douban did not say it has none: the budget had nothing to spare
