"""GET /movies/{douban_id}, invoked with API Gateway events as Lambda would: the cached card or a polite lookup."""

import json
from pathlib import Path

import pytest

from local.api_server import rest_api_event
from local.consumers import LambdaContext
from movierec import runtime
from tests.fakes.catalog import Film, serve
from tests.fakes.douban_server import FakeDouban, Reply
from tests.unit.api.test_api import call

ROOT = Path(__file__).resolve().parents[3]
SHAWSHANK = Film("1292052", "肖申克的救赎", "The Shawshank Redemption", 1994, directors=["弗兰克·德拉邦特"], rating=9.7)


@pytest.fixture
def douban(handlers, monkeypatch):
    with FakeDouban() as fake:
        serve(fake, [SHAWSHANK])
        monkeypatch.setenv("DOUBAN_BASE_URL", fake.base_url)
        monkeypatch.setenv("DOUBAN_MOBILE_BASE_URL", fake.base_url)
        monkeypatch.setenv("DOUBAN_REQUESTS_PER_MINUTE", "6000")  # the budget is not what these tests test
        runtime.reset()
        yield fake


def test_an_uncached_movie_is_read_from_the_mobile_api_once_then_from_the_cache(handlers, douban):
    status, card = call(handlers, "GET", f"/movies/{SHAWSHANK.id}")

    assert status == 200
    assert (card["source"], card["partial"]) == ("mobile", False)
    assert card["douban"]["title"] == "肖申克的救赎"
    assert (card["douban"]["year"], card["douban"]["rating"]) == (1994, 9.7)
    assert card["douban"]["directors"] == ["弗兰克·德拉邦特"]
    # no search, and no desktop page: anonymous in 2026, Douban challenges it
    assert [request.path for request in douban.requests] == [f"/rexxar/api/v2/movie/{SHAWSHANK.id}"]
    douban.clear_requests()

    assert call(handlers, "GET", f"/movies/{SHAWSHANK.id}") == (200, {**card, "source": "cache"})
    assert douban.requests == []


def test_the_sample_event_answers_the_card(handlers, douban):
    event = json.loads((ROOT / "events" / "api-get-movie.json").read_text())
    response = handlers["ApiFunction"](event, LambdaContext("ApiFunction", 15))
    assert response["statusCode"] == 200
    assert json.loads(response["body"])["douban"]["id"] == SHAWSHANK.id


@pytest.mark.parametrize("douban_id", ["999999999", "abc", "1292052abc", "%E4%B8%AD"])
def test_an_id_douban_does_not_know_or_no_id_at_all_is_404(handlers, douban, douban_id):
    status, body = call(handlers, "GET", f"/movies/{douban_id}")
    assert (status, body["code"]) == (404, "not_found")
    assert all(request.path == "/rexxar/api/v2/movie/999999999" for request in douban.requests)


def test_douban_blocking_every_source_is_503_with_retry_after(handlers, douban):
    douban.set(f"/rexxar/api/v2/movie/{SHAWSHANK.id}", Reply.status_only(403))
    douban.set(f"/j/subject_abstract?subject_id={SHAWSHANK.id}", Reply.status_only(418, {"Retry-After": "45"}))

    event = rest_api_event("GET", f"/movies/{SHAWSHANK.id}", {}, b"", "198.51.100.7")
    response = handlers["ApiFunction"](event, LambdaContext("ApiFunction", 15))

    body = json.loads(response["body"])
    assert (response["statusCode"], body["code"]) == (503, "douban_unavailable")
    assert "豆瓣" in body["message"]
    retry_after = ((response.get("multiValueHeaders") or {}).get("Retry-After") or [None])[0]
    assert (retry_after or (response.get("headers") or {}).get("Retry-After")) == "45"  # the shortest circuit


def test_the_same_unknown_id_asked_five_times_costs_douban_one_request(handlers, douban):
    for _ in range(5):
        status, body = call(handlers, "GET", "/movies/999999999")
        assert (status, body["code"]) == (404, "not_found")
    assert [request.path for request in douban.requests] == ["/rexxar/api/v2/movie/999999999"]


def read_from(handlers, douban_id: str, ip: str):
    event = rest_api_event("GET", f"/movies/{douban_id}", {}, b"", ip)
    response = handlers["ApiFunction"](event, LambdaContext("ApiFunction", 15))
    return response["statusCode"], response


def test_reads_that_go_to_douban_are_limited_per_asker_and_cached_ones_are_free(handlers, douban, monkeypatch):
    monkeypatch.setenv("MOVIE_READS_PER_MINUTE", "3")
    runtime.reset()
    answers = [read_from(handlers, str(900000000 + n), "198.51.100.7")[0] for n in range(20)]  # ids nobody knows

    assert answers == [404] * 3 + [429] * 17
    assert len(douban.requests) == 3  # 20 random ids no longer cost Douban 20 requests
    _, refused = read_from(handlers, "900000099", "198.51.100.7")
    assert json.loads(refused["body"])["code"] == "rate_limited"
    retry_after = ((refused.get("multiValueHeaders") or {}).get("Retry-After") or [None])[0]
    assert 1 <= int(retry_after or refused["headers"]["Retry-After"]) <= 60
    assert read_from(handlers, "900000000", "198.51.100.7")[0] == 404  # remembered: no Douban read, no limit
    assert read_from(handlers, "900000050", "203.0.113.9")[0] == 404  # another address has its own


def test_the_route_is_in_the_openapi_document(handlers):
    _, document = call(handlers, "GET", "/openapi.json")
    operation = document["paths"]["/movies/{douban_id}"]["get"]
    assert {"200", "404", "429", "503"} <= set(operation["responses"])
    assert "MovieCard" in document["components"]["schemas"]


def test_no_budget_to_spare_for_a_movie_page_is_503_with_the_budget_s_wait(handlers, douban, monkeypatch):
    """The cards people wait for come first: a movie page reads Douban only in the share of the minute they leave."""
    monkeypatch.setenv("DOUBAN_REQUESTS_PER_MINUTE", "10")
    runtime.reset()
    budget = runtime.douban_budget()
    from movierec.douban.budget import Priority

    for _ in range(3):
        budget.take(Priority.CARD, wait_seconds=0)  # three cards' searches, at once

    status, response = read_from(handlers, SHAWSHANK.id, "198.51.100.7")

    body = json.loads(response["body"])
    assert (status, body["code"]) == (503, "douban_unavailable")
    retry_after = ((response.get("multiValueHeaders") or {}).get("Retry-After") or [None])[0]
    assert 1 <= int(retry_after or response["headers"]["Retry-After"]) <= 60
    assert douban.requests == []
