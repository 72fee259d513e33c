"""The constraints a person writes, through the whole stack (issue 21): read from the words, enforced on Douban's data
like any filter (a dropped card says why, the top-up fills), listed in the view with their words, removable, and
answered plainly when they leave nothing."""

import json

import pytest

from tests.fakes.catalog import Film, serve
from tests.fakes.llm_server import Reply, movie

KOREA = ["韩国"]
MEMORIES = Film("1300299", "杀人回忆", "살인의 추억", 2003, genres=["犯罪", "悬疑"], countries=KOREA, rating=8.9)
PARASITE = Film("27010768", "寄生虫", "기생충", 2019, genres=["剧情", "悬疑"], countries=KOREA, rating=8.8)
THE_WAILING = Film("25986180", "哭声", "곡성", 2016, genres=["悬疑", "惊悚"], countries=KOREA, rating=7.5)
FORGOTTEN = Film("27622447", "被遗忘的", "기억의 밤", 2017, genres=["悬疑", "惊悚"], countries=KOREA, rating=8.2)
TRIANGLE = Film("3011051", "恐怖游轮", "Triangle", 2009, genres=["悬疑"], countries=["英国", "澳大利亚"], rating=8.6)
MONSTER = Film("35780499", "怪物", "怪物", 2023, genres=["剧情", "悬疑"], countries=["日本"], rating=8.6)
DECISION = Film("35033654", "分手的决心", "헤어질 결심", 2022, genres=["悬疑", "爱情"], countries=KOREA, rating=None)
BURNING = Film("26842702", "燃烧", "버닝", 2018, genres=["悬疑", "剧情"], countries=KOREA, rating=7.9)
HOMECOMING = Film(
    "1307793", "英雄本色", "英雄本色", 1986, countries=["中国香港"], languages=["粤语", "汉语普通话"], rating=8.7
)
CHUNGKING_DUBBED = Film("1291999", "重庆森林", "重慶森林", 1994, countries=["中国香港"], languages=["汉语普通话"])
FILMS = [MEMORIES, PARASITE, THE_WAILING, FORGOTTEN, TRIANGLE, MONSTER, DECISION, BURNING, HOMECOMING, CHUNGKING_DUBBED]


@pytest.fixture(autouse=True)
def catalogue(stack):
    serve(stack.douban, FILMS)
    stack.llm.script()


def named(film):
    return movie(film.title, film.year, film.original_title)


def found(result):
    return {m["douban"]["id"] for m in result["movies"] if m["status"] == "found"}


def notes(result):
    return {m["title"]: m["note"] for m in result["movies"] if m["status"] == "not_found"}


def chips(result):
    return [(one["field"], one["words"], one["label"]) for one in result["read_filters"]]


THEME = "2015年以后的韩国悬疑片，评分8分以上"


def test_the_words_are_enforced_on_doubans_data_and_listed_with_the_words_they_came_from(stack):
    # The model ignores the words, as SuggestArr's did (#430): older films, other countries, lower ratings.
    stack.llm.script(
        Reply.movies([named(MEMORIES), named(MONSTER), named(THE_WAILING), named(PARASITE), named(TRIANGLE)]),
        Reply.movies([named(DECISION), named(FORGOTTEN)]),
    )
    calls_before = len(stack.llm.requests)
    result = stack.api.recommend({"mode": "theme", "theme": THEME, "count": 2})

    assert result["status"] == "done"
    assert found(result) == {PARASITE.id, FORGOTTEN.id}
    for card in result["movies"]:
        if card["status"] == "found":
            douban = card["douban"]
            assert douban["year"] >= 2015
            assert "韩国" in douban["countries"]
            assert douban["rating"] >= 8
    assert notes(result) == {
        "杀人回忆": "2003 年的作品，早于筛选的 2015 年",
        "怪物": "制片国家/地区为 日本，不在筛选的 韩国 之中",
        "哭声": "豆瓣评分 7.5，低于筛选的 8 分",
        "恐怖游轮": "2009 年的作品，早于筛选的 2015 年",
        "分手的决心": "豆瓣暂无评分，不满足最低 8 分",
    }
    assert chips(result) == [
        ("countries", ["韩国"], "韩国"),
        ("years", ["2015年以后"], "2015 年及以后"),
        ("min_rating", ["评分8分以上"], "豆瓣 8 分以上"),
    ]
    user = stack.llm.requests[calls_before]["messages"][1]["content"]
    conditions = json.loads(user[user.index("{") :])["筛选条件"]
    assert conditions == {"豆瓣评分不低于": 8, "首映年份": {"从": 2015, "到": None}, "制片国家或地区（任一）": ["韩国"]}
    assert len(stack.llm.requests) - calls_before == 2  # the first round and the top-up that filled the count


def test_removing_a_chip_asks_again_without_that_filter(stack):
    stack.llm.script(Reply.movies([named(THE_WAILING), named(BURNING)]))
    result = stack.api.recommend({"mode": "theme", "theme": THEME, "count": 2, "dismissed_filters": ["min_rating"]})

    assert result["status"] == "done"
    assert found(result) == {THE_WAILING.id, BURNING.id}  # rated under 8: allowed now
    assert [field for field, _, _ in chips(result)] == ["countries", "years"]


def test_the_models_reading_of_words_movierec_does_not_know_holds_every_card(stack):
    reading = [{"words": "粤语", "field": "languages", "value": ["粤语"]}]
    answer = {"filters": reading, "movies": [named(CHUNGKING_DUBBED), named(HOMECOMING)]}
    stack.llm.script(Reply(content=json.dumps(answer, ensure_ascii=False), movie_objects=answer["movies"]))
    result = stack.api.recommend({"mode": "theme", "theme": "有年代感的粤语老片", "count": 1})

    assert result["status"] == "done"
    assert found(result) == {HOMECOMING.id}
    assert notes(result) == {"重庆森林": "对白语言为 汉语普通话，不是筛选的 粤语"}
    assert [(one["field"], one["words"], one["source"]) for one in result["read_filters"]] == [
        ("languages", ["粤语"], "model")
    ]


def test_words_that_leave_no_film_are_answered_plainly_before_the_model_is_asked(stack):
    calls_before = len(stack.llm.requests)
    response = stack.api.create({"mode": "theme", "theme": "2099年以后的韩国悬疑片"})

    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "nothing_can_match"
    assert body["message"].startswith("「2099年以后」的电影还没有上映")
    assert body["details"][0]["field"] == "theme"
    assert len(stack.llm.requests) == calls_before
