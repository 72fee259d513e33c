"""Reading a person's 看过 list from the mobile API, against a fake Douban: pages, hosts, and every kind of refusal."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from movierec.douban.budget import unlimited
from movierec.douban.circuit import InMemoryCircuitBreaker
from movierec.douban.http import DoubanHttp
from movierec.douban.interests import InterestsReader, InterestsRefused, UserNotFound
from movierec.douban.lookup import DoubanUnavailable
from tests.fakes.douban_history import (
    CHALLENGE,
    ERROR_IN_PAGE,
    FORBIDDEN,
    FRODO_PATH,
    LOGIN_WALL,
    REXXAR_PATH,
    SIGNATURE_ERROR,
    marks,
    refuse_interests,
    serve_interests,
)
from tests.fakes.douban_server import FakeDouban, Reply, local_only_session

UID = "someone"
REXXAR = REXXAR_PATH.format(uid=UID)
FRODO = FRODO_PATH.format(uid=UID)


@pytest.fixture
def douban() -> Iterator[FakeDouban]:
    with FakeDouban() as server:
        yield server


def reader(douban: FakeDouban, api_key: str | None = None, circuit=None) -> InterestsReader:
    http = DoubanHttp(budget=unlimited(), session=local_only_session(), sleep=lambda _: None, jitter=lambda: 0.0)
    return InterestsReader(http, circuit or InMemoryCircuitBreaker(), douban.base_url, douban.base_url, api_key)


def test_pages_are_asked_as_the_mobile_site_asks_and_read_to_the_stated_total(douban):
    films = marks(120)
    serve_interests(douban, UID, films)
    read = reader(douban)
    pages = [read.seen_page(UID, 0)]
    while not pages[-1].is_last:
        pages.append(read.seen_page(UID, pages[-1].next_start, pages[-1].host))

    assert [(page.start, len(page.interests)) for page in pages] == [(0, 50), (50, 50), (100, 20)]
    assert {page.total for page in pages} == {120}
    ids = [interest["subject"]["id"] for page in pages for interest in page.interests]
    assert ids == [film.douban_id for film in films]
    first = douban.requests_to(REXXAR)[0]
    assert (first.param("type"), first.param("status"), first.param("count")) == ("movie", "done", "50")
    assert first.header("Referer") == f"https://m.douban.com/people/{UID}/"
    assert "iPhone" in first.header("User-Agent")
    assert first.header("Cookie") is None


def test_a_page_shorter_than_asked_is_followed_by_the_next_one(douban):
    serve_interests(douban, UID, marks(45), page_size=20)
    read = reader(douban)
    first = read.seen_page(UID, 0)
    assert (len(first.interests), first.next_start, first.is_last) == (20, 20, False)


def test_an_empty_page_is_the_last_even_without_a_total(douban):
    douban.set(REXXAR, Reply.json({"count": 0, "start": 0, "interests": []}))
    page = reader(douban).seen_page(UID, 0)
    assert (page.is_last, page.total) == (True, None)


LIST_REFUSALS = {
    "403-json": FORBIDDEN,
    "403": Reply.status_only(403),
    "401": Reply.status_only(401),
    "error-json": ERROR_IN_PAGE,
}
BLOCKS = {
    "login-redirect": LOGIN_WALL,
    "sec-redirect": CHALLENGE,
    "418": Reply.status_only(418),
    "challenge-page": Reply.challenge(),
}


@pytest.mark.parametrize("refusal", LIST_REFUSALS.values(), ids=LIST_REFUSALS.keys())
def test_a_refusal_of_this_list_fails_it_alone_and_opens_no_circuit(douban, refusal):
    refuse_interests(douban, UID, refusal)
    circuit = InMemoryCircuitBreaker()
    with pytest.raises(InterestsRefused):
        reader(douban, circuit=circuit).seen_page(UID, 0)
    assert len(douban.requests_to(REXXAR)) == 1  # not retried
    assert not circuit.is_open("interests_rexxar")

    serve_interests(douban, "another", marks(3))
    assert len(reader(douban, circuit=circuit).seen_page("another", 0).interests) == 3  # the next import reads


@pytest.mark.parametrize("block", BLOCKS.values(), ids=BLOCKS.keys())
def test_douban_blocking_us_is_unavailable_for_a_while_not_a_refusal_of_the_persons_list(douban, block):
    refuse_interests(douban, UID, block)
    circuit = InMemoryCircuitBreaker()
    with pytest.raises(DoubanUnavailable) as blocked:
        reader(douban, circuit=circuit).seen_page(UID, 0)
    assert len(douban.requests_to(REXXAR)) == 1  # not retried at once
    assert blocked.value.retry_after == pytest.approx(120)  # the circuit's time: when to try again
    assert circuit.is_open("interests_rexxar")


def test_a_blocked_host_is_left_alone_by_the_next_import(douban):
    refuse_interests(douban, UID, CHALLENGE)
    circuit = InMemoryCircuitBreaker()
    with pytest.raises(DoubanUnavailable):
        reader(douban, circuit=circuit).seen_page(UID, 0)
    serve_interests(douban, "another", marks(3))
    with pytest.raises(DoubanUnavailable, match="paused") as paused:  # tried again later, never failed as refused
        reader(douban, circuit=circuit).seen_page("another", 0)
    assert 0 < paused.value.retry_after <= 120
    assert len(douban.requests) == 1


def test_frodo_is_asked_with_its_api_key_when_the_mobile_site_refuses(douban):
    films = marks(3)
    refuse_interests(douban, UID, FORBIDDEN)
    serve_interests(douban, UID, films, path=FRODO_PATH)
    page = reader(douban, api_key="operator-key").seen_page(UID, 0)
    assert (page.host, len(page.interests)) == ("frodo", 3)
    assert douban.requests_to(FRODO)[0].param("apiKey") == "operator-key"


def test_without_an_api_key_frodo_is_never_asked(douban):
    refuse_interests(douban, UID, FORBIDDEN)
    serve_interests(douban, UID, marks(3), path=FRODO_PATH)
    with pytest.raises(InterestsRefused):
        reader(douban).seen_page(UID, 0)
    assert douban.requests_to(FRODO) == []


def test_a_later_page_is_asked_of_the_host_that_answered_the_first(douban):
    serve_interests(douban, UID, marks(80), path=FRODO_PATH)
    serve_interests(douban, UID, marks(80))
    page = reader(douban, api_key="k").seen_page(UID, 50, host="frodo")
    assert page.host == "frodo"
    assert douban.requests_to(REXXAR) == []


def test_an_unknown_user_is_not_found(douban):
    with pytest.raises(UserNotFound):
        reader(douban).seen_page("nobody", 0)


def test_a_server_error_is_unavailable_so_the_job_is_tried_again(douban):
    refuse_interests(douban, UID, Reply.status_only(503))
    with pytest.raises(DoubanUnavailable):
        reader(douban).seen_page(UID, 0)
    assert len(douban.requests_to(REXXAR)) == 3  # the client's own retries


# The app API's error when it is called with an apiKey but no signature, as a 2026 client's tests record it
# (../shared/douban-2026/frodo_error_997_excerpt.ts): our key, not anyone's list.
SIGNATURE_MISSING = Reply.api_error(997, "invalid_request_997", "GET /v2/user/someone/interests", localized="签名缺失")
RATE_LIMITED = Reply.api_error(
    1309, "subject_ip_rate_limit", "GET /v2/user/someone/interests", localized="您所在的网络存在异常，请登录后重试。"
)


@pytest.mark.parametrize("key_error", [SIGNATURE_MISSING, SIGNATURE_ERROR], ids=["997", "996"])
def test_a_key_or_signature_error_is_about_us_not_the_person(douban, key_error):
    refuse_interests(douban, UID, CHALLENGE)
    refuse_interests(douban, UID, key_error, path=FRODO_PATH)
    read = reader(douban, api_key="operator-key")

    with pytest.raises(DoubanUnavailable):  # tried again later, never "their list is private"
        read.seen_page(UID, 0)

    douban.clear_requests()
    with pytest.raises(DoubanUnavailable):
        read.seen_page(UID, 0)
    assert douban.requests_to(FRODO) == []  # the host that refused our key is left alone a while


def test_a_private_list_is_refused_whatever_the_app_api_says_of_our_key(douban):
    refuse_interests(douban, UID, FORBIDDEN)
    refuse_interests(douban, UID, SIGNATURE_MISSING, path=FRODO_PATH)

    with pytest.raises(InterestsRefused):
        reader(douban, api_key="operator-key").seen_page(UID, 0)


def test_an_unknown_user_is_not_found_whatever_the_app_api_says_of_our_key(douban):
    refuse_interests(douban, UID, SIGNATURE_MISSING, path=FRODO_PATH)  # rexxar answers 404: nobody has this id

    with pytest.raises(UserNotFound):
        reader(douban, api_key="operator-key").seen_page(UID, 0)


@pytest.mark.parametrize("status", [400, 403])
def test_a_rate_limit_is_about_us_whatever_its_status(douban, status):
    limited = Reply(status=status, body=RATE_LIMITED.body, content_type=RATE_LIMITED.content_type)
    refuse_interests(douban, UID, limited)
    circuit = InMemoryCircuitBreaker()

    with pytest.raises(DoubanUnavailable):
        reader(douban, circuit=circuit).seen_page(UID, 0)
    assert len(douban.requests_to(REXXAR)) == 1  # waited out through the budget, not retried at once
