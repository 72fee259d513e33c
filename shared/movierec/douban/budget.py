"""One budget of Douban requests for the whole deployment, shared by every function and instance.

Douban watches an address, not a function: in 2026 an anonymous client sustains about 10 requests a minute, and a
burst of ~100 in a minute gets the address banned until the next day (jellyfin-plugin-metashark #96, whose code
throttles anonymous use to 10 a minute and 20 with a login cookie). So every request to Douban, from any function,
first takes a token here, and nothing in a deployment can exceed the budget however many people ask:

- **At most ``per_minute`` in any 60 s** (a sliding window of when the last requests went out), the operator's
  setting: 10 anonymous, 20 while the operator's cookie works (a cookie Douban stopped honouring counts as none).
- **Small bursts only**: requests are paced ``60 / per_minute`` seconds apart (a GCRA schedule); the cards a person
  is waiting for (and their completion) may run ``burst`` requests ahead of that pace, nothing else may.
- **Priorities**: each :class:`Priority` below the first leaves a share of the minute to those above it
  (:data:`HEADROOM`), and none takes a token while one above it is waiting for its turn (a taker that has to wait
  says so in the state, until when), so a warm-up never takes the request a waiting card needs.
- **Douban's own signals**: a rate-limit answer pauses every taker for the wait Douban gives (or a minute) and halves
  the budget for a while; a ban (``sec.douban.com/b``) stops every request until it ends; a cookie that met the
  login wall stops counting as signed in.

The state is one small item (:class:`BudgetState`), changed only by conditional writes on its version, so that two
takers racing for the last token cannot both have it: DynamoDB's, and the same code over moto locally. The rules are
pure functions of that state and the time (:func:`wait_before`, :func:`after_sending`), tested apart from the store.
"""

from __future__ import annotations

import logging
import math
import random
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from enum import IntEnum
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from movierec.core.conditional_writes import conditional_update, epoch_number
from movierec.core.observability import metrics
from movierec.douban.errors import DoubanBanned, OutOfBudget

logger = logging.getLogger(__name__)

WINDOW_SECONDS = 60.0
# Douban counts requests as they arrive; a token is taken a moment before its request leaves, and instances' clocks and
# the network differ by a little: the window is kept this much longer, so that Douban's minute never holds more.
WINDOW_MARGIN_SECONDS = 1.0
DEFAULT_PAUSE_SECONDS = 60.0  # a rate-limit answer that names no wait
SLOWED_SECONDS = 15 * 60.0  # how long the budget stays halved after a rate-limit answer
SLOWED_SHARE = 0.5
WAITING_SLACK_SECONDS = 1.0
UNLESS_NAP_SECONDS = 2.0  # how often a taker that may no longer need its token asks
BUDGET_KEY = "douban#budget"


class Priority(IntEnum):
    """Who a Douban request is for, most urgent first (issue 18's order)."""

    CARD = 0  # the first `count` cards of a live request: a person is looking at them
    COMPLETION = 1  # completing a card already shown from what was known (its search entry, a list)
    SPARE = 2  # a live request's extra candidates, beyond its count
    TOP_UP = 3  # the top-up round's candidates
    CONTEXT = 4  # a mode's context step (for_me's liked films, theme's `like`), before the prompt
    MOVIE_PAGE = 5  # GET /movies/{id}: a shared movie link
    IMPORT = 6  # a person's list, by their Douban id
    WARM_UP = 7  # the lists that warm the movie cache: the budget's idle share only


# The share of the minute's budget each priority leaves to those above it: it takes a token only while the last
# 60 s used less than (1 - share) of the budget. Warm-ups run only when four in ten requests of the minute are free.
HEADROOM: dict[Priority, float] = {
    Priority.CARD: 0.0,
    Priority.COMPLETION: 0.1,
    Priority.SPARE: 0.2,
    Priority.TOP_UP: 0.2,
    Priority.CONTEXT: 0.3,
    Priority.MOVIE_PAGE: 0.3,
    Priority.IMPORT: 0.5,
    Priority.WARM_UP: 0.6,
}


@dataclass(frozen=True)
class BudgetPolicy:
    """The operator's budget: requests per minute anonymous and while the cookie works, and the cards' burst."""

    per_minute: int = 10
    signed_in_per_minute: int = 20
    burst: int = 3

    def limit(self, state: BudgetState, now: float, signed_in: bool) -> int:
        """Requests allowed in any 60 s now: halved (at least one) while Douban's rate limit is fresh."""
        limit = self.signed_in_per_minute if signed_in else self.per_minute
        if state.slowed_until > now:
            limit = max(1, math.floor(limit * SLOWED_SHARE))
        return max(1, limit)

    @property
    def most(self) -> int:
        return max(self.per_minute, self.signed_in_per_minute, 1)


@dataclass(frozen=True)
class BudgetState:
    """The whole deployment's budget, as stored. Times are epoch seconds; ``version`` guards every change."""

    sent: tuple[float, ...] = ()  # when the requests of the last 60 s took their tokens, oldest first
    next_at: float = 0.0  # the pace's next slot (GCRA's theoretical arrival time)
    paused_until: float = 0.0  # Douban asked us to wait (a rate-limit answer)
    slowed_until: float = 0.0  # the budget is halved until then
    banned_until: float = 0.0  # Douban bans the address: nothing may be sent
    cookie_failed_until: float = 0.0  # the operator's cookie met the login wall: anonymous until then
    version: int = 0
    # Until when a taker of each priority is waiting for its turn (see waiting_deadline): those below it yield.
    waiting: Mapping[Priority, float] = field(default_factory=dict)

    def in_window(self, now: float) -> tuple[float, ...]:
        return tuple(moment for moment in self.sent if moment > now - WINDOW_SECONDS - WINDOW_MARGIN_SECONDS)

    def signed_in(self, cookie_configured: bool, now: float) -> bool:
        return cookie_configured and self.cookie_failed_until <= now


def waiting_deadline(priority: Priority) -> str:
    """The state's deadline that says a taker of ``priority`` is waiting (``waiting_card``, ``waiting_warm_up``...)."""
    return f"waiting_{priority.name.lower()}"


def reserve(priority: Priority, limit: int) -> int:
    """Requests of the minute that ``priority`` leaves to those above it."""
    return round(limit * HEADROOM[priority])


def wait_before(state: BudgetState, policy: BudgetPolicy, priority: Priority, now: float, signed_in: bool) -> float:
    """Seconds until a request of ``priority`` may go out, were nobody else to take a token first; 0: now.

    Pure. A ban is not waited for here (the taker refuses at once); a pause is.
    """
    limit = policy.limit(state, now, signed_in)
    interval = WINDOW_SECONDS / limit
    waits = [state.paused_until - now]
    # Someone above is waiting for a token: let them have the next one.
    waits += [until - now for above, until in state.waiting.items() if above < priority]
    recent = state.in_window(now)
    allowed = limit - reserve(priority, limit)
    if allowed <= 0:
        # So small a budget (one a minute, or two or three halved) leaves this priority no share: it waits for the
        # budget to grow back, or a whole window, and asks again then.
        waits.append(max(state.slowed_until - now, WINDOW_SECONDS + WINDOW_MARGIN_SECONDS))
    elif len(recent) >= allowed:
        # The oldest requests must leave the window until fewer than `allowed` are left in it.
        waits.append(recent[len(recent) - allowed] + WINDOW_SECONDS + WINDOW_MARGIN_SECONDS - now)
    tolerance = (policy.burst - 1) * interval if priority <= Priority.COMPLETION else 0.0
    waits.append(state.next_at - tolerance - now)
    return max(0.0, *waits)


def after_sending(state: BudgetState, policy: BudgetPolicy, now: float, signed_in: bool) -> BudgetState:
    """The state once a request took its token at ``now``. Pure."""
    interval = WINDOW_SECONDS / policy.limit(state, now, signed_in)
    sent = (*state.in_window(now), now)[-policy.most :]
    return replace(state, sent=sent, next_at=max(state.next_at, now) + interval, version=state.version + 1)


@dataclass(frozen=True)
class Spend:
    """What one fetch may spend of the budget: its priority, and how long each of its requests may wait for a token
    before the fetch gives up (:class:`~movierec.douban.errors.OutOfBudget`)."""

    priority: Priority
    wait_seconds: float


@dataclass(frozen=True)
class LookupSpend:
    """What one lookup may spend: its priority, how long its search may wait for a token (nothing can be shown
    without it), and how long reading the subject may (its search entry, or the card it completes, is shown
    meanwhile), at ``read_priority`` when that differs (a card's subject completes a card that can be shown)."""

    priority: Priority
    search_seconds: float
    read_seconds: float
    read_priority: Priority | None = None

    @property
    def search(self) -> Spend:
        return Spend(self.priority, self.search_seconds)

    @property
    def read(self) -> Spend:
        return Spend(self.read_priority if self.read_priority is not None else self.priority, self.read_seconds)


@dataclass(frozen=True)
class Grant:
    """A token taken: ``waited`` seconds for it; ``signed_in``: the operator's cookie may be sent with it."""

    waited: float
    signed_in: bool


# --- where the state lives ------------------------------------------------------------------------------------------

_DEADLINES = ("paused_until", "slowed_until", "banned_until", "cookie_failed_until")
_WAITING = {waiting_deadline(priority): priority for priority in Priority}


def _deadlines(state: BudgetState) -> dict[str, float]:
    return {name: getattr(state, name) for name in _DEADLINES} | {
        waiting_deadline(priority): until for priority, until in state.waiting.items()
    }


def _with_deadlines(state: BudgetState, deadlines: Mapping[str, float]) -> BudgetState:
    waiting = {_WAITING[name]: until for name, until in deadlines.items() if name in _WAITING and until}
    return replace(state, waiting=waiting, **{name: deadlines.get(name, 0.0) for name in _DEADLINES})


class BudgetStore(ABC):
    """The one state item: read it, replace it if nobody changed it since, or push one of its deadlines later."""

    @abstractmethod
    def read(self) -> BudgetState: ...

    @abstractmethod
    def replace(self, old: BudgetState, new: BudgetState) -> bool:
        """Store ``new`` if the stored state is still ``old`` (same version); False when another taker won."""

    @abstractmethod
    def extend(self, deadline: str, until: float, lapsed_by: float | None = None) -> bool:
        """Set ``deadline`` (one of :data:`_DEADLINES`, or a waiting one) to ``until`` unless it is already that late
        (or, with ``lapsed_by``, unless it has not passed by then: only the first to learn of it moves it); True when
        this call moved it. A deadline moved is a new version: a taker that decided on the state before it takes its
        token from the state after it."""


class InMemoryBudgetStore(BudgetStore):
    """One process: tests, benchmarks of the pure rules, and a single worker."""

    def __init__(self, state: BudgetState | None = None) -> None:
        self._lock = threading.Lock()
        self._state = state or BudgetState()

    def read(self) -> BudgetState:
        with self._lock:
            return self._state

    def replace(self, old: BudgetState, new: BudgetState) -> bool:
        with self._lock:
            if self._state.version != old.version:
                return False
            self._state = _with_deadlines(new, _deadlines(self._state))
            return True

    def extend(self, deadline: str, until: float, lapsed_by: float | None = None) -> bool:
        with self._lock:
            deadlines = _deadlines(self._state)
            current = deadlines.get(deadline, 0.0)
            if current >= until or (lapsed_by is not None and current > lapsed_by):
                return False
            moved = _with_deadlines(self._state, deadlines | {deadline: until})
            self._state = replace(moved, version=moved.version + 1)
            return True


class DynamoBudgetStore(BudgetStore):
    """The item ``id = "douban#budget"`` of the rate-limit table, read consistently and changed only by conditional
    updates: on the version for a token, on ``< :until`` for a deadline (which adds one to the version, so that a
    taker that decided before it decides again, and which a taker's write never undoes)."""

    def __init__(self, table: Any, key: str = BUDGET_KEY) -> None:
        self._table = table
        self._key = {"id": key}

    def read(self) -> BudgetState:
        item = self._table.get_item(Key=self._key, ConsistentRead=True).get("Item") or {}
        state = BudgetState(
            sent=tuple(float(moment) for moment in item.get("sent", [])),
            next_at=float(item.get("next_at", 0)),
            version=int(item.get("version", 0)),
        )
        return _with_deadlines(state, {name: float(item.get(name, 0)) for name in (*_DEADLINES, *_WAITING)})

    def replace(self, old: BudgetState, new: BudgetState) -> bool:
        condition = "attribute_not_exists(version)" if old.version == 0 else "version = :old"
        values: dict[str, Any] = {
            ":sent": [epoch_number(moment) for moment in new.sent],
            ":next": epoch_number(new.next_at),
            ":new": new.version,
        }
        if old.version:
            values[":old"] = old.version
        return self._conditional(
            UpdateExpression="SET sent = :sent, next_at = :next, version = :new",
            ConditionExpression=condition,
            ExpressionAttributeValues=values,
        )

    def extend(self, deadline: str, until: float, lapsed_by: float | None = None) -> bool:
        if deadline not in _DEADLINES and deadline not in _WAITING:
            raise ValueError(f"not a deadline of the budget: {deadline}")
        values: dict[str, Any] = {":until": epoch_number(until)}
        if lapsed_by is not None:
            values[":lapsed"] = epoch_number(lapsed_by)
        values[":one"] = 1
        return self._conditional(
            UpdateExpression="SET #deadline = :until ADD version :one",
            ConditionExpression=(
                "attribute_not_exists(#deadline) OR (#deadline < :until"
                + (" AND #deadline <= :lapsed)" if lapsed_by is not None else ")")
            ),
            ExpressionAttributeNames={"#deadline": deadline},
            ExpressionAttributeValues=values,
        )

    def _conditional(self, **update: Any) -> bool:
        return conditional_update(self._table, Key=self._key, **update)


# --- the budget every Douban client takes from -----------------------------------------------------------------


@dataclass
class _Seen:
    """The state this instance read last, and when (epoch seconds): for questions that need not cost a read."""

    state: BudgetState = field(default_factory=BudgetState)
    at: float = float("-inf")


class DoubanBudget:
    """Take a token before every request to Douban; tell it what Douban answered that concerns everyone.

    ``cookie_configured``: the operator's Douban cookie is set (the signed-in budget applies while it works).
    A store that cannot be read or written refuses the request (:class:`OutOfBudget`): a budget nobody can check must
    not let requests through, since a ban lasts a day.
    """

    FRESH_SECONDS = 30.0  # how old a state may be to answer `signed_in` without a read
    FRESH_TAKE_SECONDS = 5.0  # how old the state this instance wrote may be to take a token from it first

    def __init__(
        self,
        store: BudgetStore,
        policy: BudgetPolicy,
        *,
        cookie_configured: bool = False,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self._store = store
        self._policy = policy
        self._cookie_configured = cookie_configured
        self._clock = clock
        self._sleep = sleep
        self._jitter = jitter
        self._seen = _Seen()
        self._seen_lock = threading.Lock()
        self._taking = threading.Lock()  # this instance's threads take their tokens one at a time

    def __repr__(self) -> str:
        return f"DoubanBudget({self._policy.per_minute}/min, {self._policy.signed_in_per_minute}/min signed in)"

    @property
    def policy(self) -> BudgetPolicy:
        return self._policy

    def take(self, priority: Priority, wait_seconds: float, unless: Callable[[], bool] | None = None) -> Grant | None:
        """A token for one request of ``priority``, waiting at most ``wait_seconds`` for it; None when, while it
        waited, ``unless()`` said the request is no longer needed (asked every :data:`UNLESS_NAP_SECONDS`).

        Raises :class:`DoubanBanned` at once while Douban bans us, and :class:`OutOfBudget` when no token can be had
        in time (nothing is taken then). The threads of one instance take their tokens one at a time, each from the
        state this instance last wrote when it is fresh (one write a token when nobody else takes), else from the
        stored one: every write is conditional on the version it saw, so a stale state only costs a read.
        """
        started = self._clock()
        give_up_at = started + wait_seconds
        must_read = False
        while True:
            with self._taking:
                state, was_read = self._state(must_read)
                now = self._clock()
                if state.banned_until > now:
                    raise DoubanBanned("Douban bans this address for now", retry_after=state.banned_until - now)
                signed_in = state.signed_in(self._cookie_configured, now)
                wait = wait_before(state, self._policy, priority, now, signed_in)
                if wait <= 0:
                    taken = after_sending(state, self._policy, now, signed_in)
                    if self._write(state, taken):
                        self._remember(taken)
                        return Grant(waited=now - started, signed_in=signed_in)
                must_read = True  # another taker or a deadline changed it; or it is to be waited on: the stored one
                if wait <= 0 or not was_read:
                    continue
            if priority < max(Priority):
                # Those below yield to a taker that waits, here or as a job queued again for when the budget says
                # (a lookup that gives up comes back then): it says until when, with a second for its write.
                self._extend(waiting_deadline(priority), now + wait + WAITING_SLACK_SECONDS)
            if now + wait > give_up_at:
                metrics.add_metric(name="DoubanBudgetRefused", unit="Count", value=1)
                raise OutOfBudget(f"no Douban request to spare for {priority.name.lower()} now", retry_after=wait)
            # A little jitter, so that takers woken by the same slot do not all write at once.
            nap = min(wait + self._jitter() * 0.25, give_up_at - now)
            self._sleep(min(nap, UNLESS_NAP_SECONDS) if unless is not None else nap)
            if unless is not None and unless():
                return None

    def signed_in(self) -> bool:
        """Whether the operator's cookie works, as this instance last read (at most :attr:`FRESH_SECONDS` ago)."""
        if not self._cookie_configured:
            return False
        with self._seen_lock:
            seen = self._seen
        now = self._clock()
        state = seen.state if now - seen.at <= self.FRESH_SECONDS else self._read()
        return state.signed_in(True, now)

    def slow_down(self, seconds: float | None) -> None:
        """Douban answered a rate limit: every taker waits ``seconds`` (a minute when it named none) and the budget is
        halved for :data:`SLOWED_SECONDS`."""
        now = self._clock()
        pause = seconds if seconds is not None and seconds > 0 else DEFAULT_PAUSE_SECONDS
        self._extend("slowed_until", now + SLOWED_SECONDS)
        if self._extend("paused_until", now + pause):
            logger.warning("douban rate-limits us: every Douban request waits %.0fs, the budget halved", pause)
        metrics.add_metric(name="DoubanRateLimited", unit="Count", value=1)

    def ban(self, seconds: float) -> bool:
        """Douban bans this address for ``seconds``: every source of every function stops. True when this call is
        the one that learnt it (it logs one clear line and counts the metric; the others say nothing)."""
        now = self._clock()
        until = now + seconds
        if not self._extend("banned_until", until, lapsed_by=now):
            self._extend("banned_until", until)  # known already: only made to last as long as Douban now says
            return False
        logger.error(
            "DOUBAN BANS THIS DEPLOYMENT'S ADDRESS: no Douban request until %s (%.1f h); cards come from the cache",
            time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(until)),
            seconds / 3600,
        )
        metrics.add_metric(name="DoubanBanned", unit="Count", value=1)
        return True

    def cookie_failed(self, seconds: float) -> bool:
        """The operator's cookie met Douban's login wall: requests go out anonymously, on the anonymous budget, for
        ``seconds``. True when this call learnt it (it logs and counts, once)."""
        now = self._clock()
        if not self._cookie_configured or not self._extend("cookie_failed_until", now + seconds, lapsed_by=now):
            return False
        logger.error("the operator's Douban cookie has expired (login wall): anonymous until it is replaced")
        metrics.add_metric(name="DoubanCookieExpired", unit="Count", value=1)
        return True

    def _state(self, must_read: bool) -> tuple[BudgetState, bool]:
        """The state to take from, and whether it was read just now (else it is the one this instance last saw)."""
        with self._seen_lock:
            seen = self._seen
        if not must_read and self._clock() - seen.at <= self.FRESH_TAKE_SECONDS:
            return seen.state, False
        return self._read(), True

    def _remember(self, state: BudgetState) -> None:
        with self._seen_lock:
            self._seen = _Seen(state, self._clock())

    def _read(self) -> BudgetState:
        try:
            state = self._store.read()
        except (ClientError, BotoCoreError) as error:
            logger.warning("douban budget: could not read it, so no request goes out", exc_info=True)
            raise OutOfBudget("the Douban budget cannot be read", retry_after=5.0) from error
        self._remember(state)
        return state

    def _write(self, old: BudgetState, new: BudgetState) -> bool:
        try:
            return self._store.replace(old, new)
        except (ClientError, BotoCoreError) as error:
            logger.warning("douban budget: could not take a token, so no request goes out", exc_info=True)
            raise OutOfBudget("the Douban budget cannot be written", retry_after=5.0) from error

    def _extend(self, deadline: str, until: float, lapsed_by: float | None = None) -> bool:
        try:
            moved = self._store.extend(deadline, until, lapsed_by)
        except (ClientError, BotoCoreError):
            logger.warning("douban budget: could not record %s", deadline, exc_info=True)
            return False
        if moved:
            with self._seen_lock:
                self._seen = _Seen()  # what this instance knew is out of date
        return moved


def unlimited(cookie_configured: bool = False) -> DoubanBudget:
    """A budget that never waits (per process): for tools and tests that measure something else."""
    policy = BudgetPolicy(per_minute=1_000_000, signed_in_per_minute=1_000_000)
    return DoubanBudget(InMemoryBudgetStore(), policy, cookie_configured=cookie_configured)
