"""The naive way, measured for real: wait for the model's whole answer, then look the movies up one after another.

Same fake model, same fake Douban, the project's own answer parser and Douban lookup chain; no queue, no
database, no HTTP API, so its figures are if anything a little kinder than a naive service would be.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import openai

from bench.pipeline import API_KEY
from bench.scenario import COUNT, REQUEST, StreamedAnswer
from bench.timed_fakes import TimedDouban, TimedLLM
from movierec.douban.budget import DoubanBudget, LookupSpend, Priority, unlimited
from movierec.douban.cache import MovieCache
from movierec.douban.circuit import InMemoryCircuitBreaker
from movierec.douban.http import DoubanHttp
from movierec.douban.lookup import DoubanLookup
from movierec.llm.answer_stream import read_answer
from movierec.llm.prompts import build_messages
from movierec.modes.theme import ThemeRequest
from movierec.recommendation.recommend import EXTRA_MOVIES
from tests.fakes.douban_server import local_only_session


@dataclass(frozen=True)
class NaiveRun:
    answer_complete: float
    first_card: float
    done: float


class InMemoryTable:
    """The two DynamoDB calls MovieCache makes (boto3's keyword names), on a dict: a fresh one is an empty cache."""

    def __init__(self) -> None:
        self._items: dict[str, dict[str, Any]] = {}

    def get_item(self, Key: dict[str, str]) -> dict[str, Any]:
        item = self._items.get(Key["pk"])
        return {"Item": item} if item is not None else {}

    def put_item(self, Item: dict[str, Any]) -> None:
        self._items[Item["pk"]] = Item


# The naive way waits for nothing but Douban itself: the budget is lifted as on the pipeline's stack.
SPEND = LookupSpend(Priority.CARD, search_seconds=60.0, read_seconds=60.0)


def fresh_lookup(douban_url: str, budget: DoubanBudget | None = None) -> DoubanLookup:
    """Built as movierec.runtime builds it, with an empty in-memory cache and circuit breaker."""
    http = DoubanHttp(budget=budget or unlimited(), session=local_only_session())
    table = InMemoryTable()
    return DoubanLookup(http, MovieCache(table), InMemoryCircuitBreaker(), douban_url, douban_url)


def run_naive(answer: StreamedAnswer, llm: TimedLLM, douban: TimedDouban) -> NaiveRun:
    llm.script(answer.reply)
    lookup = fresh_lookup(douban.base_url)
    client = openai.OpenAI(api_key=API_KEY, base_url=llm.base_url, max_retries=0)
    messages = build_messages(ThemeRequest.model_validate(REQUEST), COUNT + EXTRA_MOVIES, [])

    start = time.monotonic()
    # The fake answers a non-streamed call at once, without its delays, so the stream is read to its end instead.
    stream = client.chat.completions.create(model="fake-model", messages=messages, stream=True)  # type: ignore[arg-type]
    text = "".join(chunk.choices[0].delta.content or "" for chunk in stream if chunk.choices)
    answer_complete = time.monotonic() - start
    found_at: list[float] = []
    for suggested in read_answer(text):
        result = lookup.find(suggested.title, suggested.original_title, suggested.year, spend=SPEND)
        if result.status == "found":
            found_at.append(time.monotonic() - start)
        if len(found_at) == COUNT:
            return NaiveRun(answer_complete=answer_complete, first_card=found_at[0], done=found_at[-1])
    raise RuntimeError(f"the naive way found {len(found_at)} movies, not {COUNT}")
