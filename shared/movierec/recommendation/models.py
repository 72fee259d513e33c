"""A recommendation request's payloads: the movies as a poll shows them, the view, a movie card, the queue jobs."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field

from movierec.core.disclosure import AI_LABEL, MODEL_WRITTEN
from movierec.core.models import ErrorInfo, RequestStatus
from movierec.douban.models import DoubanMovie
from movierec.modes import ModeName
from movierec.modes.read_filters import ReadFilter


class MovieStatus(StrEnum):
    PENDING = "pending"
    FOUND = "found"
    NOT_FOUND = "not_found"
    FAILED = "failed"


class MovieEntry(BaseModel):
    """One recommended movie as the mini-program shows it.

    The fields marked `x-ai-generated` a model wrote: `reason` is its own prose, which a client shows labelled
    AI生成 (GB 45438-2025); `title`, `original_title` and `year` are the names it gave, checked against Douban, whose
    own record (`douban`) a found card shows instead. `douban` is Douban's, `note` is ours.
    """

    rank: int = Field(ge=1)
    title: str = Field(description="The title as the model named it", json_schema_extra=MODEL_WRITTEN)
    original_title: str | None = Field(
        default=None, description="The original title as the model named it", json_schema_extra=MODEL_WRITTEN
    )
    year: int | None = Field(
        default=None, description="The release year as the model named it", json_schema_extra=MODEL_WRITTEN
    )
    reason: str = Field(
        default="",
        description=f"Why the model picked it, in its own words: show it labelled {AI_LABEL}. Empty while it is "
        "being written, or when WeChat's content check withheld it",
        json_schema_extra=MODEL_WRITTEN,
    )
    reason_complete: bool = Field(
        default=True, description="False while the model is still writing the reason (a card may be found before)"
    )
    status: MovieStatus = MovieStatus.PENDING
    douban: DoubanMovie | None = None
    source: str | None = Field(
        default=None,
        description="Where the Douban data came from: mobile, abstract, desktop, cache, list (one of Douban's lists, "
        "read by the warm-up), suggest (its search entry alone: partial)",
    )
    partial: bool = Field(default=False, description="Only the search entry was available; completed later")
    note: str | None = Field(default=None, description="Why the movie was not found or failed")


# The fields of a movie a model wrote, as each movie of a poll lists them.
MODEL_WRITTEN_FIELDS = ("title", "original_title", "year", "reason")


class ShownMovie(MovieEntry):
    """A movie as a poll shows it: the stored entry, and which of its fields a model wrote (never stored)."""

    ai_generated: list[str] = Field(
        default_factory=lambda: list(MODEL_WRITTEN_FIELDS),
        description=f"The fields of this movie a model wrote: label them {AI_LABEL} (`douban` is Douban's own data)",
    )


def shown_movies(movies: list[MovieEntry], count: int) -> list[MovieEntry]:
    """The movies up to the `count`-th found one: the model is asked for spares, which the person need not see."""
    found = 0
    for index, movie in enumerate(movies):
        found += movie.status == MovieStatus.FOUND
        if found == count:
            return movies[: index + 1]
    return movies


def answer_is_complete(movies: list[MovieEntry], count: int) -> bool:
    """The first `count` found movies are known with their reasons: nothing before the `count`-th found one is
    still pending, and no found one still waits for the rest of its reason."""
    shown = shown_movies(movies, count)
    found = [movie for movie in shown if movie.status == MovieStatus.FOUND]
    return (
        len(found) == count
        and all(movie.status != MovieStatus.PENDING for movie in shown)
        and all(movie.reason_complete for movie in found)
    )


class SharedResponse(BaseModel):
    id: UUID
    shared: Literal[True] = Field(default=True, description="Anyone with the id may now read the request")


class RecommendationView(BaseModel):
    """What one poll returns."""

    id: UUID
    mode: ModeName
    query: str
    count: int
    status: RequestStatus
    movies: list[ShownMovie]
    error: ErrorInfo | None = None
    read_filters: list[ReadFilter] = Field(
        default_factory=list,
        description="The filters read from the person's own words (the query, a refinement), each with the words it "
        "came from; enforced on Douban's data like `filters`. A field set in `filters` is not read",
    )


class MovieCard(BaseModel):
    """GET /movies/{douban_id}: one Douban entry by its id alone, as a shared movie link shows it."""

    douban: DoubanMovie
    source: str = Field(description="Where the data came from: cache, mobile, abstract, desktop or list")
    partial: bool = Field(
        default=False,
        description="Only part of the card is known yet (Douban's search entry, or a list's card, while Douban cannot "
        "be read now); ask again later",
    )


# --- Queue messages ----------------------------------------------------------------------------------------------


class RecommendJob(BaseModel):
    request_id: UUID
    # The service reads the round from the stored request; in the job it keys idempotency per round.
    top_up: bool = Field(default=False, description="The second round, for a request left short of its count")


class ScrapeJob(BaseModel):
    request_id: UUID
    rank: int = Field(ge=1)
    title: str
    original_title: str | None = None
    year: int | None = None
    refreshes: int = Field(default=0, ge=0, description="> 0: a later try to complete a partial card")
    budget_waits: int = Field(
        default=0, ge=0, description="> 0: looked up again after the Douban budget had no request to spare for it"
    )
    top_up: bool = Field(default=False, description="Named in the top-up round: looked up after the first round's")
