"""Every payload movierec accepts, stores, sends or answers, as pydantic models."""

from __future__ import annotations

import unicodedata
from enum import StrEnum
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from movierec.douban.models import DoubanMovie


def _reject_control_characters(value: str) -> str:
    if any(unicodedata.category(char) == "Cc" for char in value):
        raise ValueError("must not contain control characters")
    return value


def _text(max_length: int) -> type[str]:
    """A user-typed string: trimmed, not blank, bounded, printable."""
    return Annotated[  # type: ignore[return-value]
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length),
        AfterValidator(_reject_control_characters),
    ]


def _no_fractions_or_text(value: object) -> object:
    """`8.0`, `"8"` and `true` are not counts; stored Decimals (DynamoDB's numbers) still are."""
    if isinstance(value, bool | float | str):
        raise ValueError("must be a whole number")
    return value


WholeNumber = Annotated[int, BeforeValidator(_no_fractions_or_text)]

Tag = _text(20)
ThemeText = _text(200)
StarName = _text(50)
ExcludeEntry = _text(100)
MovieTitle = _text(100)

MAX_EXCLUDE = 200


class Mode(StrEnum):
    TAGS = "tags"
    THEME = "theme"
    STAR = "star"


class _RequestBase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    count: WholeNumber = Field(default=8, ge=1, le=20, description="How many movies to show")
    exclude: list[ExcludeEntry] = Field(
        default_factory=list, max_length=MAX_EXCLUDE, description="Douban ids or titles the person has already seen"
    )
    previous: UUID | None = Field(default=None, description="An earlier request (换一批): its movies are excluded too")


class TagsRequest(_RequestBase):
    mode: Literal["tags"]
    tags: list[Tag] = Field(min_length=1, max_length=8, description="Interest tags, e.g. 科幻, 悬疑")

    @property
    def query(self) -> str:
        return "、".join(self.tags)


class ThemeRequest(_RequestBase):
    mode: Literal["theme"]
    theme: ThemeText = Field(description="A theme or a movie to match, e.g. 时间循环")

    @property
    def query(self) -> str:
        return self.theme


class StarRequest(_RequestBase):
    mode: Literal["star"]
    star: StarName = Field(description="A star or director, e.g. 周星驰")

    @property
    def query(self) -> str:
        return self.star


RecommendationRequest = Annotated[TagsRequest | ThemeRequest | StarRequest, Field(discriminator="mode")]


class RequestStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class MovieStatus(StrEnum):
    PENDING = "pending"
    FOUND = "found"
    NOT_FOUND = "not_found"
    FAILED = "failed"


class ErrorInfo(BaseModel):
    code: str = Field(description="Stable machine-readable code, e.g. llm_unavailable")
    message: str = Field(description="What went wrong, for a person")


class MovieEntry(BaseModel):
    """One recommended movie as the mini-program shows it."""

    rank: int = Field(ge=1)
    title: str
    original_title: str | None = None
    year: int | None = None
    reason: str = ""
    reason_complete: bool = Field(
        default=True, description="False while the model is still writing the reason (a card may be found before)"
    )
    status: MovieStatus = MovieStatus.PENDING
    douban: DoubanMovie | None = None
    source: str | None = Field(default=None, description="Where the Douban data came from: cache, desktop, mobile …")
    partial: bool = Field(default=False, description="Only the search entry was available; completed later")
    note: str | None = Field(default=None, description="Why the movie was not found or failed")


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


class CreatedResponse(BaseModel):
    id: UUID
    status: RequestStatus


class RecommendationView(BaseModel):
    """What one poll returns."""

    id: UUID
    mode: Mode
    query: str
    count: int
    status: RequestStatus
    movies: list[MovieEntry]
    error: ErrorInfo | None = None


class MovieCard(BaseModel):
    """GET /movies/{douban_id}: one Douban entry by its id alone, as a shared movie link shows it."""

    douban: DoubanMovie
    source: str = Field(description="Where the data came from: cache, desktop, mobile or abstract")
    partial: bool = Field(
        default=False, description="Only Douban's search entry is known yet (Douban blocking); ask again later"
    )


class ApiError(BaseModel):
    code: str
    message: str
    details: list[dict[str, str]] = Field(default_factory=list)


class Health(BaseModel):
    status: Literal["ok"] = "ok"


# --- What the model answers ---------------------------------------------------------------------------------


class SuggestedMovie(BaseModel):
    """One movie as the LLM names it, before any Douban lookup."""

    model_config = ConfigDict(str_strip_whitespace=True)

    title: str = Field(min_length=1, max_length=200)
    original_title: str | None = Field(default=None, max_length=200)
    year: int | None = Field(default=None, ge=1880, le=2100)
    reason: str = Field(default="", max_length=500)


class LLMAnswer(BaseModel):
    movies: list[SuggestedMovie]


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
