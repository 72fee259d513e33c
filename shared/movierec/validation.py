"""Naming the field behind a validation problem the way a client wrote it."""

from __future__ import annotations

from typing import Any

from movierec.modes import MODES

_MODES = set(MODES)


def field_name(problem: dict[str, Any]) -> str:
    """`tags.0` for a bad first tag, `count`, or `body` for the body as a whole.

    pydantic's location starts with where the value came from (`body`) and, for the discriminated
    request, the mode that was chosen; neither is a field the client sent.
    """
    if problem.get("type") == "json_invalid":
        return "body"
    location = [str(part) for part in problem.get("loc", ())]
    if location[:1] == ["body"]:
        location = location[1:]
    if len(location) > 1 and location[0] in _MODES:
        location = location[1:]
    return ".".join(location) or "body"
