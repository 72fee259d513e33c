"""Title normalisation and picking the right /j/subject_suggest entry."""

from __future__ import annotations

import pytest

from movierec.douban import SuggestCandidate, choose_candidate, normalize_title, titles_match
from movierec.douban.matching import any_title_matches, years_compatible


@pytest.fixture
def suggest(fixture_json):
    return lambda name: [SuggestCandidate.model_validate(entry) for entry in fixture_json(name)]


def chosen_id(candidates, title, original_title=None, year=None, prefer_tv=False):
    chosen = choose_candidate(candidates, title, original_title, year, prefer_tv=prefer_tv)
    return chosen.id if chosen else None


# --- normalisation --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("Ｘ战警：天启", "x战警天启"),  # full-width letters fold, Chinese colon goes
        ("《盗梦空间》", "盗梦空间"),
        ("哈利·波特与魔法石", "哈利波特与魔法石"),
        ("你好，李焕英！", "你好李焕英"),
        ("谁？在、哪（里）", "谁在哪里"),
        ("Spider-Man: No Way Home", "spidermannowayhome"),
        ("  The  Dark Knight ", "thedarkknight"),
        ("２０４６", "2046"),
        ("：·、，！？《》（）-", ""),
        ("", ""),
    ],
)
def test_normalize_title(text, normalized):
    assert normalize_title(text) == normalized


def test_titles_match_ignores_width_case_spaces_and_punctuation():
    assert titles_match("X战警", "ｘ 战警")
    assert titles_match("Spider-Man: Homecoming", "spiderman homecoming")
    assert not titles_match("X战警", "X战警：天启")
    assert not titles_match("", "")
    assert not titles_match(None, "X战警")


def test_any_title_matches_serves_an_exclude_list():
    excluded = ["盗梦空间", "The Dark Knight"]

    assert any_title_matches(excluded, ["蝙蝠侠：黑暗骑士", "the dark knight"])
    assert not any_title_matches(excluded, ["盗梦空间2", None, ""])
    assert not any_title_matches(["", "！"], ["？"])


def test_years_compatible_within_one_and_unknown_does_not_exclude():
    assert years_compatible(2019, 2020)
    assert not years_compatible(2019, 2021)
    assert years_compatible(None, 1949)
    assert years_compatible(2019, None)


# --- choose_candidate -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2019, "26348103"), (1994, "1297670"), (1995, "1297670"), (1949, "1300553"), (1950, "1300553"), (2005, None)],
)
def test_same_name_remakes_are_decided_by_year(suggest, year, expected):
    assert chosen_id(suggest("suggest_little_women.json"), "小妇人", "Little Women", year) == expected


def test_an_exact_year_beats_one_off_by_one_whatever_the_order():
    candidates = [
        SuggestCandidate(id="1", title="天才", year=2001),
        SuggestCandidate(id="2", title="天才", year=None),
        SuggestCandidate(id="3", title="天才", year=2000),
    ]

    assert chosen_id(candidates, "天才", year=2000) == "3"
    assert chosen_id(candidates[:2], "天才", year=2000) == "1"  # off by one beats unknown
    assert chosen_id(candidates[1:2], "天才", year=2000) == "2"  # unknown does not exclude


def test_without_a_year_douban_order_decides_among_films(suggest):
    assert chosen_id(suggest("suggest_little_women.json"), "小妇人") == "26348103"


def test_films_come_before_tv_unless_tv_is_preferred(suggest):
    candidates = suggest("suggest_little_women.json")

    assert chosen_id(candidates, "小妇人", year=2018) == "26348103"  # film 2019 and series 2017 both off by one
    assert chosen_id(candidates, "小妇人", year=2018, prefer_tv=True) == "26987544"
    assert chosen_id(candidates, "小妇人", prefer_tv=True) == "26987544"


def test_tv_is_chosen_when_it_is_the_only_match(suggest):
    assert chosen_id(suggest("suggest_little_women.json"), "小妇人", year=2017) == "26987544"


def test_original_title_alone_finds_the_entry(suggest):
    candidates = suggest("suggest_little_women.json")

    assert chosen_id(candidates, "Little Women", None, 1994) == "1297670"
    assert chosen_id(candidates, "小妇人们", "작은 아씨들", 2022, prefer_tv=True) == "35459069"


def test_sub_title_repeating_the_chinese_title_and_unknown_year(suggest):
    candidates = suggest("suggest_same_title.json")

    assert chosen_id(candidates, "女子分手专家", None, 2015) == "25892152"
    assert chosen_id(candidates, "寄生虫", "Parasite", 2019) == "27010768"  # year "" does not exclude


@pytest.mark.parametrize("title", ["Ｘ战警", "X 战警", "《X战警》", "x-战警"])
def test_full_width_and_punctuation_fold_when_matching(suggest, title):
    assert chosen_id(suggest("suggest_x_men.json"), title, None, 2000) == "1295250"


def test_a_title_merely_containing_the_query_is_not_a_match(suggest):
    candidates = suggest("suggest_x_men.json")

    assert chosen_id(candidates, "X战警") == "1295250"  # not 天启, listed first
    assert chosen_id(candidates, "X战警", None, 2016) is None  # 天启 is 2016, but it is not "X战警"
    assert chosen_id(candidates, "战警") is None
    assert chosen_id(candidates, "X-Men", None, 2011) is None  # "X-Men: First Class" only contains it


def test_no_candidates_or_no_title_gives_none(suggest):
    assert choose_candidate([], "X战警", None, 2000) is None
    assert choose_candidate(suggest("suggest_x_men.json"), "", None, None) is None
