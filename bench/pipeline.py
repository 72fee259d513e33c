"""The streamed way, measured for real: the whole local stack driven over HTTP, as the mini-program drives it.

Two stacks, each against the same fakes in this process: the benchmark's own (`BenchStack`: the handlers and pollers
in this process, moto in a child process) and the one a developer starts (`MakeRunStack`: `python -m local`, as
`make run` starts it, in a process of its own). Time 0 is just before the POST; from the moment it returns,
GET /recommendations/{id} is polled every POLL_INTERVAL_SECONDS. A card counts from the first poll that shows it
`found`, the request from the first poll that shows it `done`. The fakes' request logs say when each stage began, for
the breakdown.
"""

from __future__ import annotations

import logging
import math
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self
from urllib.parse import urlsplit

import boto3
import requests

from bench.scenario import DOUBAN_LATENCY_SECONDS, DOUBAN_REQUESTS_PER_MOVIE, FILMS, REQUEST, StreamedAnswer
from bench.timed_fakes import TimedDouban, TimedLLM
from local.aws import REGION
from local.stack import OVERRIDABLE, LocalStack
from movierec import runtime
from tests.fakes.catalog import serve
from tests.fakes.douban_profiles import RELAXED, anonymous_2026
from tests.fakes.llm_server import Reply, movie

ROOT = Path(__file__).resolve().parent.parent

POLL_INTERVAL_SECONDS = 0.1  # finer than the mini-program (0.5 s and up), coarse enough not to load moto
# The product's own deadline (template.yaml's REQUEST_DEADLINE_SECONDS): by then a request is done or has failed,
# however slow the machine. A run that is not done is a figure (never a crash); waiting longer is a hang.
REQUEST_DEADLINE_SECONDS = 90.0
DEADLINE_MARGIN_SECONDS = 5.0  # for the poll that sees the deadline pass
# Lifted so that the deployment's Douban budget (10 a minute deployed) is not what is measured here: the Douban
# section (bench/douban_cache.py) measures a request under it, with a cold and a warm cache.
DOUBAN_REQUESTS_PER_MINUTE = "600000"
API_KEY = "sk-bench-not-a-real-key"


# The local stack names its tables and queues after their logical ids in template.yaml.
MOVIE_CACHE_TABLE = "MovieCacheTable"
SCRAPE_QUEUE = "ScrapeQueue"
STACK_START_SECONDS = 60.0  # `python -m local` ready, or the benchmark fails
STACK_STOP_SECONDS = 30.0


def stack_environment(llm: TimedLLM, douban: TimedDouban) -> dict[str, str]:
    """What a deployer would set, pointed at the fakes; the rest is template.yaml's defaults."""
    return {
        "OPENAI_BASE_URL": llm.base_url,
        "OPENAI_API_KEY": API_KEY,
        "OPENAI_MODEL": "fake-model",
        "LLM_JSON_MODE": "object",
        "DOUBAN_BASE_URL": douban.base_url,
        "DOUBAN_MOBILE_BASE_URL": douban.base_url,
        "DOUBAN_REQUESTS_PER_MINUTE": DOUBAN_REQUESTS_PER_MINUTE,
        "DOUBAN_SIGNED_IN_REQUESTS_PER_MINUTE": DOUBAN_REQUESTS_PER_MINUTE,
        "RATE_LIMIT_PER_MINUTE": "0",  # one client posting a run after another is no abuse
        "POWERTOOLS_METRICS_DISABLED": "true",
    }


@dataclass(frozen=True)
class MovieTimeline:
    """When one movie passed each stage, in seconds from time 0."""

    rank: int
    named_in_stream: float  # its title and year were known in the stream (its lookup may start)
    completed_in_stream: float  # its JSON object closed in the stream
    searched: float  # the scrape worker's Douban search arrived
    subject_read: float  # its subject page request arrived
    card_seen: float  # the first poll showing it found returned


@dataclass(frozen=True)
class PipelineRun:
    first_card: float  # math.inf: no card was seen found
    done: float  # math.inf: the request was not done (see `note`)
    model_called: float  # the recommend worker's request reached the model
    first_card_movie: MovieTimeline | None  # the movie whose card was seen first
    last_needed_movie: MovieTimeline | None  # the last of the first `count` to be seen found: it completed the request
    note: str | None = None  # why the run has no `done`: the request failed, or its deadline passed
    request_id: str = ""

    @property
    def timed(self) -> bool:
        """The run has every figure, and where its time went."""
        return self.note is None


@dataclass(frozen=True)
class RunningStack:
    """A started local stack, as the benchmark reaches it: its API, and moto's endpoint for its tables and queues."""

    api_url: str
    aws_endpoint: str

    def client(self, service: str) -> Any:
        return boto3.client(
            service,
            region_name=REGION,
            endpoint_url=self.aws_endpoint,
            aws_access_key_id="local",
            aws_secret_access_key="local",
        )


class BenchStack(AbstractContextManager[RunningStack]):
    """The benchmark's own stack: the handlers, pollers and API in this process, moto in a child process (in AWS,
    DynamoDB and SQS do not spend the handlers' CPU either)."""

    def __init__(self, environment: dict[str, str]) -> None:
        self._environment = environment
        self._saved_environment = dict(os.environ)
        self._stack: LocalStack | None = None

    def __enter__(self) -> RunningStack:
        os.environ.pop("DOUBAN_COOKIE", None)  # a developer's own cookie has no business with a fake
        os.environ.update(self._environment)
        self._stack = LocalStack(port=0, moto_in_child_process=True)
        try:
            self._stack.start()
        except BaseException:
            self.__exit__()
            raise
        # One JSON line per handler step would bury the table; warnings still show.
        logging.getLogger("movierec").setLevel(logging.WARNING)
        return RunningStack(self._stack.api_url, self._stack.aws.endpoint_url)

    def __exit__(self, *exc: object) -> None:
        if self._stack is not None:
            self._stack.stop()
        os.environ.clear()
        os.environ.update(self._saved_environment)
        runtime.reset()


class MakeRunStack(AbstractContextManager[RunningStack]):
    """`python -m local` as `make run` starts it, in a process of its own with its moto child, logging as it does for
    a developer; stopped with Ctrl-C's SIGINT, after which it must exit 0 and leave moto's port closed."""

    READY = re.compile(r"movierec API on (http://127\.0\.0\.1:\d+)")
    MOTO = re.compile(r"AWS \(moto\): (http://127\.0\.0\.1:\d+)")  # the banner's last line

    def __init__(self, environment: dict[str, str]) -> None:
        # A developer's own settings stay out: only the fakes' are given, and .env is not read.
        theirs = {*OVERRIDABLE, "OPENAI_API_KEY", "DOUBAN_COOKIE", "WECHAT_APP_SECRET", "OPENID_HASH_KEY"}
        kept = {name: value for name, value in os.environ.items() if name not in theirs and not name.startswith("AWS_")}
        self._environment = kept | environment | {"PORT": "0", "PYTHONUNBUFFERED": "1"}
        self._process: subprocess.Popen[str] | None = None
        self._output: deque[str] = deque(maxlen=200)  # the last lines, for an error message
        self._moto_port = 0

    def __enter__(self) -> RunningStack:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "local", "--no-env-file"],
            cwd=ROOT,
            env=self._environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        output = self._process.stdout
        timer = threading.Timer(STACK_START_SECONDS, self._process.kill)
        timer.start()
        try:
            api_url, aws_endpoint = self._read_banner(output)
        except BaseException:
            self.__exit__()
            raise
        finally:
            timer.cancel()
        self._moto_port = urlsplit(aws_endpoint).port or 0
        # Its log lines must be read, or the pipe fills and the stack blocks on a write.
        threading.Thread(target=self._keep, args=(output,), daemon=True).start()
        return RunningStack(api_url, aws_endpoint)

    def _read_banner(self, output: Iterable[str]) -> tuple[str, str]:
        api_url = ""
        for line in output:
            self._output.append(line)
            if ready := self.READY.search(line):
                api_url = ready.group(1)
            if api_url and (moto := self.MOTO.search(line)):
                return api_url, moto.group(1)
        raise RuntimeError("`python -m local` did not start:\n" + "".join(self._output))

    def _keep(self, output: Iterable[str]) -> None:
        self._output.extend(output)

    def __exit__(self, *exc: object) -> None:
        if self._process is None or self._process.poll() is not None:
            return
        self._process.send_signal(signal.SIGINT)  # Ctrl-C
        try:
            returncode = self._process.wait(timeout=STACK_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self._process.kill()
            raise RuntimeError(f"`python -m local` did not stop within {STACK_STOP_SECONDS:.0f} s of Ctrl-C") from None
        if returncode != 0:
            raise RuntimeError(f"`python -m local` exited {returncode}:\n" + "".join(self._output))
        if self._moto_port and _serves(self._moto_port):
            raise RuntimeError(f"moto still listens on port {self._moto_port} after `python -m local` stopped")


def _serves(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


StackFactory = Callable[[dict[str, str]], AbstractContextManager[RunningStack]]


class Pipeline:
    """The fakes and one local stack, started once for every run."""

    def __init__(self, stack: StackFactory = BenchStack) -> None:
        self.llm = TimedLLM()
        self.douban = TimedDouban(latency=DOUBAN_LATENCY_SECONDS, profile=anonymous_2026(**RELAXED))
        self._stack_factory = stack
        self._stack_context: AbstractContextManager[RunningStack] | None = None
        self._stack: RunningStack | None = None

    def __enter__(self) -> Self:
        self.llm.__enter__()
        self.douban.start()
        try:
            serve(self.douban, FILMS)
            self._stack_context = self._stack_factory(stack_environment(self.llm, self.douban))
            self._stack = self._stack_context.__enter__()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            if self._stack_context is not None and self._stack is not None:
                self._stack_context.__exit__(None, None, None)
        finally:
            self.douban.stop()
            self.llm.__exit__()

    @property
    def stack(self) -> RunningStack:
        assert self._stack is not None, "the pipeline is not started"
        return self._stack

    def warm_up(self) -> None:
        """One small request first, so that no run pays for building clients and connections (a cold start)."""
        self.llm.script(Reply.movies([movie(FILMS[0].title, FILMS[0].year, FILMS[0].original_title)]))
        request_id = self._post(REQUEST | {"count": 1})
        self._poll_until_done(request_id, time.monotonic(), {})
        self._settle()

    def run(self, answer: StreamedAnswer) -> PipelineRun:
        self._forget_cached_movies()
        self.douban.clear_timed_requests()
        calls_before = len(self.llm.called_at)
        self.llm.script(answer.reply)

        start = time.monotonic()
        request_id = self._post(answer.request)
        seen_found: dict[int, float] = {}  # rank → when a poll first showed it found, from time 0
        done, note = self._poll_until_done(request_id, start, seen_found)
        self._settle()

        model_called = self.llm.called_at[calls_before] - start if len(self.llm.called_at) > calls_before else math.inf
        first_card = min(seen_found.values(), default=math.inf)
        if note is not None:
            return PipelineRun(first_card, math.inf, model_called, None, None, note, request_id)
        self._check_every_lookup_was_uncached(answer.count)

        def timeline(rank: int) -> MovieTimeline:
            film = FILMS[rank - 1]
            searched = self.douban.first_search_for(film.title)
            subject_read = self.douban.first_subject_read(film.id)
            if searched is None or subject_read is None:
                raise RuntimeError(f"{film.title} was shown but never looked up on the fake Douban")
            return MovieTimeline(
                rank=rank,
                named_in_stream=model_called + answer.named_at[rank - 1],
                completed_in_stream=model_called + answer.completed_at[rank - 1],
                searched=searched - start,
                subject_read=subject_read - start,
                card_seen=seen_found[rank],
            )

        shown = {rank: seen for rank, seen in seen_found.items() if rank <= answer.count}
        return PipelineRun(
            first_card=first_card,
            done=done,
            model_called=model_called,
            first_card_movie=timeline(min(seen_found, key=seen_found.__getitem__)),
            last_needed_movie=timeline(max(shown, key=shown.__getitem__)),
            request_id=request_id,
        )

    # --- the HTTP API, as the mini-program uses it -------------------------------------------------------
    # A new connection per call: the local API server answers a kept-alive connection in two writes that wait on
    # Nagle's algorithm and the client's delayed ACK (about 40 ms a call), which API Gateway does not do.

    def _post(self, payload: dict[str, Any]) -> str:
        response = requests.post(f"{self.stack.api_url}/recommendations", json=payload, timeout=5)
        response.raise_for_status()
        return response.json()["id"]

    def _get(self, url: str) -> dict[str, Any]:
        response = requests.get(url, timeout=5)
        response.raise_for_status()
        return response.json()

    def _poll_until_done(self, request_id: str, start: float, seen_found: dict[int, float]) -> tuple[float, str | None]:
        """Seconds from ``start`` to the first poll showing the request done, or why it never was (it failed, or its
        deadline passed); fills in when each card was seen."""
        url = f"{self.stack.api_url}/recommendations/{request_id}"
        deadline = start + REQUEST_DEADLINE_SECONDS + DEADLINE_MARGIN_SECONDS
        next_poll = time.monotonic()
        while time.monotonic() < deadline:
            body = self._get(url)
            seen = time.monotonic() - start
            for card in body["movies"]:
                if card["status"] == "found":
                    seen_found.setdefault(card["rank"], seen)
            if body["status"] == "done":
                return seen, None
            if body["status"] == "failed":
                return math.inf, f"the request failed after {seen:.1f} s: {body['error']['code']}"
            next_poll += POLL_INTERVAL_SECONDS
            time.sleep(max(0.0, next_poll - time.monotonic()))
        late = f"the request was still {body['status']} {REQUEST_DEADLINE_SECONDS:.0f} s in, past its deadline"
        return math.inf, late

    # --- between runs ------------------------------------------------------------------------------------

    def _settle(self) -> None:
        """Wait for the stream to end and the spares to leave the scrape queue, so runs do not overlap."""
        sqs = self.stack.client("sqs")
        queue_url = sqs.get_queue_url(QueueName=SCRAPE_QUEUE)["QueueUrl"]
        deadline = time.monotonic() + REQUEST_DEADLINE_SECONDS
        while time.monotonic() < deadline:
            attributes = sqs.get_queue_attributes(
                QueueUrl=queue_url,
                AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
            )["Attributes"]
            streaming = len(self.llm.streams_finished_at) < len(self.llm.called_at)
            if not streaming and not any(int(value) for value in attributes.values()):
                return
            time.sleep(0.05)
        raise RuntimeError(f"the stack was still busy {REQUEST_DEADLINE_SECONDS:.0f} s after the request ended")

    def _forget_cached_movies(self) -> None:
        """Every run starts with an empty movie cache, so that every lookup costs its Douban requests."""
        table = self.stack.client("dynamodb")
        for item in table.scan(TableName=MOVIE_CACHE_TABLE, ProjectionExpression="pk")["Items"]:
            table.delete_item(TableName=MOVIE_CACHE_TABLE, Key={"pk": item["pk"]})

    def _check_every_lookup_was_uncached(self, count: int) -> None:
        for film in FILMS[:count]:
            sent = self.douban.requests_for(film.title, film.id)
            if sent != DOUBAN_REQUESTS_PER_MOVIE:
                raise RuntimeError(
                    f"{film.title} cost {sent} Douban requests, the floor assumes {DOUBAN_REQUESTS_PER_MOVIE}"
                )
