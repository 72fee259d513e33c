"""The printed result: medians against their floors and targets, the naive way beside them, and where the time goes."""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from statistics import median

from bench.naive import NaiveRun
from bench.pipeline import DOUBAN_REQUESTS_PER_MINUTE, MovieTimeline, PipelineRun
from bench.scenario import (
    ANSWER_SECONDS,
    BURSTY_INTERVAL_SECONDS,
    CHUNK_CHARS,
    COUNT,
    DOUBAN_LATENCY_SECONDS,
    DOUBAN_REQUESTS_PER_MOVIE,
    FILMS,
    TYPED_CHARS_PER_SECOND,
    TYPED_CHUNK_CHARS,
    Floors,
    StreamedAnswer,
)

FIRST_CARD_TARGET = 1.3  # × its floor
DONE_TARGET = 1.2
# The typing-speed scenario, against the floors that wait for each movie's whole object (issue 14).
TYPED_FIRST_CARD_TARGET = 0.95
TYPED_DONE_TARGET = 1.0


@dataclass(frozen=True)
class Verdict:
    label: str
    floor: float
    streamed: list[float]
    naive: list[float]
    target: float

    @property
    def ratio(self) -> float:
        return median(self.streamed) / self.floor

    @property
    def passed(self) -> bool:
        return self.ratio <= self.target


def verdicts(floors: Floors, runs: Sequence[PipelineRun], naive_runs: Sequence[NaiveRun]) -> list[Verdict]:
    return [
        Verdict(
            "first found card",
            floors.first_card,
            [run.first_card for run in runs],
            [run.first_card for run in naive_runs],
            FIRST_CARD_TARGET,
        ),
        Verdict("done", floors.done, [run.done for run in runs], [run.done for run in naive_runs], DONE_TARGET),
    ]


def typed_verdicts(floors: Floors, runs: Sequence[PipelineRun]) -> list[Verdict]:
    return [
        Verdict("first found card", floors.first_card, [run.first_card for run in runs], [], TYPED_FIRST_CARD_TARGET),
        Verdict("done", floors.done, [run.done for run in runs], [], TYPED_DONE_TARGET),
    ]


def typed_table(answer: StreamedAnswer, results: Sequence[Verdict], named: Floors) -> list[str]:
    """The early start at a model's typing speed: each figure beside its object-complete floor and target."""
    lines = [
        f"a model typing {TYPED_CHARS_PER_SECOND:.0f} chars/s ({TYPED_CHUNK_CHARS} every "
        f"{answer.chunk_interval * 1000:.0f} ms, {len(answer.content)} chars, reasons up to 40): count={answer.count}, "
        f"{len(results[0].streamed)} runs",
        f"{'':18}{'floor':>8}  {'measured':<22}{'ratio':>7}  {'target':<8}{'result':<8}title-and-year floor",
    ]
    for verdict, start_floor in zip(results, (named.first_card, named.done), strict=True):
        lines.append(
            f"{verdict.label:18}{verdict.floor:6.2f} s  {_seconds(verdict.streamed):<22}{_ratio(verdict.ratio)}  "
            f"≤{verdict.target:.2f}x  {'PASS' if verdict.passed else 'FAIL':<8}{start_floor:6.2f} s"
        )
    lines.append(
        "  floor = when the movie's JSON object is complete in the stream + 2 × 300 ms Douban; the lookup may start "
        "at its title and year"
    )
    return lines


def make_run_table(results: Sequence[Verdict], bench_runs: Sequence[PipelineRun]) -> list[str]:
    """`make run`'s stack against the floors, with the benchmark's own stack beside it on the same answer."""
    bench = {"first found card": [run.first_card for run in bench_runs], "done": [run.done for run in bench_runs]}
    lines = [
        f"`make run`'s stack (python -m local in a process of its own, moto its child) and a bursty model: whole movie "
        f"objects {BURSTY_INTERVAL_SECONDS} s apart; count={COUNT}, {len(results[0].streamed)} runs",
        f"{'':18}{'floor':>8}  {'make run':<22}{'ratio':>7}  {'target':<8}{'result':<8}"
        f"the benchmark's stack ({len(bench_runs)} runs)",
    ]
    for verdict in results:
        beside = bench[verdict.label]
        lines.append(
            f"{verdict.label:18}{verdict.floor:6.2f} s  {_seconds(verdict.streamed):<22}{_ratio(verdict.ratio)}  "
            f"≤{verdict.target:.1f}x   {'PASS' if verdict.passed else 'FAIL':<8}"
            f"{_figure(median(beside)):>5} s = {_ratio(median(beside) / verdict.floor).strip()}"
        )
    lines.append(
        "  floor = when the movie's object arrives + 2 × 300 ms Douban; stopped with Ctrl-C (SIGINT) after the runs: "
        "exit 0, moto's port closed"
    )
    return lines


def _seconds(values: Sequence[float]) -> str:
    """Median (min–max); a run with no figure (it failed, or ran past its deadline) counts as endless: `∞`."""
    return f"{_figure(median(values)):>5} s ({_figure(min(values))}–{_figure(max(values))})"


def _figure(seconds: float) -> str:
    return f"{seconds:.2f}" if math.isfinite(seconds) else "∞"


def _ratio(value: float) -> str:
    return f"{value:6.2f}x" if math.isfinite(value) else f"{'∞':>6}x"


def untimed_runs(label: str, runs: Sequence[PipelineRun]) -> list[str]:
    """One line for each run that has no figure, saying why (these count as endless in the medians)."""
    return [f"  {label} run {index}: {run.note}" for index, run in enumerate(runs, 1) if not run.timed]


def scenario_lines(answer: StreamedAnswer, runs: int, load_before: float) -> list[str]:
    return [
        f"movierec latency benchmark: {runs} runs of each way; median (min–max); time 0 = just before the POST",
        f"  count={COUNT}; the fake model streams {len(FILMS)} movies evenly over {ANSWER_SECONDS:.1f} s "
        f"({len(answer.content)} chars, {CHUNK_CHARS} per chunk, a chunk every {answer.chunk_interval * 1000:.0f} ms)",
        f"  every Douban request takes {DOUBAN_LATENCY_SECONDS * 1000:.0f} ms, {DOUBAN_REQUESTS_PER_MOVIE} per "
        f"uncached movie; the movie cache is emptied before every run",
        f"  DOUBAN_REQUESTS_PER_MINUTE={DOUBAN_REQUESTS_PER_MINUTE}: the deployment's Douban budget (10 a minute "
        "deployed) is lifted, so it is not what is measured here (the Douban section measures it)",
        f"  machine: {os.cpu_count()} CPUs, load average {load_before:.1f} before the benchmark started (the "
        "handlers, pollers and API share one Python process: other load slows every figure)",
    ]


def results_table(results: Sequence[Verdict], naive_runs: Sequence[NaiveRun]) -> list[str]:
    header = f"{'':18}{'floor':>8}  {'streamed (pipeline)':<22}{'ratio':>7}  {'target':<8}{'result':<8}naive"
    lines = [header]
    for verdict in results:
        naive_ratio = median(verdict.naive) / verdict.floor
        lines.append(
            f"{verdict.label:18}{verdict.floor:6.2f} s  {_seconds(verdict.streamed):<22}{_ratio(verdict.ratio)}  "
            f"≤{verdict.target:.1f}x   {'PASS' if verdict.passed else 'FAIL':<8}"
            f"{_seconds(verdict.naive)} = {naive_ratio:.1f}x floor"
        )
    answer_complete = median(run.answer_complete for run in naive_runs)
    lines.append(
        f"  naive = the whole answer first (read by {answer_complete:.2f} s), then one lookup after another "
        "(DoubanLookup, empty cache)"
    )
    return lines


# Each stage of the breakdown: what it covers, and its duration for one movie (given when the model was called).
Stage = tuple[str, Callable[[float, MovieTimeline], float]]
STAGES: list[Stage] = [
    ("POST → the model is called (API, recommend queue, worker)", lambda called, _: called),
    ("model called → title and year known in the stream", lambda called, movie: movie.named_in_stream - called),
    (
        "title and year → its Douban search arrives (store, queue, worker)",
        lambda _, movie: movie.searched - movie.named_in_stream,
    ),
    (
        "search arrives → subject page request arrives (300 ms Douban)",
        lambda _, movie: movie.subject_read - movie.searched,
    ),
    (
        "page request arrives → a poll shows it found (300 ms Douban)",
        lambda _, movie: movie.card_seen - movie.subject_read,
    ),
    ("  (model called → object complete in the stream: the floor)", lambda called, m: m.completed_in_stream - called),
]


def _median_ms(values: Iterable[float]) -> float:
    return median(values) * 1000


def breakdown_table(runs: Sequence[PipelineRun]) -> list[str]:
    """Where the time went, over the runs that have every figure."""
    timed = [run for run in runs if run.timed]
    if not timed:
        return ["where the time goes: no run was done"]
    first_ranks = ",".join(str(run.first_card_movie.rank) for run in timed)
    last_ranks = ",".join(str(run.last_needed_movie.rank) for run in timed)
    width = max(len(label) for label, _ in STAGES) + 2
    lines = [
        f"{'where the time goes (median ms)':{width}}{'first card':>12}{'last needed':>13}",
        f"{'  the movie, by rank, in each run':{width}}{first_ranks:>12} {last_ranks:>12}",
    ]
    for label, duration in STAGES:
        first = _median_ms(duration(run.model_called, run.first_card_movie) for run in timed)
        last = _median_ms(duration(run.model_called, run.last_needed_movie) for run in timed)
        lines.append(f"  {label:{width - 2}}{first:12.0f}{last:13.0f}")
    done_after_card = _median_ms(run.done - run.last_needed_movie.card_seen for run in timed)
    lines.append(f"  {'that card seen → done seen':{width - 2}}{'':12}{done_after_card:13.0f}")
    return lines


def report(
    answer: StreamedAnswer,
    results: Sequence[Verdict],
    runs: Sequence[PipelineRun],
    naive_runs: Sequence[NaiveRun],
    load_before: float,
    *more: list[str],
) -> str:
    """The scenario, the streamed way against its floors and the naive way, where the time goes, then `more`
    sections (each a list of lines)."""
    sections = [
        scenario_lines(answer, len(runs), load_before),
        results_table(results, naive_runs),
        breakdown_table(runs),
        *more,
    ]
    return "\n\n".join("\n".join(section) for section in sections)
