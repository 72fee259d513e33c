"""`python -m bench` (what `make bench` runs): how fast cards appear, against their floors and the naive way; how
fast the stack `make run` starts is; the API's cold import; Douban requests per film.

The benchmark's own local stack (the real handlers, SQS pollers, the HTTP API) runs in this process, with moto in a
child process of its own (in AWS, DynamoDB and SQS do not spend the handlers' CPU either), against a fake streaming
OpenAI-compatible model and a fake Douban, all on 127.0.0.1. It prints the median time to the first
`found` card and to `done`, their floors, the ratios, PASS/FAIL against the targets, the same request done the naive
way, and where the time goes; then the same for the stack a developer starts (`python -m local`, in a process of its
own), the cold import and the Douban requests. It exits 1 when a target is missed. It takes about four minutes.

Settings (all fixed, so that figures compare across commits):

- Scenario (bench/scenario.py): count=10 (REQUEST, theme mode); the model streams 13 movies (count + the recommend
  worker's 3 spares, all real films in the fake Douban's catalogue) evenly over ANSWER_SECONDS=5.0, in
  CHUNK_CHARS=10 character chunks, chunk i at i × 5.0 s / chunks after the request arrives (the fake keeps that
  clock even when this busy process wakes it late); every Douban request takes
  DOUBAN_LATENCY_SECONDS=0.3, and an uncached movie costs DOUBAN_REQUESTS_PER_MOVIE=2 (search + subject page).
- Floors: when the movie's JSON object is complete in the stream (the project's stream reader over the chunks the
  fake sends) + 2 × 0.3 s; the first card's floor uses the 1st movie, done's the 10th (every movie is found).
- Targets (bench/report.py): first card ≤ 1.3 × its floor, done ≤ 1.2 × its floor, on the medians.
- The typing-speed scenario (bench/scenario.py, issue 14): count=5 (TYPED_REQUEST); the model writes 8 movies with
  reasons of about 30 characters at TYPED_CHARS_PER_SECOND=60, TYPED_CHUNK_CHARS=3 every 50 ms. Each lookup may
  start once the movie's title and year are known, so first card and done are measured against the floors that
  wait for the whole object (as above, for the 1st and 5th movie): first card ≤ 0.95×, done ≤ 1.0× (a request is
  done when its 5 movies are found and their reasons complete). The title-and-year floors are printed beside them.
  TYPED_RUNS=3 runs (fewer when --runs is smaller).
- The bursty scenario (issue 14), for the stack `make run` starts: the same 13 movies, the answer opening at once
  and each movie's object arriving whole, BURSTY_INTERVAL_SECONDS=0.5 apart (the first 0.5 s in). Floors and targets
  as above (first card ≤ 1.3×, done ≤ 1.2×), on RUNS runs against `python -m local --no-env-file` (bench/pipeline.py,
  MakeRunStack: the settings below in its environment, its log lines read and dropped), which is then stopped with
  SIGINT and must exit 0 with moto's port closed. The same answer on the benchmark's own stack is printed beside
  it (BURSTY_BENCH_RUNS=3 runs).
- Measurement (bench/pipeline.py): time 0 just before the POST; GET every POLL_INTERVAL_SECONDS=0.1 from the moment
  the POST returns, a new connection per call, until the request is done, failed, or past its own deadline
  (REQUEST_DEADLINE_SECONDS=90, template.yaml's): a run that is not done is reported as such (∞ in the medians, its
  reason listed), never a crash. One warm-up request
  per stack is not counted (no cold start is measured). Before each run the movie cache table is emptied; after it,
  the benchmark waits (at most the request's deadline) until the stream has ended and the scrape queue is empty,
  and checks that each of the 10 shown movies cost exactly 2 Douban requests. The breakdown comes from the fakes'
  request logs (when the model was called, when each search and subject page request arrived) and the polls.
- Stack environment (what a deployer sets; the rest is template.yaml's defaults, e.g. scrape BatchSize 5 and
  MaximumConcurrency 4): OPENAI_BASE_URL / OPENAI_API_KEY / OPENAI_MODEL / LLM_JSON_MODE=object for the fake model;
  DOUBAN_BASE_URL = DOUBAN_MOBILE_BASE_URL = the fake Douban (its 2026-anonymous profile, thresholds raised);
  DOUBAN_REQUESTS_PER_MINUTE=600000, lifted from the deployed 10 so that the Douban budget is not what is measured
  here (the Douban section measures it); RATE_LIMIT_PER_MINUTE=0, so that runs in a row are not refused; and
  POWERTOOLS_METRICS_DISABLED=true. DOUBAN_COOKIE is unset and .env is not read. The benchmark's own stack logs
  warnings only, so that the table stays readable; `make run`'s logs as it does for a developer.
- The naive way (bench/naive.py): the same fake model read to the end of its stream with the `openai` SDK, then
  `DoubanLookup` (as movierec.runtime builds it, with an empty in-memory cache and circuit breaker and the same
  rate) one movie after another until 10 are found.
- Cold import (bench/cold_start.py): `import app` for the API function, with the layer as `sam build` makes it, in a
  new interpreter, against `import boto3` and one client: cold_start.SAMPLES=7 of each, alternating; ≤ 2.0×.
- Douban's budget and the movie cache (bench/douban_cache.py, issue 18): a tags request (count=5, 8 films named) on
  a cold and on a warm cache (the warm-up's lists), with the deployed budget (10 a minute) against the fake's
  2026-anonymous profile, each figure beside its floor (the budget's own rules simulated), and the cache's hit rate;
  it fails when a minute holds more requests than the budget, Douban refused us, or the warm request asked Douban.
- CPU (bench/cpu.py): user and system seconds of every process of the tree (this one with the handlers and the fakes,
  moto's child; for `make run`, its process and its moto too), over the streamed runs and over `make run`'s runs,
  per request.
- What a request costs (bench/request_costs.py, issue 19): the streamed scenario's request with 0 and with 2,000
  excluded entries, on the benchmark's own stack: the bytes and read units of a poll, the read and write units of
  everything else (DynamoDB's billing, computed by the local stack from item sizes), a card's write, CPU seconds;
  each with 2,000 entries ≤ 1.2 × without.
- RUNS=5 of each way (`--runs N`, 1 to 10, to change it).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "shared"))

from bench import cold_start, cpu, douban_cache, request_costs  # noqa: E402 - needs the layer's folder on the path
from bench.naive import NaiveRun, run_naive  # noqa: E402
from bench.pipeline import MakeRunStack, Pipeline, PipelineRun  # noqa: E402
from bench.report import (  # noqa: E402
    breakdown_table,
    make_run_table,
    report,
    typed_table,
    typed_verdicts,
    untimed_runs,
    verdicts,
)
from bench.scenario import bursty_answer, floors, named_floors, streamed_answer, typed_answer  # noqa: E402

RUNS = 5
TYPED_RUNS = 3
BURSTY_BENCH_RUNS = 3  # the bursty answer on the benchmark's own stack, beside `make run`'s


def repeat[Run: (PipelineRun, NaiveRun)](way: str, runs: int, run_once: Callable[[], Run]) -> list[Run]:
    """Every run of one way, with a line on stderr after each so that a minute of waiting shows progress."""
    results = []
    for index in range(runs):
        results.append(run := run_once())
        print(
            f"{way} run {index + 1}/{runs}: first card {run.first_card:.2f} s, done {run.done:.2f} s", file=sys.stderr
        )
    return results


def cpu_line(label: str, spent: cpu.CpuSpent, runs: int) -> str:
    """CPU seconds a request, every process of the stack, and each one's share."""
    shares = ", ".join(
        f"{cpu.describe(command)} {seconds / runs:.2f}"
        for command, seconds in sorted(spent.by_process.items(), key=lambda item: -item[1])
        if seconds / runs >= 0.01
    )
    return f"{label}: CPU a request, every process: {spent.total / runs:.2f} s ({shares})"


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description="movierec latency benchmark")
    parser.add_argument("--runs", type=int, default=RUNS, choices=range(1, 11), metavar="N", help="runs of each way")
    runs = parser.parse_args().runs

    load_before = os.getloadavg()[0]
    answer, typed, bursty = streamed_answer(), typed_answer(), bursty_answer()
    # The cold start first, while no stack of the benchmark's is running beside it.
    cold = cold_start.measure()
    print(f"cold start: API {cold.ratio:.2f}x a bare boto3 client", file=sys.stderr)
    douban = douban_cache.measure()
    print(
        f"Douban: cold done {douban.cold.done:.1f} s, warm done {douban.warm.done:.1f} s, "
        f"{douban.warm.douban_requests} requests warm",
        file=sys.stderr,
    )
    meter = request_costs.CapacityMeter()  # before any stack: every DynamoDB call of theirs is metered
    with Pipeline() as pipeline:
        pipeline.warm_up()
        with cpu.measured() as streamed_cpu:
            streamed = repeat("streamed", runs, lambda: pipeline.run(answer))
        naive = repeat("naive", runs, lambda: run_naive(answer, pipeline.llm, pipeline.douban))
        typed_runs = repeat("typed", min(runs, TYPED_RUNS), lambda: pipeline.run(typed))
        bursty_bench = repeat("bursty", min(runs, BURSTY_BENCH_RUNS), lambda: pipeline.run(bursty))
        costs = request_costs.measure(pipeline, meter, answer)
        print(f"costs: {costs[0].cpu_seconds:.2f} and {costs[1].cpu_seconds:.2f} CPU s a request", file=sys.stderr)
    with Pipeline(MakeRunStack) as make_run:
        make_run.warm_up()
        with cpu.measured() as make_run_cpu:
            bursty_make_run = repeat("make run, bursty", runs, lambda: make_run.run(bursty))
    results = verdicts(floors(answer), streamed, naive)
    typed_results = typed_verdicts(floors(typed), typed_runs)
    make_run_results = verdicts(floors(bursty), bursty_make_run, [])
    typed_lines = [*typed_table(typed, typed_results, named_floors(typed)), "", *breakdown_table(typed_runs)]
    untimed = [
        *untimed_runs("streamed", streamed),
        *untimed_runs("typed", typed_runs),
        *untimed_runs("bursty (the benchmark's stack)", bursty_bench),
        *untimed_runs("make run, bursty", bursty_make_run),
    ]
    print(
        report(
            answer,
            results,
            streamed,
            naive,
            load_before,
            [cpu_line("the streamed way, the benchmark's stack", streamed_cpu, len(streamed))],
            typed_lines,
            [
                *make_run_table(make_run_results, bursty_bench),
                cpu_line("  make run", make_run_cpu, len(bursty_make_run)),
                "",
                *breakdown_table(bursty_make_run),
            ],
            request_costs.table(costs),
            cold_start.table(cold),
            douban_cache.table(douban),
            *([["runs that have no figure (counted as endless in the medians):", *untimed]] if untimed else []),
        ),
        flush=True,
    )
    passed = all(result.passed for result in [*results, *typed_results, *make_run_results, cold, douban])
    passed = passed and request_costs.passed(costs)
    print("\nPASS: every target met" if passed else "\nFAIL: a target was missed", flush=True)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
