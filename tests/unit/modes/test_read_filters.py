"""The filters a request's words state: which words are read, how readings merge, what wins, what the model may add,
and what leaves no film."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from movierec.modes.filters import Filters
from movierec.modes.for_me import ForMeRequest
from movierec.modes.read_filters import (
    NothingCanMatch,
    ReadFilter,
    check_possible,
    describe,
    effective_filters,
    model_reading,
    read_request,
    today_in_beijing,
)
from movierec.modes.star import StarRequest
from movierec.modes.tags import TagsRequest
from movierec.modes.theme import ThemeRequest

TODAY = date(2026, 3, 1)
PREVIOUS = "5f1c1d7e-2a4b-4c8e-9a57-0f6b8f7e1a2b"


def theme(text, **fields):
    return ThemeRequest(mode="theme", theme=text, **fields)


def read(request, fields=("theme",), previous=(), dismissed=()):
    return read_request(request, fields, TODAY, previous, dismissed)


def values(read_filters):
    return {one.field: one.model_dump(mode="json")["value"] for one in read_filters}


def test_each_filter_is_shown_with_its_words_and_a_label_in_chip_order():
    shown = read(theme("2015年以后的韩国悬疑片，评分8分以上，别超过两个小时"))
    assert [(one.field, one.words, one.label) for one in shown] == [
        ("countries", ["韩国"], "韩国"),
        ("years", ["2015年以后"], "2015 年及以后"),
        ("min_rating", ["评分8分以上"], "豆瓣 8 分以上"),
        ("max_runtime", ["别超过两个小时"], "120 分钟以内"),
    ]


@pytest.mark.parametrize(
    ("field", "value", "label"),
    [
        ("years", {"from": 1990, "to": 1999}, "1990–1999 年"),
        ("years", {"from": 2023, "to": 2023}, "2023 年"),
        ("years", {"from": None, "to": 2009}, "2009 年及以前"),
        ("min_rating", 8.5, "豆瓣 8.5 分以上"),
        ("min_votes", 100_000, "10 万人以上评价"),
        ("max_votes", 50_000, "评价不到 5 万人"),
        ("max_votes", 8_000, "评价不到 8000人"),
        ("kind", "tv", "只看剧集"),
        ("kind", "any", "电影剧集都行"),
        ("countries", ["日本", "韩国"], "日本、韩国"),
        ("languages", ["粤语"], "粤语原声"),
        ("languages", ["无对白"], "无对白"),
        ("genres_exclude", ["恐怖", "惊悚"], "不要恐怖、惊悚"),
    ],
)
def test_a_chip_says_the_filter_in_a_few_words(field, value, label):
    assert ReadFilter.of(field, value, ["原话"]).label == label


def test_a_value_is_read_as_the_api_reads_it():
    assert ReadFilter.of("countries", ["香港", "USA"], ["港美"]).value == ["中国香港", "美国"]
    assert ReadFilter.of("languages", ["国语"], ["国语"]).value == ["汉语普通话"]
    assert describe("years", ReadFilter.of("years", {"from": 2015}, ["x"]).value) == "2015 年及以后"


def test_each_tag_is_read_on_its_own_and_their_lists_add_up():
    request = TagsRequest(mode="tags", tags=["日剧", "韩剧", "高分", "悬疑"])
    shown = read(request, ("tags",))
    assert values(shown) == {"kind": "tv", "countries": ["日本", "韩国"], "min_rating": 8}
    assert next(one.words for one in shown if one.field == "countries") == ["日剧", "韩剧"]


def test_for_mes_mood_is_read_but_its_liked_titles_are_not():
    request = ForMeRequest(mode="for_me", liked=["2046", "美国往事"], mood="今晚想看点轻松的，别超过两个小时")
    assert values(read(request, ("mood",))) == {"max_runtime": 120}


def test_a_stars_name_states_nothing_but_a_refinement_of_it_does():
    assert read(StarRequest(mode="star", star="周星驰"), ()) == []
    refined = StarRequest(mode="star", star="周星驰", previous=PREVIOUS, refine="只要90年代的")
    assert values(read(refined, ())) == {"years": {"from": 1990, "to": 1999}}


def test_a_refinement_sets_the_years_ends_it_states_and_replaces_the_rest():
    request = theme("2015年以后的韩国电影", previous=PREVIOUS, refine="只要2019年以前的日本电影，不要恐怖片")
    shown = read(request)
    assert values(shown) == {
        "countries": ["日本"],
        "years": {"from": 2015, "to": 2018},
        "genres_exclude": ["恐怖"],
    }
    assert next(one.words for one in shown if one.field == "years") == ["2015年以后", "2019年以前"]


def test_a_refinement_that_contradicts_the_years_changes_them():
    request = theme("2015年以后的电影", previous=PREVIOUS, refine="要2000年以前的")
    assert values(read(request)) == {"years": {"from": None, "to": 1999}}


def test_the_previous_requests_reading_carries_over_under_this_ones():
    earlier = read(theme("韩国悬疑片", previous=PREVIOUS, refine="不要恐怖片"))
    model_read = ReadFilter.of("languages", ["韩语"], ["原声"], source="model")
    again = read(theme("韩国悬疑片", previous=PREVIOUS, refine="更冷门一点"), previous=[*earlier, model_read])
    assert values(again) == {
        "countries": ["韩国"],
        "languages": ["韩语"],
        "max_votes": 50_000,
        "genres_exclude": ["恐怖"],
    }
    assert {one.field: one.source for one in again}["languages"] == "model"


def test_an_explicit_filter_wins_and_a_dismissed_one_is_not_read_again():
    request = theme(
        "2015年以后的韩国悬疑片，评分8分以上", filters={"countries": ["日本"]}, dismissed_filters=["min_rating"]
    )
    assert values(read(request, dismissed=request.dismissed_filters)) == {"years": {"from": 2015, "to": None}}


def test_a_dismissed_filter_is_not_taken_from_the_previous_request_either():
    earlier = read(theme("90年代港片"))
    again = read(theme("港片", previous=PREVIOUS, dismissed_filters=["years"]), previous=earlier, dismissed=["years"])
    assert values(again) == {"countries": ["中国香港"]}


def test_the_effective_filters_are_the_explicit_ones_then_the_read_ones():
    shown = read(theme("2015年以后的韩国电影，评分8分以上"))
    explicit = Filters(min_rating=9, kind="movie")
    assert effective_filters(explicit, shown) == Filters.model_validate(
        {"min_rating": 9, "kind": "movie", "countries": ["韩国"], "years": {"from": 2015}}
    )


def test_read_votes_that_contradict_the_explicit_ones_leave_nothing():
    with pytest.raises(NothingCanMatch) as caught:
        read(theme("冷门的韩国电影", filters={"min_votes": 100_000}))
    [problem] = caught.value.problems
    assert (problem.field, "「冷门」" in problem.message) == ("filters", True)


def test_explicit_years_that_have_not_come_are_answered_too():
    with pytest.raises(NothingCanMatch) as caught:
        check_possible(Filters.model_validate({"years": {"from": 2031}}), [], TODAY)
    [problem] = caught.value.problems
    assert problem.field == "filters.years"
    assert "2031" in problem.message
    assert "2027" in problem.message  # the latest year Douban lists


def test_the_refinement_holding_impossible_words_is_the_field_named():
    with pytest.raises(NothingCanMatch) as caught:
        read(theme("科幻片", previous=PREVIOUS, refine="只要2030年以后的"))
    assert [problem.field for problem in caught.value.problems] == ["refine"]


def test_a_tag_holding_impossible_words_is_the_field_named():
    with pytest.raises(NothingCanMatch) as caught:
        read(TagsRequest(mode="tags", tags=["科幻", "评分11分以上"]), ("tags",))
    assert [problem.field for problem in caught.value.problems] == ["tags.1"]


def test_a_lower_bound_before_the_first_film_bounds_nothing():
    assert read(theme("1800年以后的默片")) == [ReadFilter.of("languages", ["无对白"], ["默片"])]


def test_beijing_has_its_own_date():
    assert today_in_beijing(1_767_200_400) == date(2026, 1, 1)  # 2025-12-31 17:00 UTC


# --- the model's reading ---------------------------------------------------------------------------------------


def taken_from(answer, texts=("想看点有年代感的粤语老片",), dismissed=(), explicit=None, read=()):
    return model_reading(answer, list(texts), dismissed, explicit or Filters(), list(read), TODAY)


def test_the_models_reading_is_taken_where_it_names_the_persons_words_and_the_schema_takes_it():
    answer = [
        {"words": "粤语", "field": "languages", "value": "粤语"},
        {"words": "老片", "field": "years", "value": {"from": None, "to": 1999}},
    ]
    added = taken_from(answer)
    assert [(one.field, one.model_dump(mode="json")["value"], one.source) for one in added] == [
        ("languages", ["粤语"], "model"),
        ("years", {"from": None, "to": 1999}, "model"),
    ]


@pytest.mark.parametrize(
    "entry",
    [
        {"words": "周星驰", "field": "countries", "value": ["中国香港"]},  # words the person never wrote
        {"words": "老片", "field": "director", "value": "王家卫"},  # no such filter
        {"words": "老片", "field": "min_rating", "value": 12},  # the schema refuses it
        {"words": "老片", "field": "countries", "value": ["火星"]},  # Douban names no such country
        {"words": "老片", "field": "years", "value": {"from": 2035, "to": None}},  # leaves nothing
        {"words": "粤语老片", "field": "kind", "value": "movie"},  # films are asked for anyway
        {"words": "粤", "field": "languages", "value": ["粤语"]},  # too short to be words
        "粤语",
    ],
)
def test_a_reading_that_disagrees_with_the_schema_or_the_words_is_dropped(entry):
    assert taken_from([entry]) == []


def test_the_model_cannot_override_what_was_read_explicit_or_dismissed():
    answer = [
        {"words": "粤语", "field": "languages", "value": ["粤语"]},
        {"words": "老片", "field": "years", "value": {"from": None, "to": 1999}},
        {"words": "有年代感", "field": "max_runtime", "value": 100},
    ]
    read_already = [ReadFilter.of("languages", ["英语"], ["英语"])]
    explicit = Filters.model_validate({"years": {"from": 1980}})
    assert taken_from(answer, dismissed=["max_runtime"], explicit=explicit, read=read_already) == []


def test_a_reading_that_is_not_a_list_adds_nothing():
    assert taken_from({"languages": ["粤语"]}) == []
    assert taken_from(None) == []


def test_words_inside_a_title_are_a_title_for_the_model_too():
    answer = [{"words": "美国往事", "field": "countries", "value": ["美国"]}]
    assert taken_from(answer, texts=["像《美国往事》那样的黑帮片"]) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("恐怖但不血腥", {}),  # horror wanted, only not gory: horror is not excluded
        ("a horror movie but not gory", {}),
        ("有点吓人但不要太恐怖", {}),
        ("别太血腥的犯罪片", {"genres_exclude": ["恐怖"]}),
        ("想看喜剧，不要爱情片", {"genres_exclude": ["爱情"]}),
        ("不错的恐怖片", {}),
        ("八十年代的香港", {"years": {"from": 1980, "to": 1989}}),  # a setting: 香港 said of no film
        ("宝莱坞风格的歌舞片", {}),
        ("适合90后看的", {}),  # a generation, not a decade
        ("十年前看过的一部电影", {}),
        ("英语不好，想看中文配音的", {}),
    ],
)
def test_words_near_a_constraint_that_are_not_one(text, expected):
    assert values(read(theme(text))) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # What the person refuses, before or after the words: read as asked, it would show exactly that.
        ("不要2010年以前的电影", {}),
        ("不看2000年前的老片", {}),
        ("别推荐2000年之前的", {}),
        ("2010年以前的不要", {}),
        ("2010年以前的就算了", {}),
        ("不要90年代的", {}),
        ("不要近五年的", {}),
        ("除了2023年的", {}),
        ("不要评分8分以上的", {}),
        ("不要两小时以内的", {}),
        ("不要评价人数超过10万的", {}),
        ("港片不要", {}),
        ("美剧就算了", {}),
        ("冷门的不要", {}),
        ("日本片除外", {}),
        ("no movies before 2010", {}),
        ("nothing from the 90s", {}),
        ("港片不要太血腥", {"countries": ["中国香港"], "genres_exclude": ["恐怖"]}),  # the refusal is of the gore
        # A ceiling on the rating: no filter movierec has, never a floor, never a number of ratings.
        ("评分低于6分的烂片", {}),
        ("评分不到6分", {}),
        ("评分小于7", {}),
        ("评分不超过7分", {}),
        ("评分在7分以下的", {}),
        ("豆瓣7分以下", {}),
        ("评分在8分左右", {}),
        ("评分低于7分但评价人数超过10万", {"min_votes": 100_000}),
        ("评分不低于8分", {"min_rating": 8.0}),
        ("评分不要低于8分", {"min_rating": 8.0}),
        ("不到90分钟的", {"max_runtime": 90}),
        ("评分超过1万人的", {"min_votes": 10_000}),  # a number of people, not a rating of 1
        # Comparisons that bound the years, and a decade that runs to now or ends before.
        ("不早于2015年", {"years": {"from": 2015, "to": None}}),
        ("不晚于2010年", {"years": {"from": None, "to": 2010}}),
        ("晚于2015年的", {"years": {"from": 2016, "to": None}}),
        ("早于2000年的", {"years": {"from": None, "to": 1999}}),
        ("no earlier than 2015", {"years": {"from": 2015, "to": None}}),
        ("九十年代到现在的港片", {"years": {"from": 1990, "to": None}, "countries": ["中国香港"]}),
        ("80年代以来", {"years": {"from": 1980, "to": None}}),
        ("90年代以前的港片", {"years": {"from": None, "to": 1989}, "countries": ["中国香港"]}),
        ("90年代前期", {"years": {"from": 1990, "to": 1994}}),  # the first half, as 前半
    ],
)
def test_words_that_refuse_or_cap_a_constraint_are_not_read_as_asking_for_it(text, expected):
    assert values(read(theme(text))) == expected


@pytest.mark.parametrize(
    ("text", "named"),
    [("0分钟以内的短片", "「0分钟以内」"), ("评价人数超过100000万的", "「评价人数超过100000万」")],
)
def test_numbers_past_what_any_film_has_leave_nothing(text, named):
    with pytest.raises(NothingCanMatch) as caught:
        read(theme(text))
    assert named in caught.value.problems[0].message


def test_every_name_the_reader_knows_is_one_the_api_takes():
    from movierec.modes import constraint_reader as reader

    countries = [
        name
        for lexicon in (reader._SERIES_OF, reader._FILMS_OF, reader._COUNTRY_WORDS)
        for names in lexicon.values()
        for name in names
    ]
    countries += [*reader._ENGLISH_COUNTRIES.values(), *reader._ENGLISH_PLACES.values()]
    languages = [*reader._LANGUAGE_WORDS.values(), *reader._ENGLISH_LANGUAGES.values()]
    genres = [*reader._GENRE_WORDS.values(), *reader._ENGLISH_GENRES.values()]
    checked = Filters.model_validate({"countries": [], "languages": [], "genres_exclude": []})
    for field, names in (("countries", countries), ("languages", languages), ("genres_exclude", genres)):
        for name in set(names):
            assert getattr(checked.model_validate({field: [name]}), field) == [name], name


# The characters constraints are written in, mixed at random: the reader never fails on what people type.
WORDS_ALPHABET = list("2015年以后前代的韩国港片剧不要恐怖分以上小时分钟万人评价热门冷门近五十九 ,，《》s")


def outcome(text):
    try:
        return read(theme(text))
    except NothingCanMatch as refused:
        return refused


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=st.sampled_from(WORDS_ALPHABET), max_size=60).map(lambda text: text.strip() or "x"))
def test_any_words_are_read_or_answered_as_leaving_nothing_never_a_failure(text):
    result = outcome(text)
    if isinstance(result, NothingCanMatch):
        assert result.problems
    else:
        assert all(one.words and one.label for one in result)
