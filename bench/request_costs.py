"""What one request costs, for a person who excluded nothing and for one who excluded 2,000 films (issue 19).

On the benchmark's own stack (the handlers in this process, moto in a child that bills capacity by item size as
DynamoDB does: local/dynamodb_fidelity.py), the streamed scenario's request is made twice, once with an empty
`exclude` and once with 2,000 entries (Douban ids and Chinese titles, half each, as bench.prompt_tokens makes them).
Every DynamoDB call of the stack asks for its `ReturnConsumedCapacity`; the units are added up per request, the
API's apart (intake and the polls) from the workers'. It reports, per request:

- a poll: the bytes of its answer (the done request, as the mini-program receives it) and the read units of its one
  DynamoDB read (the mean over the request's polls);
- the read and write units of everything else (intake, the recommend and scrape workers, the movie cache, the
  circuits, idempotency), and of one card's write;
- how often the request's inputs were read (this stack is one process, so its workers share what they read; in
  AWS each worker instance reads them once: at most 1 + the scrape function's MaximumConcurrency, 4);
- the CPU seconds every process spent (this one, and moto's).

Target: each figure with 2,000 entries within 1.2x of the figure without.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from statistics import mean, median
from typing import Any

import requests
from botocore.client import BaseClient

from bench import cpu
from bench.pipeline import Pipeline
from bench.prompt_tokens import seen_list
from bench.scenario import StreamedAnswer

EXCLUDED = (0, 2000)
TARGET = 1.2  # × the figure without exclusions
DEPLOYED_INPUTS_READS = 1 + 4  # the recommend worker, then each of the scrape function's concurrent instances
_READS = frozenset({"GetItem", "BatchGetItem", "Query", "Scan", "TransactGetItems"})
_BILLED = _READS | {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"}


@dataclass
class _Units:
    api_reads: list[float] = field(default_factory=list)  # each read the API made (intake, polls)
    reads: float = 0.0  # everything else's
    writes: float = 0.0
    card_writes: list[float] = field(default_factory=list)
    inputs_reads: list[float] = field(default_factory=list)  # the units of each read of the request's inputs


class CapacityMeter:
    """Adds up the capacity units of every DynamoDB call the stack in this process makes from now on, whichever
    boto3 session made its client (Powertools' idempotency makes its own). The benchmark's own calls (its main
    thread: emptying the movie cache between runs) are not the request's and are not counted."""

    def __init__(self) -> None:
        self.units = _Units()
        self._lock = threading.Lock()
        make_api_call = BaseClient._make_api_call
        meter = self

        def metered(client: BaseClient, operation: str, params: dict[str, Any]) -> Any:
            if client.meta.service_model.service_name != "dynamodb" or operation not in _BILLED:
                return make_api_call(client, operation, params)
            answer = make_api_call(client, operation, params | {"ReturnConsumedCapacity": "TOTAL"})
            if threading.current_thread() is not threading.main_thread():
                meter._count(operation, params, answer)
            return answer

        BaseClient._make_api_call = metered  # type: ignore[method-assign]

    def reset(self) -> _Units:
        with self._lock:
            units, self.units = self.units, _Units()
        return units

    def _count(self, operation: str, params: dict[str, Any], answer: dict[str, Any]) -> None:
        consumed = answer.get("ConsumedCapacity")
        entries = consumed if isinstance(consumed, list) else [consumed] if consumed else []
        spent = sum(float(entry.get("CapacityUnits", 0)) for entry in entries)
        in_api = "process_request_thread" in threading.current_thread().name
        key = (params.get("Key") or {}).get("id", "")
        key = str(key.get("S", "") if isinstance(key, dict) else key)  # a client's typed value, or a resource's
        with self._lock:
            if operation in _READS:
                if in_api:
                    self.units.api_reads.append(spent)
                else:
                    self.units.reads += spent
                if key.endswith("#inputs"):
                    self.units.inputs_reads.append(spent)
            else:
                self.units.writes += spent
                if operation == "UpdateItem" and "claimed_ids" in params.get("UpdateExpression", ""):
                    self.units.card_writes.append(spent)


@dataclass(frozen=True)
class RequestCost:
    excluded: int
    poll_bytes: float
    poll_read_units: float
    read_units: float
    deployed_read_units: float  # the same, with the inputs read as often as in AWS (once per worker instance)
    write_units: float
    card_write_units: float
    inputs_reads: int
    cpu_seconds: float
    polls: int

    def figures(self) -> dict[str, float]:
        """What must stay within the target of the request without exclusions."""
        return {
            "bytes of a poll": self.poll_bytes,
            "read units of a poll": self.poll_read_units,
            "read units, but the polls": self.deployed_read_units,
            "write units": self.write_units,
            "write units of a card": self.card_write_units,
            "CPU seconds, every process": self.cpu_seconds,
        }


def measure(pipeline: Pipeline, meter: CapacityMeter, answer: StreamedAnswer, runs: int = 2) -> list[RequestCost]:
    """Each number of excluded entries, `runs` requests each; the medians."""
    costs = []
    for excluded in EXCLUDED:
        asked = replace(answer, request=answer.request | {"exclude": seen_list(excluded)})
        costs.append(_median([_one(pipeline, meter, asked, excluded) for _ in range(runs)]))
    return costs


def _one(pipeline: Pipeline, meter: CapacityMeter, answer: StreamedAnswer, excluded: int) -> RequestCost:
    meter.reset()
    with cpu.measured() as spent:
        run = pipeline.run(answer)
    units = meter.reset()
    # The done request's answer, as the mini-program's last poll receives it.
    poll = requests.get(f"{pipeline.stack.api_url}/recommendations/{run.request_id}", timeout=5)
    return RequestCost(
        excluded=excluded,
        poll_bytes=len(poll.content),
        poll_read_units=mean(units.api_reads) if units.api_reads else 0.0,
        read_units=units.reads,
        deployed_read_units=units.reads
        + (DEPLOYED_INPUTS_READS - len(units.inputs_reads)) * (mean(units.inputs_reads) if units.inputs_reads else 0),
        write_units=units.writes,
        card_write_units=median(units.card_writes) if units.card_writes else 0.0,
        inputs_reads=len(units.inputs_reads),
        cpu_seconds=spent.total,
        polls=len(units.api_reads),  # intake reads nothing here (no `previous`, no sign-in): every read is a poll
    )


def _median(costs: Sequence[RequestCost]) -> RequestCost:
    figures = {name: median(getattr(cost, name) for cost in costs) for name in RequestCost.__dataclass_fields__}
    return RequestCost(**figures)


def passed(costs: Sequence[RequestCost]) -> bool:
    base, heavy = costs
    return all(heavy.figures()[name] <= TARGET * value for name, value in base.figures().items())


def table(costs: Sequence[RequestCost]) -> list[str]:
    base, heavy = costs
    lines = [
        "what a request costs, with 0 and with 2,000 excluded entries (the streamed scenario, count=10; medians of "
        "2 requests; DynamoDB units as DynamoDB bills them)",
        f"{'':30}{'0 excluded':>14}{'2,000 excluded':>16}{'ratio':>8}  {'target':<8}result",
    ]
    for name, value in base.figures().items():
        other = heavy.figures()[name]
        ratio = other / value if value else 1.0
        verdict = "PASS" if ratio <= TARGET else "FAIL"
        lines.append(f"{name:30}{value:14,.2f}{other:16,.2f}{ratio:7.2f}x  ≤{TARGET:.1f}x   {verdict}")
    lines.append(
        f"  polls: about {base.polls:.0f} a request at the benchmark's 0.1 s (the mini-program polls every 0.5 s and "
        f"more). The request's inputs were read {base.inputs_reads:.0f} and {heavy.inputs_reads:.0f} times here, as "
        f"this stack's workers share one process; the read units count them {DEPLOYED_INPUTS_READS} times, once per "
        f"worker instance as in AWS (measured here: {base.read_units:,.1f} and {heavy.read_units:,.1f})"
    )
    return lines
