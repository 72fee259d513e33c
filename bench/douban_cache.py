"""Douban's budget and the movie cache, measured: one tags request on a cold cache and on a warm one (the lists read
by the warm-up), side by side with their floors, and the cache's hit rate.

The benchmark's own kind of stack (the handlers, pollers and API in this process, moto in a child process) with the
deployed Douban budget (template.yaml's defaults: 10 requests a minute anonymous, a burst of 3 for the cards people
wait for), against the fake Douban's `2026-anonymous` profile at its own thresholds (challenged desktop pages,
rate-limit errors past 15 requests in a minute, a ban past 100), every Douban request taking DOUBAN_LATENCY_SECONDS.
The fake model names MOVIES films, each object whole, BURSTY_INTERVAL_SECONDS apart; the request asks for COUNT. One
small request first is not counted (no cold start is measured).

- cold: the movie cache and the budget empty. A card is shown from its search entry when its subject has no token
  in time, and completed later by queued, budgeted tries (PARTIAL_REFRESH_DELAY_SECONDS, the deployed 10 s).
- warm: the warm-up function run first (its lists hold the films; one page), then the budget emptied again (the
  warm-up runs at night): the request should need no Douban request at all.

Floors, from the known schedule and the budget's own rules (movierec.douban.budget, simulated: no time lost
anywhere else): cold, the first card whole once its object is in the stream and its search and subject have had
tokens and answered; done once the other cards of the first COUNT have had their searches (each shown from its search
entry meanwhile); every card complete once their subjects have had tokens too. Warm, the floors are when the objects
arrive. Times from just before the POST; polls every 0.25 s.
Besides the figures it checks, and fails on: no minute held more requests than the budget, Douban never rate-limited
nor banned us, the challenged desktop page was never asked, and the warm request sent Douban nothing.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "shared"))

from bench.timed_fakes import TimedDouban, TimedLLM  # noqa: E402 - needs the layer's folder on the path
from local.stack import LocalStack  # noqa: E402
from local.template import Template  # noqa: E402
from movierec import runtime  # noqa: E402
from movierec.douban.budget import (  # noqa: E402
    BUDGET_KEY,
    BudgetPolicy,
    BudgetState,
    Priority,
    after_sending,
    wait_before,
)
from movierec.llm.answer_stream import AnswerReader  # noqa: E402
from tests.fakes.catalog import Film, serve, serve_lists  # noqa: E402
from tests.fakes.douban_profiles import anonymous_2026  # noqa: E402
from tests.fakes.douban_server import most_in_any_window  # noqa: E402
from tests.fakes.llm_server import Reply, movie  # noqa: E402

COUNT = 5
MOVIES = 8  # the count and the recommend worker's 3 spares
BURSTY_INTERVAL_SECONDS = 0.5
DOUBAN_LATENCY_SECONDS = 0.3
POLL_SECONDS = 0.25
DONE_BOUND_SECONDS = 150.0  # past the request's 90 s deadline: a request that is neither done nor failed by then hangs
COMPLETE_BOUND_SECONDS = 8 * 60.0
REQUEST = {"mode": "tags", "tags": ["影史经典"], "count": COUNT}
LIST_NAME = "movie_top250"
FILMS = [
    Film(str(1500001 + n), title, original, year, rating=9.0 - n / 10)
    for n, (title, original, year) in enumerate(
        [
            ("肖申克的救赎", "The Shawshank Redemption", 1994),
            ("霸王别姬", "霸王別姬", 1993),
            ("阿甘正传", "Forrest Gump", 1994),
            ("泰坦尼克号", "Titanic", 1997),
            ("千与千寻", "千と千尋の神隠し", 2001),
            ("美丽人生", "La vita è bella", 1997),
            ("星际穿越", "Interstellar", 2014),
            ("盗梦空间", "Inception", 2010),
        ]
    )
]

SPARE = Film("1500999", "热身电影", "Warm-up Film", 1999)  # the first request's, not counted


@dataclass(frozen=True)
class Floors:
    first_card: float
    done: float
    complete: float


@dataclass
class CacheRun:
    """One request: when its first card, `done` and its last complete card were seen, and what Douban saw."""

    label: str
    floors: Floors
    first_card: float = float("nan")
    done: float = float("nan")
    complete: float = float("nan")
    status: str = ""
    douban_requests: int = 0
    most_in_a_minute: int = 0
    cards_from_cache: int = 0
    cards: int = 0
    partial_at_done: int = 0
    extra: list[str] = field(default_factory=list)

    @property
    def hit_rate(self) -> float:
        return self.cards_from_cache / self.cards if self.cards else float("nan")


@dataclass(frozen=True)
class DoubanCache:
    cold: CacheRun
    warm: CacheRun
    policy: BudgetPolicy
    warm_up: dict[str, Any]
    rate_limited: int
    bans: int
    challenged: int

    @property
    def within_budget(self) -> bool:
        return max(self.cold.most_in_a_minute, self.warm.most_in_a_minute) <= self.policy.per_minute

    @property
    def passed(self) -> bool:
        refused = self.rate_limited or self.bans or self.challenged
        ended = self.cold.status == self.warm.status == "done" and self.cold.complete == self.cold.complete
        return self.within_budget and not refused and ended and self.warm.douban_requests == 0


def answer() -> tuple[Reply, list[float]]:
    """The model's answer, each movie's object whole, BURSTY_INTERVAL_SECONDS apart, and when each is complete."""
    movies = [movie(film.title, film.year, film.original_title, reason="影史经典") for film in FILMS[:MOVIES]]
    objects = [json.dumps(each, ensure_ascii=False) for each in movies]
    pieces = ['{"movies": [', objects[0], *(f", {each}" for each in objects[1:])]
    pieces[-1] += "]}"
    reader = AnswerReader()
    completed = [
        index * BURSTY_INTERVAL_SECONDS
        for index, piece in enumerate(pieces)
        for read in reader.feed(piece)
        if read.complete
    ]
    content = "".join(pieces)
    return Reply(content=content, movie_objects=movies, pieces=pieces, delay_seconds=BURSTY_INTERVAL_SECONDS), completed


def budget_times(ready_at: list[float], policy: BudgetPolicy, priorities: list[Priority] | None = None) -> list[float]:
    """When each request could take its token (each no earlier than it is ready, at its priority: a card's search, a
    completion...), the budget's rules simulated, in this order, with nothing else asking."""
    state, taken = BudgetState(), []
    for ready, priority in zip(ready_at, priorities or [Priority.CARD] * len(ready_at), strict=True):
        now = ready
        while (wait := wait_before(state, policy, priority, now, signed_in=False)) > 0:
            now += wait
        state = after_sending(state, policy, now, signed_in=False)
        taken.append(now)
    return taken


def cold_floors(completed: list[float], policy: BudgetPolicy) -> Floors:
    """The first card whole (its search, then its subject: the burst lets both go at once), then the other cards'
    searches (each shown from its search entry); every card complete once the other subjects have had tokens too, at
    the priority of a completion (which leaves the minute's last token to a card)."""
    first_search = completed[0]
    first_subject = first_search + DOUBAN_LATENCY_SECONDS
    searches = [first_search, first_subject, *completed[1:COUNT]]
    kinds = [Priority.CARD, Priority.COMPLETION, *[Priority.CARD] * (COUNT - 1)]
    tokens = budget_times(searches, policy, kinds)
    shown = [tokens[1], *tokens[2:]]
    every = budget_times(
        [*searches, *(at + DOUBAN_LATENCY_SECONDS for at in tokens[2:])],
        policy,
        [*kinds, *[Priority.COMPLETION] * (COUNT - 1)],
    )
    return Floors(
        first_card=tokens[1] + DOUBAN_LATENCY_SECONDS,
        done=max(shown) + DOUBAN_LATENCY_SECONDS,
        complete=max(every) + DOUBAN_LATENCY_SECONDS,
    )


def warm_floors(completed: list[float]) -> Floors:
    return Floors(first_card=completed[0], done=completed[COUNT - 1], complete=completed[COUNT - 1])


def deployed_policy() -> BudgetPolicy:
    template = Template.load()
    return BudgetPolicy(
        per_minute=int(template.parameter_default("DoubanRequestsPerMinute")),
        signed_in_per_minute=int(template.parameter_default("DoubanSignedInRequestsPerMinute")),
    )


@contextmanager
def stack(llm: TimedLLM, douban: TimedDouban) -> Iterator[LocalStack]:
    """The benchmark's kind of stack with the deployed Douban budget (nothing about Douban is overridden)."""
    saved = dict(os.environ)
    os.environ.pop("DOUBAN_COOKIE", None)  # a developer's own cookie has no business with a fake
    for name in ("DOUBAN_REQUESTS_PER_MINUTE", "DOUBAN_SIGNED_IN_REQUESTS_PER_MINUTE", "DOUBAN_BURST"):
        os.environ.pop(name, None)
    os.environ.update(
        {
            "OPENAI_BASE_URL": llm.base_url,
            "OPENAI_API_KEY": "sk-bench-not-a-real-key",
            "OPENAI_MODEL": "fake-model",
            "DOUBAN_BASE_URL": douban.base_url,
            "DOUBAN_MOBILE_BASE_URL": douban.base_url,
            "DOUBAN_WARM_UP_LISTS": f"{LIST_NAME}:5",
            "RATE_LIMIT_PER_MINUTE": "0",
            "POWERTOOLS_METRICS_DISABLED": "true",
        }
    )
    local = LocalStack(port=0, moto_in_child_process=True)
    try:
        local.start()
        logging.getLogger("movierec").setLevel(logging.ERROR)  # the budget's waits are expected here
        yield local
    finally:
        local.stop()
        os.environ.clear()
        os.environ.update(saved)
        runtime.reset()


def _forget(local: LocalStack) -> None:
    """An empty movie cache and an idle budget: each run starts where a deployment with no history would."""
    dynamodb = local.aws.client("dynamodb")
    for item in dynamodb.scan(TableName="MovieCacheTable", ProjectionExpression="pk")["Items"]:
        dynamodb.delete_item(TableName="MovieCacheTable", Key={"pk": item["pk"]})
    dynamodb.delete_item(TableName="RateLimitTable", Key={"id": {"S": BUDGET_KEY}})


def _run(local: LocalStack, llm: TimedLLM, douban: TimedDouban, reply: Reply, run: CacheRun) -> CacheRun:
    douban.clear_timed_requests()
    llm.script(reply)
    start = time.monotonic()
    response = requests.post(f"{local.api_url}/recommendations", json=REQUEST, timeout=10)
    response.raise_for_status()
    url = f"{local.api_url}/recommendations/{response.json()['id']}"
    while time.monotonic() - start < COMPLETE_BOUND_SECONDS:
        view = requests.get(url, timeout=10).json()
        seen = time.monotonic() - start
        shown = [card for card in view["movies"] if card["status"] == "found"]
        if shown and run.first_card != run.first_card:
            run.first_card = seen
        if view["status"] in ("done", "failed") and not run.status:
            run.status, run.done = view["status"], seen
            run.partial_at_done = sum(card["partial"] for card in shown)
            run.cards = len(shown)
            run.cards_from_cache = sum(card["source"] in ("cache", "list") for card in shown)
        if run.status and not any(card["partial"] for card in shown):
            run.complete = seen
            break
        if not run.status and seen > DONE_BOUND_SECONDS:
            run.status = "neither done nor failed"
            break
        time.sleep(POLL_SECONDS)
    arrivals = [timed.at for timed in douban.timed_requests]
    run.douban_requests = len(arrivals)
    run.most_in_a_minute = most_in_any_window(arrivals)
    return run


def measure() -> DoubanCache:
    policy = deployed_policy()
    reply, completed = answer()
    profile = anonymous_2026()
    with TimedLLM() as llm, TimedDouban(latency=DOUBAN_LATENCY_SECONDS, profile=profile) as douban:
        serve(douban, [*FILMS, SPARE])
        serve_lists(douban, {LIST_NAME: FILMS})
        with stack(llm, douban) as local:
            _first_request(local, llm)
            _forget(local)
            cold = _run(local, llm, douban, reply, CacheRun("cold", cold_floors(completed, policy)))
            _forget(local)
            warm_up = local.run_scheduled("WarmUpFunction")
            _forget_budget_only(local)
            warm = _run(local, llm, douban, reply, CacheRun("warm", warm_floors(completed)))
    return DoubanCache(cold, warm, policy, warm_up, profile.rate_limited, profile.bans, profile.challenged)


def _first_request(local: LocalStack, llm: TimedLLM) -> None:
    """One small request first, so that no run pays for building clients and connections (a cold start)."""
    llm.script(Reply.movies([movie(SPARE.title, SPARE.year, SPARE.original_title)]))
    response = requests.post(f"{local.api_url}/recommendations", json=REQUEST | {"count": 1}, timeout=10)
    response.raise_for_status()
    url = f"{local.api_url}/recommendations/{response.json()['id']}"
    deadline = time.monotonic() + DONE_BOUND_SECONDS
    while requests.get(url, timeout=10).json()["status"] not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)


def _forget_budget_only(local: LocalStack) -> None:
    local.aws.client("dynamodb").delete_item(TableName="RateLimitTable", Key={"id": {"S": BUDGET_KEY}})


def table(result: DoubanCache) -> list[str]:
    cold, warm = result.cold, result.warm

    def cell(run: CacheRun, measured: float, floor: float) -> str:
        if measured != measured:
            return f"{floor:6.1f} s  {'never':>9}  {'':6}"
        return f"{floor:6.1f} s  {measured:7.1f} s  {measured / floor:5.2f}x"

    lines = [
        f"Douban's budget and the movie cache: a tags request (count={COUNT}, the model names {MOVIES} films, whole "
        f"objects {BURSTY_INTERVAL_SECONDS} s apart), on the fake's 2026-anonymous profile, every request "
        f"{DOUBAN_LATENCY_SECONDS * 1000:.0f} ms, the deployed budget of {result.policy.per_minute} a minute",
        f"{'':24}{'cold cache':<30}{'warm cache (the lists warmed)':<30}",
        f"{'':24}{'floor':>8}  {'measured':>9}  {'ratio':>6}    {'floor':>8}  {'measured':>9}  {'ratio':>6}",
    ]
    for label, attribute in (("first card", "first_card"), ("done", "done"), ("every card complete", "complete")):
        lines.append(
            f"{label:24}{cell(cold, getattr(cold, attribute), getattr(cold.floors, attribute))}    "
            f"{cell(warm, getattr(warm, attribute), getattr(warm.floors, attribute))}"
        )
    lines += [
        f"{'cards shown partial at done':28}{cold.partial_at_done:<34}{warm.partial_at_done}",
        f"{'cache hit rate':28}{_rate(cold):<34}{_rate(warm)}",
        f"{'Douban requests':28}{cold.douban_requests:<34}{warm.douban_requests}  (the warm-up's own: "
        f"{result.warm_up.get('requests')}, {result.warm_up.get('stored')} cards)",
        f"{'the most in any 60 s':28}{cold.most_in_a_minute:<34}{warm.most_in_a_minute}  (budget "
        f"{result.policy.per_minute}): {'PASS' if result.within_budget else 'FAIL'}",
        f"  Douban rate-limited us {result.rate_limited} times, banned us {result.bans}, its challenged desktop page "
        f"was asked {result.challenged} times; the warm request sent Douban {warm.douban_requests}: "
        f"{'PASS' if result.passed else 'FAIL'}",
        "  floors: the budget's own rules simulated (a burst of 3, then one every 6 s, at most 10 in any 60 s): the "
        "first card whole, the others' searches, then their subjects, each once its film is named; warm, when the "
        "objects arrive",
    ]
    return lines


def _rate(run: CacheRun) -> str:
    return f"{run.hit_rate:.0%} ({run.cards_from_cache} of {run.cards} cards)"


def main() -> int:
    result = measure()
    print("\n".join(table(result)), flush=True)
    return 0 if result.passed else 1


if __name__ == "__main__":
    sys.exit(main())
