"""The new ways of asking, through the whole stack: 为我推荐 with a long seen list, 更多类似, refine in words, and hard
filters enforced on Douban's data."""

import pytest

from tests.fakes.catalog import Film, refuse_subjects, serve
from tests.fakes.douban_server import Reply as DoubanReply
from tests.fakes.llm_server import Reply, movie

INCEPTION = Film(
    "3541415", "盗梦空间", "Inception", 2010, directors=["克里斯托弗·诺兰"], genres=["剧情", "科幻", "悬疑"]
)
INTERSTELLAR = Film("1889243", "星际穿越", "Interstellar", 2014, genres=["剧情", "科幻", "冒险"], rating=9.4)
TRIANGLE = Film("3011051", "恐怖游轮", "Triangle", 2009, genres=["悬疑", "惊悚"], rating=None)  # unrated on Douban
KUNG_FU = Film("1291543", "功夫", "Kung Fu Hustle", 2004, genres=["喜剧", "动作"], countries=["中国香港"])
KING_OF_COMEDY = Film("1302425", "喜剧之王", "喜劇之王", 1999, genres=["喜剧", "剧情"], countries=["中国香港"])
AMELIE = Film("1292215", "天使爱美丽", "Le fabuleux destin d'Amélie Poulain", 2001, genres=["喜剧", "爱情"])
PADDINGTON = Film("24751756", "帕丁顿熊2", "Paddington 2", 2017, genres=["喜剧", "冒险"], rating=8.1)
SOUL = Film("24733428", "心灵奇旅", "Soul", 2020, genres=["喜剧", "动画"], rating=8.7, runtime_minutes=100)
PRIMER = Film("1433842", "初始者", "Primer", 2004, genres=["科幻", "悬疑"], rating=7.2, votes=30000)
COHERENCE = Film("25807345", "彗星来的那一夜", "Coherence", 2013, genres=["科幻", "悬疑"], rating=8.4)
FILMS = [INCEPTION, INTERSTELLAR, TRIANGLE, KUNG_FU, KING_OF_COMEDY, AMELIE, PADDINGTON, SOUL, PRIMER, COHERENCE]


@pytest.fixture(autouse=True)
def catalogue(stack):
    serve(stack.douban, FILMS)
    stack.llm.script()


def named(film, reason="值得一看"):
    return movie(film.title, film.year, film.original_title, reason)


def found(result):
    return {m["douban"]["id"]: m["douban"]["title"] for m in result["movies"] if m["status"] == "found"}


def prompt_of(stack, call):
    messages = stack.llm.requests[call]["messages"]
    return messages[0]["content"], messages[1]["content"]


def test_for_me_with_two_thousand_excluded_entries_ends_done_shows_none_of_them_and_names_the_taste(stack):
    # The seen list as an app keeps it: ids of marked films, titles typed in, newest first.
    ids = [str(10_000_000 + n) for n in range(1000)]
    seen = [KUNG_FU.id, "喜剧之王", *ids, *(f"看过的第{n}部" for n in range(998))]
    assert len(seen) == 2000
    stack.llm.script(
        Reply.movies(
            [named(KUNG_FU), named(INCEPTION), named(KING_OF_COMEDY), named(AMELIE), named(PADDINGTON), named(SOUL)]
        )
    )
    calls_before = len(stack.llm.requests)
    result = stack.api.recommend(
        {
            "mode": "for_me",
            "liked": [INCEPTION.id, "花样年华"],
            "disliked": ["恐怖游轮"],
            "mood": "今晚想看点轻松的",
            "exclude": seen,
            "count": 3,
        }
    )

    assert result["status"] == "done"
    assert (result["mode"], result["query"]) == ("for_me", "今晚想看点轻松的")
    assert found(result) == {AMELIE.id: "天使爱美丽", PADDINGTON.id: "帕丁顿熊2", SOUL.id: "心灵奇旅"}
    system, user = prompt_of(stack, calls_before)
    assert "盗梦空间（2010，剧情/科幻/悬疑）" in user  # a liked id, named by its Douban title, year and genres
    assert "花样年华" in user
    assert "恐怖游轮" in user
    assert "今晚想看点轻松的" in user
    assert INCEPTION.id not in user  # only titles go into the prompt
    assert "10000000" not in user
    assert "喜剧之王" in user  # the seen titles, as many as fit
    assert len(system) + len(user) < 6000


def test_more_like_this_never_shows_the_film_itself(stack):
    stack.llm.script(Reply.movies([named(INCEPTION), named(INTERSTELLAR), named(COHERENCE)]))
    calls_before = len(stack.llm.requests)
    result = stack.api.recommend({"mode": "theme", "like": INCEPTION.id, "count": 2})

    assert result["status"] == "done"
    assert found(result) == {INTERSTELLAR.id: "星际穿越", COHERENCE.id: "彗星来的那一夜"}
    itself = result["movies"][0]
    assert (itself["title"], itself["status"], itself["douban"]) == ("盗梦空间", "not_found", None)
    assert itself["note"] == "这就是要找相似影片的那一部"
    _, user = prompt_of(stack, calls_before)
    assert "盗梦空间（Inception，2010，剧情/科幻/悬疑，导演：克里斯托弗·诺兰）" in user


def test_more_like_a_film_douban_does_not_know_fails_saying_it_was_not_found(stack):
    stack.douban.set("/subject/987654321/", DoubanReply.status_only(404))
    calls_before = len(stack.llm.requests)
    result = stack.api.recommend({"mode": "theme", "like": "987654321", "count": 2})

    assert (result["status"], result["error"]["code"]) == ("failed", "like_not_found")
    assert "没有找到" in result["error"]["message"]
    assert len(stack.llm.requests) == calls_before  # nothing to ask the model about


def test_refine_tells_the_model_the_previous_query_what_it_showed_and_the_change(stack):
    stack.llm.script(Reply.movies([named(INCEPTION), named(INTERSTELLAR)]))
    first = stack.api.recommend({"mode": "tags", "tags": ["科幻", "烧脑"], "count": 2})
    assert found(first) == {INCEPTION.id: "盗梦空间", INTERSTELLAR.id: "星际穿越"}

    stack.llm.script(Reply.movies([named(INTERSTELLAR), named(PRIMER), named(COHERENCE)]))
    calls_before = len(stack.llm.requests)
    refined = stack.api.recommend(
        {"mode": "tags", "tags": ["科幻", "烧脑"], "count": 2, "previous": first["id"], "refine": "更冷门一点"}
    )

    assert refined["status"] == "done"
    assert found(refined) == {PRIMER.id: "初始者", COHERENCE.id: "彗星来的那一夜"}  # the earlier films stay out
    _, user = prompt_of(stack, calls_before)
    assert '"上一次的需求": "科幻、烧脑"' in user
    assert '"上一次推荐了": ["盗梦空间", "星际穿越"]' in user
    assert '"这次的调整": "更冷门一点"' in user


def test_refine_without_previous_is_refused_naming_the_field(stack):
    response = stack.api.create({"mode": "tags", "tags": ["科幻"], "refine": "更冷门一点"})
    assert response.status_code == 422
    assert [detail["field"] for detail in response.json()["details"]] == ["refine"]


def test_a_filter_drops_a_card_with_its_note_and_the_top_up_fills_the_count(stack):
    stack.llm.script(
        Reply.movies([named(INTERSTELLAR), named(TRIANGLE), named(PRIMER)]),
        Reply.movies([named(COHERENCE)]),
    )
    calls_before = len(stack.llm.requests)
    result = stack.api.recommend(
        {"mode": "tags", "tags": ["科幻"], "count": 2, "filters": {"min_rating": 8, "years": {"from": 2005}}}
    )

    assert result["status"] == "done"
    assert found(result) == {INTERSTELLAR.id: "星际穿越", COHERENCE.id: "彗星来的那一夜"}
    notes = {m["title"]: m["note"] for m in result["movies"] if m["status"] == "not_found"}
    assert notes == {"恐怖游轮": "豆瓣暂无评分，不满足最低 8 分", "初始者": "2004 年的作品，早于筛选的 2005 年"}
    assert len(stack.llm.requests) - calls_before == 2  # the first round and the top-up
    _, user = prompt_of(stack, calls_before)
    assert '"筛选条件": {"豆瓣评分不低于": 8.0, "首映年份": {"从": 2005, "到": null}}' in user


def test_a_liked_film_douban_refuses_to_show_is_left_out_and_the_request_still_ends_done(stack):
    in_the_mood = Film("1291557", "花样年华", "花樣年華", 2000, genres=["剧情", "爱情"])
    serve(stack.douban, [*FILMS, in_the_mood])
    refuse_subjects(stack.douban, [in_the_mood])
    stack.llm.script(Reply.movies([named(AMELIE)]))
    calls_before = len(stack.llm.requests)
    result = stack.api.recommend({"mode": "for_me", "liked": [INTERSTELLAR.id, in_the_mood.id], "count": 1})

    assert result["status"] == "done"
    assert list(found(result)) == [AMELIE.id]
    _, user = prompt_of(stack, calls_before)
    assert "星际穿越（2014，剧情/科幻/冒险）" in user
    assert "花样年华" not in user
    assert in_the_mood.id not in user


def test_more_like_a_film_douban_will_not_show_now_fails_as_temporary(stack):
    # Last in the module: the refusals open the circuits for a second, which the tests before must not meet.
    chungking = Film("1291999", "重庆森林", "重慶森林", 1994, genres=["剧情", "爱情"])  # never read, so never cached
    serve(stack.douban, [*FILMS, chungking])
    refuse_subjects(stack.douban, [chungking])
    result = stack.api.recommend({"mode": "theme", "like": chungking.id, "count": 2})
    assert (result["status"], result["error"]["code"]) == ("failed", "like_unavailable")
    assert "稍后再试" in result["error"]["message"]
