"""相似主题: movies on a theme, or like a movie the person names ("像《盗梦空间》")."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from movierec.modes.base import Mode, RequestBase, user_text

ThemeText = user_text(200)


class ThemeRequest(RequestBase):
    mode: Literal["theme"]
    theme: ThemeText = Field(description="A theme or a movie to match, e.g. 时间循环")

    @property
    def query(self) -> str:
        return self.theme


MODE = Mode(
    request=ThemeRequest,
    instruction="请推荐与这个主题或参考影片最相近的电影；如果用户提到了某部电影，不要推荐那部电影本身。",
    prompt_input=lambda request, _: {"主题或参考影片": request.theme},
)
