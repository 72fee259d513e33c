"""A short circuit breaker per Douban source, so that once a source blocks us every worker leaves it alone a while.

Sources are plain names: "suggest", "desktop", "mobile", "abstract". Opening only ever extends the time a source
stays open; it closes by itself when that time has passed. The DynamoDB version shares the state between Lambda
instances through the movie cache table (``pk = "circuit#<source>"``, ``open_until`` epoch seconds, TTL
``expires_at``); when DynamoDB itself errs it lets requests through, as a breaker that cannot be read must not
stop the scraping.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from movierec.core.conditional_writes import is_condition_failure

logger = logging.getLogger(__name__)

DEFAULT_OPEN_SECONDS = 120.0
MAX_OPEN_SECONDS = 3600.0  # a Retry-After of a day would stop every lookup for a day; re-probe within the hour
_TTL_MARGIN_SECONDS = 3600  # keep the item a little after it closed; DynamoDB TTL deletes it some time later


class CircuitBreaker(ABC):
    """When a source may be tried again. Subclasses only store and read ``open_until`` (epoch seconds)."""

    def __init__(self, *, clock: Callable[[], float] = time.time, max_open_seconds: float = MAX_OPEN_SECONDS) -> None:
        self._clock = clock
        self._max_open_seconds = max_open_seconds

    def retry_in(self, source: str) -> float:
        """Seconds until ``source`` may be tried again; 0 when the circuit is closed."""
        open_until = self._read_open_until(source)
        return max(0.0, open_until - self._clock()) if open_until else 0.0

    def is_open(self, source: str) -> bool:
        return self.retry_in(source) > 0

    def open(self, source: str, seconds: float | None = None, longest: float | None = None) -> float:
        """Keep ``source`` closed to requests for ``seconds`` (default 120 s), at most ``longest`` (default the
        breaker's cap: a Retry-After of a day must not stop a source for a day; a challenge is remembered longer, on
        purpose); returns the time used."""
        seconds = min(max(seconds or DEFAULT_OPEN_SECONDS, 1.0), longest or self._max_open_seconds)
        logger.warning("douban circuit %s opened for %.0fs", source, seconds)
        self._extend_open_until(source, self._clock() + seconds)
        return seconds

    @abstractmethod
    def _read_open_until(self, source: str) -> float | None: ...

    @abstractmethod
    def _extend_open_until(self, source: str, open_until: float) -> None:
        """Store ``open_until`` unless a later one is already stored."""


class _OpenTimes:
    """``open_until`` per source in this process, thread-safe, only ever extended."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open_until: dict[str, float] = {}

    def get(self, source: str) -> float | None:
        with self._lock:
            return self._open_until.get(source)

    def extend(self, source: str, open_until: float) -> None:
        with self._lock:
            self._open_until[source] = max(open_until, self._open_until.get(source, 0.0))


class InMemoryCircuitBreaker(CircuitBreaker):
    """One process only: for tests, local runs and a single worker."""

    def __init__(self, *, clock: Callable[[], float] = time.time, max_open_seconds: float = MAX_OPEN_SECONDS) -> None:
        super().__init__(clock=clock, max_open_seconds=max_open_seconds)
        self._times = _OpenTimes()

    def _read_open_until(self, source: str) -> float | None:
        return self._times.get(source)

    def _extend_open_until(self, source: str, open_until: float) -> None:
        self._times.extend(source, open_until)


def circuit_key(source: str) -> str:
    return f"circuit#{source}"


class DynamoCircuitBreaker(CircuitBreaker):
    """Shared by every Lambda instance through the movie cache table.

    A circuit this instance already knows to be open is answered from memory, so an open source costs no read.
    """

    def __init__(
        self, table: Any, *, clock: Callable[[], float] = time.time, max_open_seconds: float = MAX_OPEN_SECONDS
    ) -> None:
        super().__init__(clock=clock, max_open_seconds=max_open_seconds)
        self._table = table
        self._known = _OpenTimes()

    def _read_open_until(self, source: str) -> float | None:
        known = self._known.get(source)
        if known and known > self._clock():
            return known
        try:
            item = self._table.get_item(Key={"pk": circuit_key(source)}).get("Item")
        except (ClientError, BotoCoreError):
            logger.warning("douban circuit %s: could not read its state, treating it as closed", source, exc_info=True)
            return None
        if not item or "open_until" not in item:
            return None
        open_until = float(item["open_until"])
        self._known.extend(source, open_until)
        return open_until

    def _extend_open_until(self, source: str, open_until: float) -> None:
        self._known.extend(source, open_until)
        until = math.ceil(open_until)
        try:
            self._table.update_item(
                Key={"pk": circuit_key(source)},
                UpdateExpression="SET open_until = :until, expires_at = :expires",
                ConditionExpression="attribute_not_exists(open_until) OR open_until < :until",
                ExpressionAttributeValues={":until": until, ":expires": until + _TTL_MARGIN_SECONDS},
            )
        except ClientError as error:
            if not is_condition_failure(error):
                logger.warning("douban circuit %s: could not share its state", source, exc_info=True)
        except BotoCoreError:
            logger.warning("douban circuit %s: could not share its state", source, exc_info=True)
