"""Whether a Douban entry may be shown for a request. Pure: models ignore exclusion lists and invent
filmographies, so the rules are enforced here, after the lookup, on Douban's own data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from movierec.douban.matching import name_match, same_title
from movierec.douban.models import DoubanMovie
from movierec.douban.title_keys import TitleName
from movierec.models import MovieStatus
from movierec.modes import RecommendationRequest, mode_of
from movierec.modes.base import split_ids_and_titles

if TYPE_CHECKING:
    from movierec.storage import StoredRequest

# A chain of 换一批 keeps growing the list; the newest entries matter most, and the prompt must stay small.
MAX_AVOID = 400


class Named(Protocol):
    title: str
    original_title: str | None


def names_of(movie: Named) -> list[str]:
    """The titles a movie goes by: its title and, when known, its original title."""
    return [title for title in (movie.title, movie.original_title) if title]


@dataclass(frozen=True)
class Exclusions:
    """What the person must not be shown again: Douban ids, and names read as titles (by their work)."""

    ids: frozenset[str]
    names: Mapping[str, tuple[TitleName, ...]]

    @classmethod
    def from_entries(cls, entries: list[str]) -> Exclusions:
        """From exclude entries: digits are a Douban id, anything else a title as the person typed it (any script,
        with a year ``(2010)``, a region mark, a season...)."""
        ids, titles = split_ids_and_titles(entries)
        names: dict[str, list[TitleName]] = {}
        for title in titles:
            name = TitleName.parse(title)
            if name.work:
                names.setdefault(name.work, []).append(name)
        return cls(frozenset(ids), {work: tuple(same_work) for work, same_work in names.items()})

    def excludes_title(self, title: str | None, year: int | None = None) -> bool:
        """Whether a name the model gave, before any lookup, is one the person named: the same title, and the year
        (given, or written in either name) fitting."""
        name = TitleName.parse(title)
        return any(same_title(seen, None, name, year) for seen in self.names.get(name.work, ()))

    def excludes(self, movie: DoubanMovie) -> bool:
        """Whether this Douban entry is excluded: by its id, or by any of its names (title, original title, every
        又名) being one the person named, or a season, part or film edition of a show they named."""
        if movie.id in self.ids:
            return True
        is_tv = movie.kind == "tv"
        for title in (*names_of(movie), *movie.aka):
            found = TitleName.parse(title)
            for seen in self.names.get(found.work, ()):
                if name_match(seen, seen.year, found, movie.year, is_tv) is not None:
                    return True
        return False


def rejection_reason(request: RecommendationRequest, exclusions: Exclusions, movie: DoubanMovie) -> str | None:
    """Why this Douban entry must not be shown, or None when it may."""
    if exclusions.excludes(movie):
        return "已看过或已推荐过"
    return mode_of(request).rejection(request, movie)


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
