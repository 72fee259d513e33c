"""Mapping Douban's other answers to the same :class:`DoubanMovie` the page parser returns.

- the mobile ``rexxar`` JSON (``/rexxar/api/v2/movie/<id>`` or ``/tv/<id>``): nearly complete, but no writers;
- the ``subject_abstract`` JSON (``/j/subject_abstract?subject_id=<id>``): a short card;
- a ``/j/subject_suggest`` entry: title, year and poster only.
"""

from __future__ import annotations

import re
from typing import Any

from movierec.douban.models import DoubanMovie, SuggestCandidate
from movierec.douban.parser import (
    NotASubjectPage,
    clean_paragraphs,
    clean_text,
    clean_title,
    earliest_year,
    minutes_from_text,
    positive,
    split_list,
    split_title,
    subject_url,
    to_float,
    to_int,
)

_TRAILING_YEAR = re.compile(r"\s*\((\d{4})\)\s*$")


def from_mobile_api(data: dict, subject_id: str, base_url: str) -> DoubanMovie:
    """The rexxar answer. Raises :class:`NotASubjectPage` when it holds no title (an error answer)."""
    title = clean_title(data.get("title")) or clean_title(data.get("original_title"))
    if not title:
        raise NotASubjectPage(f"no title in the mobile API answer for subject {subject_id}")
    is_tv = bool(data.get("is_tv")) or data.get("type") == "tv"
    rating = data.get("rating") if isinstance(data.get("rating"), dict) else {}
    unrated = bool(data.get("null_rating_reason"))
    release_dates = _strings(data.get("pubdate"))
    minutes = minutes_from_text(next(iter(_strings(data.get("durations"))), None))
    pictures = data.get("pic") if isinstance(data.get("pic"), dict) else {}
    return DoubanMovie(
        id=subject_id,
        url=subject_url(base_url, subject_id),
        title=title,
        original_title=_distinct_original(title, data.get("original_title")),
        year=to_int(data.get("year")) or earliest_year(release_dates),
        kind="tv" if is_tv else "movie",
        directors=_people(data.get("directors")),
        cast=_people(data.get("actors")),
        genres=_strings(data.get("genres")),
        countries=_strings(data.get("countries")),
        languages=_strings(data.get("languages")),
        release_dates=release_dates,
        runtime_minutes=None if is_tv else minutes,
        episodes=positive(to_int(data.get("episodes_count"))) if is_tv else None,
        episode_minutes=minutes if is_tv else None,
        aka=_strings(data.get("aka")),
        rating=None if unrated else positive(to_float(rating.get("value"))),
        rating_count=positive(to_int(rating.get("count"))),
        poster_url=pictures.get("large") or pictures.get("normal") or data.get("cover_url") or None,
        summary=clean_paragraphs(str(data.get("intro") or "").splitlines()),
    )


def from_abstract(data: dict, subject_id: str, base_url: str) -> DoubanMovie | None:
    """The ``subject_abstract`` card; ``None`` on a failed answer (``{"r": 1}``) or one without a title."""
    subject = data.get("subject") if isinstance(data, dict) else None
    if not isinstance(subject, dict) or data.get("r"):
        return None
    # "title" holds "<Chinese> <original> (<year>)" in one string.
    combined = clean_title(subject.get("title"))
    trailing_year = _TRAILING_YEAR.search(combined)
    title, original_title = split_title(_TRAILING_YEAR.sub("", combined))
    if not title:
        return None
    is_tv = bool(subject.get("is_tv"))
    minutes = minutes_from_text(subject.get("duration"))
    return DoubanMovie(
        id=subject_id,
        url=subject_url(base_url, subject_id),
        title=title,
        original_title=original_title,
        year=to_int(subject.get("release_year")) or (int(trailing_year.group(1)) if trailing_year else None),
        kind="tv" if is_tv else "movie",
        directors=_strings(subject.get("directors")),
        cast=_strings(subject.get("actors")),
        genres=_strings(subject.get("types")),
        countries=split_list(subject.get("region")),
        runtime_minutes=None if is_tv else minutes,
        episodes=positive(to_int(subject.get("episodes_count"))) if is_tv else None,
        episode_minutes=minutes if is_tv else None,
        rating=positive(to_float(subject.get("rate"))),
    )


def from_suggest(candidate: SuggestCandidate, base_url: str) -> DoubanMovie:
    """A partial card from a suggest entry: title, original title, year, kind and poster."""
    return DoubanMovie(
        id=candidate.id,
        url=subject_url(base_url, candidate.id),
        title=clean_title(candidate.title),
        original_title=_distinct_original(candidate.title, candidate.sub_title),
        year=candidate.year,
        kind="tv" if candidate.is_tv else "movie",
        poster_url=candidate.img or None,
    )


def _distinct_original(title: str, original_title: Any) -> str | None:
    """The original title, unless it is only the Chinese title again (as written: ``喜劇之王`` is the original
    title of ``喜剧之王``, and the desktop page shows it too)."""
    original = clean_title(original_title) if isinstance(original_title, str) else ""
    return original if original and original != clean_title(title) else None


def _strings(values: Any) -> list[str]:
    values = values if isinstance(values, list) else []
    return [text for text in (clean_text(value) for value in values if isinstance(value, str)) if text]


def _people(people: Any) -> list[str]:
    """Names of ``{"name", "latin_name"}`` objects, the Chinese name first."""
    people = people if isinstance(people, list) else []
    names = [person.get("name") or person.get("latin_name") for person in people if isinstance(person, dict)]
    return _strings(names)
