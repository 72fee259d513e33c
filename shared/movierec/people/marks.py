"""A person's marks on films (seen, favourite, disliked, with an optional rating), synced between their phones.

The mini-program is offline-first: it keeps its own lists and sends what changed. Each mark is one film and
one status; for each, the mark with the newest `updated_at` (the phone's clock, in ms) wins, and a removal is
a mark with `"deleted": true` that wins the same way, so that every phone learns of it. Pure: the table is
`mark_store`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StringConstraints

from movierec.modes.fields import MovieTitle, WholeNumber

MAX_MARKS_PER_UPLOAD = 200
# A person's marked films (seen, favourite, disliked) go into every request's avoid list: every id, and the newest
# titles for the model's prompt (which must stay small).
MAX_EXCLUDED_IDS = 2000
MAX_EXCLUDED_TITLES = 100

DoubanId = Annotated[str, StringConstraints(pattern=r"^[0-9]{1,12}$")]


class MarkStatus(StrEnum):
    SEEN = "seen"
    FAVOURITE = "favourite"
    DISLIKED = "disliked"


# Every film a person marked is one they know: a favourite is as much theirs as a film seen, so none comes back.
EXCLUDING_STATUSES = frozenset(MarkStatus)


class Mark(BaseModel):
    model_config = ConfigDict(extra="forbid")

    douban_id: DoubanId | None = Field(description="The film's Douban id; null for a title typed by hand")
    title: MovieTitle
    status: MarkStatus
    rating: WholeNumber | None = Field(default=None, ge=1, le=5, description="Stars, 1 to 5")
    updated_at: WholeNumber = Field(ge=0, le=10**14, description="When the person marked it: ms since the epoch")
    deleted: StrictBool = Field(default=False, description="The mark was removed")

    @property
    def key(self) -> str:
        """One film and status: the unit of merging."""
        film = film_key_prefix(self.douban_id) if self.douban_id else f"title:{self.title}#"
        return f"{film}{self.status.value}"


def film_key_prefix(douban_id: str) -> str:
    """What the keys of every mark on Douban film ``douban_id`` begin with (one per status)."""
    return f"douban:{douban_id}#"


class MarksUpload(BaseModel):
    model_config = ConfigDict(extra="forbid")

    marks: list[Mark] = Field(max_length=MAX_MARKS_PER_UPLOAD, description="What changed on this phone")


class MarksPage(BaseModel):
    marks: list[Mark]
    next_since: int | None = Field(
        default=None, description="Pass as `since` next time to get only what changed after this answer (ms)"
    )


def taste_of(marks: list[Mark]) -> tuple[list[str], list[str]]:
    """What a person's marks say of their taste, for the for_me mode: the films they liked (favourites, then 5 and 4
    star ratings) and disliked (不感兴趣, then 1 and 2 star ratings), each as its Douban id (else its title), the
    most telling first and, among equals, the newest."""

    def ranked(order: dict[tuple[MarkStatus, int | None], int]) -> list[str]:
        telling = [mark for mark in marks if not mark.deleted and _strength(mark, order) is not None]
        telling.sort(key=lambda mark: (_strength(mark, order), -mark.updated_at))
        return list(dict.fromkeys(mark.douban_id or mark.title for mark in telling))

    return ranked(_LIKED), ranked(_DISLIKED)


# (status, rating) → how telling, 0 the most. A favourite or 不感兴趣 counts whatever its rating.
_LIKED = {(MarkStatus.FAVOURITE, None): 0, (MarkStatus.SEEN, 5): 1, (MarkStatus.SEEN, 4): 2}
_DISLIKED = {(MarkStatus.DISLIKED, None): 0, (MarkStatus.SEEN, 1): 1, (MarkStatus.SEEN, 2): 2}


def _strength(mark: Mark, order: dict[tuple[MarkStatus, int | None], int]) -> int | None:
    rating = None if mark.status is not MarkStatus.SEEN else mark.rating
    return order.get((mark.status, rating))


def excluded_entries(marks: list[Mark]) -> list[str]:
    """Douban ids and titles of the films a person has marked (seen, favourite, disliked), newest first: entries for a
    request's avoid list (ids enforce the exclusion after the lookup; titles keep the model from naming them, and are
    all there is to exclude a title typed by hand, so those come first)."""
    marked = sorted(
        (mark for mark in marks if mark.status in EXCLUDING_STATUSES and not mark.deleted),
        key=lambda mark: mark.updated_at,
        reverse=True,
    )
    ids = [mark.douban_id for mark in marked if mark.douban_id][:MAX_EXCLUDED_IDS]
    typed = [mark.title for mark in marked if not mark.douban_id]
    named = [mark.title for mark in marked if mark.douban_id]
    titles = list(dict.fromkeys([*typed, *named]))[:MAX_EXCLUDED_TITLES]
    return list(dict.fromkeys([*ids, *titles]))
