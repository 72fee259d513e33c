"""The payloads every part of movierec shares: a job's status and the error bodies a client reads."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, Field


class RequestStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ErrorInfo(BaseModel):
    code: str = Field(description="Stable machine-readable code, e.g. llm_unavailable")
    message: str = Field(description="What went wrong, for a person")


class CreatedResponse(BaseModel):
    id: UUID
    status: RequestStatus


class ApiError(BaseModel):
    code: str
    message: str
    details: list[dict[str, str]] = Field(default_factory=list)


class Health(BaseModel):
    status: Literal["ok"] = "ok"
