"""The deployment's one Douban budget through the local stack, with the deployed defaults (10 requests a minute
anonymous) against the fake Douban's `2026-anonymous` profile at its own thresholds (rate-limit errors past 15 in a
minute, a ban past 100): people asking at once never trip either, no minute holds more than the budget, and every
card shown is completed as the budget allows. The warmed cache makes a popular pick cost no request at all.

These tests take as long as the budget makes them (about a minute and a half): nothing here asserts a duration.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from movierec import runtime
from movierec.recommendation.scrape import COMPLETION_SPEND
from tests.fakes.catalog import Film, serve, serve_lists
from tests.fakes.douban_profiles import anonymous_2026
from tests.fakes.llm_server import Reply, movie
from tests.integration.conftest import Stack, running_stack

DEPLOYED_BUDGET = {"DOUBAN_REQUESTS_PER_MINUTE": "10", "DOUBAN_SIGNED_IN_REQUESTS_PER_MINUTE": "20"}
# A card shown from its search entry is completed by queued tries; here they come often and do not run out first.
COMPLETION = {"PARTIAL_REFRESH_DELAY_SECONDS": "2", "PARTIAL_REFRESH_TRIES": "20"}
LISTS = {"DOUBAN_WARM_UP_LISTS": "movie_top250:5,tv_hot"}

FILMS = [
    Film("1300101", "预算电影甲", "Budget Film A", 2001, rating=8.1),
    Film("1300102", "预算电影乙", "Budget Film B", 2002, rating=8.2),
    Film("1300103", "预算电影丙", "Budget Film C", 2003, rating=8.3),
    Film("1300104", "预算电影丁", "Budget Film D", 2004, rating=8.4),
    Film("1300105", "预算电影戊", "Budget Film E", 2005, rating=8.5),
    Film("1300106", "预算电影己", "Budget Film F", 2006, rating=8.6),
]
LISTED = [Film(str(1300200 + n), f"榜单名片{n}", f"Listed Film {n}", 1990 + n, rating=9.0) for n in range(4)]


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with running_stack(DEPLOYED_BUDGET | COMPLETION | LISTS, profile=anonymous_2026()) as started:
        yield started


def named(films: list[Film]) -> Reply:
    return Reply.movies([movie(film.title, film.year, film.original_title) for film in films])


def test_a_warmed_list_makes_a_popular_pick_cost_no_douban_request(stack):
    """First in the module, while the budget is idle: the warm-up runs in its idle share only."""
    serve(stack.douban, LISTED)
    serve_lists(stack.douban, {"movie_top250": LISTED, "tv_hot": []})

    report = stack.local.run_scheduled("WarmUpFunction")

    assert (report["stored"], report["lists"], report["stopped"]) == (len(LISTED), ["movie_top250", "tv_hot"], None)
    stack.douban.clear_requests()
    stack.llm.script(named(LISTED[:2]))
    result = stack.api.recommend({"mode": "tags", "tags": ["经典"], "count": 2})

    assert result["status"] == "done"
    cards = [m for m in result["movies"] if m["status"] == "found"]
    assert [(card["douban"]["title"], card["source"], card["partial"]) for card in cards] == [
        ("榜单名片0", "list", False),
        ("榜单名片1", "list", False),
    ]
    assert cards[0]["douban"]["rating"] == 9.0  # Douban's list said so; nothing the model said is shown as Douban's
    assert stack.douban.requests == []  # no search, no subject: the list was the way to them


def test_people_asking_at_once_stay_within_the_budget_and_every_card_is_completed(stack):
    serve(stack.douban, FILMS)
    stack.llm.script(named(FILMS[0:2]), named(FILMS[2:4]), named(FILMS[4:6]))
    stack.douban.clear_requests()
    profile = stack.douban.profile
    ids: list[str] = []
    lock = threading.Lock()

    def ask(index: int) -> None:
        response = stack.api.create({"mode": "tags", "tags": [f"预算{index}"], "count": 2})
        assert response.status_code == 202, response.text
        with lock:
            ids.append(response.json()["id"])

    askers = [threading.Thread(target=ask, args=(index,)) for index in range(3)]
    for asker in askers:
        asker.start()
    for asker in askers:
        asker.join()
    endings = [stack.api.wait_until_final(request_id) for request_id in ids]  # by the product's own deadline

    # Every person sees their cards: each from Douban (whole, or its search entry to be completed), never the model's
    assert [ending["status"] for ending in endings] == ["done"] * 3
    shown = [card for ending in endings for card in ending["movies"] if card["status"] == "found"]
    assert sorted(card["douban"]["id"] for card in shown) == sorted(film.id for film in FILMS)
    assert all(card["source"] in {"mobile", "abstract", "suggest", "cache"} for card in shown)

    # ... and every card shown is completed, as fast as the budget allows: by the product's own tries, each after its
    # delay and its longest wait for a token (not a clock of the test's)
    settings = runtime.settings()
    tries = settings.partial_refresh_tries + 1
    deadline = time.monotonic() + tries * (settings.partial_refresh_delay_seconds + COMPLETION_SPEND.read_seconds)
    while any(card["partial"] for card in current_cards(stack, ids)) and time.monotonic() < deadline:
        time.sleep(1)
    completed = current_cards(stack, ids)
    assert [card["partial"] for card in completed] == [False] * len(FILMS)
    assert sorted(card["douban"]["rating"] for card in completed) == [film.rating for film in FILMS]

    # Douban never saw more than the budget in a minute, never needed to refuse us, never challenged us
    assert stack.douban.most_in_any_window(60) <= 10
    assert len(stack.douban.requests) >= 2 * len(FILMS)  # a search and a subject each: more than a minute's budget
    assert (profile.rate_limited, profile.bans, profile.challenged) == (0, 0, 0)
    assert all(not request.path.startswith("/subject/") for request in stack.douban.requests)


def current_cards(stack: Stack, ids: list[str]) -> list[dict]:
    return [card for request_id in ids for card in stack.api.get(request_id).json()["movies"] if card["douban"]]
