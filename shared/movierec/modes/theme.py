"""相似主题: movies on a theme, or like a movie: one the person names ("像《盗梦空间》"), or a Douban entry they point
at (`like`, 更多类似 on a card), whose title, year, genres and director the context step reads for the prompt.
That entry itself is never shown."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, ValidationInfo, field_validator

from movierec.douban.models import DoubanMovie
from movierec.modes.base import ContextSources, ContextUnavailable, Mode, RequestBase
from movierec.modes.fields import user_text

ThemeText = user_text(200)
DoubanId = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,12}$")]

# A film the person names to match, as Chinese writes a title: 像《盗梦空间》一样烧脑.
_NAMED_FILM = re.compile(r"《([^《》]+)》")

LIKE_UNREADABLE = "暂时无法从豆瓣读取这部电影的信息，请稍后再试，或直接输入片名或主题。"
LIKE_NOT_FOUND = "豆瓣上没有找到这部电影（条目可能已被删除），换一部电影试试，或直接输入片名或主题。"


class ThemeRequest(RequestBase):
    mode: Literal["theme"]
    # Declared before `theme`, whose check reads it.
    like: DoubanId | None = Field(
        default=None, description="A Douban subject id (更多类似): films like that one, which is itself never shown"
    )
    theme: ThemeText | None = Field(
        default=None,
        validate_default=True,
        description="A theme or a movie to match, e.g. 时间循环 (required unless `like` is given)",
    )

    @field_validator("theme")
    @classmethod
    def _theme_or_like(cls, theme: str | None, info: ValidationInfo) -> str | None:
        # When `like` itself failed, its own error says enough.
        if theme is None and "like" in info.data and info.data["like"] is None:
            raise ValueError("a theme is required unless `like` names a Douban film")
        return theme

    @property
    def query(self) -> str:
        return self.theme or "更多类似"


def described(movie: DoubanMovie) -> str:
    """``盗梦空间（Inception，2010，剧情/科幻/悬疑，导演：克里斯托弗·诺兰）``: what the model needs to know the film."""
    facts = [fact for fact in (movie.original_title, str(movie.year) if movie.year else None) if fact]
    if movie.genres:
        facts.append("/".join(movie.genres[:3]))
    if movie.directors:
        facts.append("导演：" + "、".join(movie.directors[:2]))
    return f"{movie.title}（{'，'.join(facts)}）" if facts else movie.title


def _reference_film(request: ThemeRequest, sources: ContextSources) -> DoubanMovie | None:
    if request.like is None:
        return None
    movie = sources.movie_by_id(request.like)
    if movie is None and request.theme is None:  # nothing left to ask the model about
        if sources.douban_has_no(request.like):
            raise ContextUnavailable("like_not_found", LIKE_NOT_FOUND)  # asking again will not help
        raise ContextUnavailable("like_unavailable", LIKE_UNREADABLE)
    return movie


def _prompt_input(request: ThemeRequest, reference: DoubanMovie | None) -> dict[str, object]:
    data: dict[str, object] = {}
    if request.theme is not None:
        data["主题或参考影片"] = request.theme
    if reference is not None:
        data["参考影片"] = described(reference)
    return data


def _films_named(request: ThemeRequest) -> list[str]:
    """The films the theme names in 《》: the ones to match, so never shown themselves (the model is told so, and
    may name them all the same)."""
    return [title.strip() for title in _NAMED_FILM.findall(request.theme or "") if title.strip()]


def _is_the_reference(request: ThemeRequest, movie: DoubanMovie) -> str | None:
    return "这就是要找相似影片的那一部" if request.like is not None and movie.id == request.like else None


MODE = Mode(
    request=ThemeRequest,
    instruction="请推荐与这个主题或参考影片最相近的电影；如果用户提到了某部电影，不要推荐那部电影本身。",
    prompt_input=_prompt_input,
    gather=_reference_film,
    rejection=_is_the_reference,
    seen=_films_named,
    free_text=("theme",),
    constraint_fields=("theme",),
)
