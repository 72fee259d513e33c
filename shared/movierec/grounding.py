"""Whether a Douban entry may be shown for a request. Pure: models ignore exclusion lists and invent
filmographies, so the rules are enforced here, after the lookup, on Douban's own data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from movierec.douban.matching import normalize_title
from movierec.douban.models import DoubanMovie
from movierec.models import MovieStatus, RecommendationRequest, StarRequest

if TYPE_CHECKING:
    from movierec.storage import StoredRequest

# A chain of 换一批 keeps growing the list; the newest entries matter most, and the prompt must stay small.
MAX_AVOID = 400


def split_ids_and_titles(entries: list[str]) -> tuple[list[str], list[str]]:
    """An exclude entry made of digits is a Douban id; anything else is a title."""
    return [e for e in entries if e.isdigit()], [e for e in entries if not e.isdigit()]


class Named(Protocol):
    title: str
    original_title: str | None


def names_of(movie: Named) -> list[str]:
    """The titles a movie goes by: its title and, when known, its original title."""
    return [title for title in (movie.title, movie.original_title) if title]


@dataclass(frozen=True)
class Exclusions:
    """What the person must not be shown again: Douban ids and normalised titles."""

    ids: frozenset[str]
    titles: frozenset[str]

    @classmethod
    def from_entries(cls, entries: list[str]) -> Exclusions:
        ids, titles = split_ids_and_titles(entries)
        normalized = {normalize_title(title) for title in titles}
        return cls(frozenset(ids), frozenset(title for title in normalized if title))

    def excludes_title(self, title: str | None) -> bool:
        return bool(title) and normalize_title(title) in self.titles

    def excludes(self, movie: DoubanMovie) -> bool:
        return movie.id in self.ids or any(self.excludes_title(title) for title in (*names_of(movie), *movie.aka))


def _person_matches(wanted: str, credited: str) -> bool:
    """Douban credits read "周星驰" or "周星驰 Stephen Chow": match the whole credit, or either name in it."""
    wanted_key = normalize_title(wanted)
    names = [credited, *credited.split(" ", 1)]
    return any(wanted_key == normalize_title(name) for name in names)


def stars_in(movie: DoubanMovie, star: str) -> bool:
    return any(_person_matches(star, person) for person in (*movie.directors, *movie.cast))


def rejection_reason(request: RecommendationRequest, exclusions: Exclusions, movie: DoubanMovie) -> str | None:
    """Why this Douban entry must not be shown, or None when it may."""
    if exclusions.excludes(movie):
        return "已看过或已推荐过"
    if isinstance(request, StarRequest) and not stars_in(movie, request.star):
        return f"豆瓣条目的导演和演员中没有{request.star}"
    return None


def avoid_list(request: RecommendationRequest, previous: StoredRequest | None) -> list[str]:
    """The person's exclude list plus everything the previous request named or showed (换一批)."""
    avoid = list(request.exclude)
    if previous is not None:
        for movie in previous.movies:
            avoid.append(movie.title)
            if movie.status == MovieStatus.FOUND and movie.douban:
                avoid.append(movie.douban.id)
        avoid.extend(previous.avoid)
    return list(dict.fromkeys(avoid))[:MAX_AVOID]
