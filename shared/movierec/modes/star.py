"""电影明星: a star's or director's films; a film Douban does not credit them in is never shown."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from movierec.douban.models import DoubanMovie
from movierec.douban.title_keys import comparable_text
from movierec.modes.base import Mode, RequestBase
from movierec.modes.fields import user_text

StarName = user_text(50)


class StarRequest(RequestBase):
    mode: Literal["star"]
    star: StarName = Field(description="A star or director, e.g. 周星驰")

    @property
    def query(self) -> str:
        return self.star


def _person_matches(wanted: str, credited: str) -> bool:
    """Douban credits read "周星驰" or "周星驰 Stephen Chow": match the whole credit, or either name in it."""
    wanted_key = comparable_text(wanted)
    names = [credited, *credited.split(" ", 1)]
    return bool(wanted_key) and any(wanted_key == comparable_text(name) for name in names)


def stars_in(movie: DoubanMovie, star: str) -> bool:
    """Whether Douban credits ``star`` as a director or cast member of ``movie``."""
    return any(_person_matches(star, person) for person in (*movie.directors, *movie.cast))


def _not_credited(request: StarRequest, movie: DoubanMovie) -> str | None:
    # Models invent filmographies: the entry's own credits decide.
    return None if stars_in(movie, request.star) else f"豆瓣条目的导演和演员中没有{request.star}"


MODE = Mode(
    request=StarRequest,
    instruction=(
        "请推荐这位演员或导演的代表作。每一部都必须是此人担任导演或主要演员的电影，"
        "没有参与的电影一部都不要列出；按作品质量和知名度排序。"
    ),
    prompt_input=lambda request, _: {"演员或导演": request.star},
    rejection=_not_credited,
    free_text=("star",),
)
