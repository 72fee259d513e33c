"""A ban through the local stack: once Douban sends the deployment's address to sec.douban.com/b, no function sends
Douban anything more for the ban's duration, it is said once in the logs, and people are told Douban is unavailable
(cards already known still show). The fake's ban threshold is set low here, so that a few requests reach it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from tests.fakes.catalog import Film, serve
from tests.fakes.douban_profiles import anonymous_2026
from tests.fakes.llm_server import Reply, movie
from tests.integration.conftest import Stack, running_stack

FILMS = [Film(str(1400001 + n), f"封禁测试{n}", f"Ban Test {n}", 2010 + n) for n in range(4)]


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with running_stack(profile=anonymous_2026(rate_limit_per_minute=100_000, ban_per_minute=3)) as started:
        serve(started.douban, FILMS)
        yield started


def test_a_ban_stops_every_douban_request_of_the_deployment(stack, log_output):
    stack.llm.script(Reply.movies([movie(film.title, film.year, film.original_title) for film in FILMS[:3]]))

    result = stack.api.recommend({"mode": "tags", "tags": ["封禁"], "count": 3})

    profile = stack.douban.profile
    assert profile.bans == 1
    # three went through; only lookups already on their way met the ban (three scrape jobs ran at once), none after
    assert 1 <= profile.banned_answers <= 3
    sent = len(stack.douban.requests)
    assert log_output.getvalue().count("DOUBAN BANS THIS DEPLOYMENT'S ADDRESS") == 1
    assert result["status"] in ("done", "failed")
    assert all(card["status"] != "found" or card["douban"]["id"] for card in result["movies"])

    # Another function (the API's movie page) sends nothing either, and says Douban is unavailable for now
    page = requests.get(f"{stack.api.base_url}/movies/{FILMS[3].id}", timeout=30)
    assert (page.status_code, page.json()["code"]) == (503, "douban_unavailable")
    assert int(page.headers["Retry-After"]) > 3600
    assert len(stack.douban.requests) == sent
