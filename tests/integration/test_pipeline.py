"""What a person sees when polling: from a request over HTTP to Douban-backed cards."""

import pytest

from tests.fakes.catalog import Film, serve
from tests.fakes.llm_server import Reply, movie

INCEPTION = Film("3541415", "盗梦空间", "Inception", 2010, directors=["克里斯托弗·诺兰"], genres=["剧情", "科幻"])
TRIANGLE = Film("3011051", "恐怖游轮", "Triangle", 2009, directors=["克里斯托弗·史密斯"], rating=None)
KUNG_FU = Film("1291543", "功夫", "功夫", 2004, directors=["周星驰"], cast=["周星驰", "元秋"])
CHINESE_ODYSSEY = Film("1292213", "大话西游之大圣娶亲", "西遊記大結局之仙履奇緣", 1995, cast=["周星驰", "朱茵"])
KING_OF_COMEDY = Film("1302425", "喜剧之王", "喜劇之王", 1999, directors=["周星驰", "李力持"], cast=["周星驰"])


@pytest.fixture(autouse=True)
def catalogue(stack):
    serve(stack.douban, [INCEPTION, TRIANGLE, KUNG_FU, CHINESE_ODYSSEY, KING_OF_COMEDY])
    stack.llm.script()  # nothing left over from another test


def test_a_film_whose_search_entry_shows_no_year_is_not_shown_for_another_years_film(stack):
    """A model's 2020 film was shown as Douban's 1994 entry, because the search entry showed no year."""
    farewell = Film("1291546", "霸王别姬", "Farewell My Concubine", 1993, listed_year="")
    serve(stack.douban, [farewell])
    stack.llm.script(Reply.movies([movie("霸王别姬", 2020, "Farewell My Concubine")]))

    result = stack.api.recommend({"mode": "tags", "tags": ["京剧"], "count": 1})

    [card] = result["movies"]
    assert (card["status"], card["douban"]) == ("not_found", None)
    assert card["note"] == "豆瓣上的《霸王别姬》是 1993 年的作品，不是推荐的 2020 年那一部"


def test_a_tags_request_ends_done_with_full_douban_cards(stack):
    stack.llm.script(
        Reply.movies([movie("盗梦空间", 2010, "Inception", "梦中梦"), movie("恐怖游轮", 2009, "Triangle", "循环")])
    )
    result = stack.api.recommend({"mode": "tags", "tags": ["科幻", "悬疑"], "count": 2})
    assert result["status"] == "done"
    assert result["mode"] == "tags"
    assert result["query"] == "科幻、悬疑"
    assert [m["status"] for m in result["movies"]] == ["found", "found"]
    first = result["movies"][0]
    assert first["reason"] == "梦中梦"
    assert first["douban"]["id"] == "3541415"
    assert first["douban"]["url"].endswith("/subject/3541415/")
    assert first["douban"]["directors"] == ["克里斯托弗·诺兰"]
    assert first["douban"]["genres"] == ["剧情", "科幻"]
    assert first["douban"]["rating"] == 8.5
    assert first["douban"]["runtime_minutes"] == 120
    assert first["source"] == "mobile"  # the whole card in one request, anonymously
    assert result["movies"][1]["douban"]["rating"] is None  # unrated on Douban
    assert result["error"] is None


def test_a_theme_request_sends_the_theme_to_the_model(stack):
    stack.llm.script(Reply.movies([movie("恐怖游轮", 2009, "Triangle")]))
    result = stack.api.recommend({"mode": "theme", "theme": "时间循环", "count": 1})
    assert result["status"] == "done"
    assert result["movies"][0]["douban"]["title"] == "恐怖游轮"
    assert "时间循环" in stack.llm.requests[-1]["messages"][1]["content"]
    assert stack.llm.requests[-1]["_authorization"] == "Bearer sk-test-key-never-logged-0123456789"


def test_a_star_request_keeps_only_films_with_the_star_and_tops_up_what_is_missing(stack):
    stack.llm.script(
        Reply.movies([movie("功夫", 2004), movie("盗梦空间", 2010, "Inception"), movie("大话西游之大圣娶亲", 1995)]),
        Reply.movies([movie("喜剧之王", 1999)]),
    )
    result = stack.api.recommend({"mode": "star", "star": "周星驰", "count": 3})
    assert result["status"] == "done"
    statuses = {m["title"]: m["status"] for m in result["movies"]}
    assert statuses == {"功夫": "found", "盗梦空间": "not_found", "大话西游之大圣娶亲": "found", "喜剧之王": "found"}
    top_up = stack.llm.requests[-1]["messages"][1]["content"]
    assert "恰好推荐 1 部" in top_up
    assert all(title in top_up for title in ("功夫", "盗梦空间", "大话西游之大圣娶亲"))
    wrong_star = next(m for m in result["movies"] if m["title"] == "盗梦空间")
    assert "周星驰" in wrong_star["note"]
    assert wrong_star["douban"] is None


def test_an_invented_title_ends_not_found(stack):
    stack.llm.script(Reply.movies([movie("盗梦空间", 2010, "Inception"), movie("量子猫的夏天", 2031)]))
    result = stack.api.recommend({"mode": "tags", "tags": ["科幻"], "count": 2})
    assert result["status"] == "done"
    invented = result["movies"][1]
    assert invented["status"] == "not_found"
    assert invented["douban"] is None


def test_an_llm_failure_ends_the_request_failed_with_a_message(stack):
    stack.llm.script(Reply.error(500), Reply.error(500), Reply.error(500), Reply.movies([movie("功夫", 2004)]))
    calls_before = len(stack.llm.requests)
    result = stack.api.recommend({"mode": "tags", "tags": ["科幻"]})
    assert result["status"] == "failed"
    assert len(stack.llm.requests) - calls_before == 3  # LLM_MAX_ATTEMPTS
    assert result["error"]["code"] == "llm_unavailable"
    assert "稍后再试" in result["error"]["message"]
    assert result["movies"] == []


def test_a_429_then_200_succeeds(stack):
    stack.llm.script(Reply.error(429, headers={"Retry-After": "0"}), Reply.movies([movie("功夫", 2004)]))
    result = stack.api.recommend({"mode": "star", "star": "周星驰", "count": 1})
    assert result["status"] == "done"
    assert result["movies"][0]["status"] == "found"


def test_a_fenced_chatty_answer_still_parses(stack):
    text = '好的，推荐如下：\n```json\n{"movies": [{"title": "功夫", "original_title": "功夫", "year": 2004}]}\n```'
    stack.llm.script(Reply(content=text))
    result = stack.api.recommend({"mode": "star", "star": "周星驰", "count": 1})
    assert [m["status"] for m in result["movies"]] == ["found"]
