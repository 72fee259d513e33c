"""What a chat completions request asks of the provider, and which of it a provider refuses. Pure.

Every optional feature of the request is refused somewhere, with a 400 or 422 that names it (the bodies are as
public bug reports of other clients quote them):

- `stream_options` (the usage chunk): Groq "property 'stream_options' is unsupported, did you mean 'stream'?",
  relays "Unknown parameter: 'stream_options'", Mistral 422 `extra_forbidden` at `body.stream_options`;
- `response_format` `json_schema`: DeepSeek "This response_format type is unavailable now" (400, or 422
  "response_format.type `json_schema` is unavailable now"); `json_object`: DashScope and OpenAI "'messages' must
  contain the word 'json' in some form, to use 'response_format' of type 'json_object'", lmdeploy;
- `max_tokens`: OpenAI's reasoning models "Use 'max_completion_tokens' instead"; `max_completion_tokens`:
  Mistral 422 `extra_forbidden`;
- `temperature`: OpenAI's reasoning models "Unsupported value: 'temperature' does not support 0.7 with this
  model. Only the default (1) value is supported.";
- `stream` itself: "Unsupported value: 'stream' does not support true with this model." (o1).

Each feature is then dropped (a schema falls back to `json_object`, `max_tokens` to `max_completion_tokens`),
and remembered for that endpoint and model for the life of the process.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from typing import Any, Literal

from movierec.llm.prompts import ANSWER_JSON_SCHEMA

JsonMode = Literal["schema", "object", "none"]

STREAM = "stream"
STREAM_OPTIONS = "stream_options"
JSON_SCHEMA = "json_schema"
JSON_OBJECT = "json_object"
TEMPERATURE = "temperature"
MAX_TOKENS = "max_tokens"
MAX_COMPLETION_TOKENS = "max_completion_tokens"

# What an error names when it refuses each feature.
_MARKERS = {
    STREAM_OPTIONS: ("stream_options", "include_usage"),
    JSON_SCHEMA: ("response_format", "json_schema"),
    JSON_OBJECT: ("response_format", "json_object"),
    TEMPERATURE: ("temperature",),
    MAX_TOKENS: ("max_tokens",),
    MAX_COMPLETION_TOKENS: ("max_completion_tokens",),
}
# "stream" also appears in "stream_options" and in "did you mean 'stream'?": it counts only when nothing else is named.
_STREAM_WORD = re.compile(r"(?<![a-z_])stream(?![a-z_])")
_JSON_FORMATS: dict[str, tuple[str, ...]] = {"schema": (JSON_SCHEMA, JSON_OBJECT), "object": (JSON_OBJECT,), "none": ()}
_TOKEN_LIMITS = (MAX_TOKENS, MAX_COMPLETION_TOKENS)


@dataclass(frozen=True)
class RequestOptions:
    """What the deployer allows the request to ask for (each feature can be turned off here)."""

    json_mode: JsonMode = "object"
    stream: bool = True
    stream_usage: bool = True  # stream_options.include_usage
    temperature: float | None = 0.7  # None: the provider's default
    max_output_tokens: int = 0  # 0: no limit is sent


@dataclass(frozen=True)
class ChatRequest:
    """The keyword arguments for `chat.completions.create`, and the optional features they use."""

    arguments: dict[str, Any]
    features: frozenset[str]

    @property
    def streamed(self) -> bool:
        return STREAM in self.features


def build_request(
    model: str,
    messages: list[dict[str, str]],
    options: RequestOptions,
    refused: frozenset[str] = frozenset(),
    plain: bool = False,
) -> ChatRequest:
    """The request for `messages`, without what the provider refused; `plain`: without every optional feature
    but streaming (the retry after a 400 that names nothing)."""

    def allowed(feature: str) -> bool:
        return feature not in refused and not plain

    arguments: dict[str, Any] = {"model": model, "messages": messages}
    features: set[str] = set()
    if options.stream and STREAM not in refused:
        arguments["stream"] = True
        features.add(STREAM)
        if options.stream_usage and allowed(STREAM_OPTIONS):
            arguments["stream_options"] = {"include_usage": True}
            features.add(STREAM_OPTIONS)
    if json_format := next((f for f in _JSON_FORMATS[options.json_mode] if allowed(f)), None):
        schema = {JSON_SCHEMA: ANSWER_JSON_SCHEMA} if json_format == JSON_SCHEMA else {}
        arguments["response_format"] = {"type": json_format, **schema}
        features.add(json_format)
    if options.temperature is not None and allowed(TEMPERATURE):
        arguments["temperature"] = options.temperature
        features.add(TEMPERATURE)
    if options.max_output_tokens and (limit := next((name for name in _TOKEN_LIMITS if allowed(name)), None)):
        arguments[limit] = options.max_output_tokens
        features.add(limit)
    return ChatRequest(arguments, frozenset(features))


def refused_features(error_text: str, sent: frozenset[str]) -> frozenset[str]:
    """The features of a request that a 400/422's body and message name (lower-cased text of both)."""
    text = error_text.lower()
    named = {feature for feature in sent - {STREAM} if any(marker in text for marker in _MARKERS[feature])}
    if not named and STREAM in sent and _STREAM_WORD.search(text):
        named.add(STREAM)
    return frozenset(named)


def error_text(message: str, body: object) -> str:
    """An API error's message and body as one text to look for parameter names in."""
    return f"{message} {json.dumps(body, ensure_ascii=False, default=str)}"


@dataclass
class RefusedFeatures:
    """What each endpoint and model has refused, for the life of the process. Safe across threads."""

    _refused: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def of(self, endpoint: str, model: str) -> frozenset[str]:
        with self._lock:
            return self._refused.get((endpoint, model), frozenset())

    def add(self, endpoint: str, model: str, features: frozenset[str]) -> None:
        with self._lock:
            self._refused[(endpoint, model)] = self._refused.get((endpoint, model), frozenset()) | features
