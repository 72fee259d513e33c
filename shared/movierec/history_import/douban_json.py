"""Douban's own "interest" objects, as the mobile API serves them (``/api/v2/user/<uid>/interests``) and the sync
tool's JSON store keeps them: ``{"status": "done", "create_time", "rating": {"value": 1-5, "max": 5} | null,
"subject": {"id", "title", "type": "movie" | "tv", "url", …}}``.

A file holds a list of them, or one saved API page (``{"count", "start", "total", "interests": [...]}``).
``create_time`` is Beijing time. A subject that is not a film or series (a book synced by the same tool) is skipped.
"""

from __future__ import annotations

from typing import Any

from movierec.history_import.reading import (
    API_STATUSES,
    EntryCollector,
    beijing_millis,
    movie_subject_id,
    stars,
    text_of,
)

_FILM_TYPES = ("movie", "tv")


def interests_in(document: Any) -> list[Any] | None:
    """The interest objects of a JSON document (a list, or an API page, which may be empty: a list with nothing
    marked); None when it is neither."""
    if isinstance(document, dict) and isinstance(document.get("interests"), list):
        return document["interests"]
    if isinstance(document, list) and any(_is_interest(item) for item in document):
        return document
    return None


def collect(interests: list[Any], collector: EntryCollector) -> None:
    for interest in interests:
        if not _is_interest(interest):
            collector.skip()
            continue
        subject = interest["subject"]
        status = API_STATUSES.get(text_of(interest.get("status")), API_STATUSES["done"])
        collector.add(
            _subject_id(subject),
            subject.get("title"),
            _rating(interest.get("rating")),
            beijing_millis(interest.get("create_time")),
            status,
        )


def _is_interest(item: Any) -> bool:
    return isinstance(item, dict) and isinstance(item.get("subject"), dict)


def _subject_id(subject: dict[str, Any]) -> str | None:
    subject_id = text_of(subject.get("id"))
    if subject.get("type") in _FILM_TYPES and subject_id.isdigit():
        return subject_id
    return movie_subject_id(subject.get("url"))


def _rating(rating: Any) -> int | None:
    """The person's stars: ``value`` out of ``max`` (5; a 10-point ``max`` is halved)."""
    if not isinstance(rating, dict):
        return None
    value = rating.get("value")
    if rating.get("max") == 10 and isinstance(value, int | float):
        value = (value + 1) // 2
    return stars(value)
