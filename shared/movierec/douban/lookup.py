"""Finding one recommended movie on Douban: the single entry point of the scrape worker.

Cache first (no request). Otherwise one search (``/j/subject_suggest``; the original title, then a traditional-script
title in simplified script, are searched too only when the searches before found no match), then the subject of a
film or series entry (never a person's) from the first source that is neither open-circuited nor blocked: the
desktop page, the mobile API, the abstract card, and last the search entry itself (a partial card). The subject's
year is checked again against the one asked for (a search entry may show none), and a subject of another year is
not this film. An uncached movie whose first search matches costs two requests; a cached one none. No challenge is
ever solved.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from movierec.douban.cache import MovieCache
from movierec.douban.circuit import CircuitBreaker
from movierec.douban.errors import DoubanUnavailable
from movierec.douban.http import ACCEPT_JSON, DoubanHttp, FetchResult, FetchStatus
from movierec.douban.matching import choose_candidate, still_matches
from movierec.douban.models import DoubanMovie, SuggestCandidate
from movierec.douban.parser import parse_subject
from movierec.douban.sources import from_abstract, from_mobile_api, from_suggest
from movierec.douban.title_keys import simplified

logger = logging.getLogger(__name__)

Source = Literal["cache", "desktop", "mobile", "abstract", "suggest"]
SEARCH = "suggest"  # the search endpoint has its own circuit: a blocked search stops the lookup, not a subject read
MOBILE_REFERER = "https://m.douban.com/movie/subject/{id}/"  # what the mobile site itself sends

# What a source's answer may raise when it is not the expected shape (pydantic's ValidationError is a ValueError).
_UNUSABLE_ANSWER = (ValueError, KeyError, TypeError, AttributeError)


class LookupResult(BaseModel):
    status: Literal["found", "not_found"]
    movie: DoubanMovie | None = None
    source: Source | None = None
    partial: bool = False
    reason: str | None = Field(default=None, description="Why the movie was not found, for the person (Chinese)")
    douban_requests: int = Field(default=0, description="Requests sent to Douban for this lookup, retries included")
    requests_by_source: dict[str, int] = Field(default_factory=dict)
    candidate: SuggestCandidate | None = Field(default=None, description="The search entry the movie was read for")


class _Miss(Enum):
    NOT_FOUND = "not_found"  # the source says the subject does not exist
    SKIPPED = "skipped"  # the source could not answer: try the next one


class _Tally:
    """Requests spent by one lookup, per source."""

    def __init__(self) -> None:
        self.by_source: Counter[str] = Counter()

    def add(self, fetched: FetchResult) -> FetchResult:
        self.by_source[fetched.source] += fetched.requests
        return fetched

    def result(self, **fields: Any) -> LookupResult:
        return LookupResult(
            douban_requests=sum(self.by_source.values()), requests_by_source=dict(self.by_source), **fields
        )


class DoubanLookup:
    def __init__(
        self,
        http: DoubanHttp,
        cache: MovieCache,
        circuit: CircuitBreaker,
        base_url: str,
        mobile_base_url: str,
    ) -> None:
        self._http = http
        self._cache = cache
        self._circuit = circuit
        self._base = base_url.rstrip("/")
        self._mobile_base = mobile_base_url.rstrip("/")
        self._subject_sources: tuple[tuple[Source, Callable[[SuggestCandidate, _Tally], DoubanMovie | _Miss]], ...] = (
            ("desktop", self._read_desktop),
            ("mobile", self._read_mobile),
            ("abstract", self._read_abstract),
        )

    def find(
        self,
        title: str,
        original_title: str | None,
        year: int | None,
        prefer_tv: bool = False,
        complete_partial: bool = False,
        defer_caching: bool = False,
    ) -> LookupResult:
        """The Douban subject for a recommended title; raises :class:`DoubanUnavailable` when it cannot search.

        `complete_partial` looks past a cached partial card, to complete it from Douban. `defer_caching` leaves
        caching a fresh result to the caller's `remember`, so that it need not delay the card.
        """
        tally = _Tally()
        titles = (title, original_title)
        candidate = self._cache.get_candidate(titles, year)
        if candidate is None:
            candidate = self._search(title, original_title, year, prefer_tv, tally)
            if candidate is None:
                return tally.result(status="not_found", reason=_no_match_reason(title, year))
        cached = self._cache.get_movie(candidate.id)
        if cached is not None and not (complete_partial and cached.partial):
            if not still_matches(candidate, title, original_title, year, cached.movie.year):
                return tally.result(status="not_found", reason=_other_year_reason(cached.movie, year))
            return tally.result(status="found", movie=cached.movie, source="cache", partial=cached.partial)

        outcome = self._read_subject(candidate, tally)
        if outcome is _Miss.NOT_FOUND:
            return tally.result(status="not_found", reason=f"豆瓣条目 {candidate.id} 已不存在")
        movie, source, partial = outcome
        if not still_matches(candidate, title, original_title, year, movie.year):
            # The subject is still Douban's truth about itself, worth keeping; the title just does not mean it.
            self._cache.put((), None, candidate, movie, source=source, partial=partial)
            return tally.result(status="not_found", reason=_other_year_reason(movie, year))
        result = tally.result(status="found", movie=movie, source=source, partial=partial, candidate=candidate)
        if not defer_caching:
            self.remember(title, original_title, year, result)
        return result

    def remember(self, title: str, original_title: str | None, year: int | None, result: LookupResult) -> None:
        """Cache what a lookup read fresh from Douban (a result from the cache is there already)."""
        if result.movie is None or result.candidate is None or result.source in (None, "cache"):
            return
        titles = (title, original_title)
        self._cache.put(titles, year, result.candidate, result.movie, source=result.source, partial=result.partial)

    # --- a subject by its id (a shared movie link names no title) -------------------------------------------

    def by_id(self, subject_id: str, before_douban: Callable[[], None] | None = None) -> LookupResult:
        """The subject with Douban id ``subject_id``: the cached card, else the subject sources in turn (no search).

        The same sources, circuits and rules as a recommendation's lookup. A cached partial card (the search entry
        alone) is completed when a source answers, and returned as it is when none does. ``not_found`` for an id
        that is not numeric (nothing is sent) or whose desktop page is a 404 (remembered a day: asked again, it
        costs no request). ``before_douban()`` is called once, just before the first request to Douban (a limit on
        whoever asks may raise there). Raises :class:`DoubanUnavailable` when no source can answer now and
        nothing is cached.
        """
        tally = _Tally()
        if not is_subject_id(subject_id):
            return tally.result(status="not_found", reason=f"{subject_id!r} 不是豆瓣条目编号")
        cached = self._cache.get_movie(subject_id)
        if cached is not None and not cached.partial:
            return tally.result(status="found", movie=cached.movie, source="cache")
        kind = cached.movie.kind if cached is not None else "movie"  # the mobile API's path names the kind
        candidate = SuggestCandidate(id=subject_id, title=cached.movie.title if cached else "", type=kind)
        outcome = self._read_subject(candidate, tally, search_entry_fallback=False, before_douban=before_douban)
        if isinstance(outcome, tuple):
            movie, source, _ = outcome
            self._cache.put((), None, candidate, movie, source=source, partial=False)
            return tally.result(status="found", movie=movie, source=source, candidate=candidate)
        if outcome is _Miss.NOT_FOUND:
            return tally.result(status="not_found", reason=f"豆瓣条目 {subject_id} 不存在")
        if cached is not None:
            return tally.result(status="found", movie=cached.movie, source="cache", partial=True)
        waits = [self._circuit.retry_in(source) for source, _ in self._subject_sources]
        raise DoubanUnavailable(
            f"no Douban source could read subject {subject_id} now", retry_after=min(waits) if all(waits) else None
        )

    # --- the search ---------------------------------------------------------------------------------------

    def _search(
        self, title: str, original_title: str | None, year: int | None, prefer_tv: bool, tally: _Tally
    ) -> SuggestCandidate | None:
        # Then the title in simplified script, should it be written in traditional: Douban's names are simplified.
        queries = dict.fromkeys(query.strip() for query in (title, original_title or "", simplified(title)))
        for query in filter(None, queries):
            chosen = choose_candidate(self._suggest(query, tally), title, original_title, year, prefer_tv)
            if chosen is not None:
                return chosen
        return None

    def _suggest(self, query: str, tally: _Tally) -> list[SuggestCandidate]:
        if wait := self._circuit.retry_in(SEARCH):
            raise DoubanUnavailable(f"Douban search is paused for {wait:.0f}s after being blocked", retry_after=wait)
        fetched = tally.add(
            self._http.get(f"{self._base}/j/subject_suggest", source=SEARCH, params={"q": query}, accept=ACCEPT_JSON)
        )
        if not fetched.ok:
            retry_after = self._trip_if_told(fetched)
            raise DoubanUnavailable(f"Douban search {fetched.status}: {fetched.reason}", retry_after=retry_after)
        try:
            entries = fetched.json()
        except ValueError as error:
            raise DoubanUnavailable("Douban search answered something that is not JSON") from error
        if not isinstance(entries, list):
            raise DoubanUnavailable(f"Douban search answered a JSON {type(entries).__name__}, not a list")
        return _candidates(entries)

    # --- the subject --------------------------------------------------------------------------------------

    def _read_subject(
        self,
        candidate: SuggestCandidate,
        tally: _Tally,
        search_entry_fallback: bool = True,
        before_douban: Callable[[], None] | None = None,
    ) -> tuple[DoubanMovie, Source, bool] | _Miss:
        no_subject = self._cache.get_no_subject(candidate.id)
        if no_subject == "not_found":
            return _Miss.NOT_FOUND  # Douban said so lately: no request
        if before_douban is not None:
            before_douban()
        for source, read in self._subject_sources:
            if source == "desktop" and no_subject == "login_only":
                continue  # its page is for signed-in people: the APIs may still show it
            if self._circuit.is_open(source):
                logger.info("douban %s skipped: circuit open", source)
                continue
            outcome = read(candidate, tally)
            if isinstance(outcome, DoubanMovie):
                return outcome, source, False
            if outcome is _Miss.NOT_FOUND and source == "desktop":
                self._cache.put_no_subject(candidate.id, "not_found")
                return _Miss.NOT_FOUND  # the page is authoritative; the APIs may 404 for other reasons
        if not search_entry_fallback:
            return _Miss.SKIPPED
        # Every source is blocked or down, but the search entry is Douban's own data: show it, complete it later.
        return from_suggest(candidate, self._base), "suggest", True

    def _read_desktop(self, candidate: SuggestCandidate, tally: _Tally) -> DoubanMovie | _Miss:
        fetched = tally.add(self._http.get(f"{self._base}/subject/{candidate.id}/", source="desktop"))
        if fetched.login_wall:
            # Douban shows some entries (restricted ones) to signed-in people only, and sends anyone else to the
            # login page: that is this entry's rule, not a block on us, so no circuit opens for every lookup.
            logger.info("douban desktop: subject %s is shown to signed-in people only", candidate.id)
            self._cache.put_no_subject(candidate.id, "login_only")
            return _Miss.SKIPPED
        return self._conclude(
            fetched, lambda: parse_subject(fetched.text, subject_id=candidate.id, base_url=self._base)
        )

    def _read_mobile(self, candidate: SuggestCandidate, tally: _Tally) -> DoubanMovie | _Miss:
        kind = "tv" if candidate.is_tv else "movie"
        fetched = tally.add(
            self._http.get(
                f"{self._mobile_base}/rexxar/api/v2/{kind}/{candidate.id}",
                source="mobile",
                mobile=True,
                referer=MOBILE_REFERER.format(id=candidate.id),
                accept=ACCEPT_JSON,
            )
        )
        return self._conclude(fetched, lambda: from_mobile_api(_json_object(fetched), candidate.id, self._base))

    def _read_abstract(self, candidate: SuggestCandidate, tally: _Tally) -> DoubanMovie | _Miss:
        fetched = tally.add(
            self._http.get(
                f"{self._base}/j/subject_abstract",
                source="abstract",
                params={"subject_id": candidate.id},
                accept=ACCEPT_JSON,
            )
        )
        return self._conclude(fetched, lambda: from_abstract(_json_object(fetched), candidate.id, self._base))

    def _conclude(self, fetched: FetchResult, read: Callable[[], DoubanMovie | None]) -> DoubanMovie | _Miss:
        """The movie in a source's answer, or why there is none (opening the circuit when the source asks)."""
        if fetched.status is FetchStatus.NOT_FOUND:
            return _Miss.NOT_FOUND
        if not fetched.ok:
            self._trip_if_told(fetched)
            return _Miss.SKIPPED
        try:
            movie = read()
        except _UNUSABLE_ANSWER as error:
            logger.warning("douban %s: unusable answer (%s)", fetched.source, error)
            return _Miss.SKIPPED
        return movie if movie is not None else _Miss.SKIPPED

    def _trip_if_told(self, fetched: FetchResult) -> float | None:
        """Open the source's circuit when it blocked us or asked us to wait; returns how long, if opened."""
        if fetched.status is FetchStatus.BLOCKED or fetched.retry_after is not None:
            return self._circuit.open(fetched.source, fetched.retry_after)
        return None


def is_subject_id(text: str) -> bool:
    """Douban subject ids are ASCII digits (they go into URLs we build); ``str.isdigit`` alone takes "１２３" too."""
    return text.isascii() and text.isdigit()


def _json_object(fetched: FetchResult) -> dict[str, Any]:
    data = fetched.json()
    if not isinstance(data, dict):
        raise TypeError(f"expected a JSON object, got {type(data).__name__}")
    return data


def _candidates(entries: list[Any]) -> list[SuggestCandidate]:
    """The usable suggest entries: subjects (never a person's entry), each with a numeric id (it goes into URLs
    we build)."""
    candidates = []
    for entry in entries:
        try:
            candidate = SuggestCandidate.model_validate(entry)
        except ValidationError:
            continue
        if is_subject_id(candidate.id) and candidate.is_subject:
            candidates.append(candidate)
    return candidates


def _other_year_reason(movie: DoubanMovie, year: int | None) -> str:
    return f"豆瓣上的《{movie.title}》是 {movie.year} 年的作品，不是推荐的 {year} 年那一部"


def _no_match_reason(title: str, year: int | None) -> str:
    return f"豆瓣上没有找到《{title}》（{year}）" if year else f"豆瓣上没有找到《{title}》"
