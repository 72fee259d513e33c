"""Whether an HTTP body can be read at all, decided before any parsing: validation would only say "invalid"."""

from __future__ import annotations

from collections.abc import Mapping

from movierec.models import ApiError

# 200 exclude entries of 100 Chinese characters fit with room to spare.
MAX_BODY_CHARACTERS = 64 * 1024
_METHODS_WITH_BODIES = frozenset({"POST", "PUT", "PATCH"})


def unreadable_body(method: str, headers: Mapping[str, str], body: str | None) -> tuple[int, ApiError] | None:
    """The status and error for a body that is not JSON or is too large; None when it may be parsed."""
    if not body or method.upper() not in _METHODS_WITH_BODIES:
        return None
    content_type = next((value for name, value in headers.items() if name.lower() == "content-type"), "")
    if content_type.split(";")[0].strip().lower() != "application/json":
        return 415, ApiError(
            code="unsupported_media_type", message="the body must be JSON (Content-Type: application/json)"
        )
    if len(body) > MAX_BODY_CHARACTERS:
        return 413, ApiError(
            code="payload_too_large", message=f"the body must be at most {MAX_BODY_CHARACTERS} characters"
        )
    return None
