"""GET /movies/{douban_id} through the local stack: a shared movie link works whatever became of its request."""

import time

import boto3
import requests

from movierec import runtime
from movierec.douban.cache import MovieCache
from tests.fakes.catalog import Film, serve
from tests.fakes.llm_server import Reply, movie

STILL_WALKING = Film("2297365", "步履不停", "歩いても 歩いても", 2008, directors=["是枝裕和"], rating=8.9)
AFTER_LIFE = Film("1292241", "下一站，天国", "ワンダフルライフ", 1998, directors=["是枝裕和"], rating=8.3)


def get_movie(stack, douban_id: str) -> requests.Response:
    return requests.get(f"{stack.api.base_url}/movies/{douban_id}", timeout=10)


def wait_until_cached(douban_id: str) -> None:
    """The scrape worker caches a card just after recording it, so a poll can see it `done` a moment earlier; within
    the request's deadline, at the latest."""
    settings = runtime.settings()
    cache = MovieCache(boto3.resource("dynamodb").Table(settings.movie_cache_table))
    deadline = time.monotonic() + settings.request_deadline_seconds
    while cache.get_movie(douban_id) is None:
        assert time.monotonic() < deadline, f"{douban_id} was never cached"
        time.sleep(0.05)


def test_a_movie_nobody_asked_for_is_read_from_douban_once(stack):
    serve(stack.douban, [STILL_WALKING])
    stack.douban.clear_requests()

    response = get_movie(stack, STILL_WALKING.id)

    assert response.status_code == 200
    card = response.json()
    assert (card["douban"]["title"], card["douban"]["year"], card["douban"]["rating"]) == ("步履不停", 2008, 8.9)
    assert (card["source"], card["partial"]) == ("mobile", False)  # anonymous in 2026: never the challenged page
    assert [request.path for request in stack.douban.requests] == [f"/rexxar/api/v2/movie/{STILL_WALKING.id}"]

    stack.douban.clear_requests()
    assert get_movie(stack, STILL_WALKING.id).json()["source"] == "cache"
    assert stack.douban.requests == []


def test_a_movie_a_recommendation_found_is_answered_from_the_cache(stack):
    serve(stack.douban, [AFTER_LIFE])
    stack.llm.script(Reply.movies([movie(AFTER_LIFE.title, AFTER_LIFE.year, AFTER_LIFE.original_title)]))
    result = stack.api.recommend({"mode": "star", "star": "是枝裕和", "count": 1})
    [card] = [m for m in result["movies"] if m["status"] == "found"]
    wait_until_cached(AFTER_LIFE.id)
    stack.douban.clear_requests()

    response = get_movie(stack, AFTER_LIFE.id)

    assert response.status_code == 200
    assert response.json()["douban"] == card["douban"]
    assert stack.douban.requests == []


def test_an_unknown_id_asked_again_and_again_costs_douban_one_request(stack):
    stack.douban.clear_requests()
    for _ in range(5):
        assert get_movie(stack, "987650000").status_code == 404
    assert [request.path for request in stack.douban.requests] == ["/rexxar/api/v2/movie/987650000"]


def test_many_ids_from_one_asker_are_limited(stack, monkeypatch):
    monkeypatch.setenv("MOVIE_READS_PER_MINUTE", "4")
    runtime.reset()
    serve(stack.douban, [STILL_WALKING])
    stack.douban.clear_requests()

    walking = get_movie(stack, STILL_WALKING.id)
    assert (walking.status_code, walking.json()["source"]) in {(200, "mobile"), (200, "cache")}
    answers = [get_movie(stack, str(987660000 + n)).status_code for n in range(6)]
    assert set(answers) == {404, 429}  # what is left of the 4 a minute, then 429
    assert answers.count(404) <= 3
    read = [request for request in stack.douban.requests if request.path.startswith("/rexxar/api/v2/movie/98766")]
    assert len(read) == answers.count(404)  # a refused read sends Douban nothing
    limited = get_movie(stack, "987669999")
    assert (limited.status_code, limited.json()["code"]) == (429, "rate_limited")
    assert int(limited.headers["Retry-After"]) >= 1
    monkeypatch.undo()
    runtime.reset()


def test_an_id_douban_does_not_know_and_a_non_numeric_id_are_404(stack):
    stack.douban.clear_requests()
    for douban_id in ("987654321", "not-an-id"):
        response = get_movie(stack, douban_id)
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert {request.path for request in stack.douban.requests} <= {"/rexxar/api/v2/movie/987654321"}
