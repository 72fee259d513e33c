"""What the model answers: the movies it names, before any Douban lookup."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class SuggestedMovie(BaseModel):
    """One movie as the LLM names it, before any Douban lookup."""

    model_config = ConfigDict(str_strip_whitespace=True)

    title: str = Field(min_length=1, max_length=200)
    original_title: str | None = Field(default=None, max_length=200)
    year: int | None = Field(default=None, ge=1880, le=2100)
    reason: str = Field(default="", max_length=500)


class LLMAnswer(BaseModel):
    movies: list[SuggestedMovie]
