"""The per-client limiter: a window that opens at the client's first request and lasts a minute."""

import pytest

from movierec.core.rate_limits import RateLimiter

START = 1_800_000_000.0  # a whole minute of the calendar: the edge the old calendar-minute window reset at


@pytest.fixture
def clock():
    return {"now": START}


@pytest.fixture
def table(aws):
    return aws.Table("RateLimitTable")


def limiter(table, clock, per_minute=3):
    return RateLimiter(table, per_minute, clock=lambda: clock["now"])


def test_a_burst_across_the_calendar_minute_is_held_to_the_limit(table, clock):
    """Twenty reads in two seconds that straddle a minute's edge get three, not three on each side of it."""
    limit = limiter(table, clock)
    clock["now"] = START - 1.0
    answers = []
    for _ in range(20):
        answers.append(limit.check("movies#198.51.100.7").allowed)
        clock["now"] += 0.1
    assert answers == [True] * 3 + [False] * 17


def test_the_window_closes_a_minute_after_its_first_request_and_says_when(table, clock):
    limit = limiter(table, clock, per_minute=2)
    assert [limit.check("a").allowed for _ in range(2)] == [True, True]
    clock["now"] += 20.5
    refused = limit.check("a")
    assert (refused.allowed, refused.retry_after_seconds) == (False, 40)  # 39.5 s, rounded up
    assert limit.peek("a") == refused
    clock["now"] += refused.retry_after_seconds
    assert limit.check("a").allowed  # a new window, counted from here
    assert limit.check("a").allowed
    assert not limit.check("a").allowed


def test_each_client_has_its_own_window_and_a_peek_counts_nothing(table, clock):
    limit = limiter(table, clock, per_minute=1)
    for _ in range(3):
        assert limit.peek("a").allowed
    assert limit.check("a").allowed
    assert not limit.peek("a").allowed
    assert limit.check("b").allowed


def test_a_request_that_loses_the_race_to_open_the_window_is_counted_in_it(table, clock):
    """Two instances see no open window at once: one opens it, the other's open fails and it counts itself in."""
    limit = limiter(table, clock)
    other = limiter(table, clock)

    class OtherOpensFirst:
        def __getattr__(self, name):
            return getattr(table, name)

        def update_item(self, **kwargs):
            if kwargs["UpdateExpression"].startswith("SET window_start") and not other_opened:
                other_opened.append(other.check("a"))
            return table.update_item(**kwargs)

    other_opened = []
    racing = RateLimiter(OtherOpensFirst(), 3, clock=lambda: clock["now"])
    assert racing.check("a").allowed
    assert other_opened[0].allowed
    assert [limit.check("a").allowed for _ in range(2)] == [True, False]  # two of three counted: one left


def test_zero_turns_the_limit_off(table, clock):
    limit = limiter(table, clock, per_minute=0)
    assert all(limit.check("a").allowed for _ in range(50))
    assert table.scan()["Items"] == []
