"""Hard filters: what the model is told, and each one enforced on Douban's own data, unknown values included."""

import pytest
from pydantic import ValidationError

from movierec.douban.models import DoubanMovie
from movierec.modes.filters import (
    DOUBAN_REGIONS,
    REGION_ALIASES,
    Filters,
    failed_filter,
    prompt_data,
    prompt_instructions,
)

INCEPTION = DoubanMovie(
    id="3541415",
    url="https://movie.douban.com/subject/3541415/",
    title="盗梦空间",
    year=2010,
    genres=["剧情", "科幻", "悬疑", "冒险"],
    countries=["美国", "英国"],
    runtime_minutes=148,
    rating=9.4,
    rating_count=1970885,
)
KING_OF_COMEDY = INCEPTION.model_copy(
    update={"id": "1302425", "title": "喜剧之王", "year": 1999, "countries": ["香港"], "genres": ["喜剧", "剧情"]}
)
SEASON = DoubanMovie(
    id="26895436",
    url="https://movie.douban.com/subject/26895436/",
    title="漫长的季节",
    year=2023,
    kind="tv",
    genres=["剧情", "悬疑"],
    countries=["中国大陆"],
    episodes=12,
    episode_minutes=60,
    rating=9.4,
    rating_count=500000,
)
UNRATED = INCEPTION.model_copy(update={"rating": None, "rating_count": None})
SEARCH_ENTRY_ONLY = DoubanMovie(
    id="3541415", url="https://movie.douban.com/subject/3541415/", title="盗梦空间", year=2010
)


def filters(**fields):
    return Filters.model_validate(fields)


def test_no_filters_pass_everything_and_say_nothing():
    assert Filters().is_empty()
    for movie in (INCEPTION, SEASON, UNRATED, SEARCH_ENTRY_ONLY):
        assert failed_filter(Filters(), movie) is None
    assert failed_filter(Filters(), SEARCH_ENTRY_ONLY, partial=True) is None
    assert prompt_data(Filters()) == {}
    assert prompt_instructions(Filters()) == []


@pytest.mark.parametrize(
    ("given", "movie", "note"),
    [
        ({"min_rating": 9.5}, INCEPTION, "豆瓣评分 9.4，低于筛选的 9.5 分"),
        ({"min_rating": 8}, UNRATED, "豆瓣暂无评分，不满足最低 8 分"),
        ({"min_votes": 2_000_000}, INCEPTION, "豆瓣评分人数 1970885，少于筛选的 2000000 人"),
        ({"min_votes": 100}, UNRATED, "豆瓣评分人数不足，少于筛选的 100 人"),
        ({"years": {"from": 2011}}, INCEPTION, "2010 年的作品，早于筛选的 2011 年"),
        ({"years": {"to": 2009}}, INCEPTION, "2010 年的作品，晚于筛选的 2009 年"),
        ({"years": {"from": 1990, "to": 2000}}, INCEPTION, "2010 年的作品，不在筛选的 1990–2000 年之内"),
        ({"countries": ["日本", "韩国"]}, INCEPTION, "制片国家/地区为 美国 / 英国，不在筛选的 日本、韩国 之中"),
        ({"genres_exclude": ["恐怖", "悬疑"]}, INCEPTION, "类型含 悬疑，是筛选排除的类型"),
        ({"genres_exclude": ["悬疑片"]}, SEASON, "类型含 悬疑，是筛选排除的类型"),
        ({"max_runtime": 120}, INCEPTION, "片长 148 分钟，超过筛选的 120 分钟"),
        ({"max_runtime": 45}, SEASON, "单集片长 60 分钟，超过筛选的 45 分钟"),
        ({"kind": "movie"}, SEASON, "这是电视剧，筛选条件只要电影"),
        ({"kind": "tv"}, INCEPTION, "这是电影，筛选条件只要电视剧"),
    ],
)
def test_a_film_failing_a_filter_gets_the_reason_as_its_note(given, movie, note):
    assert failed_filter(filters(**given), movie) == note


@pytest.mark.parametrize(
    ("given", "movie"),
    [
        ({"min_rating": 9.4, "min_votes": 1_000_000}, INCEPTION),  # both ends included
        ({"years": {"from": 2010, "to": 2010}}, INCEPTION),
        ({"years": {"to": 2010}}, INCEPTION),
        ({"countries": ["英国"]}, INCEPTION),
        ({"countries": ["中国香港"]}, KING_OF_COMEDY),  # older pages write 香港
        ({"countries": ["香港"]}, KING_OF_COMEDY.model_copy(update={"countries": ["中国香港"]})),
        ({"countries": ["中国"]}, SEASON),  # 中国 takes the mainland, Hong Kong and Taiwan alike
        ({"countries": ["美國"]}, INCEPTION),  # traditional script
        ({"genres_exclude": ["恐怖片", "动画"]}, INCEPTION),
        ({"max_runtime": 148}, INCEPTION),
        ({"max_runtime": 60}, SEASON),  # a series: one episode's length
        ({"kind": "movie"}, INCEPTION),
        ({"kind": "tv"}, SEASON),
        ({"kind": "any"}, SEASON),
        ({"kind": "any"}, INCEPTION),
    ],
)
def test_a_film_meeting_the_filters_passes(given, movie):
    assert failed_filter(filters(**given), movie) is None


def test_what_a_card_does_not_show_fails_the_filter_that_needs_it():
    no_runtime = INCEPTION.model_copy(update={"runtime_minutes": None})
    assert failed_filter(filters(max_runtime=200), no_runtime) == "豆瓣条目没有片长，无法确认是否在 200 分钟以内"
    no_votes = INCEPTION.model_copy(update={"rating_count": None})  # the abstract card shows a rating, not votes
    assert "无法确认评分人数" in failed_filter(filters(min_votes=10), no_votes)
    assert failed_filter(filters(min_votes=0), no_votes) is None
    no_year = INCEPTION.model_copy(update={"year": None})
    assert "没有年份" in failed_filter(filters(years={"from": 2000}), no_year)
    no_countries = INCEPTION.model_copy(update={"countries": []})
    assert "没有制片国家/地区" in failed_filter(filters(countries=["美国"]), no_countries)


@pytest.mark.parametrize(
    ("given", "what"),
    [
        ({"min_rating": 1}, "评分"),
        ({"min_votes": 1}, "评分人数"),
        ({"countries": ["美国"]}, "制片国家/地区"),
        ({"genres_exclude": ["恐怖"]}, "类型"),
        ({"max_runtime": 300}, "片长"),
    ],
)
def test_a_partial_card_meets_no_filter_it_cannot_show(given, what):
    note = failed_filter(filters(**given), SEARCH_ENTRY_ONLY, partial=True)
    assert note == f"豆瓣暂时只返回了简要信息，无法确认{what}是否满足筛选条件"


def test_a_partial_card_is_judged_on_its_year_and_kind():
    assert failed_filter(filters(years={"from": 2000}, kind="movie"), SEARCH_ENTRY_ONLY, partial=True) is None
    assert failed_filter(filters(years={"from": 2011}), SEARCH_ENTRY_ONLY, partial=True).startswith("2010 年")


def test_the_filters_are_stated_for_the_model_as_data():
    given = filters(
        min_rating=7.5,
        min_votes=1000,
        years={"from": 2010},
        countries=["日本"],
        genres_exclude=["恐怖"],
        max_runtime=120,
        kind="tv",
    )
    assert prompt_data(given) == {
        "豆瓣评分不低于": 7.5,
        "豆瓣评分人数不少于": 1000,
        "首映年份": {"从": 2010, "到": None},
        "制片国家或地区（任一）": ["日本"],
        "不要的类型": ["恐怖"],
        "片长不超过（分钟）": 120,
    }
    assert prompt_instructions(given)[0].startswith("这次只推荐电视剧")
    assert "筛选条件" in prompt_instructions(given)[1]
    assert prompt_instructions(filters(kind="any")) == ["电影和电视剧（剧集）都可以推荐。"]


@pytest.mark.parametrize(
    ("given", "field", "kind"),
    [
        ({"min_rating": 10.5}, "min_rating", "less_than_equal"),
        ({"min_rating": -1}, "min_rating", "greater_than_equal"),
        ({"min_rating": "8"}, "min_rating", "value_error"),
        ({"min_rating": True}, "min_rating", "value_error"),
        ({"min_votes": 1.5}, "min_votes", "value_error"),
        ({"min_votes": -1}, "min_votes", "greater_than_equal"),
        ({"years": {"from": 2020, "to": 2010}}, "years", "value_error"),
        ({"years": {"from": 1500}}, "years.from", "greater_than_equal"),
        ({"years": {"since": 2000}}, "years.since", "extra_forbidden"),
        ({"countries": ["美国"] * 11}, "countries", "too_long"),
        ({"genres_exclude": [""]}, "genres_exclude.0", "string_too_short"),
        ({"max_runtime": 0}, "max_runtime", "greater_than_equal"),
        ({"kind": "film"}, "kind", "literal_error"),
        ({"rating": 8}, "rating", "extra_forbidden"),
    ],
)
def test_each_filter_rule_is_named(given, field, kind):
    with pytest.raises(ValidationError) as caught:
        Filters.model_validate(given)
    assert (field, kind) in {(".".join(map(str, e["loc"])), e["type"]) for e in caught.value.errors()}


def test_years_round_trip_under_their_api_names():
    stored = filters(years={"from": 2010, "to": 2019}).model_dump(mode="json")
    assert stored["years"] == {"from": 2010, "to": 2019}
    assert Filters.model_validate(stored) == filters(years={"from": 2010, "to": 2019})


@pytest.mark.parametrize("unknown", ["火星", "Mars", "亚特兰蒂斯", "美国人", "中国大陆香港"])
def test_a_country_douban_does_not_name_is_refused_naming_the_value(unknown):
    with pytest.raises(ValidationError) as caught:
        Filters.model_validate({"countries": ["日本", unknown]})
    [problem] = caught.value.errors()
    assert (problem["loc"], problem["type"]) == (("countries", 1), "value_error")
    assert repr(unknown) in problem["msg"]
    assert "美国, 中国香港, 日本" in problem["msg"]  # what to write instead


@pytest.mark.parametrize(
    ("typed", "douban"),
    [
        ("美国", "美国"),
        ("USA", "美国"),
        ("u.s.", "美国"),
        ("United States", "美国"),
        ("美國", "美国"),  # traditional script
        ("中国大陆", "中国大陆"),
        ("大陆", "中国大陆"),
        ("内地", "中国大陆"),
        ("中国", "中国"),  # the mainland, Hong Kong and Taiwan alike
        ("香港", "中国香港"),
        ("中国香港", "中国香港"),
        ("Hong Kong", "中国香港"),
        ("台湾", "中国台湾"),
        ("中國台灣", "中国台湾"),
        ("ＵＫ", "英国"),  # full width
        ("South Korea", "韩国"),
        ("苏联", "苏联"),  # a country no more, whose films Douban still lists
    ],
)
def test_countries_are_read_as_douban_names_them(typed, douban):
    assert Filters.model_validate({"countries": [typed]}).countries == [douban]


def test_every_alias_names_a_region_douban_writes():
    assert set(REGION_ALIASES) <= DOUBAN_REGIONS


def test_an_alias_meets_the_filter_as_douban_s_own_name_does():
    assert failed_filter(filters(countries=["USA"]), INCEPTION) is None
    assert failed_filter(filters(countries=["Hong Kong"]), KING_OF_COMEDY) is None  # the page writes 香港
    assert "不在筛选的 日本" in failed_filter(filters(countries=["Japan"]), INCEPTION)


# --- 冷门, languages and regions named as groups (issue 21: what people's words state) -----------------------------

SPEAKING = INCEPTION.model_copy(update={"languages": ["英语", "日语", "法语", "斯瓦希里语"]})
HONG_KONG_FILM = KING_OF_COMEDY.model_copy(update={"languages": ["粤语", "汉语普通话"]})


@pytest.mark.parametrize(
    ("given", "movie", "note"),
    [
        ({"max_votes": 50_000}, INCEPTION, "豆瓣评分人数 1970885，多于筛选的 50000 人"),
        ({"max_votes": 50_000}, INCEPTION.model_copy(update={"rating_count": None}), "豆瓣暂时只返回了简要信息"),
        ({"languages": ["粤语"]}, SPEAKING, "对白语言为 英语 / 日语 / 法语 / 斯瓦希里语，不是筛选的 粤语"),
        ({"languages": ["粤语"]}, INCEPTION, "豆瓣条目没有对白语言，无法确认"),
        ({"countries": ["北欧"]}, INCEPTION, "制片国家/地区为 美国 / 英国，不在筛选的 北欧 之中"),
    ],
)
def test_votes_at_most_languages_and_regions_fail_with_their_reason(given, movie, note):
    assert failed_filter(filters(**given), movie).startswith(note)


@pytest.mark.parametrize(
    ("given", "movie"),
    [
        ({"max_votes": 50_000}, UNRATED),  # too few ratings for Douban to show one: few indeed
        ({"max_votes": 2_000_000}, INCEPTION),
        ({"languages": ["国语"]}, HONG_KONG_FILM),  # 国语 is Douban's 汉语普通话
        ({"languages": ["English", "粤语"]}, SPEAKING),
        ({"countries": ["欧美"]}, INCEPTION),
        ({"countries": ["Europe"]}, INCEPTION),  # 英国
        ({"countries": ["东南亚", "中国香港"]}, KING_OF_COMEDY),
    ],
)
def test_votes_at_most_languages_and_regions_pass_what_meets_them(given, movie):
    assert failed_filter(filters(**given), movie) is None


@pytest.mark.parametrize("what", ["max_votes", "languages"])
def test_a_partial_card_cannot_show_votes_or_languages(what):
    given = {"max_votes": 50_000} if what == "max_votes" else {"languages": ["英语"]}
    assert failed_filter(filters(**given), SEARCH_ENTRY_ONLY, partial=True).startswith("豆瓣暂时只返回了简要信息")


def test_languages_and_groups_are_read_as_douban_names_them_and_unknown_ones_refused():
    assert filters(languages=["Cantonese", "国语", "英文"]).languages == ["粤语", "汉语普通话", "英语"]
    assert filters(countries=["Nordic", "欧美"]).countries == ["北欧", "欧美"]
    with pytest.raises(ValidationError) as caught:
        filters(languages=["克林贡语"])
    assert "'克林贡语'" in caught.value.errors()[0]["msg"]


def test_votes_at_least_more_than_at_most_is_refused():
    with pytest.raises(ValidationError) as caught:
        filters(min_votes=100_000, max_votes=50_000)
    assert "`min_votes` must not be more than `max_votes`" in caught.value.errors()[0]["msg"]


def test_votes_at_most_and_languages_are_stated_for_the_model():
    assert prompt_data(filters(max_votes=50_000, languages=["粤语"])) == {
        "豆瓣评分人数不多于": 50_000,
        "对白语言（任一）": ["粤语"],
    }
