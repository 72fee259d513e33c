"""The deployment's one Douban budget: the pure rules, the stores (in memory and DynamoDB on moto), concurrent takers,
priorities, conditional-write races and what Douban's answers do to it."""

from __future__ import annotations

import logging
import threading

import pytest

from movierec.douban.budget import (
    BUDGET_KEY,
    DEFAULT_PAUSE_SECONDS,
    SLOWED_SECONDS,
    WINDOW_MARGIN_SECONDS,
    WINDOW_SECONDS,
    BudgetPolicy,
    BudgetState,
    BudgetStore,
    DoubanBudget,
    DynamoBudgetStore,
    InMemoryBudgetStore,
    Priority,
    after_sending,
    reserve,
    wait_before,
)
from movierec.douban.errors import DoubanBanned, DoubanUnavailable, OutOfBudget
from tests.fakes.clock import START as NOW
from tests.fakes.clock import SimClock
from tests.fakes.douban_server import most_in_any_window

ANONYMOUS = BudgetPolicy(per_minute=10, signed_in_per_minute=20, burst=3)


def budget_on(store: BudgetStore, clock: SimClock, policy: BudgetPolicy = ANONYMOUS, **options) -> DoubanBudget:
    return DoubanBudget(store, policy, clock=clock, sleep=clock.sleep, jitter=lambda: 0.0, **options)


@pytest.fixture(params=["memory", "dynamodb"])
def store(request) -> BudgetStore:
    if request.param == "memory":
        return InMemoryBudgetStore()
    return DynamoBudgetStore(request.getfixturevalue("aws").Table("RateLimitTable"))


def sending(state: BudgetState, times: list[float], signed_in: bool = False) -> BudgetState:
    for moment in times:
        state = after_sending(state, ANONYMOUS, moment, signed_in)
    return state


# --- the pure rules ---------------------------------------------------------------------------------------------


def test_an_idle_budget_lets_a_card_go_at_once():
    assert wait_before(BudgetState(), ANONYMOUS, Priority.CARD, NOW, signed_in=False) == 0


def test_cards_may_burst_a_few_then_keep_the_pace():
    state = sending(BudgetState(), [NOW, NOW, NOW])  # the burst of 3

    # the pace is one every 6 s (10 a minute): after three at once, the fourth keeps the pace from the first
    assert wait_before(state, ANONYMOUS, Priority.CARD, NOW, signed_in=False) == pytest.approx(6)
    state = after_sending(state, ANONYMOUS, NOW + 6, signed_in=False)
    assert wait_before(state, ANONYMOUS, Priority.CARD, NOW + 6, signed_in=False) == pytest.approx(6)


def test_nothing_but_a_card_runs_ahead_of_the_pace():
    state = sending(BudgetState(), [NOW])

    assert wait_before(state, ANONYMOUS, Priority.CARD, NOW, signed_in=False) == 0
    assert wait_before(state, ANONYMOUS, Priority.SPARE, NOW, signed_in=False) == pytest.approx(6)


def test_no_window_of_a_minute_holds_more_than_the_budget():
    state, sent, now = BudgetState(), [], NOW
    while now < NOW + 300:
        if wait_before(state, ANONYMOUS, Priority.CARD, now, signed_in=False) == 0:
            state = after_sending(state, ANONYMOUS, now, signed_in=False)
            sent.append(now)
        now += 0.25

    assert most_in_any_window(sent) == 10
    assert len(sent) >= 45  # and the budget is used: about 10 a minute over five minutes


def test_the_tenth_request_of_a_minute_waits_for_the_first_to_leave_the_window():
    state = BudgetState(sent=tuple(NOW + second for second in range(10)), next_at=0)

    # (and a second more: Douban counts arrivals, a token is taken a moment before its request leaves)
    assert wait_before(state, ANONYMOUS, Priority.CARD, NOW + 10, signed_in=False) == pytest.approx(
        50 + WINDOW_MARGIN_SECONDS
    )


@pytest.mark.parametrize(
    ("priority", "reserved"),
    [
        (Priority.CARD, 0),
        (Priority.COMPLETION, 1),
        (Priority.SPARE, 2),
        (Priority.TOP_UP, 2),
        (Priority.CONTEXT, 3),
        (Priority.MOVIE_PAGE, 3),
        (Priority.IMPORT, 5),
        (Priority.WARM_UP, 6),
    ],
)
def test_each_priority_leaves_a_share_of_the_minute_to_those_above_it(priority, reserved):
    assert reserve(priority, 10) == reserved
    used = 10 - reserved - 1
    state = BudgetState(sent=tuple(NOW - 30 + second for second in range(used)))
    assert wait_before(state, ANONYMOUS, priority, NOW, signed_in=False) == 0  # one more of its share is left
    fuller = BudgetState(sent=tuple(NOW - 30 + second for second in range(used + 1)))
    assert wait_before(fuller, ANONYMOUS, priority, NOW, signed_in=False) > 0


def test_the_warm_up_runs_in_the_idle_share_only():
    busy = BudgetState(sent=(NOW - 50, NOW - 40, NOW - 30, NOW - 20))

    assert wait_before(busy, ANONYMOUS, Priority.CARD, NOW, signed_in=False) == 0
    # four of ten used in the last minute: the warm-up waits until one of them leaves the window
    assert wait_before(busy, ANONYMOUS, Priority.WARM_UP, NOW, signed_in=False) == pytest.approx(
        10 + WINDOW_MARGIN_SECONDS
    )


def test_a_working_cookie_doubles_the_budget():
    state = BudgetState(sent=tuple(NOW - 50 + 4 * n for n in range(12)))

    assert wait_before(state, ANONYMOUS, Priority.CARD, NOW, signed_in=False) > 0
    assert wait_before(state, ANONYMOUS, Priority.CARD, NOW, signed_in=True) == 0


def test_a_rate_limit_pauses_and_halves_the_budget():
    state = BudgetState(paused_until=NOW + 30, slowed_until=NOW + SLOWED_SECONDS)

    assert wait_before(state, ANONYMOUS, Priority.CARD, NOW, signed_in=False) == pytest.approx(30)
    assert ANONYMOUS.limit(state, NOW, signed_in=False) == 5
    assert ANONYMOUS.limit(state, NOW + SLOWED_SECONDS, signed_in=False) == 10


@pytest.mark.parametrize("per_minute", [1, 2, 3])
def test_a_budget_too_small_to_leave_the_warm_up_a_share_makes_it_wait_never_fail(per_minute):
    # The operator may set 1 to 3 a minute; a rate-limit answer halves 2 or 3 to one, which leaves the warm-up nothing
    # (its share is the idle six tenths of the minute): it waits for the budget to grow back, every other priority
    # goes on, and a taker is refused in time, never by an error.
    policy = BudgetPolicy(per_minute=per_minute, signed_in_per_minute=per_minute)
    halved = BudgetState(slowed_until=NOW + 600)

    waits = {priority: wait_before(halved, policy, priority, NOW, signed_in=False) for priority in Priority}

    assert waits[Priority.WARM_UP] == pytest.approx(600)
    assert waits[Priority.CARD] == 0
    clock = SimClock()
    with pytest.raises(OutOfBudget):
        budget_on(InMemoryBudgetStore(halved), clock, policy).take(Priority.WARM_UP, wait_seconds=90)


def test_the_state_keeps_only_the_last_minute():
    state = sending(BudgetState(), [NOW, NOW + 30, NOW + 62])

    assert state.sent == (NOW + 30, NOW + 62)
    assert state.version == 3


# --- the stores ---------------------------------------------------------------------------------------------------


def test_a_store_starts_empty_and_replaces_only_the_version_it_read(store):
    first = store.read()
    assert first == BudgetState()

    assert store.replace(first, after_sending(first, ANONYMOUS, NOW, False))
    assert not store.replace(first, after_sending(first, ANONYMOUS, NOW + 1, False))  # a stale version loses
    stored = store.read()
    assert (stored.sent, stored.version) == ((NOW,), 1)
    assert store.replace(stored, after_sending(stored, ANONYMOUS, NOW + 6, False))
    assert store.read().sent == (NOW, NOW + 6)


def test_a_deadline_only_ever_moves_later_and_never_undoes_a_token(store):
    before = store.read()
    assert store.extend("banned_until", NOW + 100)
    assert not store.extend("banned_until", NOW + 50)
    # a taker that decided before the deadline moved decides again on the state after it
    assert not store.replace(before, after_sending(before, ANONYMOUS, NOW, False))
    state = store.read()
    assert store.replace(state, after_sending(state, ANONYMOUS, NOW, False))
    assert store.read().banned_until == NOW + 100  # and a token never undoes a deadline
    assert store.read().sent == (NOW,)


def test_the_dynamodb_item_is_one_small_item(aws):
    table = aws.Table("RateLimitTable")
    budget = budget_on(DynamoBudgetStore(table), SimClock())
    for _ in range(25):
        budget.take(Priority.CARD, wait_seconds=120)

    item = table.get_item(Key={"id": BUDGET_KEY})["Item"]
    assert len(item["sent"]) <= 10  # the last minute's, whatever was taken before
    assert int(item["version"]) >= 25  # a version a token (and one for each wait announced)


# --- taking tokens ------------------------------------------------------------------------------------------------


def test_a_taker_waits_for_its_token_within_its_patience(store):
    clock = SimClock()
    budget = budget_on(store, clock)
    waits = [budget.take(Priority.CARD, wait_seconds=30).waited for _ in range(5)]

    assert waits[:3] == [0, 0, 0]  # the burst
    assert waits[3] == pytest.approx(6, abs=0.01)
    assert waits[4] == pytest.approx(6, abs=0.01)


def test_a_taker_that_cannot_have_a_token_in_time_takes_none(store):
    clock = SimClock()
    budget = budget_on(store, clock)
    for _ in range(3):
        budget.take(Priority.CARD, wait_seconds=0)

    with pytest.raises(OutOfBudget) as refused:
        budget.take(Priority.CARD, wait_seconds=2)
    assert refused.value.retry_after == pytest.approx(6)
    assert isinstance(refused.value, DoubanUnavailable)
    assert clock.sleeps == []  # it did not wait for what it could not have
    assert len(store.read().sent) == 3


def test_a_taker_that_no_longer_needs_its_token_stops_waiting_and_takes_none(store):
    clock = SimClock()
    budget = budget_on(store, clock)
    for _ in range(3):
        budget.take(Priority.CARD, wait_seconds=0)
    asked = []

    def found_meanwhile() -> bool:  # another worker cached what this one wanted, on its second look
        asked.append(clock.now)
        return len(asked) == 2

    assert budget.take(Priority.CARD, wait_seconds=30, unless=found_meanwhile) is None
    assert len(asked) == 2
    assert all(seconds <= 2.0 for seconds in clock.sleeps)  # it looked every 2 s while it waited
    assert len(store.read().sent) == 3  # and took nothing


def test_a_minute_of_greedy_takers_never_exceeds_the_budget(store):
    clock = SimClock()
    budget = budget_on(store, clock)
    taken = []
    while clock.now < NOW + 180:
        budget.take(Priority.CARD, wait_seconds=120)
        taken.append(clock.now)

    assert most_in_any_window(taken) <= 10


def test_concurrent_takers_share_the_budget_and_never_exceed_it():
    """Threads on one store, as workers of many functions are on the one DynamoDB item."""
    clock = SimClock()
    lock = threading.Lock()
    store = CountingStore()

    def sleep(seconds: float) -> None:
        with lock:
            clock.now += min(seconds, 0.5)

    budget = DoubanBudget(store, ANONYMOUS, clock=clock, sleep=sleep, jitter=lambda: 0.0)
    taken: list[float] = []

    def take_some() -> None:
        for _ in range(4):
            budget.take(Priority.CARD, wait_seconds=600)
            with lock:
                taken.append(clock.now)

    threads = [threading.Thread(target=take_some) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(taken) == 32
    assert store.tokens == 32  # every token one successful conditional write: none was given twice
    assert most_in_any_window(taken) <= 10


class CountingStore(InMemoryBudgetStore):
    """Counts the tokens written."""

    def __init__(self) -> None:
        super().__init__()
        self.tokens = 0

    def replace(self, old: BudgetState, new: BudgetState) -> bool:
        won = super().replace(old, new)
        self.tokens += won
        return won


class RacingStore(InMemoryBudgetStore):
    """Lets another taker take a token between this taker's read and its write, once: a conditional-write race."""

    def __init__(self) -> None:
        super().__init__()
        self.raced = False
        self.replaced = 0
        self.lost = 0

    def read(self) -> BudgetState:
        state = super().read()
        if not self.raced:
            self.raced = True
            rival = super().read()
            super().replace(rival, after_sending(rival, ANONYMOUS, NOW, False))  # the rival's token
        return state

    def replace(self, old: BudgetState, new: BudgetState) -> bool:
        won = super().replace(old, new)
        self.replaced += won
        self.lost += not won
        return won


def test_a_taker_that_loses_a_race_reads_again_and_never_takes_the_rival_s_token():
    store = RacingStore()
    budget = budget_on(store, SimClock())

    budget.take(Priority.CARD, wait_seconds=10)

    assert store.lost == 1  # its first write met the rival's version
    assert store.replaced == 1
    assert store.read().version == 2  # the rival's token and its own, each counted
    assert store.read().sent == (NOW, NOW)


def test_a_race_on_dynamodb_is_decided_by_the_conditional_write(aws):
    table = aws.Table("RateLimitTable")
    first, second = DynamoBudgetStore(table), DynamoBudgetStore(table)
    seen_by_first, seen_by_second = first.read(), second.read()

    assert first.replace(seen_by_first, after_sending(seen_by_first, ANONYMOUS, NOW, False))
    assert not second.replace(seen_by_second, after_sending(seen_by_second, ANONYMOUS, NOW, False))


def test_the_card_a_person_waits_for_gets_the_token_a_warm_up_waits_for():
    clock = SimClock()
    store = InMemoryBudgetStore(BudgetState(sent=tuple(NOW - 59 + n for n in range(6)), next_at=NOW))
    budget = budget_on(store, clock)

    with pytest.raises(OutOfBudget):
        budget.take(Priority.WARM_UP, wait_seconds=0)  # six of ten used: no idle share
    assert budget.take(Priority.CARD, wait_seconds=0).waited == 0


# --- what Douban's answers do to the budget ----------------------------------------------------------------------


def test_a_rate_limit_answer_makes_every_taker_wait_douban_s_time(store):
    clock = SimClock()
    budget, other_function = budget_on(store, clock), budget_on(store, clock)

    budget.slow_down(45)

    with pytest.raises(OutOfBudget) as refused:
        other_function.take(Priority.CARD, wait_seconds=10)
    assert refused.value.retry_after == pytest.approx(45)
    assert other_function.take(Priority.CARD, wait_seconds=60).waited == pytest.approx(45)


def test_a_rate_limit_that_names_no_wait_pauses_a_minute(store):
    clock = SimClock()
    budget = budget_on(store, clock)

    budget.slow_down(None)

    assert store.read().paused_until == pytest.approx(NOW + DEFAULT_PAUSE_SECONDS)


def test_a_ban_stops_every_taker_at_once_and_is_told_once(store, caplog):
    clock = SimClock()
    budget, other_function = budget_on(store, clock), budget_on(store, clock)

    with caplog.at_level(logging.ERROR):
        assert budget.ban(12 * 3600)
        assert not other_function.ban(6 * 3600)  # already known: no second log line
        clock.now += 1
        assert not other_function.ban(12 * 3600)  # a request that was on its way met it too: made to last, untold

    with pytest.raises(DoubanBanned) as banned:
        other_function.take(Priority.CARD, wait_seconds=60)
    assert banned.value.retry_after == pytest.approx(12 * 3600)
    assert clock.sleeps == []  # a ban is not waited out
    assert len([r for r in caplog.records if "BANS" in r.getMessage()]) == 1
    clock.now += 12 * 3600
    assert budget.take(Priority.CARD, wait_seconds=0).waited == 0  # the re-probe once it ends


def test_an_expired_cookie_drops_the_budget_to_the_anonymous_one(store):
    clock = SimClock()
    budget = budget_on(store, clock, cookie_configured=True)
    assert budget.signed_in()
    assert budget.take(Priority.CARD, wait_seconds=0).signed_in

    assert budget.cookie_failed(3600)

    assert not budget.signed_in()
    assert not budget.take(Priority.CARD, wait_seconds=60).signed_in
    clock.now += 3600
    assert budget.signed_in()


def test_no_cookie_is_never_signed_in(store):
    budget = budget_on(store, SimClock())

    assert not budget.signed_in()
    assert not budget.cookie_failed(3600)
    assert not budget.take(Priority.CARD, wait_seconds=0).signed_in


class BrokenStore(InMemoryBudgetStore):
    def read(self) -> BudgetState:
        from botocore.exceptions import EndpointConnectionError

        raise EndpointConnectionError(endpoint_url="http://dynamodb")


def test_a_budget_that_cannot_be_read_lets_nothing_through():
    with pytest.raises(OutOfBudget):
        budget_on(BrokenStore(), SimClock()).take(Priority.CARD, wait_seconds=60)


def test_the_window_is_a_minute():
    assert WINDOW_SECONDS == 60


def test_a_card_s_subject_goes_after_the_other_cards_searches_but_may_use_the_burst():
    from movierec.douban.budget import LookupSpend

    spend = LookupSpend(Priority.CARD, search_seconds=15, read_seconds=3, read_priority=Priority.COMPLETION)
    state = sending(BudgetState(), [NOW])  # the card's search

    assert spend.read.priority is Priority.COMPLETION
    assert wait_before(state, ANONYMOUS, Priority.COMPLETION, NOW, signed_in=False) == 0  # idle: at once
    last_token = BudgetState(sent=tuple(NOW - 50 + n for n in range(9)))
    assert wait_before(last_token, ANONYMOUS, Priority.CARD, NOW, signed_in=False) == 0  # another card's search
    assert wait_before(last_token, ANONYMOUS, Priority.COMPLETION, NOW, signed_in=False) > 0


def test_nothing_takes_a_token_while_someone_above_it_waits_for_its_turn(store):
    """A card's completion may use the burst as the cards do: when both wait for the same slot, the card has it."""
    clock = SimClock()
    card, completion = budget_on(store, clock), budget_on(store, clock)
    for _ in range(3):
        card.take(Priority.CARD, wait_seconds=0)  # the burst is spent: the next token is 6 s away
    assert wait_before(store.read(), ANONYMOUS, Priority.COMPLETION, NOW, signed_in=False) == pytest.approx(6)

    waits: list[float] = []

    def completion_arrives_meanwhile(seconds: float) -> None:
        """While the card's taker sleeps until its slot, a completion's taker asks for the same slot."""
        clock.sleeps.append(seconds)
        with pytest.raises(OutOfBudget) as refused:
            completion.take(Priority.COMPLETION, wait_seconds=0)
        waits.append(refused.value.retry_after)
        clock.now += seconds

    card._sleep = completion_arrives_meanwhile
    grant = card.take(Priority.CARD, wait_seconds=30)

    assert grant.waited == pytest.approx(6)
    assert waits == [pytest.approx(6 + 1)]  # told to wait until the card has had its turn (and a second)
    assert completion.take(Priority.COMPLETION, wait_seconds=30).waited > 0  # then it keeps the pace


def test_a_waiting_card_does_not_hold_back_another_card():
    state = BudgetState(waiting={Priority.CARD: NOW + 5})

    assert wait_before(state, ANONYMOUS, Priority.CARD, NOW, signed_in=False) == 0
    assert wait_before(state, ANONYMOUS, Priority.COMPLETION, NOW, signed_in=False) == pytest.approx(5)


def test_an_instance_alone_takes_a_token_with_one_write():
    class ReadCounting(CountingStore):
        reads = 0

        def read(self) -> BudgetState:
            self.reads += 1
            return super().read()

    store = ReadCounting()
    budget = budget_on(store, SimClock())

    for _ in range(3):
        budget.take(Priority.CARD, wait_seconds=0)

    assert (store.reads, store.tokens) == (1, 3)  # the state it wrote is the state it takes the next token from
    store.extend("paused_until", NOW + 30)  # another function learns of a rate limit
    with pytest.raises(OutOfBudget):
        budget.take(Priority.CARD, wait_seconds=10)  # its stale state's write fails, and the stored one says wait
    assert store.tokens == 3


def test_a_card_that_gives_up_for_now_still_holds_its_turn_for_when_its_job_comes_back(store):
    clock = SimClock()
    budget = budget_on(store, clock)
    for _ in range(3):
        budget.take(Priority.CARD, wait_seconds=0)

    with pytest.raises(OutOfBudget) as refused:
        budget.take(Priority.CARD, wait_seconds=1)  # its job is queued again, for in retry_after seconds

    assert refused.value.retry_after == pytest.approx(6)
    state = store.read()
    assert state.waiting[Priority.CARD] == pytest.approx(NOW + 6 + 1)
    assert wait_before(state, ANONYMOUS, Priority.COMPLETION, NOW + 6, signed_in=False) == pytest.approx(1)
