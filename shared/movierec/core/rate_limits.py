"""Per-client limits on new recommendation requests: each one costs an LLM call, which costs money.

A fixed one-minute window per client, counted with one atomic DynamoDB update, so every API
instance shares the count; the window's item expires by TTL.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

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
        """Count one request for `client`; refused once the window's limit is reached."""
        if self._per_minute <= 0:  # 0 turns the limit off
            return Verdict(allowed=True)
        window_start, retry_after = self._window()
        try:
            self._table.update_item(
                Key={"id": f"{client}#{window_start}"},
                UpdateExpression="ADD hits :one SET expires_at = :expires",
                ConditionExpression="attribute_not_exists(hits) OR hits < :limit",
                ExpressionAttributeValues={
                    ":one": 1,
                    ":limit": self._per_minute,
                    ":expires": window_start + 2 * WINDOW_SECONDS,
                },
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return Verdict(allowed=False, retry_after_seconds=retry_after)
            raise
        return Verdict(allowed=True)

    def peek(self, client: str) -> Verdict:
        """Whether `client` may make one more request in this window, without counting it: a caller that has more
        to check before it takes the request (its input) counts it with :meth:`check` once it does."""
        if self._per_minute <= 0:
            return Verdict(allowed=True)
        window_start, retry_after = self._window()
        item = self._table.get_item(Key={"id": f"{client}#{window_start}"}, ConsistentRead=True).get("Item")
        if item is not None and int(item.get("hits", 0)) >= self._per_minute:
            return Verdict(allowed=False, retry_after_seconds=retry_after)
        return Verdict(allowed=True)

    def _window(self) -> tuple[int, int]:
        """The current window's start (epoch seconds), and the seconds until the next one."""
        now = self._clock()
        window_start = int(now // WINDOW_SECONDS * WINDOW_SECONDS)
        return window_start, max(1, int(window_start + WINDOW_SECONDS - now))
