"""What the OpenAPI document says alike for many routes: answers, and who may call; and the 202 that starts a job."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from aws_lambda_powertools.event_handler import Response, content_types
from pydantic import BaseModel

from movierec.core.models import ApiError, CreatedResponse, RequestStatus

SIGNED_IN: list[dict[str, list[str]]] = [{"bearer": []}]
PUBLIC: list[dict[str, list[str]]] = [{}]


def answer(status: int, description: str, model: type[BaseModel] = ApiError) -> dict[int, dict[str, Any]]:
    """One documented answer: a JSON body of `model` (an ApiError unless said otherwise)."""
    return {status: {"description": description, "content": {"application/json": {"model": model}}}}


UNAUTHORIZED = answer(401, "No token, or an unknown or expired one: sign in again and retry")
UNREADABLE_BODY = {
    **answer(400, "Body is not UTF-8"),
    **answer(413, "Body too large"),
    **answer(415, "Body is not JSON"),
}
NO_SIGN_IN = answer(404, "This server runs without sign-in (code sign_in_not_configured)")
ANY_ID = answer(422, "Never sent: any id is accepted and an unknown one is a 404")
ACCEPTED = answer(202, "Accepted; poll the id", CreatedResponse)


def accepted(job_id: UUID) -> Response[CreatedResponse]:
    """202 with ``{"id", "status": "pending"}``: the job is queued, and the client polls its id."""
    created = CreatedResponse(id=job_id, status=RequestStatus.PENDING)
    return Response(status_code=202, content_type=content_types.APPLICATION_JSON, body=created)
