"""Douban as it answers in 2026, anonymously: cards come from the mobile API, the challenged desktop page is never
asked, and when every source refuses the card shows its search entry and a later try completes it."""

import time

import pytest

from movierec import runtime
from tests.fakes.catalog import Film, serve
from tests.fakes.douban_server import Reply as DoubanReply
from tests.fakes.llm_server import Reply, movie

CHUNGKING_EXPRESS = Film("1291999", "重庆森林", "重慶森林", 1994, directors=["王家卫"], cast=["林青霞", "金城武"])
IN_THE_MOOD = Film("1291557", "花样年华", "花樣年華", 2000, directors=["王家卫"], cast=["梁朝伟", "张曼玉"], rating=8.8)
HAPPY_TOGETHER = Film("1292679", "春光乍泄", "春光乍洩", 1997, directors=["王家卫"], cast=["张国荣", "梁朝伟"])
ASHES_OF_TIME = Film("1292328", "东邪西毒", "東邪西毒", 1994, directors=["王家卫"], cast=["张国荣", "林青霞"])
FILMS = [CHUNGKING_EXPRESS, IN_THE_MOOD, HAPPY_TOGETHER, ASHES_OF_TIME]


@pytest.fixture
def served(stack):
    stack.llm.script()
    serve(stack.douban, FILMS)
    return stack


def test_anonymous_cards_come_whole_from_the_mobile_api_and_the_challenged_page_is_never_asked(served):
    shown = [CHUNGKING_EXPRESS, IN_THE_MOOD, HAPPY_TOGETHER]
    challenged_before = served.douban.profile.challenged
    served.llm.script(Reply.movies([movie(f.title, f.year, f.original_title) for f in shown]))

    result = served.api.recommend({"mode": "star", "star": "王家卫", "count": 3})

    assert result["status"] == "done"
    cards = [m for m in result["movies"] if m["status"] == "found"]
    assert [card["douban"]["title"] for card in cards] == ["重庆森林", "花样年华", "春光乍泄"]
    assert {card["source"] for card in cards} <= {"mobile", "cache"}
    in_the_mood = cards[1]["douban"]
    assert (in_the_mood["rating"], in_the_mood["directors"], in_the_mood["runtime_minutes"]) == (8.8, ["王家卫"], 120)
    assert not any(card["partial"] for card in cards)
    assert all(served.douban.requests_to(f"/subject/{film.id}/") == [] for film in shown)
    assert served.douban.profile.challenged == challenged_before


def test_every_source_refusing_gives_a_partial_card_that_a_later_try_completes(served):
    film = ASHES_OF_TIME
    come_back_soon = {"Retry-After": "1"}
    served.douban.set(f"/rexxar/api/v2/movie/{film.id}", DoubanReply.status_only(403, headers=come_back_soon))
    served.douban.set(f"/j/subject_abstract?subject_id={film.id}", DoubanReply.status_only(418, headers=come_back_soon))
    served.llm.script(Reply.movies([movie(film.title, film.year, film.original_title)]))
    result = served.api.recommend({"mode": "tags", "tags": ["文艺"], "count": 1})
    card = result["movies"][0]
    assert (result["status"], card["status"], card["partial"], card["source"]) == ("done", "found", True, "suggest")
    assert card["douban"]["title"] == "东邪西毒"
    assert card["douban"]["year"] == 1994
    assert card["douban"]["rating"] is None  # Douban's search entry alone: nothing the model said is shown as Douban's

    # Douban lets us in again; once the circuits close, a delayed, budgeted try completes the card
    serve(served.douban, [film])
    # By the product's own schedule: a try every PARTIAL_REFRESH_DELAY_SECONDS, so many tries, once a circuit closed.
    settings = runtime.settings()
    deadline = time.monotonic() + (settings.partial_refresh_tries + 1) * (
        settings.partial_refresh_delay_seconds + settings.douban_circuit_max_open_seconds
    )
    while time.monotonic() < deadline:
        card = served.api.get(result["id"]).json()["movies"][0]
        if not card["partial"]:
            break
        time.sleep(0.1)
    assert (card["partial"], card["source"]) == (False, "mobile")
    assert card["douban"]["directors"] == ["王家卫"]
