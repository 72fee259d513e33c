"""兴趣标签: movies for a few interest tags, e.g. 科幻, 悬疑."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from movierec.modes.base import Mode, RequestBase
from movierec.modes.fields import user_text

Tag = user_text(20)


class TagsRequest(RequestBase):
    mode: Literal["tags"]
    tags: list[Tag] = Field(min_length=1, max_length=8, description="Interest tags, e.g. 科幻, 悬疑")

    @property
    def query(self) -> str:
        return "、".join(self.tags)


MODE = Mode(
    request=TagsRequest,
    instruction="请推荐最符合这些兴趣标签的电影，优先同时符合多个标签的影片，兼顾经典与近年的佳作。",
    prompt_input=lambda request, _: {"兴趣标签": request.tags},
    free_text=("tags",),
    constraint_fields=("tags",),
)
