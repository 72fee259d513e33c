"""Finding one recommended movie on Douban: the single entry point of the scrape worker.

Cache first (no request). Otherwise one search (``/j/subject_suggest``; the original title, then a traditional-script
title in simplified script, are searched too only when the searches before found no match), then the subject of a
film or series entry (never a person's) from the first source that answers, as Douban answers in 2026: anonymously
the mobile API (``m.douban.com/rexxar``, the whole card in one request) then the ``subject_abstract`` card; the
desktop page only with the operator's cookie, and then first. Last, the search entry itself (a partial card, to be
completed later). The subject's year is checked again against the one asked for (a search entry may show none), and
a subject of another year is not this film. An uncached movie whose first search matches costs two requests; a
cached one none; a film the warm-up read from one of Douban's lists is a card already (``source="list"``).

Every request takes a token from the deployment's Douban budget first, at the caller's priority (:class:`LookupSpend`):
a search that cannot have one in time raises :class:`DoubanUnavailable` (nothing can be shown without it), a subject
that cannot shows its search entry (or the cached card it was to complete) and is completed later. A lookup that had
to wait for its token looks in the cache again first: another worker may have learnt the film meanwhile. A
proof-of-work challenge is remembered for hours (its source's circuit, a jittered re-probe), never solved.
"""

from __future__ import annotations

import logging
import random
from collections import Counter
from collections.abc import Callable
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError

from movierec.core.observability import metrics
from movierec.douban.budget import Grant, LookupSpend, Spend
from movierec.douban.cache import CachedMovie, MovieCache
from movierec.douban.circuit import CircuitBreaker
from movierec.douban.errors import DoubanUnavailable
from movierec.douban.http import ACCEPT_JSON, DoubanHttp, FetchResult, FetchStatus, Refusal
from movierec.douban.matching import choose_candidate, still_matches
from movierec.douban.models import DoubanMovie, SuggestCandidate
from movierec.douban.parser import parse_subject
from movierec.douban.sources import from_abstract, from_mobile_api, from_suggest
from movierec.douban.title_keys import simplified

logger = logging.getLogger(__name__)

Source = Literal["cache", "list", "desktop", "mobile", "abstract", "suggest"]
SubjectSource = Literal["desktop", "mobile", "abstract"]
SEARCH = "suggest"  # the search endpoint has its own circuit: a blocked search stops the lookup, not a subject read
MOBILE_REFERER = "https://m.douban.com/movie/subject/{id}/"  # what the mobile site itself sends
CHALLENGE_SECONDS = 6 * 3600.0  # how long a challenged source is left alone, give or take a fifth
COOKIE_RECHECK_SECONDS = 12 * 3600.0  # how long an expired cookie is left unused before it is tried again

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


_Read = tuple[DoubanMovie, Source, bool]  # the movie, where it came from, whether it is partial
# A subject source: the candidate, the lookup's tally, what it may spend, the token reserved for its first request.
_Reader = Callable[[SuggestCandidate, _Tally, Spend, Grant | None], DoubanMovie | _Miss]


def _cached_source(cached: CachedMovie) -> Source:
    return "list" if cached.from_list else "cache"


class DoubanLookup:
    def __init__(
        self,
        http: DoubanHttp,
        cache: MovieCache,
        circuit: CircuitBreaker,
        base_url: str,
        mobile_base_url: str,
        *,
        challenge_seconds: float = CHALLENGE_SECONDS,
        cookie_recheck_seconds: float = COOKIE_RECHECK_SECONDS,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self._http = http
        self._cache = cache
        self._circuit = circuit
        self._base = base_url.rstrip("/")
        self._mobile_base = mobile_base_url.rstrip("/")
        self._challenge_seconds = challenge_seconds
        self._cookie_recheck_seconds = cookie_recheck_seconds
        self._jitter = jitter
        self._readers: dict[SubjectSource, _Reader] = {
            "desktop": self._read_desktop,
            "mobile": self._read_mobile,
            "abstract": self._read_abstract,
        }

    def subject_sources(self, signed_in: bool) -> tuple[SubjectSource, ...]:
        """The subject's sources in the order they are asked: the desktop page only with a working cookie (anonymous
        desktop pages are challenged in 2026), first then; the mobile API, which gives the whole card; the abstract."""
        return ("desktop", "mobile", "abstract") if signed_in else ("mobile", "abstract")

    def find(
        self,
        title: str,
        original_title: str | None,
        year: int | None,
        *,
        spend: LookupSpend,
        prefer_tv: bool = False,
        complete_partial: bool = False,
        defer_caching: bool = False,
    ) -> LookupResult:
        """The Douban subject for a recommended title; raises :class:`DoubanUnavailable` when it cannot search (Douban
        refuses, or the budget has no request to spare within ``spend.search_seconds``).

        `complete_partial` looks past a cached partial card or a list's card, to complete it from Douban (when that
        cannot be done now, the cached card comes back, partial). `defer_caching` leaves caching a fresh card to the
        caller's `remember`, so that it need not delay the card; the search's answer is cached at once, so that a
        lookup of the same title waiting for budget finds it.
        """
        tally = _Tally()
        titles = (title, original_title)
        candidate = self._cache.get_candidate(titles, year)
        if candidate is None:
            candidate = self._search(title, original_title, year, prefer_tv, spend.search, tally)
            if candidate is None:
                return tally.result(status="not_found", reason=_no_match_reason(title, year))
            self._cache.put_candidate(titles, year, candidate)
        cached = self._cache.get_movie(candidate.id)
        if cached is not None and not (complete_partial and cached.incomplete):
            if not still_matches(candidate, title, original_title, year, cached.movie.year):
                return tally.result(status="not_found", reason=_other_year_reason(cached.movie, year))
            return tally.result(
                status="found", movie=cached.movie, source=_cached_source(cached), partial=cached.partial
            )

        outcome = self._read_subject(candidate, tally, spend.read, cached=cached)
        if outcome is _Miss.NOT_FOUND:
            return tally.result(status="not_found", reason=f"豆瓣条目 {candidate.id} 已不存在")
        movie, source, partial = outcome
        if not still_matches(candidate, title, original_title, year, movie.year):
            # The subject is still Douban's truth about itself, worth keeping; the title just does not mean it.
            self._cache.put_movie(movie, source=source, partial=partial)
            return tally.result(status="not_found", reason=_other_year_reason(movie, year))
        result = tally.result(status="found", movie=movie, source=source, partial=partial, candidate=candidate)
        if not defer_caching:
            self.remember(title, original_title, year, result)
        return result

    def remember(self, title: str, original_title: str | None, year: int | None, result: LookupResult) -> None:
        """Cache what a lookup read fresh from Douban (a result from the cache or a list is there already)."""
        if result.movie is None or result.candidate is None or result.source in (None, "cache", "list"):
            return
        self._cache.put_movie(result.movie, source=result.source, partial=result.partial)

    # --- a subject by its id (a shared movie link names no title) -------------------------------------------

    def by_id(
        self, subject_id: str, *, spend: LookupSpend, before_douban: Callable[[], None] | None = None
    ) -> LookupResult:
        """The subject with Douban id ``subject_id``: the cached card, else the subject sources in turn (no search).

        The same sources, circuits, budget and rules as a recommendation's lookup (its reads wait
        ``spend.read_seconds`` for a token). A cached partial card (the search entry alone) or a list's card is
        completed when a source answers, and returned as it is (partial) when none can now. ``not_found`` for an id
        that is not numeric (nothing is sent) or whose first source says it has none (remembered a day: asked again,
        it costs no request). ``before_douban()`` is called once, just before the first request to Douban (a limit on
        whoever asks may raise there). Raises :class:`DoubanUnavailable` when no source can answer now and nothing
        is cached.
        """
        tally = _Tally()
        if not is_subject_id(subject_id):
            return tally.result(status="not_found", reason=f"{subject_id!r} 不是豆瓣条目编号")
        cached = self._cache.get_movie(subject_id)
        if cached is not None and not cached.incomplete:
            return tally.result(status="found", movie=cached.movie, source="cache")
        kind = cached.movie.kind if cached is not None else "movie"  # the mobile API's path names the kind
        candidate = SuggestCandidate(id=subject_id, title=cached.movie.title if cached else "", type=kind)
        outcome = self._read_subject(
            candidate, tally, spend.read, cached=cached, search_entry_fallback=False, before_douban=before_douban
        )
        if outcome is _Miss.NOT_FOUND:
            return tally.result(status="not_found", reason=f"豆瓣条目 {subject_id} 不存在")
        if isinstance(outcome, tuple):
            movie, source, partial = outcome
            if not partial and source not in ("cache", "list"):
                self._cache.put_movie(movie, source=source, partial=False)
            return tally.result(status="found", movie=movie, source=source, partial=partial, candidate=candidate)
        waits = [self._circuit.retry_in(source) for source in self.subject_sources(self._http.signed_in())]
        raise DoubanUnavailable(
            f"no Douban source could read subject {subject_id} now", retry_after=min(waits) if all(waits) else None
        )

    # --- the search ---------------------------------------------------------------------------------------

    def _search(
        self, title: str, original_title: str | None, year: int | None, prefer_tv: bool, spend: Spend, tally: _Tally
    ) -> SuggestCandidate | None:
        self._search_circuit_closed()

        def known() -> SuggestCandidate | None:
            return self._cache.get_candidate((title, original_title), year)

        # While it waits for its token, another worker (another request's lookup of this film) may search it first.
        grant = self._http.reserve(spend, unless=lambda: known() is not None)
        if (grant is None or grant.waited > 0) and (candidate := known()) is not None:
            return candidate  # found without a request (a token taken meanwhile goes unused)
        # Then the title in simplified script, should it be written in traditional: Douban's names are simplified.
        queries = dict.fromkeys(query.strip() for query in (title, original_title or "", simplified(title)))
        for query in filter(None, queries):
            chosen = choose_candidate(self._suggest(query, tally, spend, grant), title, original_title, year, prefer_tv)
            grant = None
            if chosen is not None:
                return chosen
        return None

    def _search_circuit_closed(self) -> None:
        if wait := self._circuit.retry_in(SEARCH):
            raise DoubanUnavailable(f"Douban search is paused for {wait:.0f}s after being blocked", retry_after=wait)

    def _suggest(self, query: str, tally: _Tally, spend: Spend, grant: Grant | None) -> list[SuggestCandidate]:
        self._search_circuit_closed()
        fetched = tally.add(
            self._http.get(
                f"{self._base}/j/subject_suggest",
                source=SEARCH,
                spend=spend,
                grant=grant,
                params={"q": query},
                accept=ACCEPT_JSON,
            )
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
        spend: Spend,
        *,
        cached: CachedMovie | None = None,
        search_entry_fallback: bool = True,
        before_douban: Callable[[], None] | None = None,
    ) -> _Read | _Miss:
        """The subject from the first source that answers; when none can now, the card known already (``cached``,
        partial), else the search entry (partial), else SKIPPED."""
        if self._cache.get_no_subject(candidate.id) == "not_found":
            return _Miss.NOT_FOUND  # Douban said so lately: no request
        fallback: _Read | _Miss = _Miss.SKIPPED
        if cached is not None:
            fallback = (cached.movie, _cached_source(cached), True)
        elif search_entry_fallback:
            # The search entry is Douban's own data: show it, complete it later.
            fallback = (from_suggest(candidate, self._base), "suggest", True)
        sources = [source for source in self.subject_sources(self._http.signed_in()) if self._closed(source)]
        if not sources:
            return fallback
        if before_douban is not None:
            before_douban()

        def read_meanwhile() -> bool:
            fresh = self._cache.get_movie(candidate.id)
            return fresh is not None and not fresh.incomplete

        try:
            grant = self._http.reserve(spend, unless=read_meanwhile)
        except DoubanUnavailable as refused:
            if fallback is _Miss.SKIPPED:
                raise  # nothing to show: the caller answers with the budget's own hint
            logger.info("douban subject %s not read now: %s", candidate.id, refused.reason)
            return fallback
        fresh = self._cache.get_movie(candidate.id) if grant is None or grant.waited > 0 else None
        if fresh is not None and not fresh.incomplete:
            return fresh.movie, "cache", False  # another worker read it while this one waited (the token goes unused)
        if grant is None:
            return fallback  # (read meanwhile, then gone from the cache: a lookup that races its expiry)
        unspent: Grant | None = grant
        for source in sources:
            if source == "desktop" and not grant.signed_in:
                continue  # the cookie stopped working since the sources were chosen
            try:
                outcome = self._readers[source](candidate, tally, spend, unspent)
            except DoubanUnavailable as refused:  # no token for another source, or a ban learnt meanwhile
                logger.info("douban subject %s: %s", candidate.id, refused.reason)
                break
            unspent = None
            if isinstance(outcome, DoubanMovie):
                return outcome, source, False
            if outcome is _Miss.NOT_FOUND and source in ("desktop", "mobile"):
                # The first source asked is authoritative (the abstract may 404 for other reasons).
                self._cache.put_no_subject(candidate.id, "not_found")
                return _Miss.NOT_FOUND
        return fallback

    def _closed(self, source: str) -> bool:
        if self._circuit.is_open(source):
            logger.info("douban %s skipped: circuit open", source)
            return False
        return True

    def _read_desktop(
        self, candidate: SuggestCandidate, tally: _Tally, spend: Spend, grant: Grant | None
    ) -> DoubanMovie | _Miss:
        fetched = tally.add(
            self._http.get(f"{self._base}/subject/{candidate.id}/", source="desktop", spend=spend, grant=grant)
        )
        if fetched.login_wall:
            # Signed in, every entry shows (restricted ones too): the login wall means the cookie expired.
            self._http.budget.cookie_failed(self._cookie_recheck_seconds)
            return _Miss.SKIPPED
        return self._conclude(
            fetched, lambda: parse_subject(fetched.text, subject_id=candidate.id, base_url=self._base)
        )

    def _read_mobile(
        self, candidate: SuggestCandidate, tally: _Tally, spend: Spend, grant: Grant | None
    ) -> DoubanMovie | _Miss:
        # A series asked as a movie is redirected to /tv/<id> on the same host, which is followed.
        kind = "tv" if candidate.is_tv else "movie"
        fetched = tally.add(
            self._http.get(
                f"{self._mobile_base}/rexxar/api/v2/{kind}/{candidate.id}",
                source="mobile",
                spend=spend,
                grant=grant,
                mobile=True,
                referer=MOBILE_REFERER.format(id=candidate.id),
                accept=ACCEPT_JSON,
            )
        )
        return self._conclude(fetched, lambda: from_mobile_api(_json_object(fetched), candidate.id, self._base))

    def _read_abstract(
        self, candidate: SuggestCandidate, tally: _Tally, spend: Spend, grant: Grant | None
    ) -> DoubanMovie | _Miss:
        fetched = tally.add(
            self._http.get(
                f"{self._base}/j/subject_abstract",
                source="abstract",
                spend=spend,
                grant=grant,
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
        """Leave the source alone when it refused us (a challenge for hours, another block or a wait it asked for
        briefly); a rate limit or a ban concerns every source, and the budget knows it already. Returns how long to
        stay away, when known."""
        if fetched.refusal is Refusal.CHALLENGED:
            seconds = self._challenge_seconds * (0.8 + 0.4 * self._jitter())
            metrics.add_metric(name="DoubanChallenged", unit="Count", value=1)
            logger.warning("douban %s challenged: left alone for %.1f h, never solved", fetched.source, seconds / 3600)
            return self._circuit.open(fetched.source, seconds, longest=seconds)
        if fetched.refusal in (Refusal.RATE_LIMITED, Refusal.BANNED):
            return fetched.retry_after
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
