"""Per-client limits on what costs money or Douban's patience: new requests (an LLM call each), movie reads, sign-ins,
reports.

A window per client that opens at its first request and lasts a minute: at most ``per_minute`` requests in it. A
calendar minute would let twice the limit through across its edge, and restart a burst's count in its middle. Counted
with conditional DynamoDB updates on one item per client, so every API instance shares the count; the item expires by
TTL.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from movierec.core.conditional_writes import conditional_update, epoch_number

WINDOW_SECONDS = 60


class RateLimited(Exception):
    """Refused for now: `code` and `message` go to the person, with Retry-After `retry_after_seconds`."""

    def __init__(self, retry_after_seconds: int, code: str = "rate_limited", message: str = "") -> None:
        self.retry_after_seconds = retry_after_seconds
        self.code = code
        self.message = message or f"请求太频繁了，请 {retry_after_seconds} 秒后再试。"
        super().__init__(self.message)


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after_seconds: int = 0


class RateLimiter:
    def __init__(self, table: Any, per_minute: int, clock: Callable[[], float] = time.time) -> None:
        self._table = table
        self._per_minute = per_minute
        self._clock = clock

    def check(self, client: str) -> Verdict:
        """Count one request for `client`; refused once its window's limit is reached.

        The common case is one write: a request within the client's open window. The first request after a window
        closed opens the next (its count starts at one); a request that lost a race to open it is counted in it.
        """
        if self._per_minute <= 0:  # 0 turns the limit off
            return Verdict(allowed=True)
        now = self._clock()
        if self._count_in_open_window(client, now) or self._open_window(client, now):
            return Verdict(allowed=True)
        if self._count_in_open_window(client, now):  # another request opened it between the two writes
            return Verdict(allowed=True)
        return self._refused(self._read(client), now)

    def peek(self, client: str) -> Verdict:
        """Whether `client` may make one more request in this window, without counting it: a caller that has more
        to check before it takes the request (its input) counts it with :meth:`check` once it does."""
        if self._per_minute <= 0:
            return Verdict(allowed=True)
        now = self._clock()
        item = self._read(client)
        if item is not None and _is_open(item, now) and int(item.get("hits", 0)) >= self._per_minute:
            return self._refused(item, now)
        return Verdict(allowed=True)

    def _count_in_open_window(self, client: str, now: float) -> bool:
        return self._conditional(
            client,
            UpdateExpression="ADD hits :one",
            ConditionExpression="window_start > :closed_before AND hits < :limit",
            ExpressionAttributeValues={
                ":one": 1,
                ":closed_before": epoch_number(now - WINDOW_SECONDS),
                ":limit": self._per_minute,
            },
        )

    def _open_window(self, client: str, now: float) -> bool:
        return self._conditional(
            client,
            UpdateExpression="SET window_start = :now, hits = :one, expires_at = :expires",
            ConditionExpression="attribute_not_exists(window_start) OR window_start <= :closed_before",
            ExpressionAttributeValues={
                ":now": epoch_number(now),
                ":one": 1,
                ":closed_before": epoch_number(now - WINDOW_SECONDS),
                ":expires": int(now) + 2 * WINDOW_SECONDS,
            },
        )

    def _conditional(self, client: str, **update: Any) -> bool:
        return conditional_update(self._table, Key={"id": _item_id(client)}, **update)

    def _read(self, client: str) -> dict[str, Any] | None:
        return self._table.get_item(Key={"id": _item_id(client)}, ConsistentRead=True).get("Item")

    @staticmethod
    def _refused(item: dict[str, Any] | None, now: float) -> Verdict:
        """Refused until the client's window closes (Retry-After, whole seconds, at least 1)."""
        closes_at = float(item["window_start"]) + WINDOW_SECONDS if item else now + WINDOW_SECONDS
        return Verdict(allowed=False, retry_after_seconds=max(1, math.ceil(closes_at - now)))


def _item_id(client: str) -> str:
    return f"{client}#minute"


def _is_open(item: dict[str, Any], now: float) -> bool:
    return "window_start" in item and float(item["window_start"]) > now - WINDOW_SECONDS
