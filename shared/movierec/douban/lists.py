"""Douban's lists through the mobile API, and the warm-up that reads them into the movie cache.

``GET m.douban.com/rexxar/api/v2/subject_collection/<name>/items?start=N&count=50`` (asked as the mobile site asks,
with ``Referer: https://m.douban.com/subject_collection/<name>``) answers ``{"start", "count", "total",
"subject_collection_items": [...]}``, 50 items at most a request. An item (the shape the mobile API's list items
share, ``../shared/douban-2026/rexxar_list_items_2026.json``) holds the subject's ``id``, ``title``, ``type``
(``movie`` or ``tv``), ``card_subtitle`` (``"2018 / 美国 / 剧情 动作 犯罪 / <directors> / <actors>"``), ``pic``
(``large``, ``normal``) or ``cover_url``, ``rating`` (``{"count", "max", "star_count", "value"}``, null or 0 with
a ``null_rating_reason`` when unrated) and ``url``.

A list item is a card (:func:`card_from_list_item`, ``source="list"`` in the cache) and its title and year a way to
it in the title index, so that the popular films a model names most often cost no request: the lookup finds them
without a search, and completes a list's card only when a request needs what it lacks (a length, the whole cast).
The warm-up spends the deployment's Douban budget at the lowest priority, in its idle share only, and never
replaces a fuller card with a list's.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from movierec.core.observability import metrics
from movierec.douban.budget import Priority, Spend
from movierec.douban.cache import MovieCache
from movierec.douban.errors import DoubanUnavailable
from movierec.douban.http import ACCEPT_JSON, DoubanHttp, FetchStatus
from movierec.douban.models import DoubanMovie, SuggestCandidate
from movierec.douban.parser import clean_text, clean_title, positive, subject_url, to_float, to_int, year_from_text

logger = logging.getLogger(__name__)

PAGE_SIZE = 50  # the most the API hands out at once
LIST_REFERER = "https://m.douban.com/subject_collection/{name}"
SOURCE = "lists"  # the budget and the request counts name the warm-up's requests so
# In the budget's idle share a page may wait long for its token: the warm-up has all night, nobody waits on it.
WARM_UP_SPEND = Spend(Priority.WARM_UP, wait_seconds=90.0)
_LATIN_NAME_PART = re.compile(r"^[A-Za-z][A-Za-z.'\-]*$")


@dataclass(frozen=True)
class DoubanList:
    """One of Douban's lists (``subject_collection``) and how many pages of it to read."""

    name: str
    pages: int = 1

    @classmethod
    def parse_all(cls, text: str) -> tuple[DoubanList, ...]:
        """``"movie_top250:5, tv_hot"`` → the lists, each ``name[:pages]``; raises ValueError naming a bad one."""
        lists = []
        for part in filter(None, (piece.strip() for piece in text.split(","))):
            name, _, pages = part.partition(":")
            if not re.fullmatch(r"[a-z0-9_]+", name) or (pages and not (pages.isdigit() and 1 <= int(pages) <= 20)):
                raise ValueError(f"not a Douban list (name or name:pages, 1-20 pages): {part!r}")
            lists.append(cls(name, int(pages or 1)))
        return tuple(lists)


def _names(text: str) -> list[str]:
    """The names of a subtitle's part, which Douban separates by spaces: a Latin name's words are joined again."""
    names: list[str] = []
    for word in text.split():
        if names and _LATIN_NAME_PART.match(word) and _LATIN_NAME_PART.match(names[-1].split(" ")[-1]):
            names[-1] = f"{names[-1]} {word}"
        else:
            names.append(word)
    return names


def card_from_list_item(item: dict[str, Any], base_url: str) -> tuple[DoubanMovie, SuggestCandidate] | None:
    """The card a list item shows, and the search entry it stands for; None for an item that is not a film or
    series with a numeric id and a title."""
    subject_id, title = str(item.get("id") or ""), clean_title(item.get("title"))
    kind = item.get("type") or item.get("subtype")
    if not (subject_id.isascii() and subject_id.isdigit()) or not title or kind not in ("movie", "tv"):
        return None
    parts = [clean_text(part) for part in str(item.get("card_subtitle") or "").split(" / ")]
    parts += [""] * (5 - len(parts))
    year = to_int(item.get("year")) or year_from_text(parts[0])
    rating = item.get("rating") if isinstance(item.get("rating"), dict) else {}
    unrated = bool(item.get("null_rating_reason"))
    pictures = item.get("pic") if isinstance(item.get("pic"), dict) else {}
    poster = pictures.get("large") or pictures.get("normal") or item.get("cover_url") or None
    movie = DoubanMovie(
        id=subject_id,
        url=subject_url(base_url, subject_id),
        title=title,
        year=year,
        kind=kind,
        countries=parts[1].split(),
        genres=parts[2].split(),
        directors=_names(parts[3]),
        cast=_names(parts[4]),
        rating=None if unrated else positive(to_float(rating.get("value"))),
        rating_count=None if unrated else positive(to_int(rating.get("count"))),
        poster_url=poster,
    )
    candidate = SuggestCandidate(
        id=subject_id,
        title=title,
        year=year,
        type=kind,
        img=pictures.get("normal") or poster,
        url=subject_url(base_url, subject_id),
    )
    return movie, candidate


class ListGone(Exception):
    """Douban has no such list (a 404, or the API's error answer about it): the operator named a list Douban retired
    or renamed. Only that list is passed over."""


@dataclass
class WarmUpReport:
    """What one warm-up did: pages and requests, cards stored, cards left alone (a fuller one was cached)."""

    pages: int = 0
    requests: int = 0
    stored: int = 0
    kept_fuller: int = 0
    lists_read: list[str] = field(default_factory=list)
    lists_gone: list[str] = field(default_factory=list)  # lists Douban has not (the operator's setting is stale)
    stopped: str | None = None  # why it stopped before reading every list

    def as_log(self) -> dict[str, Any]:
        return {
            "pages": self.pages,
            "requests": self.requests,
            "stored": self.stored,
            "kept_fuller": self.kept_fuller,
            "lists": self.lists_read,
            "lists_gone": self.lists_gone,
            "stopped": self.stopped,
        }


class CacheWarmUp:
    """Reads ``lists`` page by page into the movie cache, until they are read or ``seconds_left()`` runs short."""

    def __init__(
        self,
        http: DoubanHttp,
        cache: MovieCache,
        base_url: str,
        mobile_base_url: str,
        lists: tuple[DoubanList, ...],
        *,
        spend: Spend = WARM_UP_SPEND,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._http = http
        self._cache = cache
        self._base = base_url.rstrip("/")
        self._mobile_base = mobile_base_url.rstrip("/")
        self._lists = lists
        self._spend = spend
        self._clock = clock

    def run(self, seconds: float) -> WarmUpReport:
        """Warm the cache for at most about ``seconds`` (a page is not started without its longest wait left)."""
        report = WarmUpReport()
        stop_at = self._clock() + seconds
        for douban_list in self._lists:
            for page in range(douban_list.pages):
                if stop_at - self._clock() < self._spend.wait_seconds + 15:
                    report.stopped = "out of time"
                    return self._done(report)
                try:
                    items, total = self._page(douban_list.name, page * PAGE_SIZE, report)
                except DoubanUnavailable as error:
                    report.stopped = error.reason  # no idle share, a rate limit or a ban: tomorrow, then
                    return self._done(report)
                except ListGone as gone:
                    logger.error("douban has no list %s (%s): check DOUBAN_WARM_UP_LISTS", douban_list.name, gone)
                    report.lists_gone.append(douban_list.name)
                    break
                self._store(items, report)
                if total is not None and (page + 1) * PAGE_SIZE >= total:
                    break
            if douban_list.name not in report.lists_gone:
                report.lists_read.append(douban_list.name)
        return self._done(report)

    def _page(self, name: str, start: int, report: WarmUpReport) -> tuple[list[Any], int | None]:
        fetched = self._http.get(
            f"{self._mobile_base}/rexxar/api/v2/subject_collection/{name}/items",
            source=SOURCE,
            spend=self._spend,
            params={"start": str(start), "count": str(PAGE_SIZE)},
            mobile=True,
            referer=LIST_REFERER.format(name=name),
            accept=ACCEPT_JSON,
        )
        report.requests += fetched.requests
        answered = fetched.status is FetchStatus.UNAVAILABLE and 400 <= (fetched.status_code or 0) < 429
        if fetched.status is FetchStatus.NOT_FOUND or (answered and fetched.refusal is None):
            raise ListGone(fetched.reason)  # an error answer about that list, not a refusal of us
        if not fetched.ok:
            raise DoubanUnavailable(f"the list {name} could not be read: {fetched.reason}", fetched.retry_after)
        try:
            answer = fetched.json()
        except ValueError as error:
            raise DoubanUnavailable(f"the list {name} answered something that is not JSON") from error
        items = answer.get("subject_collection_items") if isinstance(answer, dict) else None
        if not isinstance(items, list):
            raise DoubanUnavailable(f"the list {name} holds no items")
        report.pages += 1
        total = answer.get("total")
        return items, total if isinstance(total, int) else None

    def _store(self, items: list[Any], report: WarmUpReport) -> None:
        for item in items:
            card = card_from_list_item(item, self._base) if isinstance(item, dict) else None
            if card is None:
                continue
            if self._cache.put_list_card(*card):
                report.stored += 1
            else:
                report.kept_fuller += 1

    @staticmethod
    def _done(report: WarmUpReport) -> WarmUpReport:
        logger.info("movie cache warmed from Douban's lists", extra=report.as_log())
        metrics.add_metric(name="WarmUpCards", unit="Count", value=report.stored)
        metrics.add_metric(name="WarmUpRequests", unit="Count", value=report.requests)
        return report
