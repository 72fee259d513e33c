"""How real OpenAI-compatible providers behave, for the fake model server: what each refuses, and how it streams.

Each profile follows what the provider's documentation and public bug reports of other clients show (the error
bodies are the providers' own, as quoted there). The fake serves a profile under `/p/<name>/v1`, so that each
profile is an endpoint of its own, as it would be for a deployer.
"""

from __future__ import annotations

import json
import re
from typing import Any, ClassVar

OPENAI_JSON_WORD = (
    "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'."
)
PLACEHOLDER_ANSWER = (
    '{"movies": [{"title": "中文片名", "original_title": "原名", "year": 1994, "reason": "一句推荐理由"}]}'
)
REASONING = f"嗯，用户想要几部电影。先确认输出格式，格式是 {PLACEHOLDER_ANSWER}，每部都要真实存在。好的，开始回答。"


def chunk(payload: dict[str, Any] | None, **base: Any) -> bytes:
    """One SSE frame: `data: <json>`."""
    if payload is None:
        return b"data: null\n\n"
    frame = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0, "model": "fake"} | base | payload
    return f"data: {json.dumps(frame, ensure_ascii=False)}\n\n".encode()


def delta(content: str | None, finish_reason: str | None = None, **fields: Any) -> dict[str, Any]:
    return {"choices": [{"index": 0, "delta": {"content": content, **fields}, "finish_reason": finish_reason}]}


def usage(content: str, reasoning: str = "") -> dict[str, int]:
    completion = max(1, (len(content) + len(reasoning)) // 2)
    return {"prompt_tokens": 100, "completion_tokens": completion, "total_tokens": 100 + completion}


def _error(message: str, **fields: Any) -> dict[str, Any]:
    return {"error": {"message": message, "type": "invalid_request_error", **fields}}


def _mentions_json(body: dict[str, Any]) -> bool:
    return any("json" in str(message.get("content", "")).lower() for message in body.get("messages", []))


def _format_type(body: dict[str, Any]) -> str | None:
    response_format = body.get("response_format")
    return response_format.get("type") if isinstance(response_format, dict) else None


class Provider:
    """The plain OpenAI-compatible behaviour every profile starts from: it refuses nothing."""

    name = "plain"

    def refusal(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]] | None:
        return None

    def content(self, content: str, movies: list[dict[str, Any]] | None) -> str:
        """What the model writes for an answer (a profile may write the movies its own way)."""
        return content

    def reasoning(self) -> str:
        """Thinking sent apart from the content (`reasoning_content`), before it."""
        return ""

    def opening(self) -> list[bytes]:
        return [chunk(delta("", role="assistant"))]

    def piece(self, text: str) -> list[bytes]:
        return [chunk(delta(text))]

    def ending(self, content: str, finish_reason: str, body: dict[str, Any]) -> list[bytes]:
        frames = [chunk({"choices": [{"index": 0, "delta": {}, "finish_reason": finish_reason}]})]
        if body.get("stream_options", {}).get("include_usage"):
            frames.append(chunk({"choices": [], "usage": usage(content, self.reasoning())}))
        return [*frames, b"data: [DONE]\n\n"]

    def message(self, content: str) -> dict[str, Any]:
        """The message of a non-streamed answer."""
        return {"role": "assistant", "content": content}


class OpenAIStrict(Provider):
    """OpenAI: unknown parameters refused, `stream_options` only with `stream`, the word json for `json_object`,
    and a strict JSON schema must be strict (every property required, no additional properties)."""

    name = "openai"
    KNOWN: ClassVar[frozenset[str]] = frozenset(
        {
            "model",
            "messages",
            "stream",
            "stream_options",
            "response_format",
            "temperature",
            "max_tokens",
            "max_completion_tokens",
            "top_p",
            "n",
            "stop",
            "seed",
            "user",
            "presence_penalty",
            "frequency_penalty",
        }
    )

    def refusal(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]] | None:
        unknown = sorted(set(body) - self.KNOWN - {"_authorization"})
        if unknown:
            return 400, _error(f"Unrecognized request argument supplied: {unknown[0]}", param=None, code=None)
        if "stream_options" in body and not body.get("stream"):
            message = "The 'stream_options' parameter is only allowed when 'stream' is enabled."
            return 400, _error(message, param="stream_options", code="invalid_value")
        if _format_type(body) == "json_object" and not _mentions_json(body):
            return 400, _error(OPENAI_JSON_WORD, param="messages", code=None)
        if _format_type(body) == "json_schema" and not _strict_schema(body["response_format"]["json_schema"]["schema"]):
            message = (
                "Invalid schema for response_format 'movie_recommendations': "
                "'additionalProperties' is required to be supplied and to be false."
            )
            return 400, _error(message, param="response_format", code=None)
        return None


def _strict_schema(schema: dict[str, Any]) -> bool:
    if schema.get("type") == "object":
        properties = schema.get("properties", {})
        if schema.get("additionalProperties") is not False or set(schema.get("required", [])) != set(properties):
            return False
        return all(_strict_schema(value) for value in properties.values())
    if schema.get("type") == "array":
        return _strict_schema(schema.get("items", {}))
    return True


class OpenAIReasoning(OpenAIStrict):
    """OpenAI's o1-style reasoning models: no streaming, no temperature but the default, `max_completion_tokens`."""

    name = "openai-reasoning"

    def refusal(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]] | None:
        if body.get("stream"):
            message = (
                "Unsupported value: 'stream' does not support true with this model. "
                "Only the default (false) value is supported."
            )
            return 400, _error(message, param="stream", code="unsupported_value")
        if "temperature" in body and body["temperature"] != 1:
            message = (
                f"Unsupported value: 'temperature' does not support {body['temperature']} with this model. "
                "Only the default (1) value is supported."
            )
            return 400, _error(message, param="temperature", code="unsupported_value")
        if "max_tokens" in body:
            message = (
                "Unsupported parameter: 'max_tokens' is not supported with this model. "
                "Use 'max_completion_tokens' instead."
            )
            return 400, _error(message, param="max_tokens", code="unsupported_parameter")
        return super().refusal(body)


class DeepSeekChat(Provider):
    """DeepSeek: `json_object` but no `json_schema`; SSE keep-alive comments while busy; usage on the last chunk."""

    name = "deepseek-chat"

    def refusal(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]] | None:
        if _format_type(body) == "json_schema":
            return 400, _error("This response_format type is unavailable now", param=None, code="invalid_request_error")
        if _format_type(body) == "json_object" and not _mentions_json(body):
            message = "Prompt must contain the word 'json' in some form to use 'response_format' of type 'json_object'."
            return 400, _error(message, param=None, code="invalid_request_error")
        return None

    def opening(self) -> list[bytes]:
        return [b": keep-alive\n\n", b": keep-alive\n\n", *super().opening()]

    def ending(self, content: str, finish_reason: str, body: dict[str, Any]) -> list[bytes]:
        last = delta("", finish_reason) | {"usage": usage(content, self.reasoning())}
        return [chunk(last), b"data: [DONE]\n\n"]


class DeepSeekReasoner(DeepSeekChat):
    """deepseek-reasoner: its thinking streams first as `reasoning_content`, with the content null."""

    name = "deepseek-reasoner"

    def reasoning(self) -> str:
        return REASONING

    def opening(self) -> list[bytes]:
        thinking = [self.reasoning()[start : start + 16] for start in range(0, len(self.reasoning()), 16)]
        return [*super().opening(), *(chunk(delta(None, reasoning_content=piece)) for piece in thinking)]

    def message(self, content: str) -> dict[str, Any]:
        return super().message(content) | {"reasoning_content": self.reasoning()}


class OllamaR1(Provider):
    """A DeepSeek-R1 distill on Ollama: its thinking, format example and all, inside `<think>` in the content."""

    name = "ollama-r1"

    def content(self, content: str, movies: list[dict[str, Any]] | None) -> str:
        return f"<think>\n{REASONING}\n</think>\n\n{content}"


class Qwen(Provider):
    """DashScope (Qwen): `json_object` needs the word json in the messages (any case); its own error body."""

    name = "qwen"

    def refusal(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]] | None:
        if _format_type(body) == "json_object" and not _mentions_json(body):
            error = {
                "code": "invalid_parameter_error",
                "param": None,
                "type": "invalid_request_error",
                "message": f"<400> InternalError.Algo.InvalidParameter: {OPENAI_JSON_WORD}",
            }
            return 400, {"error": error, "id": "chatcmpl-fake", "request_id": "fake"}
        return None


class Refusing(Provider):
    """A provider that refuses `stream_options` (Groq's 400) and `response_format` (a Mistral-style 422)."""

    name = "refusing"

    def refusal(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]] | None:
        if "stream_options" in body:
            return 400, _error("property 'stream_options' is unsupported, did you mean 'stream'?")
        if "response_format" in body:
            detail = [
                {
                    "type": "extra_forbidden",
                    "loc": ["body", "response_format"],
                    "msg": "Extra inputs are not permitted",
                    "input": body["response_format"],
                }
            ]
            return 422, {
                "object": "error",
                "message": {"detail": detail},
                "type": "invalid_request_error",
                "param": None,
                "code": None,
            }
        return None


class Relay(Provider):
    """A relay (one-api style) between the client and a model: `data: null` frames, `choices: null` and `[]`,
    `delta: null`, fields of its own, and frames written `data:{...}` without the space."""

    name = "relay"

    def opening(self) -> list[bytes]:
        return [chunk({"choices": [], "prompt_filter_results": []}), chunk(None), *super().opening()]

    def piece(self, text: str) -> list[bytes]:
        frame = chunk(delta(text) | {"x_relay": {"upstream": "fake"}, "usage": None}).replace(b"data: ", b"data:", 1)
        return [frame, chunk(None), chunk({"choices": [{"index": 0, "delta": None, "finish_reason": None}]})]

    def ending(self, content: str, finish_reason: str, body: dict[str, Any]) -> list[bytes]:
        finish = chunk({"choices": [{"index": 0, "delta": {}, "finish_reason": finish_reason}]})
        return [finish, chunk(None), chunk({"choices": None, "usage": usage(content)}), b"data: [DONE]\n\n"]


class Sloppy(Provider):
    """A sloppy model: chatter and a code fence around JSON with bare quotes inside Chinese text, trailing commas,
    years as text, titles in 《》 and an original title of "同上"."""

    name = "sloppy"

    def content(self, content: str, movies: list[dict[str, Any]] | None) -> str:
        if movies is None:
            return content
        return f"好的，以下是为你挑选的电影：\n```json\n{sloppy_answer(movies)}\n```\n希望你喜欢！"


def sloppy_answer(movies: list[dict[str, Any]]) -> str:
    """The movies written as a careless model writes them (the reason's quotes left bare, trailing commas)."""
    objects = []
    for movie in movies:
        original = "同上" if movie.get("original_title") in (None, movie["title"]) else movie["original_title"]
        reason = re.sub(r"[\"“”]", "", movie.get("reason", ""))
        objects.append(
            f'  {{"title": "《{movie["title"]}》", "original_title": "{original}", '
            f'"year": "{movie["year"]}年", "reason": "影迷口中"{reason}"的一部",}}'
        )
    return '{"movies": [\n' + ",\n".join(objects) + ",\n]}"


PROFILES: dict[str, Provider] = {
    provider.name: provider
    for provider in (
        Provider(),
        OpenAIStrict(),
        OpenAIReasoning(),
        DeepSeekChat(),
        DeepSeekReasoner(),
        OllamaR1(),
        Qwen(),
        Refusing(),
        Relay(),
        Sloppy(),
    )
}
