"""Whether a Douban entry may be shown for a request. Pure: models ignore exclusion lists and invent
filmographies, so the rules are enforced here, after the lookup, on Douban's own data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from movierec.douban.matching import name_match, same_title
from movierec.douban.models import DoubanMovie
from movierec.douban.title_keys import TitleName
from movierec.modes import RecommendationRequest, mode_of
from movierec.modes.fields import split_ids_and_titles
from movierec.modes.filters import failed_filter
from movierec.recommendation.models import MovieStatus

if TYPE_CHECKING:
    from movierec.recommendation.storage import FullRequest

# What a request inherits from the one before it (换一批, refine), at most: with the person's whole exclude list
# (2,000 entries of 30,000 characters at most), it keeps the stored request within DynamoDB's 400 KB item.
MAX_INHERITED = 400
MAX_INHERITED_CHARACTERS = 10_000


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


def exclusions_for(request: RecommendationRequest, avoid: list[str]) -> Exclusions:
    """What a request must never show: its stored avoid list (the exclude list and the previous request's movies)
    and what its mode knows the person has seen (for_me's liked and disliked films)."""
    return _exclusions((*avoid, *mode_of(request).seen(request)))


@lru_cache(maxsize=64)
def _exclusions(entries: tuple[str, ...]) -> Exclusions:
    """Read once per request and worker instance: each of a request's movies is judged against the same 2,000
    entries, and reading them (their titles' keys) is most of what judging costs."""
    return Exclusions.from_entries(list(entries))


def rejection_reason(
    request: RecommendationRequest, exclusions: Exclusions, movie: DoubanMovie, partial: bool = False
) -> str | None:
    """Why this Douban entry must not be shown (Chinese, for the card's note), or None when it may: seen or shown
    before, its mode's rule, then the request's filters (`partial`: the card is Douban's search entry alone)."""
    if exclusions.excludes(movie):
        return "已看过或已推荐过"
    return mode_of(request).rejection(request, movie) or failed_filter(request.filters, movie, partial)


def avoid_list(request: RecommendationRequest, previous: FullRequest | None) -> list[str]:
    """The person's exclude list, whole, then what the previous request named or showed and avoided (换一批).

    A chain of 换一批 keeps adding its requests' movies: of those, the newest are kept, within
    :data:`MAX_INHERITED` entries and :data:`MAX_INHERITED_CHARACTERS`.
    """
    own = list(dict.fromkeys(request.exclude))
    if previous is None:
        return own
    inherited: list[str] = []
    for movie in previous.stored.movies:
        inherited.append(movie.title)
        if movie.status == MovieStatus.FOUND and movie.douban:
            inherited.append(movie.douban.id)
    earlier = previous.inputs.parsed_request
    inherited.extend([*previous.inputs.avoid, *mode_of(earlier).seen(earlier)])
    mine = set(own)
    kept: list[str] = []
    characters = 0
    for entry in dict.fromkeys(inherited):
        if entry in mine:
            continue
        characters += len(entry)
        if len(kept) == MAX_INHERITED or characters > MAX_INHERITED_CHARACTERS:
            break
        kept.append(entry)
    return [*own, *kept]
