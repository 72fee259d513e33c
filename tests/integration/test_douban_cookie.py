"""The operator's Douban cookie through the local stack, against the fake Douban's `2026-cookie` profile: the desktop
page is read with it (and first), and when Douban stops honouring it (its login wall on a page that was readable),
that is logged once and every lookup goes on anonymously, from the mobile API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from movierec import runtime
from tests.fakes.catalog import Film, serve
from tests.fakes.douban_profiles import RELAXED, cookie_2026
from tests.fakes.llm_server import Reply, movie
from tests.integration.conftest import Stack, running_stack

COOKIE = "bid=operator-bid; dbcl2=operator-session"
STILL_WALKING = Film("2297365", "步履不停", "歩いても 歩いても", 2008, directors=["是枝裕和"], rating=8.9)
AFTER_LIFE = Film("1292241", "下一站，天国", "ワンダフルライフ", 1998, directors=["是枝裕和"], rating=8.3)
NOBODY_KNOWS = Film("1305669", "无人知晓", "誰も知らない", 2004, directors=["是枝裕和"], rating=9.1)


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with running_stack({"DOUBAN_COOKIE": COOKIE}, profile=cookie_2026(COOKIE, **RELAXED)) as started:
        serve(started.douban, [STILL_WALKING, AFTER_LIFE, NOBODY_KNOWS])
        yield started


def ask_for(stack: Stack, film: Film) -> dict:
    stack.llm.script(Reply.movies([movie(film.title, film.year, film.original_title)]))
    result = stack.api.recommend({"mode": "star", "star": "是枝裕和", "count": 1})
    assert result["status"] == "done"
    [card] = [m for m in result["movies"] if m["status"] == "found"]
    return card


def test_with_a_working_cookie_the_desktop_page_is_read_first(stack):
    card = ask_for(stack, STILL_WALKING)

    assert (card["source"], card["douban"]["imdb_id"]) == ("desktop", f"tt{STILL_WALKING.id}")  # the page's alone
    [page] = stack.douban.requests_to(f"/subject/{STILL_WALKING.id}/")
    assert page.header("Cookie") == COOKIE
    assert all(request.header("Cookie") is None for request in stack.douban.requests if "/rexxar/" in request.path)


def test_an_expired_cookie_is_told_once_and_lookups_go_on_anonymously(stack, log_output):
    stack.douban.profile.cookie_expired = True  # Douban now shows its login wall to the cookie

    card = ask_for(stack, AFTER_LIFE)

    assert (card["source"], card["partial"]) == ("mobile", False)
    assert len(stack.douban.requests_to(f"/subject/{AFTER_LIFE.id}/")) == 1  # asked once, with the cookie
    assert log_output.getvalue().count("cookie has expired") == 1
    assert not runtime.douban_budget().signed_in()  # on the anonymous budget now

    later = ask_for(stack, NOBODY_KNOWS)

    assert later["source"] == "mobile"
    assert stack.douban.requests_to(f"/subject/{NOBODY_KNOWS.id}/") == []  # no desktop page while it is expired
