"""为我推荐: movies from the person's own taste (films liked and disliked, by Douban id or title) and mood.

The prompt gets a compact taste summary, never the whole history: the first films of each list that can be named
(clients list the most telling first: favourites and 4-5 star ratings, newest first), each with its year and
genres when Douban's data is at hand, the genres the named liked films share, and the mood. A Douban id is named
by its title from the movie cache, else read from Douban within the request's budget; one Douban will not give
is left out. Ids never go into the prompt. Every liked and disliked film has been seen: none is ever shown.

A title typed in liked or disliked is the person's own words, so it reaches the prompt only when it is one of the
first :data:`LIKED_IN_PROMPT` (or :data:`DISLIKED_IN_PROMPT`) typed titles of its list (:func:`titles_in_prompt`):
exactly the ones WeChat's content check reads. The person's marks kept elsewhere add their Douban ids only (named
by Douban's own titles), never a title typed by hand, which no check has read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import Field

from movierec.douban.models import DoubanMovie
from movierec.modes.base import ContextSources, Mode, RequestBase
from movierec.modes.fields import characters_in_all, is_douban_id, user_text

TasteEntry = user_text(100)
MoodText = user_text(100)

MAX_TASTE_ENTRIES = 200
MAX_TASTE_CHARACTERS = 6_000  # per list: an average of 30 a title

# What the summary may hold: enough for the model to read a taste, small enough for the prompt.
LIKED_IN_PROMPT = 12
DISLIKED_IN_PROMPT = 6
LIKED_CHARACTERS = 700
DISLIKED_CHARACTERS = 350
FAVOURITE_GENRES = 5
GENRES_PER_FILM = 3

_TASTE_DESCRIPTION = (
    f"Douban ids or titles, most telling first (at most {MAX_TASTE_ENTRIES} entries of 100 characters, "
    f"{MAX_TASTE_CHARACTERS} characters in all); the person has seen every one, so none is shown"
)


class ForMeRequest(RequestBase):
    mode: Literal["for_me"]
    liked: Annotated[list[TasteEntry], characters_in_all(MAX_TASTE_CHARACTERS)] = Field(
        default_factory=list,
        max_length=MAX_TASTE_ENTRIES,
        description="Films the person liked: " + _TASTE_DESCRIPTION,
    )
    disliked: Annotated[list[TasteEntry], characters_in_all(MAX_TASTE_CHARACTERS)] = Field(
        default_factory=list,
        max_length=MAX_TASTE_ENTRIES,
        description="Films the person disliked: " + _TASTE_DESCRIPTION,
    )
    mood: MoodText | None = Field(default=None, description="What they feel like now, e.g. 今晚想看点轻松的")

    @property
    def query(self) -> str:
        return self.mood or "为我推荐"


@dataclass(frozen=True)
class TasteFilm:
    """One film of the summary: its title, and its year and genres when Douban's data is at hand."""

    title: str
    year: int | None = None
    genres: tuple[str, ...] = ()

    @classmethod
    def of(cls, movie: DoubanMovie) -> TasteFilm:
        return cls(movie.title, movie.year, tuple(movie.genres[:GENRES_PER_FILM]))

    def described(self) -> str:
        """``盗梦空间（2010，剧情/科幻/悬疑）``, or the title alone."""
        facts = [str(self.year)] if self.year else []
        if self.genres:
            facts.append("/".join(self.genres))
        return f"{self.title}（{'，'.join(facts)}）" if facts else self.title


@dataclass(frozen=True)
class Taste:
    """The taste summary the prompt holds."""

    liked: tuple[TasteFilm, ...] = ()
    disliked: tuple[TasteFilm, ...] = ()
    favourite_genres: tuple[str, ...] = ()


def titles_in_prompt(entries: Iterable[str], most: int) -> list[str]:
    """The typed titles (not Douban ids) of ``entries`` that can reach the prompt: the first ``most`` of them, each
    once. Whatever the ids before them name, no later title ever does."""
    return [entry for entry in dict.fromkeys(entries) if not is_douban_id(entry)][:most]


def _named(
    entries: Iterable[str],
    titles: Iterable[str],
    movie_by_id: Callable[[str], DoubanMovie | None],
    most: int,
    characters: int,
) -> tuple[TasteFilm, ...]:
    """The first films of ``entries`` that can be named, at most ``most`` and ``characters`` of description; a typed
    title only when it is one of ``titles`` (those the content check read)."""
    films: list[TasteFilm] = []
    allowed = set(titles)
    used = 0
    for entry in dict.fromkeys(entries):
        if len(films) == most:
            break
        if is_douban_id(entry):
            movie = movie_by_id(entry)
            if movie is None:
                continue  # not cached and Douban would not say: left out
            film = TasteFilm.of(movie)
        elif entry in allowed:
            film = TasteFilm(entry)
        else:
            continue
        cost = len(film.described())
        if used + cost > characters:
            continue
        films.append(film)
        used += cost
    return tuple(films)


def _liked_titles(request: ForMeRequest) -> list[str]:
    return titles_in_prompt(request.liked, LIKED_IN_PROMPT)


def _disliked_titles(request: ForMeRequest) -> list[str]:
    return titles_in_prompt(request.disliked, DISLIKED_IN_PROMPT)


def gather_taste(request: ForMeRequest, sources: ContextSources) -> Taste:
    """The request's liked and disliked films, then the person's marks kept elsewhere, named and summarised."""
    by_id = sources.movie_by_id
    liked = _named(
        [*request.liked, *sources.marks.liked], _liked_titles(request), by_id, LIKED_IN_PROMPT, LIKED_CHARACTERS
    )
    disliked = _named(
        [*request.disliked, *sources.marks.disliked],
        _disliked_titles(request),
        by_id,
        DISLIKED_IN_PROMPT,
        DISLIKED_CHARACTERS,
    )
    shared = Counter(genre for film in liked for genre in film.genres).most_common(FAVOURITE_GENRES)
    return Taste(liked, disliked, tuple(genre for genre, films in shared if films >= 2))


def _prompt_input(request: ForMeRequest, taste: Taste | None) -> dict[str, object]:
    taste = taste or Taste()
    data: dict[str, object] = {}
    if taste.liked:
        data["喜欢的影片"] = [film.described() for film in taste.liked]
    if taste.favourite_genres:
        data["常看的类型"] = list(taste.favourite_genres)
    if taste.disliked:
        data["不喜欢的影片"] = [film.described() for film in taste.disliked]
    if request.mood:
        data["此刻的心情"] = request.mood
    return data


MODE = Mode(
    request=ForMeRequest,
    instruction=(
        "请根据这位用户的观影口味推荐他没看过的电影：从「喜欢的影片」看出他偏爱的类型、风格、导演和年代，"
        "避开「不喜欢的影片」那一类；有「此刻的心情」时优先契合心情。这些影片他都看过，不要推荐。"
        "没有口味信息时，推荐豆瓣上口碑好的佳作。"
    ),
    prompt_input=_prompt_input,
    gather=gather_taste,
    seen=lambda request: [*request.liked, *request.disliked],
    free_text=("mood", "liked", "disliked"),
    prompt_entries={"liked": _liked_titles, "disliked": _disliked_titles},
    constraint_fields=("mood",),
)
