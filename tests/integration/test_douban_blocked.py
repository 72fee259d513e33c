"""When Douban blocks the desktop pages, cards still fill in: from the mobile API, or partially, then completed."""

import time

import pytest

from movierec import runtime
from tests.fakes.catalog import Film, block_desktop, serve, serve_mobile, subject_page
from tests.fakes.douban_server import Reply as DoubanReply
from tests.fakes.llm_server import Reply, movie

CHUNGKING_EXPRESS = Film("1291999", "重庆森林", "重慶森林", 1994, directors=["王家卫"], cast=["林青霞", "金城武"])
IN_THE_MOOD = Film("1291557", "花样年华", "花樣年華", 2000, directors=["王家卫"], cast=["梁朝伟", "张曼玉"], rating=8.8)
HAPPY_TOGETHER = Film("1292679", "春光乍泄", "春光乍洩", 1997, directors=["王家卫"], cast=["张国荣", "梁朝伟"])
ASHES_OF_TIME = Film("1292328", "东邪西毒", "東邪西毒", 1994, directors=["王家卫"], cast=["张国荣", "林青霞"])
FILMS = [CHUNGKING_EXPRESS, IN_THE_MOOD, HAPPY_TOGETHER, ASHES_OF_TIME]


@pytest.fixture
def blocked(stack):
    """Desktop pages blocked, with a Retry-After of 1 s, so the circuits it opens close within the test."""
    stack.llm.script()
    serve(stack.douban, FILMS)
    block_desktop(stack.douban, FILMS, retry_after_seconds=1)
    return stack


def test_desktop_blocked_gives_full_cards_from_the_mobile_api(blocked):
    shown = [CHUNGKING_EXPRESS, IN_THE_MOOD, HAPPY_TOGETHER]
    serve_mobile(blocked.douban, shown)
    blocked.llm.script(Reply.movies([movie(f.title, f.year, f.original_title) for f in shown]))
    result = blocked.api.recommend({"mode": "star", "star": "王家卫", "count": 3})
    assert result["status"] == "done"
    cards = [m for m in result["movies"] if m["status"] == "found"]
    assert [card["douban"]["title"] for card in cards] == ["重庆森林", "花样年华", "春光乍泄"]
    assert {card["source"] for card in cards} <= {"mobile", "cache"}
    in_the_mood = cards[1]["douban"]
    assert (in_the_mood["rating"], in_the_mood["directors"], in_the_mood["runtime_minutes"]) == (8.8, ["王家卫"], 120)
    assert not any(card["partial"] for card in cards)
    # the circuit opened by the first block spares the desktop pages the other lookups
    assert len(blocked.douban.requests_to(f"/subject/{HAPPY_TOGETHER.id}/")) <= 1


def test_every_source_blocked_gives_a_partial_card_that_a_later_try_completes(blocked):
    film = ASHES_OF_TIME
    come_back_soon = {"Retry-After": "1"}
    blocked.douban.set(f"/rexxar/api/v2/movie/{film.id}", DoubanReply.status_only(403, headers=come_back_soon))
    blocked.douban.set(
        f"/j/subject_abstract?subject_id={film.id}", DoubanReply.status_only(418, headers=come_back_soon)
    )
    blocked.llm.script(Reply.movies([movie(film.title, film.year, film.original_title)]))
    result = blocked.api.recommend({"mode": "tags", "tags": ["文艺"], "count": 1})
    card = result["movies"][0]
    assert (result["status"], card["status"], card["partial"], card["source"]) == ("done", "found", True, "suggest")
    assert card["douban"]["title"] == "东邪西毒"
    assert card["douban"]["year"] == 1994

    # Douban lets us in again; once the circuits close, a delayed retry completes the card
    blocked.douban.set(f"/subject/{film.id}/", DoubanReply.html(subject_page(film)))
    # By the product's own schedule: a try every PARTIAL_REFRESH_DELAY_SECONDS, so many tries, once a circuit closed.
    settings = runtime.settings()
    deadline = time.monotonic() + (settings.partial_refresh_tries + 1) * (
        settings.partial_refresh_delay_seconds + settings.douban_circuit_max_open_seconds
    )
    while time.monotonic() < deadline:
        card = blocked.api.get(result["id"]).json()["movies"][0]
        if not card["partial"]:
            break
        time.sleep(0.1)
    assert (card["partial"], card["source"]) == (False, "desktop")
    assert card["douban"]["directors"] == ["王家卫"]
