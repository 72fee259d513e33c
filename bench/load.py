"""`python -m bench.load`: people asking at once, and many concurrent pollers, against the local stack.

The whole stack runs in this process (moto, the real handlers, SQS pollers, the HTTP API on 127.0.0.1) with the
deployed settings (the Douban budget of 10 requests a minute among them), against a fast fake model and the fake
Douban's `2026-anonymous` profile at its own thresholds (rate-limit errors past 15 requests in a minute, a ban past
100), both on 127.0.0.1 too: nothing leaves the machine. N people ask at once (tags, count 4; the model names 7 films
each, drawn from a pool of popular films, as the picks of many people overlap), then M pollers poll every unfinished
request in turn until it is done or failed, or the time bound passes; then every request is polled until every card
it shows is complete (a card shown from Douban's search entry while the budget had no token for its subject is
completed later by queued, budgeted tries).

It prints creation requests/s, polls/s, poll latency, time to done, how the requests ended and whether any was lost;
then Douban's side: requests per minute, the most in any 60 s window against the budget, the cards waiting to be
completed, and the time until every card was complete against the budget's floor. It exits 1 when a request did not
end, any answer was a 5xx, no answer at all, another 4xx or about another request than the one asked for, a minute
held more Douban requests than the budget, Douban rate-limited or banned us, or a card was never completed. 429s from
the per-client rate limit are counted apart and are no error. That limit is off unless --rate-limit-per-minute is
given (all requests here come from one client, 127.0.0.1).
"""

from __future__ import annotations

import argparse
import itertools
import logging
import math
import os
import sys
import threading
import time
from collections import Counter, deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "shared"))

from bench.douban_cache import budget_times, deployed_policy  # noqa: E402 - needs the layer's folder on the path
from local.stack import LocalStack  # noqa: E402
from movierec import runtime  # noqa: E402
from movierec.douban.budget import Priority  # noqa: E402
from tests.fakes.catalog import Film, serve  # noqa: E402
from tests.fakes.douban_profiles import Douban2026, anonymous_2026  # noqa: E402
from tests.fakes.douban_server import FakeDouban, most_in_any_window  # noqa: E402
from tests.fakes.llm_server import FakeLLM, Reply, movie  # noqa: E402

REQUESTS = 10  # people asking at once
POLLERS = 10
TIME_BOUND_SECONDS = 180.0  # every request ends by its 90 s deadline
MAX_POLLS = 200_000  # a bound on count besides the one on time
POLL_PAUSE_SECONDS = 0.05  # each poller's pause between two polls: clients polling hard, not a busy loop
HTTP_TIMEOUT_SECONDS = 10.0

COMPLETE_BOUND_SECONDS = 10 * 60.0  # after the requests ended, for every card shown to be completed
COUNT = 4  # movies each request asks for
MOVIES_PER_ANSWER = COUNT + 3  # the count and the recommend worker's spares
POOL = 14  # popular films the answers draw from: each answer a window of 7, two films on from the one before
CATALOGUE = [
    Film(str(2_000_000 + n), f"负载测试电影{n:02d}", f"Load Test Film {n}", 1980 + n % 40) for n in range(POOL)
]
DOUBAN_LATENCY_SECONDS = 0.05
FINAL_STATUSES = {"done", "failed"}
NO_ANSWER = "no answer"  # a dropped connection or a timeout: counted with the 5xx


class RotatingAnswers:
    """The fake model names a window of the pool on each call, two films on from the last: people's picks overlap,
    as the popular films models name most often do, and every film of the pool is named by someone."""

    def __init__(self) -> None:
        self._calls = itertools.count()  # next() on it is atomic: the fake serves calls on many threads

    def __call__(self, _request: dict[str, Any]) -> Reply:
        first = next(self._calls) * 2
        films = [CATALOGUE[(first + n) % len(CATALOGUE)] for n in range(MOVIES_PER_ANSWER)]
        return Reply.movies([movie(film.title, film.year, film.original_title) for film in films], chunk_size=64)


def stack_environment(llm: FakeLLM, douban: FakeDouban, rate_limit_per_minute: int) -> dict[str, str]:
    """What a deployer sets, pointed at the fakes; everything else, the Douban budget among it, is template.yaml's."""
    return {
        "OPENAI_BASE_URL": llm.base_url,
        "OPENAI_API_KEY": "sk-load-not-a-real-key",
        "OPENAI_MODEL": "fake-model",
        "DOUBAN_BASE_URL": douban.base_url,
        "DOUBAN_MOBILE_BASE_URL": douban.base_url,
        "RATE_LIMIT_PER_MINUTE": str(rate_limit_per_minute),
        "POWERTOOLS_METRICS_DISABLED": "true",
        "POWERTOOLS_LOG_LEVEL": "WARNING",  # one JSON line per handler step would bury the figures
    }


@dataclass(frozen=True)
class Fakes:
    api_url: str
    douban: FakeDouban
    profile: Douban2026


@contextmanager
def local_stack(rate_limit_per_minute: int) -> Iterator[Fakes]:
    """The stack against the fakes, as tests/integration/conftest.py starts it, with the deployed Douban budget."""
    saved_environment = dict(os.environ)
    profile = anonymous_2026()
    with FakeLLM() as llm, FakeDouban(latency=DOUBAN_LATENCY_SECONDS, profile=profile) as douban:
        llm.default = RotatingAnswers()
        serve(douban, CATALOGUE)
        os.environ.pop("DOUBAN_COOKIE", None)  # a developer's own cookie has no business with a fake
        for name in ("DOUBAN_REQUESTS_PER_MINUTE", "DOUBAN_SIGNED_IN_REQUESTS_PER_MINUTE", "DOUBAN_BURST"):
            os.environ.pop(name, None)  # the deployed budget, whatever the shell says
        os.environ.update(stack_environment(llm, douban, rate_limit_per_minute))
        stack = LocalStack(port=0)
        try:
            stack.start()
            logging.getLogger("movierec").setLevel(logging.ERROR)  # waiting for the budget is expected here
            if urlsplit(stack.api_url).hostname != "127.0.0.1":
                raise RuntimeError(f"the load test only talks to loopback, not {stack.api_url}")
            yield Fakes(stack.api_url, douban, profile)
        finally:
            stack.stop()
            os.environ.clear()
            os.environ.update(saved_environment)
            runtime.reset()


@dataclass
class Answers:
    """Every answer of one kind of call: its status (or NO_ANSWER) and how long it took. Safe across threads."""

    statuses: Counter[int | str] = field(default_factory=Counter)
    seconds: list[float] = field(default_factory=list)
    first_sent: float = float("inf")
    last_answered: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def call(self, session: requests.Session, method: str, url: str, **options: Any) -> requests.Response | None:
        sent = time.monotonic()
        try:
            response: requests.Response | None = session.request(method, url, timeout=HTTP_TIMEOUT_SECONDS, **options)
            outcome: int | str = response.status_code
        except requests.RequestException as error:
            response, outcome = None, f"{NO_ANSWER} ({type(error).__name__})"
        answered = time.monotonic()
        with self._lock:
            self.statuses[outcome] += 1
            self.seconds.append(answered - sent)
            self.first_sent = min(self.first_sent, sent)
            self.last_answered = max(self.last_answered, answered)
        return response

    @property
    def total(self) -> int:
        return sum(self.statuses.values())

    @property
    def per_second(self) -> float:
        return self.total / max(self.last_answered - self.first_sent, 1e-9)

    @property
    def server_errors(self) -> int:
        return sum(count for status, count in self.statuses.items() if isinstance(status, str) or status >= 500)

    @property
    def unexpected(self) -> int:
        """Answers that are neither what the call is for, nor a 429, nor a 5xx: each is a bug of its own."""
        return self.total - self.statuses[200] - self.statuses[202] - self.statuses[429] - self.server_errors


@dataclass(frozen=True)
class Created:
    request_id: str
    sent_at: float


def send_burst(api_url: str, count: int, answers: Answers) -> list[Created]:
    """`count` creations at once: each on its own thread and connection, released together."""
    created: list[Created] = []
    lock = threading.Lock()
    start_line = threading.Barrier(count)

    def create(index: int) -> None:
        payload = {"mode": "tags", "tags": ["负载", f"测试{index}"], "count": COUNT}
        with requests.Session() as session:
            start_line.wait()
            sent_at = time.monotonic()
            response = answers.call(session, "POST", f"{api_url}/recommendations", json=payload)
        if response is not None and response.status_code == 202:
            with lock:
                created.append(Created(response.json()["id"], sent_at))

    threads = [threading.Thread(target=create, args=(index,), name=f"create-{index}") for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return created


@dataclass(frozen=True)
class Ending:
    status: str  # done or failed
    error_code: str | None  # why it failed
    seconds: float  # from its POST being sent to the first poll that showed it ended


class Polling:
    """Pollers take the unfinished requests in turn until each has ended, or the time or count bound is reached."""

    def __init__(self, api_url: str, created: list[Created], deadline: float) -> None:
        self.answers = Answers()
        self.endings: dict[str, Ending] = {}
        self.vanished: set[str] = set()  # created, then unknown to the API (404): lost
        self.mixed_up = 0  # answers about another request than the one asked for
        self._api_url = api_url
        self._deadline = deadline
        self._unfinished = deque(created)
        self._in_flight = 0
        self._polls_left = MAX_POLLS
        self._changed = threading.Condition()

    def run(self, pollers: int, pause_seconds: float) -> None:
        threads = [
            threading.Thread(target=self._poll, args=(pause_seconds,), name=f"poller-{n}") for n in range(pollers)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def _poll(self, pause_seconds: float) -> None:
        with requests.Session() as session:
            while (request := self._take()) is not None:
                response = self.answers.call(session, "GET", f"{self._api_url}/recommendations/{request.request_id}")
                self._settle(request, response)
                time.sleep(pause_seconds)

    def _take(self) -> Created | None:
        """The next unfinished request; None once none is left (or being polled), or a bound is reached."""
        with self._changed:
            while not self._unfinished and self._in_flight and time.monotonic() < self._deadline:
                self._changed.wait(timeout=0.1)
            if not self._unfinished or self._polls_left <= 0 or time.monotonic() >= self._deadline:
                return None
            self._polls_left -= 1
            self._in_flight += 1
            return self._unfinished.popleft()

    def _settle(self, request: Created, response: requests.Response | None) -> None:
        view = _json_object(response) if response is not None and response.status_code == 200 else {}
        with self._changed:
            self._in_flight -= 1
            if view and view.get("id") != request.request_id:
                self.mixed_up += 1
                self._unfinished.append(request)
            elif view.get("status") in FINAL_STATUSES:
                error_code = (view.get("error") or {}).get("code")
                self.endings[request.request_id] = Ending(
                    view["status"], error_code, time.monotonic() - request.sent_at
                )
            elif response is not None and response.status_code == 404:
                self.vanished.add(request.request_id)
            else:  # still running, or a 429 or an error: asked again in its turn
                self._unfinished.append(request)
            self._changed.notify_all()


def _json_object(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile; NaN for no values."""
    if not values:
        return float("nan")
    return sorted(values)[max(0, math.ceil(fraction * len(values)) - 1)]


def tally(answers: Answers) -> str:
    return ", ".join(f"{status}: {count}" for status, count in sorted(answers.statuses.items(), key=str))


def report(requested: int, pollers: int, created: list[Created], creations: Answers, polling: Polling) -> bool:
    """Print the figures; True when every created request ended and nothing answered 5xx or nothing at all."""
    done = [ending.seconds for ending in polling.endings.values() if ending.status == "done"]
    by_status = Counter(
        f"{ending.status} ({ending.error_code})" if ending.error_code else ending.status
        for ending in polling.endings.values()
    )
    lost = len(created) - len(polling.endings)
    poll_ms = [seconds * 1000 for seconds in polling.answers.seconds]
    create_ms = [seconds * 1000 for seconds in creations.seconds]
    print(f"creations: {requested} at once → {creations.per_second:.1f} requests/s ({tally(creations)})")
    print(f"  latency p50 {percentile(create_ms, 0.5):.0f} ms, p95 {percentile(create_ms, 0.95):.0f} ms")
    print(f"  created {len(created)}, refused by the rate limit (429) {creations.statuses[429]}")
    print(f"polls: {polling.answers.total} by {pollers} pollers → {polling.answers.per_second:.1f} polls/s")
    print(f"  ({tally(polling.answers)})")
    print(
        f"  latency p50 {percentile(poll_ms, 0.5):.1f} ms, p95 {percentile(poll_ms, 0.95):.1f} ms, "
        f"max {max(poll_ms, default=float('nan')):.1f} ms"
    )
    print(
        f"time to done: p50 {percentile(done, 0.5):.2f} s, p95 {percentile(done, 0.95):.2f} s, "
        f"max {max(done, default=float('nan')):.2f} s ({len(done)} done)"
    )
    print(f"final status: {', '.join(f'{status} {count}' for status, count in sorted(by_status.items())) or 'none'}")
    if polling.vanished:
        print(f"unknown to the API after creation (404): {len(polling.vanished)}")
    server_errors = creations.server_errors + polling.answers.server_errors
    unexpected = creations.unexpected + polling.answers.unexpected
    print(f"5xx or no answer: {server_errors}; other unexpected answers: {unexpected}")
    if polling.mixed_up:
        print(f"polls answered about another request: {polling.mixed_up}")
    print(f"all {len(created)} created requests ended: {'yes' if lost == 0 else 'no'}; lost: {lost}")
    return lost == 0 and server_errors == 0 and unexpected == 0 and polling.mixed_up == 0


@dataclass
class Completion:
    """Every created request polled until every card it shows is complete: when that was, and how many waited."""

    waiting_when_ended: int = 0  # cards shown partial (Douban's search entry) when the last request ended
    unfound: int = 0  # cards that ended failed, their lookup not reached before their request's deadline
    most_waiting: int = 0
    shown: int = 0
    complete_at: float | None = None  # seconds from the burst until every shown card was complete
    waiting_over_time: list[tuple[float, int]] = field(default_factory=list)

    @classmethod
    def watch(cls, api_url: str, created: list[Created], started: float, bound_seconds: float) -> Completion:
        completion = cls()
        deadline = time.monotonic() + bound_seconds
        with requests.Session() as session:
            while time.monotonic() < deadline:
                shown = [card for each in created for card in _shown(session, api_url, each.request_id)]
                cards = [card for card in shown if card.get("status") == "found"]
                waiting = sum(card["partial"] for card in cards)
                now = time.monotonic() - started
                if not completion.waiting_over_time:
                    completion.waiting_when_ended, completion.shown = waiting, len(cards)
                    completion.unfound = sum(card.get("status") == "failed" for card in shown)
                completion.waiting_over_time.append((now, waiting))
                completion.most_waiting = max(completion.most_waiting, waiting)
                if waiting == 0:
                    completion.complete_at = now
                    break
                time.sleep(2.0)
        return completion


def _shown(session: requests.Session, api_url: str, request_id: str) -> list[dict[str, Any]]:
    response = session.get(f"{api_url}/recommendations/{request_id}", timeout=HTTP_TIMEOUT_SECONDS)
    view = _json_object(response) if response.status_code == 200 else {}
    return [card for card in view.get("movies", []) if card.get("status") in ("found", "failed")]


def per_minute(arrivals: list[float], started: float) -> list[int]:
    """Douban requests in each minute from the burst."""
    counts: Counter[int] = Counter(int((moment - started) // 60) for moment in arrivals if moment >= started)
    return [counts[minute] for minute in range(max(counts, default=-1) + 1)]


def douban_report(fakes: Fakes, started: float, completion: Completion) -> bool:
    """Douban's side; True when the budget held, Douban refused nothing, and every card shown was completed."""
    policy = deployed_policy()
    arrivals = [moment for moment in fakes.douban.arrivals if moment >= started]
    most = most_in_any_window(arrivals)
    films = {request.param("q") for request in fakes.douban.requests if request.path == "/j/subject_suggest"}
    # The floor: a search (a card's) and a subject (a completion's) for each distinct film, every token taken as early
    # as the budget's rules allow.
    kinds = [Priority.CARD] * len(films) + [Priority.COMPLETION] * len(films)
    floor = budget_times([0.0] * len(kinds), policy, kinds)[-1] + DOUBAN_LATENCY_SECONDS if films else 0.0
    profile = fakes.profile
    print(
        f"douban: {len(arrivals)} requests for {len(films)} distinct films; per minute "
        f"{', '.join(map(str, per_minute(arrivals, started))) or '0'}"
    )
    print(
        f"  the most in any 60 s: {most} (budget {policy.per_minute} a minute): "
        f"{'within' if most <= policy.per_minute else 'OVER THE BUDGET'}; Douban rate-limited us "
        f"{profile.rate_limited} times, banned us {profile.bans}, the challenged desktop page was asked "
        f"{profile.challenged} times"
    )
    print(
        f"cards waiting: {completion.waiting_when_ended} of {completion.shown} shown were still Douban's search entry "
        f"when every request had ended (at most {completion.most_waiting}), each completed by a queued, budgeted try"
    )
    print(f"cards unfound: {completion.unfound} ended without Douban's data, their request's time ran out first")
    if completion.complete_at is None:
        print(f"time to complete: not every card within {COMPLETE_BOUND_SECONDS:.0f} s of the requests ending")
    else:
        print(
            f"time to complete: every shown card complete {completion.complete_at:.0f} s after the burst; the budget's "
            f"floor for {2 * len(films)} requests is {floor:.0f} s ({completion.complete_at / max(floor, 1e-9):.2f}x)"
        )
    refused = profile.rate_limited or profile.bans
    return most <= policy.per_minute and not refused and completion.complete_at is not None


def bounded(low: float, high: float, kind: type = int) -> Any:
    def parse(text: str) -> float:
        value = kind(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}")
        return value

    return parse


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=bounded(1, 500), default=REQUESTS, help="people asking at once")
    parser.add_argument("--pollers", type=bounded(1, 100), default=POLLERS, help="concurrent pollers")
    parser.add_argument("--seconds", type=bounded(1, 600, float), default=TIME_BOUND_SECONDS, help="time bound")
    parser.add_argument(
        "--poll-pause", type=bounded(0.01, 5, float), default=POLL_PAUSE_SECONDS, help="each poller's, in seconds"
    )
    parser.add_argument("--rate-limit-per-minute", type=bounded(0, 10_000), default=0, help="0: off")
    options = parser.parse_args()

    with local_stack(options.rate_limit_per_minute) as fakes:
        print(
            f"load on {fakes.api_url}: {options.requests} people at once (tags, count {COUNT}, {MOVIES_PER_ANSWER} "
            f"films named each from {POOL} popular ones), {options.pollers} pollers, bound {options.seconds:.0f} s and "
            f"{MAX_POLLS} polls, rate limit "
            + (f"{options.rate_limit_per_minute}/min" if options.rate_limit_per_minute else "off")
            + f"; Douban: the fake's {fakes.profile.name} profile, the deployed budget; machine load "
            f"{os.getloadavg()[0]:.1f}",
            flush=True,
        )
        started = time.monotonic()
        deadline = started + options.seconds
        creations = Answers()
        created = send_burst(fakes.api_url, options.requests, creations)
        polling = Polling(fakes.api_url, created, deadline)
        polling.run(options.pollers, options.poll_pause)
        completion = Completion.watch(fakes.api_url, created, started, COMPLETE_BOUND_SECONDS)
        # Before the stack stops: what its workers print while stopping would land amid the figures.
        passed = report(options.requests, options.pollers, created, creations, polling)
        douban_passed = douban_report(fakes, started, completion)
    return 0 if passed and douban_passed else 1


if __name__ == "__main__":
    sys.exit(main())
