"""Reading what a provider sends back, whatever its shape. Pure.

The `openai` SDK builds its objects without validation, so a chunk is whatever the provider sent: relays send
`data: null` (the SDK hands over None), usage chunks with `"choices": null` or `[]`, choices with `"delta": null`,
content that is null or not a string; Groq puts the usage in `x_groq.usage`, Moonshot in the last choice;
reasoning models add `reasoning_content` or `reasoning` beside the content. Each reader here takes any of it and
never raises.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0


@dataclass(frozen=True)
class ChatPart:
    """What one chunk (or one whole response) carries for us: answer text, why it stopped, token usage."""

    content: str = ""
    finish_reason: str | None = None
    usage: Usage | None = None


def _field(value: Any, name: str) -> Any:
    """A field of an SDK object or of a plain dict (fields the SDK does not know stay dicts)."""
    if isinstance(value, Mapping):
        return value.get(name)
    return getattr(value, name, None)


def _count(value: Any) -> int:
    if isinstance(value, bool):
        return 0
    if isinstance(value, int | float):
        return max(0, int(value))
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return 0


def _usage(value: Any) -> Usage | None:
    usage = _field(value, "usage") or _field(_field(value, "x_groq"), "usage")
    if usage is None or isinstance(usage, str | int | float | list):
        return None
    return Usage(_count(_field(usage, "prompt_tokens")), _count(_field(usage, "completion_tokens")))


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):  # content as parts: [{"type": "text", "text": "..."}]
        return "".join(_text(_field(part, "text")) for part in value)
    return ""


def _choices(value: Any) -> list[Any]:
    choices = _field(value, "choices")
    return choices if isinstance(choices, list) else []


def _first_reason(choices: list[Any]) -> str | None:
    reasons = [_field(choice, "finish_reason") for choice in choices]
    return next((reason for reason in reasons if isinstance(reason, str)), None)


def chunk_part(chunk: Any) -> ChatPart:
    """One streamed chunk: the first choice's content (thinking in `reasoning_content` is not content).

    The usage is the chunk's, or (Moonshot) inside its last choice.
    """
    choices = [choice for choice in _choices(chunk) if _field(choice, "index") in (0, None)]
    content = "".join(_text(_field(_field(choice, "delta"), "content")) for choice in choices)
    usage = _usage(chunk) or next(filter(None, map(_usage, choices)), None)
    return ChatPart(content, _first_reason(choices), usage)


def response_part(response: Any) -> ChatPart:
    """A whole (non-streamed) response: the first choice's message content."""
    choices = _choices(response)[:1]
    content = "".join(_text(_field(_field(choice, "message"), "content")) for choice in choices)
    return ChatPart(content, _first_reason(choices), _usage(response))
