"""Whether an HTTP body can be read at all, decided before any parsing: validation would only say "invalid"."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from typing import Any

from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError

from movierec.core.models import ApiError

# Every list of a request at its limit (exclude: 30,000 characters; liked and disliked: 6,000 each) fits, even with
# each character written as a JSON \uXXXX escape (six characters), as some clients' JSON encoders do.
MAX_BODY_CHARACTERS = 512 * 1024
# A history file travels in the body of POST /imports. Lambda takes at most 6 MB per invocation, and the event holds
# the body as a JSON string (its quotes and backslashes escaped once more): 2.5 MB of body stays within it, doubled.
MAX_IMPORT_BODY_BYTES = 5 * 1024 * 1024 // 2
IMPORT_PATH = "/imports"
_METHODS_WITH_BODIES = frozenset({"POST", "PUT", "PATCH"})


def unreadable_body(
    method: str, headers: Mapping[str, str], body: str | None, is_base64: bool = False, path: str = ""
) -> tuple[int, ApiError] | None:
    """The status and error for a body that is not UTF-8 JSON or is too large; None when it may be parsed."""
    if not body or method.upper() not in _METHODS_WITH_BODIES:
        return None
    content_type = next((value for name, value in headers.items() if name.lower() == "content-type"), "")
    media_type, _, parameters = content_type.partition(";")
    charset = parameters.strip().lower().removeprefix("charset=").strip('"') or "utf-8"
    if media_type.strip().lower() != "application/json" or charset not in ("utf-8", "utf8"):
        return 415, ApiError(
            code="unsupported_media_type", message="the body must be UTF-8 JSON (Content-Type: application/json)"
        )
    if too_large := _too_large(body, path):
        return 413, too_large
    if is_base64 and not _is_utf8_base64(body):
        return 400, ApiError(
            code="invalid_request",
            message="body: must be UTF-8 JSON",
            details=[{"field": "body", "message": "must be UTF-8 JSON"}],
        )
    return None


def _too_large(body: str, path: str) -> ApiError | None:
    if path.rstrip("/") == IMPORT_PATH:
        # A character is at least one byte: only a body near the limit is encoded to count its bytes.
        if len(body) > MAX_IMPORT_BODY_BYTES or len(body.encode("utf-8")) > MAX_IMPORT_BODY_BYTES:
            return ApiError(
                code="payload_too_large",
                message=f"the body must be at most {MAX_IMPORT_BODY_BYTES:,} bytes (2.5 MB; a file sent as base64 "
                "grows by a third, so at most about 1.9 MB)",
            )
        return None
    if len(body) > MAX_BODY_CHARACTERS:
        return ApiError(code="payload_too_large", message=f"the body must be at most {MAX_BODY_CHARACTERS} characters")
    return None


def _is_utf8_base64(body: str) -> bool:
    """API Gateway hands over bytes that are not text base64-encoded."""
    try:
        base64.b64decode(body, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return False
    return True


def parse_json_body(body: str) -> Any:
    """The body as JSON, for the resolver (its ``json_body_deserializer``). Raises RequestValidationError (a 422 naming
    ``body``) for JSON nested deeper than the parser follows (50,000 ``[`` fit in a body of 512 KiB): Python's parser
    raises RecursionError there, which no client should turn into a 502. Malformed JSON raises JSONDecodeError, which
    the resolver's validation answers itself."""
    try:
        return json.loads(body)
    except RecursionError:
        problem = {"type": "json_invalid", "loc": ("body",), "msg": "JSON nested too deeply to read", "input": {}}
        raise RequestValidationError([problem]) from None
