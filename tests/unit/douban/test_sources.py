"""The mobile API, subject_abstract and suggest mappers give the same DoubanMovie as the page parser."""

from __future__ import annotations

import pytest

from movierec.douban.models import DoubanMovie, SuggestCandidate
from movierec.douban.parser import NotASubjectPage, parse_subject
from movierec.douban.sources import from_abstract, from_mobile_api, from_suggest

BASE = "https://movie.douban.com"


# --- mobile rexxar JSON ---------------------------------------------------------------------------------


def test_mobile_movie(fixture_json):
    movie = from_mobile_api(fixture_json("mobile_movie.json"), "3001114", BASE)

    assert movie == DoubanMovie(
        id="3001114",
        url="https://movie.douban.com/subject/3001114/",
        title="沙丘",
        original_title="Dune",
        year=2021,
        kind="movie",
        directors=["丹尼斯·维伦纽瓦"],
        writers=[],  # not in the mobile API
        cast=["提莫西·查拉梅", "Rebecca Ferguson", "奥斯卡·伊萨克"],  # latin_name when the name is blank
        genres=["剧情", "科幻", "冒险"],
        countries=["美国", "加拿大", "匈牙利"],
        languages=["英语", "普通话"],
        release_dates=["2021-10-22(中国大陆)", "2021-09-03(威尼斯电影节)", "2021-10-22(美国)"],
        runtime_minutes=156,
        aka=["沙丘：上", "沙丘瀚战(港)", "Dune: Part One"],
        rating=7.7,
        rating_count=481275,
        poster_url="https://img1.doubanio.com/view/photo/m_ratio_poster/public/p2687443734.jpg",
        summary=(
            "影片讲述了天赋异禀的少年保罗·厄崔迪（提莫西·查拉梅 饰）注定要前往宇宙中最危险的星球。\n"
            "当邪恶势力为争夺这颗星球上的珍贵资源而发生冲突时，只有那些能够征服内心恐惧的人才能生存下来。"
        ),
    )


def test_mobile_and_page_agree_on_the_same_subject(fixture_json, fixture_text):
    from_api = from_mobile_api(fixture_json("mobile_movie.json"), "3001114", BASE)
    from_page = parse_subject(fixture_text("subject_film_2022.html"))

    shared = {"id", "url", "title", "original_title", "year", "kind", "directors", "genres", "countries"}
    shared |= {"languages", "release_dates", "runtime_minutes", "aka", "rating", "rating_count"}
    assert from_api.model_dump(include=shared) == from_page.model_dump(include=shared)


def test_mobile_tv(fixture_json):
    movie = from_mobile_api(fixture_json("mobile_tv.json"), "25826612", BASE)

    assert (movie.kind, movie.year) == ("tv", 2014)
    assert (movie.title, movie.original_title) == ("冰血暴 第一季", "Fargo Season 1")
    assert (movie.episodes, movie.episode_minutes, movie.runtime_minutes) == (10, 53, None)
    assert (movie.rating, movie.rating_count) == (None, None)  # "rating": null
    assert movie.poster_url == "https://img9.doubanio.com/view/photo/s_ratio_poster/public/p2174128474.jpg"
    assert movie.summary is None
    assert movie.cast == ["比利·鲍勃·松顿", "马丁·弗瑞曼"]


def test_mobile_unrated_has_no_rating(fixture_json):
    movie = from_mobile_api(fixture_json("mobile_unrated.json"), "36151692", BASE)

    assert (movie.rating, movie.rating_count) == (None, None)
    assert (movie.runtime_minutes, movie.episodes, movie.cast) == (None, None, [])
    assert movie.directors == ["安东尼·罗素", "乔·罗素"]


def test_mobile_null_rating_reason_wins_over_a_value(fixture_json):
    data = fixture_json("mobile_movie.json") | {"null_rating_reason": "评价人数不足"}

    assert from_mobile_api(data, "3001114", BASE).rating is None


def test_mobile_year_falls_back_to_the_earliest_release_date(fixture_json):
    data = fixture_json("mobile_movie.json") | {"year": ""}

    assert from_mobile_api(data, "3001114", BASE).year == 2021


def test_mobile_original_title_repeating_the_title_is_dropped(fixture_json):
    data = fixture_json("mobile_movie.json") | {"original_title": "沙丘"}

    assert from_mobile_api(data, "3001114", BASE).original_title is None


def test_mobile_error_answer_raises_not_a_subject_page():
    with pytest.raises(NotASubjectPage):
        from_mobile_api({"msg": "subject_not_found", "code": 1001, "request": "GET /v2/movie/1"}, "1", BASE)


# --- subject_abstract JSON ------------------------------------------------------------------------------


def test_abstract_movie(fixture_json):
    movie = from_abstract(fixture_json("abstract_movie.json"), "3001114", BASE)

    assert movie == DoubanMovie(
        id="3001114",
        url="https://movie.douban.com/subject/3001114/",
        title="沙丘",
        original_title="Dune",
        year=2021,
        kind="movie",
        directors=["丹尼斯·维伦纽瓦"],
        cast=["提莫西·查拉梅", "丽贝卡·弗格森", "奥斯卡·伊萨克"],
        genres=["剧情", "科幻", "冒险"],
        countries=["美国", "加拿大", "匈牙利"],
        runtime_minutes=156,
        rating=7.7,
    )


def test_abstract_tv_with_a_spaced_chinese_title(fixture_json):
    movie = from_abstract(fixture_json("abstract_tv.json"), "25826612", BASE)

    assert (movie.kind, movie.year) == ("tv", 2014)
    assert (movie.title, movie.original_title) == ("冰血暴 第一季", "Fargo Season 1")
    assert (movie.episodes, movie.episode_minutes, movie.runtime_minutes) == (10, 53, None)
    assert movie.rating == 9.3


def test_abstract_unrated_takes_the_year_from_the_title(fixture_json):
    movie = from_abstract(fixture_json("abstract_unrated.json"), "1306842", BASE)

    assert (movie.title, movie.original_title, movie.year) == ("青少年哪吒", None, 1992)
    assert (movie.rating, movie.runtime_minutes) == (None, None)
    assert movie.countries == ["中国台湾"]


@pytest.mark.parametrize(
    "data",
    [
        {"r": 1},
        {"r": 1, "subject": {"title": "沙丘 Dune (2021)"}},  # a failed answer is not read, whatever it carries
        {},
        {"r": 0, "subject": None},
        {"r": 0, "subject": {"title": ""}},
    ],
)
def test_abstract_failure_gives_none(data):
    assert from_abstract(data, "1", BASE) is None


# --- suggest --------------------------------------------------------------------------------------------


def test_suggest_gives_a_partial_card(fixture_json):
    entries = [SuggestCandidate.model_validate(entry) for entry in fixture_json("suggest_little_women.json")]

    film, series = from_suggest(entries[0], BASE), from_suggest(entries[1], "http://localhost:8080/")

    assert film == DoubanMovie(
        id="26348103",
        url="https://movie.douban.com/subject/26348103/",
        title="小妇人",
        original_title="Little Women",
        year=2019,
        kind="movie",
        poster_url="https://img9.doubanio.com/view/photo/s_ratio_poster/public/p2575043939.webp",
    )
    assert (series.kind, series.year, series.url) == ("tv", 2017, "http://localhost:8080/subject/26987544/")


def test_suggest_sub_title_repeating_the_title_is_no_original_title(fixture_json):
    entries = [SuggestCandidate.model_validate(entry) for entry in fixture_json("suggest_same_title.json")]

    same, unknown_year = (from_suggest(entry, BASE) for entry in entries)

    assert (same.title, same.original_title) == ("女子分手专家", None)
    assert (unknown_year.original_title, unknown_year.year) == ("기생충", None)


# --- display text is Douban's own, minus invisible marks -----------------------------------------------------

DOCTOR_WHO = "神秘博士  第四季"  # Douban's title, two spaces and all
LRM, ZWSP, BOM = "\u200e", "\u200b", "\ufeff"


def test_abstract_drops_the_invisible_mark_after_an_original_title():
    # Issue 10, input 4.
    data = {"r": 0, "subject": {"title": f"权力的游戏 第八季 Game of Thrones Season 8{LRM} (2019)", "is_tv": True}}

    movie = from_abstract(data, "26584183", BASE)

    assert (movie.title, movie.original_title, movie.year) == ("权力的游戏 第八季", "Game of Thrones Season 8", 2019)


@pytest.mark.parametrize(
    "read",
    [
        lambda: from_abstract(
            {"r": 0, "subject": {"title": f"{DOCTOR_WHO} Doctor Who Season 4{LRM} (2008)"}}, "1", BASE
        ),
        lambda: from_mobile_api(
            {"title": f"{BOM}{DOCTOR_WHO}", "original_title": f"Doctor Who{ZWSP} Season 4"}, "1", BASE
        ),
        lambda: from_suggest(
            SuggestCandidate(id="1", title=f"{DOCTOR_WHO}{LRM}", sub_title="Doctor Who Season 4"), BASE
        ),
    ],
    ids=["abstract", "mobile", "suggest"],
)
def test_every_source_keeps_douban_s_spaces_and_drops_invisible_marks(read):
    movie = read()

    assert (movie.title, movie.original_title) == (DOCTOR_WHO, "Doctor Who Season 4")


def test_an_original_title_in_another_script_is_kept():
    movie = from_mobile_api({"title": "喜剧之王", "original_title": "喜劇之王"}, "1302425", BASE)

    assert movie.original_title == "喜劇之王"  # as the desktop page shows it
