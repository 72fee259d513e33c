"""The chat model behind the `openai` SDK: streams an answer and hands over each movie as it completes.

Works with any OpenAI-compatible API (OpenAI, DeepSeek, Qwen, Moonshot, Ollama, vLLM): how strongly JSON
is requested is a setting, because not every provider supports strict schemas. 429, 5xx, timeouts and
connection errors are retried with backoff and jitter (honouring Retry-After) within one total deadline;
what is still failing after that becomes an `LLMError` that a person can read.
"""

from __future__ import annotations

import random
import time
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
        return LLMError("llm_auth", "推荐服务暂时无法使用，我们会尽快修好，请稍后再来。")
    if isinstance(error, openai.APIConnectionError):
        return LLMError("llm_unreachable", "无法连接推荐模型服务，请稍后再试。")
    if isinstance(error, openai.APIStatusError):
        return LLMError("llm_unavailable", f"推荐模型服务出错（HTTP {error.status_code}），请稍后再试。")
    return LLMError("llm_error", "推荐模型调用失败，请稍后再试。")


def _is_retryable(error: openai.OpenAIError) -> bool:
    if isinstance(error, openai.APITimeoutError | openai.APIConnectionError | openai.RateLimitError):
        return True
    return isinstance(error, openai.APIStatusError) and (error.status_code >= 500 or error.status_code == 408)


def _retry_after_seconds(error: openai.OpenAIError) -> float | None:
    response = getattr(error, "response", None)
    try:
        return float(response.headers["retry-after"]) if response is not None else None
    except (KeyError, ValueError):
        return None


class LLMClient:
    def __init__(
        self,
        client: openai.OpenAI,
        model: str,
        json_mode: JsonMode = "object",
        *,
        deadline_seconds: float = 60.0,
        read_timeout_seconds: float = 20.0,
        max_attempts: int = 4,
        backoff_seconds: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        """`client` should not retry by itself (`max_retries=0`): retries here share one deadline."""
        self._client = client
        self._model = model
        self._json_mode = json_mode
        self._deadline_seconds = deadline_seconds
        self._read_timeout_seconds = read_timeout_seconds  # a stalled stream or a hung connection
        self._max_attempts = max_attempts
        self._backoff_seconds = backoff_seconds
        self._sleep = sleep
        self._clock = clock
        self._jitter = jitter

    def recommend(self, messages: list[dict[str, str]], on_movie: Callable[[SuggestedMovie], None]) -> LLMResult:
        """Stream the answer, calling `on_movie` for each valid movie as soon as it is complete.

        An answer from which no movie can be read gets one corrective retry.
        """
        result = LLMResult()
        deadline = self._clock() + self._deadline_seconds
        for attempt in range(2):
            text = self._stream_with_retries(messages, result, on_movie, deadline)
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

    def _stream_with_retries(
        self,
        messages: list[dict[str, str]],
        result: LLMResult,
        on_movie: Callable[[SuggestedMovie], None],
        deadline: float,
    ) -> str:
        attempt = 0
        while True:
            attempt += 1
            movies_before = len(result.movies)
            try:
                timeout = max(0.1, min(self._read_timeout_seconds, deadline - self._clock()))
                return self._stream(messages, result, on_movie, timeout=timeout, deadline=deadline)
            except openai.OpenAIError as error:
                if len(result.movies) > movies_before:
                    return ""  # a stream cut off after some movies still gives the person those movies
                wait = _retry_after_seconds(error) or self._backoff_seconds * 2 ** (attempt - 1) * (
                    0.5 + self._jitter()
                )
                if not _is_retryable(error) or attempt >= self._max_attempts or self._clock() + wait >= deadline:
                    raise _as_llm_error(error) from error
                self._sleep(wait)

    def _stream(
        self,
        messages: list[dict[str, str]],
        result: LLMResult,
        on_movie: Callable[[SuggestedMovie], None],
        timeout: float,
        deadline: float,
    ) -> str:
        """The answer's text; a stream still going at the deadline is cut there (its movies so far stand)."""
        parser = MovieStreamParser()
        parts: list[str] = []
        request: dict[str, Any] = {
            "model": self._model,
            "messages": messages,
            "stream": True,
            "stream_options": {"include_usage": True},
            "temperature": 0.7,
            "timeout": timeout,
        }
        response_format = _response_format(self._json_mode)
        if response_format:
            request["response_format"] = response_format
        stream = self._client.chat.completions.create(**request)
        for chunk in stream:
            if self._clock() > deadline:
                stream.close()
                break
            result.add_usage(getattr(chunk, "usage", None))
            for choice in chunk.choices:
                delta = choice.delta.content if choice.delta else None
                if not delta:
                    continue
                parts.append(delta)
                for movie in parser.feed(delta):
                    result.movies.append(movie)
                    on_movie(movie)
        return "".join(parts)
