"""Turning validation problems into what a client reads: the field named the way the client wrote it, the rule in
plain words, and a bounded list (one bad list of 2,000 entries must not answer 2,000 problems)."""

from __future__ import annotations

from typing import Any

from movierec.modes import MODES

_MODES = set(MODES)

MAX_DETAILS = 20  # problems listed in `details`
PROBLEMS_IN_MESSAGE = 3  # problems the one-line `message` names
# What pydantic puts before the text of a validator's own ValueError or assertion: no client needs it.
_PYDANTIC_PREFIXES = ("Value error, ", "Assertion failed, ")


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


def problem_text(problem: dict[str, Any]) -> str:
    """The rule a value broke, as its check words it (``needs `previous`: …``, not ``Value error, needs …``)."""
    message = str(problem.get("msg", ""))
    for prefix in _PYDANTIC_PREFIXES:
        message = message.removeprefix(prefix)
    return message


def problem_details(problems: list[dict[str, Any]]) -> list[dict[str, str]]:
    """``[{"field", "message"}]`` for the first :data:`MAX_DETAILS` problems."""
    return [{"field": field_name(problem), "message": problem_text(problem)} for problem in problems[:MAX_DETAILS]]


def problems_summary(details: list[dict[str, str]], total: int | None = None) -> str:
    """One short line: the first few problems, then how many more there are (``total``: all of them, listed or
    not; the details' own number by default)."""
    total = len(details) if total is None else total
    named = "; ".join(f"{detail['field']}: {detail['message']}" for detail in details[:PROBLEMS_IN_MESSAGE])
    more = total - min(len(details), PROBLEMS_IN_MESSAGE)
    return f"{named}; …and {more} more" if more > 0 else named
