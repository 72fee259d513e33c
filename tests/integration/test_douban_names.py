"""Douban's names as Douban writes them, through the whole stack: seasons found by their show's name, people's
search entries never read as films, and a seen film kept out however the person typed it."""

import pytest

from tests.fakes.catalog import Film, Person, serve
from tests.fakes.llm_server import Reply, movie

INCEPTION = Film(
    "3541415",
    "盗梦空间",
    "Inception",
    2010,
    countries=["美国", "英国"],
    aka=["潜行凶间(港)", "全面启动(台)", "奠基", "心灵犯案", "记忆迷阵", "记忆魔方"],
)
KING_OF_COMEDY = Film("1302425", "喜剧之王", "喜劇之王", 1999, directors=["周星驰", "李力持"], countries=["中国香港"])
FARGO = Film("1291575", "冰血暴", "Fargo", 1996, countries=["美国"])
FARGO_SEASONS = [
    Film("25826612", "冰血暴 第一季", "Fargo Season 1", 2014, episodes=10, aka=["冰血暴 第1季", "雪地惊魂 第一季"]),
    Film("26266072", "冰血暴 第二季", "Fargo Season 2", 2015, episodes=10, aka=["冰血暴 第2季"]),
]
WESTWORLD_SEASONS = [
    Film("25934004", "西部世界 第一季", "Westworld Season 1", 2016, episodes=10, aka=["西方极乐园 第一季(台)"]),
    Film("26921674", "西部世界 第二季", "Westworld Season 2", 2018, episodes=10, aka=["西方极乐园 第二季(台)"]),
]
DOCTOR_WHO = Film("3016291", "神秘博士  第四季", "Doctor Who Season 4", 2008, episodes=14, countries=["英国"])
LOVING_VINCENT = Film("25837262", "至爱梵高·星空之谜", "Loving Vincent", 2017, countries=["英国", "波兰"])
VAN_GOGH = Person("1049999", "梵高", "Vincent van Gogh")  # Douban's search lists the painter among the films


@pytest.fixture(autouse=True)
def catalogue(stack):
    films = [INCEPTION, KING_OF_COMEDY, FARGO, *FARGO_SEASONS, *WESTWORLD_SEASONS, DOCTOR_WHO, LOVING_VINCENT]
    serve(stack.douban, films, people=[VAN_GOGH])
    stack.llm.script()


def found_cards(result):
    return {m["title"]: m["douban"] for m in result["movies"] if m["status"] == "found"}


def test_a_series_named_by_its_show_name_is_found_as_its_season(stack):
    stack.llm.script(
        Reply.movies(
            [
                movie("冰血暴", 2014, "Fargo"),
                movie("西部世界", 2018, "Westworld"),
                movie("神秘博士", 2008, "Doctor Who"),
                movie("冰血暴", 1996, "Fargo"),  # the film of the same name, by its year
            ]
        )
    )
    # A theme that states no filter (美剧 would: American series only), so that the film of the same name shows too.
    result = stack.api.recommend({"mode": "theme", "theme": "黑色幽默的犯罪故事", "count": 4})

    assert result["status"] == "done"
    cards = [(m["douban"]["id"], m["douban"]["title"], m["douban"]["kind"]) for m in result["movies"]]
    assert cards == [
        ("25826612", "冰血暴 第一季", "tv"),
        ("26921674", "西部世界 第二季", "tv"),  # the season of 2018
        ("3016291", "神秘博士  第四季", "tv"),  # Douban's own title, two spaces and all
        ("1291575", "冰血暴", "movie"),
    ]


def test_a_persons_entry_is_never_fetched(stack):
    stack.douban.clear_requests()
    stack.llm.script(
        Reply.movies([movie("梵高", 1991, "Van Gogh"), movie("至爱梵高·星空之谜", 2017, "Loving Vincent")])
    )
    result = stack.api.recommend({"mode": "theme", "theme": "画家的一生", "count": 2})

    statuses = {m["title"]: (m["status"], m["douban"]) for m in result["movies"]}
    assert statuses["梵高"] == ("not_found", None)
    assert statuses["至爱梵高·星空之谜"][0] == "found"
    searched = [request.param("q") for request in stack.douban.requests_to("/j/subject_suggest")]
    assert "梵高" in searched  # Douban answered with the painter's entry, which was passed over
    asked = [(request.path, request.param("subject_id")) for request in stack.douban.requests]
    assert not [ask for ask in asked if VAN_GOGH.id in ask[0] or ask[1] == VAN_GOGH.id]


@pytest.mark.parametrize(
    "seen",
    [
        "盗梦空间 (2010)",  # with a year appended
        "盜夢空間",  # in traditional script
        "全面启动",  # by its Taiwan name, without the region mark
        "潜行凶间",  # by its Hong Kong name
    ],
)
def test_a_seen_film_is_never_shown_however_it_was_typed(stack, seen):
    stack.llm.script(Reply.movies([movie("盗梦空间", 2010, "Inception"), movie("喜剧之王", 1999, "喜劇之王")]))
    result = stack.api.recommend({"mode": "tags", "tags": ["经典"], "count": 1, "exclude": [seen]})

    assert result["status"] == "done"
    assert [card["id"] for card in found_cards(result).values()] == [KING_OF_COMEDY.id]
    assert seen in stack.llm.requests[-1]["messages"][1]["content"]  # the model was told, too


def test_a_title_the_model_writes_in_traditional_script_is_found(stack):
    stack.llm.script(Reply.movies([movie("盜夢空間", 2010)]))  # no other name to search by
    result = stack.api.recommend({"mode": "tags", "tags": ["科幻"], "count": 1})

    assert found_cards(result)["盜夢空間"]["title"] == "盗梦空间"
