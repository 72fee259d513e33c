"""The movie cache table: what a title searched for resolved to, and what a subject looked like when last read.

Items (partition key ``pk``, TTL attribute ``expires_at`` in epoch seconds):

- ``title#<title_key(title)>#<year or ''>`` → ``subject_id`` and ``candidate`` (the search entry, JSON), so a
  cached title needs no search and can still fall back to its search entry (a person's entry, cached before
  person entries were told apart, is a miss);
- ``subject#<id>`` → ``movie`` (DoubanMovie JSON), ``source``, ``partial``; ``source = "list"`` for a card the
  warm-up read from one of Douban's lists (a list item: title, year, kind, rating and votes, countries, genres, some
  directors and actors, poster), which a lookup completes when it needs more;
- ``nosubject#<id>`` → ``why``: Douban has no such subject (``not_found``, its page a 404), or shows its page to
  signed-in people only (``login_only``): a negative entry, so that an id nobody can read costs Douban nothing for
  a while (``GET /movies/{id}`` takes any id a person sends).

DynamoDB deletes expired items lazily, so an item past ``expires_at`` is a miss here. A cache that cannot be read or
written is logged and ignored: it is never the reason a lookup fails.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from botocore.exceptions import BotoCoreError, ClientError
from pydantic import ValidationError

from movierec.core.conditional_writes import is_condition_failure
from movierec.douban.models import DoubanMovie, SuggestCandidate
from movierec.douban.title_keys import title_key

logger = logging.getLogger(__name__)

HOUR = 3600
DAY = 24 * HOUR
MOVIE_TTL_SECONDS = 7 * DAY  # ratings move
PARTIAL_TTL_SECONDS = HOUR  # a search-entry-only card is read again soon, when Douban may answer in full
TITLE_TTL_SECONDS = 30 * DAY  # which subject a title means hardly changes
NO_SUBJECT_TTL_SECONDS = DAY  # ids are not reused, but a 404 may be passing, and restricted entries may open

NoSubject = Literal["not_found", "login_only"]

_AWS_ERRORS = (ClientError, BotoCoreError)


LIST_SOURCE = "list"


@dataclass(frozen=True)
class CachedMovie:
    movie: DoubanMovie
    source: str
    partial: bool

    @property
    def from_list(self) -> bool:
        """Read from one of Douban's lists by the warm-up: a card, with less than a subject's page or API gives."""
        return self.source == LIST_SOURCE

    @property
    def incomplete(self) -> bool:
        """A card worth completing: the search entry alone, or a list's card."""
        return self.partial or self.from_list


def title_item_key(title: str, year: int | None) -> str | None:
    """The cache key of a searched title; None when nothing is left of it once normalised."""
    key = title_key(title)
    return f"title#{key}#{year if year is not None else ''}" if key else None


def subject_key(subject_id: str) -> str:
    return f"subject#{subject_id}"


def no_subject_key(subject_id: str) -> str:
    return f"nosubject#{subject_id}"


class MovieCache:
    def __init__(
        self,
        table: Any,
        *,
        movie_ttl_seconds: int = MOVIE_TTL_SECONDS,
        partial_ttl_seconds: int = PARTIAL_TTL_SECONDS,
        title_ttl_seconds: int = TITLE_TTL_SECONDS,
        no_subject_ttl_seconds: int = NO_SUBJECT_TTL_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._table = table
        self._movie_ttl = movie_ttl_seconds
        self._partial_ttl = partial_ttl_seconds
        self._title_ttl = title_ttl_seconds
        self._no_subject_ttl = no_subject_ttl_seconds
        self._clock = clock

    def get_candidate(self, titles: Iterable[str | None], year: int | None) -> SuggestCandidate | None:
        """The search entry cached for the first of ``titles`` that has one; never a person's entry."""
        for key, title in _title_item_keys(titles, year).items():
            item = self._get(key)
            if item and item.get("subject_id"):
                try:
                    candidate = SuggestCandidate.model_validate_json(item["candidate"])
                except (KeyError, ValidationError):
                    # An item without a usable search entry still says which subject the title is.
                    candidate = SuggestCandidate(id=str(item["subject_id"]), title=title)
                if candidate.is_subject:
                    return candidate
        return None

    def get_movie(self, subject_id: str) -> CachedMovie | None:
        item = self._get(subject_key(subject_id))
        if not item:
            return None
        try:
            movie = DoubanMovie.model_validate_json(item["movie"])
        except (KeyError, ValidationError):
            logger.warning("douban cache: unreadable subject %s, ignoring it", subject_id)
            return None
        return CachedMovie(movie=movie, source=str(item.get("source", "")), partial=bool(item.get("partial", False)))

    def put(
        self,
        titles: Iterable[str | None],
        year: int | None,
        candidate: SuggestCandidate,
        movie: DoubanMovie,
        *,
        source: str,
        partial: bool,
    ) -> None:
        """Remember what ``titles`` resolved to and the movie read for it."""
        self.put_candidate(titles, year, candidate)
        self.put_movie(movie, source=source, partial=partial)

    def put_candidate(self, titles: Iterable[str | None], year: int | None, candidate: SuggestCandidate) -> None:
        """Remember which search entry ``titles`` (with ``year``) resolved to (PutItem each: the functions' roles
        allow no batch write, and a title has one or two keys)."""
        now = int(self._clock())
        items = [
            {
                "pk": key,
                "subject_id": candidate.id,
                "candidate": candidate.model_dump_json(),
                "expires_at": now + self._title_ttl,
            }
            for key in _title_item_keys(titles, year)
        ]
        try:
            for item in items:
                self._table.put_item(Item=item)
        except _AWS_ERRORS:
            logger.warning("douban cache: could not store the search entry of subject %s", candidate.id, exc_info=True)

    def put_movie(self, movie: DoubanMovie, *, source: str, partial: bool) -> None:
        """Remember a subject as read from ``source`` (a partial card for an hour, a whole one for a week)."""
        try:
            self._table.put_item(Item=self._movie_item(movie, source, partial))
        except _AWS_ERRORS:
            logger.warning("douban cache: could not store subject %s", movie.id, exc_info=True)

    def put_list_card(self, movie: DoubanMovie, candidate: SuggestCandidate) -> bool:
        """Remember a card read from one of Douban's lists, and its title and year as the way to it: unless a fuller
        card of the subject is cached (a list's card never replaces one). True when the card was stored."""
        self.put_candidate((movie.title,), movie.year, candidate)
        now = int(self._clock())
        try:
            self._table.put_item(
                Item=self._movie_item(movie, LIST_SOURCE, False),
                ConditionExpression=(
                    "attribute_not_exists(pk) OR #source = :list OR #partial = :yes OR expires_at < :now"
                ),
                ExpressionAttributeNames={"#source": "source", "#partial": "partial"},
                ExpressionAttributeValues={":list": LIST_SOURCE, ":yes": True, ":now": now},
            )
        except ClientError as error:
            if is_condition_failure(error):
                return False
            logger.warning("douban cache: could not store the list card of subject %s", movie.id, exc_info=True)
            return False
        except BotoCoreError:
            logger.warning("douban cache: could not store the list card of subject %s", movie.id, exc_info=True)
            return False
        return True

    def _movie_item(self, movie: DoubanMovie, source: str, partial: bool) -> dict[str, Any]:
        return {
            "pk": subject_key(movie.id),
            "movie": movie.model_dump_json(),
            "source": source,
            "partial": partial,
            "expires_at": int(self._clock()) + (self._partial_ttl if partial else self._movie_ttl),
        }

    def get_no_subject(self, subject_id: str) -> NoSubject | None:
        """Why Douban gave no subject ``subject_id`` when last asked, while that is remembered; else None."""
        item = self._get(no_subject_key(subject_id))
        why = item.get("why") if item else None
        return why if why in ("not_found", "login_only") else None

    def put_no_subject(self, subject_id: str, why: NoSubject) -> None:
        """Remember for a while that Douban gives no subject ``subject_id`` (see the module's docstring)."""
        item = {"pk": no_subject_key(subject_id), "why": why, "expires_at": int(self._clock()) + self._no_subject_ttl}
        try:
            self._table.put_item(Item=item)
        except _AWS_ERRORS:
            logger.warning("douban cache: could not remember that subject %s is %s", subject_id, why, exc_info=True)

    def _get(self, key: str) -> dict[str, Any] | None:
        try:
            item = self._table.get_item(Key={"pk": key}).get("Item")
        except _AWS_ERRORS:
            logger.warning("douban cache: could not read %s", key, exc_info=True)
            return None
        if not item or ("expires_at" in item and int(item["expires_at"]) <= self._clock()):
            return None
        return item


def _title_item_keys(titles: Iterable[str | None], year: int | None) -> dict[str, str]:
    """Each distinct key, in order, with the first title that gave it."""
    keys: dict[str, str] = {}
    for title in titles:
        key = title_item_key(title, year) if title else None
        if key and key not in keys:
            keys[key] = title
    return keys
