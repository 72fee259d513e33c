"""What movierec knows of one Douban entry, whatever source it was read from."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, field_validator

# The two hosts of Douban's mobile API that serve a person's interests (movierec.douban.interests reads them).
InterestsHost = Literal["rexxar", "frodo"]


class DoubanMovie(BaseModel):
    """One Douban subject. Missing data is ``None`` or ``[]``, never an error."""

    id: str
    url: str
    title: str
    original_title: str | None = None
    year: int | None = None
    kind: Literal["movie", "tv"] = "movie"
    directors: list[str] = Field(default_factory=list)
    writers: list[str] = Field(default_factory=list)
    cast: list[str] = Field(default_factory=list)
    genres: list[str] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)
    release_dates: list[str] = Field(
        default_factory=list, description='As written, e.g. "2010-09-01(中国大陆)", in page order'
    )
    runtime_minutes: int | None = None
    episodes: int | None = None
    episode_minutes: int | None = None
    aka: list[str] = Field(default_factory=list)
    rating: float | None = Field(default=None, description="0-10; None when Douban shows no rating")
    rating_count: int | None = None
    poster_url: str | None = None
    summary: str | None = None
    imdb_id: str | None = None


SUBJECT_TYPES = frozenset({"movie", "tv"})  # a suggest answer also lists people ("celebrity") and other entries


class SuggestCandidate(BaseModel):
    """One entry of ``/j/subject_suggest``: ``sub_title`` is the original title or the Chinese one again.

    A person's entry reads ``{"type": "celebrity", "url": ".../celebrity/<id>/", "title", "sub_title", "img"}``:
    its id is a person's, and never a subject's.
    """

    id: str
    title: str
    sub_title: str = ""
    year: int | None = None
    type: str = "movie"
    episode: str = ""
    img: str | None = None
    url: str = ""

    @field_validator("year", mode="before")
    @classmethod
    def _blank_year_is_none(cls, value: object) -> object:
        return None if value in ("", None) else value

    @property
    def is_tv(self) -> bool:
        return self.type == "tv" or bool(self.episode)

    @property
    def is_subject(self) -> bool:
        """A film or series (a season too), whose id is a ``/subject/<id>/``: the only entries worth reading."""
        return self.type in SUBJECT_TYPES and (not self.url or "/subject/" in self.url)
