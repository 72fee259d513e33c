"""What the OpenAPI document says alike for many routes: answers, and who may call."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from movierec.core.models import ApiError

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
