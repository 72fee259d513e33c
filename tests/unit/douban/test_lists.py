"""Douban's lists: a list item as a card, and the warm-up that reads lists into the movie cache within the budget."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from movierec.douban.budget import (
    BudgetPolicy,
    BudgetState,
    DoubanBudget,
    InMemoryBudgetStore,
    LookupSpend,
    Priority,
    unlimited,
)
from movierec.douban.cache import MovieCache
from movierec.douban.circuit import InMemoryCircuitBreaker
from movierec.douban.errors import DoubanBanned
from movierec.douban.http import DoubanHttp
from movierec.douban.lists import PAGE_SIZE, CacheWarmUp, DoubanList, card_from_list_item
from movierec.douban.lookup import DoubanLookup
from tests.fakes.catalog import Film, list_item, serve, serve_lists
from tests.fakes.clock import START as NOW
from tests.fakes.clock import SimClock
from tests.fakes.douban_server import FakeDouban, Reply, local_only_session

# An item in the shape of ../shared/douban-2026/rexxar_list_items_2026.json (our own values).
DAREDEVIL = {
    "alg_json": '{"recall":"mf_TUUT_tag","name":"mf_tag_tv","stype":"tv"}',
    "card_subtitle": "2018 / 美国 / 剧情 动作 犯罪 / 菲尔·亚伯拉罕 史蒂芬·瑟吉克 / 查理·考克斯 黛博拉·安·霍尔",
    "id": "26841619",
    "interest": None,
    "pic": {
        "large": "https://img3.doubanio.com/view/photo/m_ratio_poster/public/p2534675103.jpg",
        "normal": "https://img3.doubanio.com/view/photo/s_ratio_poster/public/p2534675103.jpg",
    },
    "rating": {"count": 20843, "max": 10, "star_count": 4.5, "value": 9.2},
    "sharing_url": "https://www.douban.com/doubanapp/dispatch/movie/26841619",
    "title": "夜魔侠 第三季",
    "type": "tv",
    "uri": "douban://douban.com/tv/26841619",
    "url": "https://movie.douban.com/subject/26841619/",
}


def test_a_list_item_is_a_card():
    movie, candidate = card_from_list_item(DAREDEVIL, "https://movie.douban.com")

    assert (movie.id, movie.title, movie.year, movie.kind) == ("26841619", "夜魔侠 第三季", 2018, "tv")
    assert movie.url == "https://movie.douban.com/subject/26841619/"
    assert (movie.countries, movie.genres) == (["美国"], ["剧情", "动作", "犯罪"])
    assert movie.directors == ["菲尔·亚伯拉罕", "史蒂芬·瑟吉克"]
    assert movie.cast == ["查理·考克斯", "黛博拉·安·霍尔"]
    assert (movie.rating, movie.rating_count) == (9.2, 20843)
    assert movie.poster_url.endswith("m_ratio_poster/public/p2534675103.jpg")
    assert (movie.summary, movie.runtime_minutes, movie.original_title) == (None, None, None)  # not in a list
    assert (candidate.id, candidate.title, candidate.year, candidate.is_tv, candidate.is_subject) == (
        "26841619",
        "夜魔侠 第三季",
        2018,
        True,
        True,
    )


def test_an_unrated_item_has_no_rating():
    item = {**DAREDEVIL, "rating": {"count": 0, "max": 10, "value": 0}, "null_rating_reason": "尚未上映"}

    movie, _ = card_from_list_item(item, "https://movie.douban.com")

    assert (movie.rating, movie.rating_count) == (None, None)


def test_a_short_subtitle_and_latin_names_are_read_for_what_they_are():
    item = {**DAREDEVIL, "card_subtitle": "2021 / 美国 / 动作 科幻 / Christopher Nolan 斯蒂文·S·迪奈特", "year": "2021"}

    movie, _ = card_from_list_item(item, "https://movie.douban.com")

    assert movie.directors == ["Christopher Nolan", "斯蒂文·S·迪奈特"]
    assert movie.cast == []


@pytest.mark.parametrize(
    "item",
    [
        {**DAREDEVIL, "id": "../../accounts"},
        {**DAREDEVIL, "title": ""},
        {**DAREDEVIL, "type": "book"},
        {"id": "1"},
    ],
    ids=["odd-id", "no-title", "a-book", "almost-nothing"],
)
def test_what_is_no_film_or_series_is_no_card(item):
    assert card_from_list_item(item, "https://movie.douban.com") is None


def test_lists_are_named_with_their_pages():
    assert DoubanList.parse_all("movie_top250:5, tv_hot") == (DoubanList("movie_top250", 5), DoubanList("tv_hot", 1))
    for bad in ("movie top250", "tv_hot:0", "tv_hot:x", "../x"):
        with pytest.raises(ValueError, match="not a Douban list"):
            DoubanList.parse_all(bad)


# --- the warm-up --------------------------------------------------------------------------------------------------

TOP = [Film(str(1_000_000 + n), f"榜单电影{n:03d}", f"Top Film {n}", 1960 + n % 60) for n in range(120)]
HOT_TV = [Film("2000001", "热门剧 第一季", "Hot Show", 2025, episodes=12)]


@pytest.fixture
def douban() -> Iterator[FakeDouban]:
    with FakeDouban() as server:
        serve_lists(server, {"movie_top250": TOP, "tv_hot": HOT_TV})
        yield server


def warm_up(douban: FakeDouban, cache: MovieCache, budget: DoubanBudget, lists: str, clock=None) -> CacheWarmUp:
    http = DoubanHttp(budget=budget, session=local_only_session(), sleep=lambda _: None)
    options = {"clock": clock} if clock else {}
    return CacheWarmUp(http, cache, douban.base_url, douban.base_url, DoubanList.parse_all(lists), **options)


def test_the_lists_are_read_page_by_page_into_the_cache(douban, table):
    cache = MovieCache(table)

    report = warm_up(douban, cache, unlimited(), "movie_top250:5,tv_hot").run(seconds=600)

    assert (report.pages, report.requests, report.stored, report.stopped) == (4, 4, 121, None)  # 120 = 3 pages
    assert report.lists_read == ["movie_top250", "tv_hot"]
    pages = douban.requests_to("/rexxar/api/v2/subject_collection/movie_top250/items")
    assert [request.param("start") for request in pages] == ["0", "50", "100"]  # the stated total ends the list
    assert {request.param("count") for request in pages} == {str(PAGE_SIZE)}
    assert pages[0].header("Referer") == "https://m.douban.com/subject_collection/movie_top250"
    assert "iPhone" in pages[0].header("User-Agent")
    film = TOP[42]
    assert cache.get_candidate((film.title,), film.year).id == film.id  # the title index: no search needed
    cached = cache.get_movie(film.id)
    assert (cached.from_list, cached.partial) == (True, False)
    assert cached.movie.rating == film.rating


def test_a_warmed_film_costs_a_lookup_no_request(douban, table):
    cache = MovieCache(table)
    warm_up(douban, cache, unlimited(), "movie_top250:5").run(seconds=600)
    douban.clear_requests()
    http = DoubanHttp(budget=unlimited(), session=local_only_session())
    lookup = DoubanLookup(http, cache, InMemoryCircuitBreaker(), douban.base_url, douban.base_url)
    film = TOP[7]

    result = lookup.find(film.title, film.original_title, film.year, spend=LookupSpend(Priority.CARD, 1, 1))

    assert (result.status, result.source, result.douban_requests) == ("found", "list", 0)
    assert douban.requests == []


def test_a_fuller_card_is_never_replaced_by_a_list_s(douban, table):
    cache = MovieCache(table)
    serve(douban, TOP[:1])
    http = DoubanHttp(budget=unlimited(), session=local_only_session())
    lookup = DoubanLookup(http, cache, InMemoryCircuitBreaker(), douban.base_url, douban.base_url)
    lookup.find(TOP[0].title, None, TOP[0].year, spend=LookupSpend(Priority.CARD, 1, 1))

    report = warm_up(douban, cache, unlimited(), "movie_top250").run(seconds=600)

    assert (report.stored, report.kept_fuller) == (49, 1)
    assert cache.get_movie(TOP[0].id).source == "mobile"


def test_the_warm_up_waits_for_the_idle_share_and_stops_when_there_is_none(douban, table):
    clock = SimClock()
    busy = BudgetState(sent=tuple(NOW - 30 + n for n in range(7)))  # seven of ten used in the last minute
    budget = DoubanBudget(
        InMemoryBudgetStore(busy), BudgetPolicy(per_minute=10), clock=clock, sleep=clock.sleep, jitter=lambda: 0.0
    )
    warm = warm_up(douban, MovieCache(table), budget, "movie_top250:5", clock=clock)

    report = warm.run(seconds=600)

    # its first page waited until only three were left in the window, then it had the idle share to itself
    assert report.pages == 3
    assert clock.now >= NOW + 30 - 1
    assert report.stopped is None


def test_the_warm_up_stops_when_douban_refuses(douban, table):
    douban.set(
        "/rexxar/api/v2/subject_collection/movie_top250/items",
        Reply.api_error(1309, "subject_ip_rate_limit", "GET /v2/subject_collection/movie_top250/items"),
    )

    report = warm_up(douban, MovieCache(table), unlimited(), "movie_top250:5,tv_hot").run(seconds=600)

    assert report.stored == 0
    assert "subject_ip_rate_limit" in report.stopped
    assert len(douban.requests) == 1  # not the next list either: tomorrow


def test_a_ban_mid_run_stops_the_warm_up_and_every_other_taker(douban, table):
    douban.set("/rexxar/api/v2/subject_collection/tv_hot/items", Reply.ban_redirect("https://m.douban.com/"))
    budget = unlimited()

    report = warm_up(douban, MovieCache(table), budget, "movie_top250:1,tv_hot,movie_weekly_best").run(seconds=600)

    assert (report.stored, report.lists_read) == (50, ["movie_top250"])  # what was read before stays read
    assert "sec.douban.com/b" in report.stopped
    assert len(douban.requests) == 2
    with pytest.raises(DoubanBanned):
        budget.take(Priority.CARD, wait_seconds=60)


@pytest.mark.parametrize(
    "missing",
    [
        Reply.status_only(404),
        Reply.api_error(1001, "subject_collection_not_found", "GET /v2/subject_collection/movie_gone/items", 404),
        Reply.api_error(999, "invalid_request_999", "GET /v2/subject_collection/movie_gone/items", 400),
    ],
    ids=["404", "404-json", "400-json"],
)
def test_a_list_douban_has_not_is_passed_over_and_the_others_are_still_read(douban, table, missing):
    # The operator names the lists; Douban retires and renames them. One that is gone says nothing about the others.
    douban.set("/rexxar/api/v2/subject_collection/movie_gone/items", missing)

    report = warm_up(douban, MovieCache(table), unlimited(), "movie_gone:3,tv_hot").run(seconds=600)

    assert (report.stored, report.lists_read, report.stopped) == (1, ["tv_hot"], None)
    assert len(douban.requests_to("/rexxar/api/v2/subject_collection/movie_gone/items")) == 1


def test_the_warm_up_stops_in_time_for_its_function(douban, table):
    report = warm_up(douban, MovieCache(table), unlimited(), "movie_top250:5").run(seconds=30)

    assert (report.pages, report.stopped) == (0, "out of time")  # a page may wait 90 s for its token


def test_the_catalog_s_list_items_read_back_as_their_films():
    film = Film("3", "片", "Film", 2001, directors=["导演"], cast=["甲", "乙"], countries=["中国香港"], genres=["剧情"])

    movie, _ = card_from_list_item(list_item(film), "https://movie.douban.com")

    assert (movie.title, movie.year, movie.directors, movie.cast, movie.countries) == (
        "片",
        2001,
        ["导演"],
        ["甲", "乙"],
        ["中国香港"],
    )
