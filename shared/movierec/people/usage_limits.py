"""Fair use: how many new requests each asker may make a minute, and how many LLM tokens a person may spend a day.

Signed-in people are limited one by one; without sign-in the only thing known is the source IP, which stays the
unit for sign-ins too. Only requests that are taken are counted (one atomic update per minute window): one refused
for its input costs nothing, though an asker already at the limit is refused before their input is checked. Tokens
are added up when each model round ends, from the usage the model reports, and checked before a request is
taken: a request may take a person past the budget (so may one made while another's answer is still streaming),
and the ones after it wait for the next day.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from movierec.core.rate_limits import RateLimited, RateLimiter

if TYPE_CHECKING:
    from movierec.people.sessions import Person

# Days run midnight to midnight Beijing time (UTC+8, no daylight saving), where the people are.
DAY_OFFSET_SECONDS = 8 * 3600
DAY_SECONDS = 86400
DAILY_LIMIT_MESSAGE = "今天的推荐次数已经用完了，明天再来吧。"


@dataclass(frozen=True)
class Requester:
    """Who asks: a signed-in person, or, without sign-in, a source IP."""

    ip: str
    person: Person | None = None

    @property
    def owner(self) -> str | None:
        """The person's key, which their requests carry; None without sign-in."""
        return self.person.key if self.person else None

    @property
    def client(self) -> str:
        """The unit that per-minute limits count."""
        return f"user#{self.person.key}" if self.person else f"ip#{self.ip}"


class DailyTokenBudget:
    """LLM tokens per person and day, one counter item per person and day that expires a day after."""

    def __init__(self, table: Any, daily_tokens: int, clock: Callable[[], float] = time.time) -> None:
        self._table = table
        self._daily_tokens = daily_tokens  # 0: no budget
        self._clock = clock

    def check(self, key: str) -> None:
        """Raises RateLimited (daily_limit_reached) once today's tokens reach the budget."""
        if self._daily_tokens <= 0:
            return
        if self.spent_today(key) >= self._daily_tokens:
            raise RateLimited(self._seconds_to_tomorrow(), code="daily_limit_reached", message=DAILY_LIMIT_MESSAGE)

    def record(self, key: str, tokens: int) -> None:
        if tokens <= 0:
            return
        day = self._day()
        self._table.update_item(
            Key={"id": self._item_id(key, day)},
            UpdateExpression="ADD tokens :tokens SET expires_at = :expires",
            ExpressionAttributeValues={":tokens": tokens, ":expires": (day + 2) * DAY_SECONDS - DAY_OFFSET_SECONDS},
        )

    def spent_today(self, key: str) -> int:
        item = self._table.get_item(Key={"id": self._item_id(key, self._day())}, ConsistentRead=True).get("Item")
        return int(item["tokens"]) if item else 0

    def _day(self) -> int:
        return int((self._clock() + DAY_OFFSET_SECONDS) // DAY_SECONDS)

    def _seconds_to_tomorrow(self) -> int:
        tomorrow_starts = (self._day() + 1) * DAY_SECONDS - DAY_OFFSET_SECONDS
        return max(1, int(tomorrow_starts - self._clock()))

    @staticmethod
    def _item_id(key: str, day: int) -> str:
        return f"tokens#{key}#{day}"


class UsageLimits:
    def __init__(self, per_ip: RateLimiter, per_person: RateLimiter, budget: DailyTokenBudget) -> None:
        self._per_ip = per_ip
        self._per_person = per_person
        self.budget = budget

    def check(self, requester: Requester) -> None:
        """Whether the requester may make a request now, counting nothing; raises RateLimited when over a limit."""
        if requester.person is not None:
            self.budget.check(requester.person.key)
        verdict = self._limiter(requester).peek(requester.client)
        if not verdict.allowed:
            raise RateLimited(verdict.retry_after_seconds)

    def admit(self, requester: Requester) -> None:
        """Count one new request, once it is taken; raises RateLimited when the requester is over a limit (another
        request of theirs may have been counted since :meth:`check`)."""
        verdict = self._limiter(requester).check(requester.client)
        if not verdict.allowed:
            raise RateLimited(verdict.retry_after_seconds)

    def _limiter(self, requester: Requester) -> RateLimiter:
        return self._per_person if requester.person is not None else self._per_ip
