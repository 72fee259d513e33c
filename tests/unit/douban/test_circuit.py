"""The circuit breaker, in memory and shared through DynamoDB (moto)."""

from __future__ import annotations

import pytest

from movierec.douban.circuit import (
    DEFAULT_OPEN_SECONDS,
    CircuitBreaker,
    DynamoCircuitBreaker,
    InMemoryCircuitBreaker,
    circuit_key,
)
from tests.fakes.clock import START as NOW


class CountingTable:
    """A Table that counts its reads, to see which answers come from memory."""

    def __init__(self, table) -> None:
        self._table = table
        self.reads = 0

    def get_item(self, **kwargs):
        self.reads += 1
        return self._table.get_item(**kwargs)

    def update_item(self, **kwargs):
        return self._table.update_item(**kwargs)


@pytest.fixture(params=["memory", "dynamodb"])
def breaker(request, clock) -> CircuitBreaker:
    if request.param == "memory":
        return InMemoryCircuitBreaker(clock=clock)
    return DynamoCircuitBreaker(request.getfixturevalue("table"), clock=clock)


def test_closed_until_opened(breaker):
    assert not breaker.is_open("desktop")
    assert breaker.retry_in("desktop") == 0


def test_open_for_the_given_time_then_closed_again(breaker, clock):
    breaker.open("desktop", 30)

    assert breaker.is_open("desktop")
    assert breaker.retry_in("desktop") == pytest.approx(30)
    assert not breaker.is_open("mobile")  # per source
    clock.now += 29
    assert breaker.is_open("desktop")
    clock.now += 2
    assert not breaker.is_open("desktop")


def test_default_duration_when_not_told(breaker):
    assert breaker.open("desktop") == DEFAULT_OPEN_SECONDS == 120
    assert breaker.retry_in("desktop") == pytest.approx(120)


def test_an_absurd_retry_after_is_capped(clock):
    breaker = InMemoryCircuitBreaker(clock=clock, max_open_seconds=600)

    assert breaker.open("desktop", 86_400) == 600
    assert breaker.retry_in("desktop") == pytest.approx(600)


def test_opening_again_never_shortens(breaker):
    breaker.open("desktop", 300)
    breaker.open("desktop", 10)

    assert breaker.retry_in("desktop") == pytest.approx(300)


def test_opening_again_extends(breaker, clock):
    breaker.open("desktop", 10)
    clock.now += 5
    breaker.open("desktop", 60)

    assert breaker.retry_in("desktop") == pytest.approx(60)


# --- shared through DynamoDB -------------------------------------------------------------------------------


def test_one_instance_opening_stops_the_others(table, clock):
    first, second = DynamoCircuitBreaker(table, clock=clock), DynamoCircuitBreaker(table, clock=clock)

    first.open("mobile", 90)

    assert second.is_open("mobile")
    assert second.retry_in("mobile") == pytest.approx(90, abs=1)


def test_the_item_holds_open_until_and_a_ttl(table, clock):
    DynamoCircuitBreaker(table, clock=clock).open("abstract", 120)

    item = table.get_item(Key={"pk": circuit_key("abstract")})["Item"]
    assert item["pk"] == "circuit#abstract"
    assert item["open_until"] == NOW + 120
    assert item["expires_at"] > item["open_until"]


def test_a_shorter_opening_elsewhere_does_not_shorten_the_shared_one(table, clock):
    first, second = DynamoCircuitBreaker(table, clock=clock), DynamoCircuitBreaker(table, clock=clock)

    first.open("desktop", 600)
    second.open("desktop", 30)  # the conditional write refuses it

    assert table.get_item(Key={"pk": circuit_key("desktop")})["Item"]["open_until"] == NOW + 600
    assert DynamoCircuitBreaker(table, clock=clock).retry_in("desktop") == pytest.approx(600)


def test_a_stale_item_not_yet_deleted_by_ttl_is_closed(table, clock):
    DynamoCircuitBreaker(table, clock=clock).open("desktop", 60)
    clock.now += 61

    assert not DynamoCircuitBreaker(table, clock=clock).is_open("desktop")


def test_a_circuit_known_open_costs_no_read(table, clock):
    counting = CountingTable(table)
    breaker = DynamoCircuitBreaker(counting, clock=clock)

    assert not breaker.is_open("desktop")
    assert counting.reads == 1
    DynamoCircuitBreaker(table, clock=clock).open("desktop", 60)  # another instance
    assert breaker.is_open("desktop")
    assert counting.reads == 2
    assert breaker.is_open("desktop")
    assert counting.reads == 2  # remembered until it closes
    clock.now += 61
    assert not breaker.is_open("desktop")
    assert counting.reads == 3


def test_dynamodb_errors_let_requests_through(aws, clock):
    missing = DynamoCircuitBreaker(aws.Table("NoSuchTable"), clock=clock)

    missing.open("desktop", 60)  # logged, not raised; still known open in this instance
    assert missing.is_open("desktop")
    assert not missing.is_open("mobile")
