"""What a report says, and what the API answers. Pure."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Self
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from movierec.modes.fields import user_text

# The words a person adds to a report: one msgSecCheck call, and a screen of text for the operator.
MAX_TEXT_LENGTH = 200


class FeedbackKind(StrEnum):
    WRONG_REASON = "wrong_reason"  # 推荐理由与电影不符（说错了剧情、演员……）
    OFFENSIVE = "offensive"  # 内容不当：冒犯、低俗、违法
    NOT_FITTING = "not_fitting"  # 这部电影不符合我的要求
    OTHER = "other"  # 其他，见补充说明


class FeedbackRequest(BaseModel):
    """POST /feedback: a card of a recommendation (`request_id` and `rank`), or a movie page opened by its Douban id
    alone (`douban_id`)."""

    model_config = ConfigDict(extra="forbid")

    kind: FeedbackKind = Field(description="What is wrong: wrong_reason, offensive, not_fitting or other")
    request_id: UUID | None = Field(default=None, description="The recommendation request the card belongs to")
    rank: int | None = Field(default=None, ge=1, le=100, description="The card's rank in that request")
    douban_id: Annotated[str, StringConstraints(pattern=r"^\d{1,12}$")] | None = Field(
        default=None, description="The movie's Douban id (alone: a movie page opened by its id)"
    )
    text: user_text(MAX_TEXT_LENGTH) | None = Field(  # type: ignore[valid-type]
        default=None,
        description=f"The person's own words (≤{MAX_TEXT_LENGTH} characters, checked by WeChat); needed for `other`",
    )

    @model_validator(mode="after")
    def _names_what_is_reported(self) -> Self:
        if (self.request_id is None) != (self.rank is None):
            raise ValueError("request_id and rank go together: the card of a recommendation")
        if self.request_id is None and self.douban_id is None:
            raise ValueError("name the card (request_id and rank) or the movie (douban_id)")
        if self.kind == FeedbackKind.OTHER and not self.text:
            raise ValueError("text: say what is wrong (kind other)")
        return self


class FeedbackReceipt(BaseModel):
    id: str = Field(description="The report's id, for the operator")
    hidden: bool = Field(description="The reported card is hidden from the reporter's polls of its request from now on")
