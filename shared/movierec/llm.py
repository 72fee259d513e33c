"""The chat model behind the `openai` SDK: streams an answer and hands over each movie as it completes.

Works with any OpenAI-compatible API (OpenAI, DeepSeek, Qwen, Moonshot, Ollama, vLLM): how strongly JSON
is requested is a setting, because not every provider supports strict schemas. The SDK retries 429, 5xx
and timeouts with backoff and jitter; what is still failing after that becomes an `LLMError` that a
person can read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import openai

from movierec.answer import MovieStreamParser, parse_answer
from movierec.models import SuggestedMovie
from movierec.prompts import ANSWER_JSON_SCHEMA, CORRECTIVE_PROMPT

JsonMode = Literal["schema", "object", "none"]


class LLMError(Exception):
    """The model could not give an answer; `code` and `message` go to the person as they are."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class LLMResult:
    movies: list[SuggestedMovie] = field(default_factory=list)
    usage: dict[str, int] = field(default_factory=lambda: {"prompt_tokens": 0, "completion_tokens": 0})

    def add_usage(self, usage: Any) -> None:
        if usage is not None:
            self.usage["prompt_tokens"] += usage.prompt_tokens or 0
            self.usage["completion_tokens"] += usage.completion_tokens or 0


def _response_format(mode: JsonMode) -> dict[str, Any] | None:
    if mode == "schema":
        return {"type": "json_schema", "json_schema": ANSWER_JSON_SCHEMA}
    if mode == "object":
        return {"type": "json_object"}
    return None


def _as_llm_error(error: openai.OpenAIError) -> LLMError:
    if isinstance(error, openai.APITimeoutError):
        return LLMError("llm_timeout", "推荐模型响应超时，请稍后再试。")
    if isinstance(error, openai.RateLimitError):
        return LLMError("llm_rate_limited", "推荐模型当前繁忙（请求过多），请稍后再试。")
    if isinstance(error, openai.AuthenticationError | openai.PermissionDeniedError):
        return LLMError("llm_auth", "推荐模型拒绝了服务的凭据，请联系管理员检查 API 密钥。")
    if isinstance(error, openai.APIConnectionError):
        return LLMError("llm_unreachable", "无法连接推荐模型服务，请稍后再试。")
    if isinstance(error, openai.APIStatusError):
        return LLMError("llm_unavailable", f"推荐模型服务出错（HTTP {error.status_code}），请稍后再试。")
    return LLMError("llm_error", "推荐模型调用失败，请稍后再试。")


class LLMClient:
    def __init__(self, client: openai.OpenAI, model: str, json_mode: JsonMode = "object") -> None:
        self._client = client
        self._model = model
        self._json_mode = json_mode

    def recommend(self, messages: list[dict[str, str]], on_movie: Callable[[SuggestedMovie], None]) -> LLMResult:
        """Stream the answer, calling `on_movie` for each valid movie as soon as it is complete.

        An answer from which no movie can be read gets one corrective retry.
        """
        result = LLMResult()
        for attempt in range(2):
            text = self._stream(messages, result, on_movie)
            if result.movies:
                return result
            try:
                movies = parse_answer(text)
                break
            except ValueError as error:
                if attempt == 1:
                    raise LLMError("llm_bad_answer", "推荐模型的回答格式不正确，请稍后再试。") from error
                messages = [
                    *messages,
                    {"role": "assistant", "content": text},
                    {"role": "user", "content": CORRECTIVE_PROMPT},
                ]
        for movie in movies:  # valid JSON the stream reader could not place, e.g. a differently named key
            result.movies.append(movie)
            on_movie(movie)
        if not result.movies:
            raise LLMError("llm_empty", "推荐模型没有给出任何电影，请换个说法再试。")
        return result

    def _stream(
        self, messages: list[dict[str, str]], result: LLMResult, on_movie: Callable[[SuggestedMovie], None]
    ) -> str:
        parser = MovieStreamParser()
        parts: list[str] = []
        request: dict[str, Any] = {
            "model": self._model,
            "messages": messages,
            "stream": True,
            "stream_options": {"include_usage": True},
            "temperature": 0.7,
        }
        response_format = _response_format(self._json_mode)
        if response_format:
            request["response_format"] = response_format
        try:
            for chunk in self._client.chat.completions.create(**request):
                result.add_usage(getattr(chunk, "usage", None))
                for choice in chunk.choices:
                    delta = choice.delta.content if choice.delta else None
                    if not delta:
                        continue
                    parts.append(delta)
                    for movie in parser.feed(delta):
                        result.movies.append(movie)
                        on_movie(movie)
        except openai.OpenAIError as error:
            if not result.movies:
                raise _as_llm_error(error) from error
            # A stream cut off after some movies still gives the person those movies.
        return "".join(parts)
