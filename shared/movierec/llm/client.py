"""The chat model behind the `openai` SDK: streams an answer and hands over each movie as it is named and completed.

Works with any OpenAI-compatible API (OpenAI, DeepSeek, Qwen, Moonshot, Zhipu, SiliconFlow, Ollama, vLLM) with
no setting beyond base URL, key and model: a request feature the provider refuses is dropped and remembered
(`movierec.llm.chat_request`), a provider that will not stream is asked once without streaming, chunks of any shape
are read (`movierec.llm.chat_chunks`) and so is any answer a model writes (`movierec.llm.answer_stream`). 429, 5xx,
timeouts and broken connections are retried with backoff and jitter (honouring Retry-After) within one total
deadline. Every failure of the model or of its answer becomes an `LLMError` that a person can read.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import openai

from movierec.core.observability import logger
from movierec.llm.answer import SuggestedMovie
from movierec.llm.answer_stream import AnswerReader, StreamedMovie
from movierec.llm.chat_chunks import Usage, chunk_part, response_part
from movierec.llm.chat_request import (
    STREAM,
    ChatRequest,
    RefusedFeatures,
    RequestOptions,
    build_request,
    error_text,
    refused_features,
)
from movierec.llm.prompts import CORRECTIVE_PROMPT

OnMovie = Callable[[StreamedMovie], None]
OnReading = Callable[[Any], None]

GENERIC_FAILURE = ("llm_error", "推荐模型调用失败，请稍后再试。")
# A call whose provider reports no usage (it refused `stream_options`, or a relay dropped the usage) is counted by its
# characters, so that people's daily token budgets still hold: DeepSeek's tokenizer reads our prompts at about 1.75
# characters a token (make bench: 5,600 characters, 3,200 tokens).
CHARACTERS_PER_TOKEN = 1.75


class LLMError(Exception):
    """The model could not give an answer; `code` and `message` go to the person as they are."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class LLMResult:
    """Every movie read (complete or only named), in the model's order, and the tokens the calls used."""

    movies: list[SuggestedMovie] = field(default_factory=list)
    usage: dict[str, int] = field(default_factory=lambda: {"prompt_tokens": 0, "completion_tokens": 0})
    truncated: bool = False  # the answer was cut (length limit, broken stream, deadline): movies may be missing


class _ListenerFailed(Exception):
    """The caller's own `on_movie` failed (e.g. its storage): that is no failure of the model, and is re-raised."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


@dataclass
class _Answer:
    """One `recommend` call's progress across its requests."""

    on_movie: OnMovie
    deadline: float
    on_reading: OnReading | None = None
    movies: dict[int, SuggestedMovie] = field(default_factory=dict)  # position → latest version
    usage: Usage = field(default_factory=Usage)
    truncated: bool = False
    reading_handed: bool = False  # once per call: a later attempt's reading comes after movies were judged

    def hand_over(self, reader: AnswerReader, streamed: list[StreamedMovie]) -> None:
        """The model's reading first (once known, and once per call), then the movies."""
        if reader.reading_known and not self.reading_handed:
            self.reading_handed = True
            if reader.reading is not None and self.on_reading is not None:
                try:
                    self.on_reading(reader.reading)
                except Exception as error:
                    raise _ListenerFailed(error) from error
        for movie in streamed:
            self.movies[movie.position] = movie.movie
            try:
                self.on_movie(movie)
            except Exception as error:
                raise _ListenerFailed(error) from error

    def add_usage(self, usage: Usage | None) -> None:
        if usage is not None:
            self.usage = Usage(
                self.usage.prompt_tokens + usage.prompt_tokens, self.usage.completion_tokens + usage.completion_tokens
            )

    def result(self) -> LLMResult:
        return LLMResult(
            movies=[self.movies[position] for position in sorted(self.movies)],
            usage={"prompt_tokens": self.usage.prompt_tokens, "completion_tokens": self.usage.completion_tokens},
            truncated=self.truncated,
        )


def _as_llm_error(error: Exception) -> LLMError:
    if isinstance(error, LLMError):
        return error
    if isinstance(error, openai.APITimeoutError):
        return LLMError("llm_timeout", "推荐模型响应超时，请稍后再试。")
    if isinstance(error, openai.RateLimitError):
        return LLMError("llm_rate_limited", "推荐模型当前繁忙（请求过多），请稍后再试。")
    if isinstance(error, openai.AuthenticationError | openai.PermissionDeniedError):
        return LLMError("llm_auth", "推荐服务暂时无法使用，我们会尽快修好，请稍后再来。")
    if isinstance(error, openai.APIConnectionError):
        return LLMError("llm_unreachable", "无法连接推荐模型服务，请稍后再试。")
    if isinstance(error, openai.APIStatusError) and error.status_code in (400, 422):
        return LLMError("llm_rejected", f"推荐模型拒绝了这次请求（HTTP {error.status_code}），请换个说法或稍后再试。")
    if isinstance(error, openai.APIStatusError):
        return LLMError("llm_unavailable", f"推荐模型服务出错（HTTP {error.status_code}），请稍后再试。")
    return LLMError(*GENERIC_FAILURE)


def _is_retryable(error: Exception) -> bool:
    if isinstance(error, openai.APIStatusError):
        return error.status_code >= 500 or error.status_code in (408, 429)
    # Timeouts, broken connections, an error event mid-stream, a frame that is not JSON: worth another try.
    return not isinstance(error, LLMError)


def _retry_after_seconds(error: Exception) -> float | None:
    response = getattr(error, "response", None)
    try:
        return float(response.headers["retry-after"]) if response is not None else None
    except (KeyError, ValueError):
        return None


def _is_refusal(error: Exception) -> bool:
    return isinstance(error, openai.APIStatusError) and error.status_code in (400, 422)


class LLMClient:
    def __init__(
        self,
        client: openai.OpenAI,
        model: str,
        options: RequestOptions | None = None,
        *,
        refused: RefusedFeatures | None = None,
        deadline_seconds: float = 60.0,
        read_timeout_seconds: float = 20.0,
        max_attempts: int = 4,
        backoff_seconds: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        """`client` should not retry by itself (`max_retries=0`): retries here share one deadline.

        `refused` remembers what the provider refused; share one per process so that it is learnt once.
        """
        self._client = client
        self._model = model
        self._options = options or RequestOptions()
        self._refused = refused or RefusedFeatures()
        self._endpoint = str(client.base_url).rstrip("/")
        self._deadline_seconds = deadline_seconds
        self._read_timeout_seconds = read_timeout_seconds  # a stalled stream or a hung connection
        self._max_attempts = max_attempts
        self._backoff_seconds = backoff_seconds
        self._sleep = sleep
        self._clock = clock
        self._jitter = jitter

    def recommend(
        self, messages: list[dict[str, str]], on_movie: OnMovie, on_reading: OnReading | None = None
    ) -> LLMResult:
        """Stream the answer, calling `on_movie` for each movie when its title and year are known (`complete`
        False) and when its whole object is (`complete` True); a movie may arrive complete at once. `on_reading`
        gets the model's reading of the person's words (the answer's ``filters``, raw) before the first movie, when
        the model wrote one before its movies.

        An answer from which no movie can be read gets one corrective retry. Raises `LLMError` for every failure
        of the model or of its answer, and nothing else but what `on_movie` itself raises.
        """
        try:
            return self._recommend(messages, _Answer(on_movie, self._clock() + self._deadline_seconds, on_reading))
        except _ListenerFailed as failed:
            # The caller's own failure, for the caller to handle (e.g. a job that SQS delivers again).
            raise failed.error from failed.error.__cause__
        except LLMError:
            raise
        except Exception as error:
            logger.exception("the model's answer could not be read")
            raise LLMError(*GENERIC_FAILURE) from error

    def _recommend(self, messages: list[dict[str, str]], answer: _Answer) -> LLMResult:
        for attempt in range(2):
            reader = self._answer_with_retries(messages, answer)
            if answer.movies:
                return answer.result()
            if reader.answer_closed:
                raise LLMError("llm_empty", "推荐模型没有给出任何电影，请换个说法再试。")
            if attempt == 0:
                messages = _corrected(messages, reader.text)
        if answer.truncated:
            raise LLMError("llm_truncated", "推荐模型的回答被截断了，没有读到任何电影，请稍后再试。")
        raise LLMError("llm_bad_answer", "推荐模型的回答格式不正确，请稍后再试。")

    def _answer_with_retries(self, messages: list[dict[str, str]], answer: _Answer) -> AnswerReader:
        """Ask until an answer is read: reshaping the request when the provider refuses part of it, and asking
        again after what may pass (429, 5xx, timeouts, a broken stream)."""
        attempt = 0
        dropped_blindly: frozenset[str] = frozenset()  # after a 400 naming nothing: every optional feature
        while True:
            attempt += 1
            refused = self._refused.of(self._endpoint, self._model) | dropped_blindly
            request = build_request(self._model, messages, self._options, refused)
            reader = AnswerReader(first_position=max(answer.movies, default=-1) + 1)
            handed_over = len(answer.movies)
            try:
                self._read(request, reader, answer)
            except _ListenerFailed:
                raise
            except Exception as error:
                if len(answer.movies) > handed_over:
                    # The stream broke after some movies: they stand (the top-up asks for the rest).
                    logger.warning("the model's stream broke after some movies", extra={"error": repr(error)})
                    answer.hand_over(reader, reader.finish(truncated=True))
                    answer.truncated = True
                    return reader
                if _is_refusal(error):
                    named = refused_features(_text_of(error), request.features)
                    if named:
                        self._remember(named, _text_of(error))
                        attempt -= 1  # the request is reshaped, not a fault retried
                        continue
                    if attempt == 1 and not dropped_blindly and request.features - {STREAM}:
                        dropped_blindly = request.features - {STREAM}
                        continue
                self._wait_or_give_up(error, attempt, answer.deadline)
                continue
            # A plain request passed where the full one got a 400 naming nothing: one of its features was refused.
            self._remember(dropped_blindly, "a 400 naming no parameter")
            return reader

    def _remember(self, features: frozenset[str], why: str) -> None:
        if features:
            logger.warning(
                "the model's provider refused request features; asking without them from now on",
                extra={"features": sorted(features), "model": self._model, "why": why[:300]},
            )
            self._refused.add(self._endpoint, self._model, features)

    def _wait_or_give_up(self, error: Exception, attempt: int, deadline: float) -> None:
        wait = _retry_after_seconds(error) or self._backoff_seconds * 2 ** (attempt - 1) * (0.5 + self._jitter())
        if not _is_retryable(error) or attempt >= self._max_attempts or self._clock() + wait >= deadline:
            raise _as_llm_error(error) from error
        self._sleep(wait)

    def _read(self, request: ChatRequest, reader: AnswerReader, answer: _Answer) -> None:
        remaining = answer.deadline - self._clock()
        if not request.streamed:
            # One whole answer: nothing arrives before all of it is written, so the read may take the whole budget.
            response = self._client.chat.completions.create(**request.arguments, timeout=max(0.1, remaining))
            part = response_part(response)
            answer.hand_over(reader, reader.feed(part.content))
            self._end(answer, reader, part.finish_reason != "stop", part.usage or _estimated_usage(request, reader))
            return
        timeout = max(0.1, min(self._read_timeout_seconds, remaining))
        stream = self._client.chat.completions.create(**request.arguments, timeout=timeout)
        finish_reason: str | None = None
        usage: Usage | None = None
        try:
            for chunk in stream:
                part = chunk_part(chunk)
                finish_reason = part.finish_reason or finish_reason
                # Some providers repeat a running total in every chunk: a call's usage is the last one reported.
                usage = part.usage or usage
                if part.content:
                    answer.hand_over(reader, reader.feed(part.content))
                if self._clock() > answer.deadline:
                    finish_reason = "deadline"  # still trickling at the deadline: the movies so far stand
                    break
        finally:
            stream.close()
        # Cut short unless the provider said it stopped: "length", "content_filter", the deadline, or a connection
        # that just ended without a finish (where a broken last object could be half a title).
        self._end(answer, reader, finish_reason != "stop", usage or _estimated_usage(request, reader))

    @staticmethod
    def _end(answer: _Answer, reader: AnswerReader, truncated: bool, usage: Usage | None) -> None:
        answer.hand_over(reader, reader.finish(truncated=truncated))
        answer.truncated = answer.truncated or truncated
        answer.add_usage(usage)


def _estimated_usage(request: ChatRequest, reader: AnswerReader) -> Usage:
    """A call's tokens from its characters, for a provider that reports none (see CHARACTERS_PER_TOKEN)."""
    prompt = sum(len(str(message.get("content") or "")) for message in request.arguments["messages"])
    return Usage(math.ceil(prompt / CHARACTERS_PER_TOKEN), math.ceil(len(reader.text) / CHARACTERS_PER_TOKEN))


def _text_of(error: Exception) -> str:
    return error_text(str(getattr(error, "message", error)), getattr(error, "body", None))


def _corrected(messages: list[dict[str, str]], answer_text: str) -> list[dict[str, str]]:
    """The messages again, with the answer that could not be read and the request to answer in JSON only."""
    earlier = [{"role": "assistant", "content": answer_text}] if answer_text.strip() else []
    return [*messages, *earlier, {"role": "user", "content": CORRECTIVE_PROMPT}]
