import uuid

import pytest

from movierec.intake import Intake, RateLimited, UnknownPrevious
from movierec.modes.star import StarRequest
from movierec.ratelimit import RateLimiter
from movierec.storage import RequestStore
from tests.fakes.queues import RecordingQueue


@pytest.fixture
def clock():
    return {"now": 1_000.0}


@pytest.fixture
def queue():
    return RecordingQueue()


@pytest.fixture
def intake(aws, clock, queue):
    store = RequestStore(aws.Table("RequestsTable"), deadline_seconds=90, clock=lambda: clock["now"])
    limiter = RateLimiter(aws.Table("RateLimitTable"), per_minute=2, clock=lambda: clock["now"])
    return Intake(store, queue, limiter, clock=lambda: clock["now"])


STAR = StarRequest(mode="star", star="周星驰")


def test_a_request_is_stored_pending_and_queued(intake, queue):
    request_id = intake.create(STAR, "ip#1")
    assert intake.poll(str(request_id)).status == "pending"
    assert [job.request_id for job in queue.sent] == [request_id]


def test_a_third_request_in_a_minute_is_refused(intake):
    intake.create(STAR, "ip#1")
    intake.create(STAR, "ip#1")
    with pytest.raises(RateLimited) as refused:
        intake.create(STAR, "ip#1")
    assert 1 <= refused.value.retry_after_seconds <= 60
    intake.create(STAR, "ip#2")


def test_an_unknown_previous_request_is_refused(intake):
    with pytest.raises(UnknownPrevious):
        intake.create(StarRequest(mode="star", star="周星驰", previous=uuid.uuid4()), "ip#1")


@pytest.mark.parametrize("text", ["nope", str(uuid.uuid1()), str(uuid.uuid4())])
def test_a_poll_for_no_request_is_none(intake, text):
    assert intake.poll(text) is None


def test_a_poll_past_the_deadline_ends_the_request(intake, clock):
    request_id = intake.create(STAR, "ip#1")
    clock["now"] += 91
    polled = intake.poll(str(request_id))
    assert (polled.status, polled.error.code) == ("failed", "timeout")
