"""Whether a name and year are a Douban entry's, and picking the right /j/subject_suggest entry."""

from __future__ import annotations

import pytest

from movierec.douban.matching import choose_candidate, name_match, same_title, still_matches, years_compatible
from movierec.douban.models import SuggestCandidate
from movierec.douban.title_keys import Closeness, TitleName


@pytest.fixture
def suggest(fixture_json):
    return lambda name: [SuggestCandidate.model_validate(entry) for entry in fixture_json(name)]


def chosen_id(candidates, title, original_title=None, year=None, prefer_tv=False):
    chosen = choose_candidate(candidates, title, original_title, year, prefer_tv=prefer_tv)
    return chosen.id if chosen else None


def matched(wanted, wanted_year, found, found_year, found_is_tv=False):
    return name_match(TitleName.parse(wanted), wanted_year, TitleName.parse(found), found_year, found_is_tv)


# --- name_match: the rule shared by matching and exclusion -------------------------------------------------


def test_years_compatible_within_one_and_unknown_does_not_exclude():
    assert years_compatible(2019, 2020)
    assert not years_compatible(2019, 2021)
    assert years_compatible(None, 1949)
    assert years_compatible(2019, None)


def test_two_typed_names_are_one_title_when_keys_are_equal_and_years_fit():
    def same(a, a_year, b, b_year):
        return same_title(TitleName.parse(a), a_year, TitleName.parse(b), b_year)

    assert same("盜夢空間", 2010, "《盗梦空间》", None)
    assert same("盗梦空间 (2010)", None, "盗梦空间", 2011)
    assert not same("冰血暴", 1996, "冰血暴", 2014)
    assert not same("冰血暴", None, "冰血暴 第一季", None)  # a show and its season are two names
    assert not same("？", None, "！", None)


def test_a_name_matches_when_its_year_fits():
    assert matched("盜夢空間", 2010, "盗梦空间", 2011) is Closeness.SAME
    assert matched("盗梦空间", None, "盗梦空间", 2010) is Closeness.SAME
    assert matched("盗梦空间", 2013, "盗梦空间", 2010) is None
    assert matched("冰血暴", 2014, "冰血暴 第一季", 2014, found_is_tv=True) is Closeness.CONTAINS


def test_the_year_written_in_the_name_counts_when_none_is_given():
    assert matched("盗梦空间 (2010)", None, "盗梦空间", 2010) is Closeness.SAME
    assert matched("小妇人 (1994)", None, "小妇人", 2019) is None


def test_a_marker_douban_leaves_out_needs_both_years():
    assert matched("北海鲸梦 第一季", 2021, "北海鲸梦", 2021, found_is_tv=True) is Closeness.UNMARKED
    assert matched("北海鲸梦 第一季", None, "北海鲸梦", 2021, found_is_tv=True) is None
    assert matched("北海鲸梦 第一季", 2021, "北海鲸梦", None, found_is_tv=True) is None
    assert matched("咒术回战 0 剧场版", 2021, "咒术回战 0", 2021) is Closeness.UNMARKED
    assert matched("咒术回战 0 剧场版", 2024, "咒术回战 0", 2021) is None


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


# --- kinds of entries: only subjects are candidates ----------------------------------------------------------


def test_a_persons_entry_is_never_chosen(suggest):
    # Issue 10, input 1: Douban's answer to 梵高 holds only the painter's entry.
    person_only = suggest("suggest_van_gogh_person.json")

    assert not person_only[0].is_subject
    assert chosen_id(person_only, "梵高", "Van Gogh", 1991) is None
    assert chosen_id(person_only, "梵高", "Vincent van Gogh") is None


def test_the_film_listed_after_a_person_is_chosen(suggest):
    candidates = suggest("suggest_van_gogh.json")

    assert chosen_id(candidates, "梵高：在永恒之门", "At Eternity's Gate", 2018) == "26997470"
    assert chosen_id(candidates, "梵高", None, None) is None


@pytest.mark.parametrize("kind", ["celebrity", "book", "music", "doulist", "personage", ""])
def test_no_entry_but_a_film_or_series_qualifies(kind):
    entry = SuggestCandidate(id="1049999", title="梵高", sub_title="Vincent van Gogh", type=kind)

    assert chosen_id([entry], "梵高") is None


def test_a_subject_type_with_a_persons_url_is_not_a_subject():
    entry = SuggestCandidate(
        id="1049999", title="梵高", type="movie", url="https://movie.douban.com/celebrity/1049999/"
    )

    assert not entry.is_subject
    assert chosen_id([entry], "梵高") is None


# --- series: a show name finds the season whose year fits -----------------------------------------------------


def test_a_show_name_finds_its_season(suggest):
    # Issue 10, input 2: Douban titles every season "<show> 第N季", the first too.
    entry = {"id": "25826612", "title": "冰血暴 第一季", "sub_title": "Fargo Season 1", "year": "2014", "type": "movie"}
    season_one = SuggestCandidate.model_validate(entry | {"episode": "10"})
    chosen = choose_candidate([season_one], "冰血暴", "Fargo", 2014, prefer_tv=True)

    assert chosen is not None
    assert chosen.id == "25826612"
    assert chosen_id([season_one], "冰血暴", "Fargo", 2014) == "25826612"  # a film request finds it too


@pytest.mark.parametrize(
    ("year", "expected"),
    [(2014, "25826612"), (2015, "26266072"), (2017, "26826377"), (2020, "30418856"), (2021, "30418856"), (2010, None)],
)
def test_the_season_whose_year_fits(suggest, year, expected):
    assert chosen_id(suggest("suggest_fargo.json"), "冰血暴", "Fargo", year) == expected


def test_the_seasons_original_title_alone_finds_it(suggest):
    assert chosen_id(suggest("suggest_fargo.json"), "Fargo", None, 2017) == "26826377"


def test_a_film_request_still_prefers_the_film_of_the_same_name(suggest):
    candidates = suggest("suggest_fargo.json")

    assert chosen_id(candidates, "冰血暴", "Fargo", 1996) == "1291575"
    assert chosen_id(candidates, "冰血暴", "Fargo") == "1291575"  # no year: the film, not a season
    assert chosen_id(candidates, "冰血暴", "Fargo", prefer_tv=True) == "25826612"  # a series: its first season


@pytest.mark.parametrize(
    ("title", "year", "expected"),
    [
        ("冰血暴 第二季", 2015, "26266072"),
        ("冰血暴 第2季", None, "26266072"),
        ("冰血暴：第二季", 2015, "26266072"),
        ("Fargo S03", None, "26826377"),
        ("Fargo Season 4", 2020, "30418856"),
        ("冰血暴 第二季", 2020, None),  # the season named, not the one of that year
        ("冰血暴 第六季", None, None),
    ],
)
def test_a_season_named_is_that_season(suggest, title, year, expected):
    assert chosen_id(suggest("suggest_fargo.json"), title, None, year) == expected


def test_a_first_season_named_finds_a_series_douban_does_not_number():
    series = SuggestCandidate(id="26895436", title="北海鲸梦", sub_title="The North Water", year=2021, type="tv")
    film = SuggestCandidate(id="1", title="北海鲸梦", year=2021)

    assert chosen_id([series], "北海鲸梦 第一季", "The North Water Season 1", 2021) == "26895436"
    assert chosen_id([series], "北海鲸梦 第一季", None, None) is None  # only with a year that fits
    assert chosen_id([film], "北海鲸梦 第一季", None, 2021) is None  # a film has no first season


def test_parts_of_a_film_by_year():
    original = "Harry Potter and the Deathly Hallows: Part {}"
    candidates = [
        SuggestCandidate(id="3", title="哈利·波特与死亡圣器(下)", sub_title=original.format(2), year=2011),
        SuggestCandidate(id="4", title="哈利·波特与死亡圣器(上)", sub_title=original.format(1), year=2010),
    ]

    assert chosen_id(candidates, "哈利·波特与死亡圣器", None, 2010) == "4"
    assert chosen_id(candidates, "哈利·波特与死亡圣器", None, 2011) == "3"
    assert chosen_id(candidates, "哈利波特与死亡圣器") == "4"  # no year: the first part
    assert chosen_id(candidates, "Harry Potter and the Deathly Hallows: Part II") == "3"
    assert chosen_id(candidates, "哈利·波特与死亡圣器（下）", None, 2010) == "3"  # off by one still fits


# --- film editions of a series: 剧场版, 电影版 ---------------------------------------------------------------------


def test_a_film_edition_found_by_the_show_name_when_the_year_fits():
    original = "劇場版 ヴァイオレット・エヴァーガーデン"
    candidates = [
        SuggestCandidate(id="26602212", title="紫罗兰永恒花园", year=2018, type="tv", episode="13"),
        SuggestCandidate(id="30408105", title="紫罗兰永恒花园 剧场版", sub_title=original, year=2020),
    ]

    assert chosen_id(candidates, "紫罗兰永恒花园", None, 2020) == "30408105"
    assert chosen_id(candidates, "紫罗兰永恒花园", None, 2018) == "26602212"
    assert chosen_id(candidates, "紫罗兰永恒花园", None, None) == "30408105"  # a film request prefers the film
    assert chosen_id(candidates, "紫罗兰永恒花园", None, None, prefer_tv=True) == "26602212"
    assert chosen_id(candidates, "ヴァイオレット・エヴァーガーデン", original, 2020) == "30408105"


def test_an_edition_douban_leaves_out_only_with_a_year_that_fits():
    film = SuggestCandidate(id="35196946", title="咒术回战 0", sub_title="劇場版 呪術廻戦 0", year=2021)

    assert chosen_id([film], "剧场版 咒术回战 0", None, 2021) == "35196946"
    assert chosen_id([film], "咒术回战 0 剧场版", None, 2022) == "35196946"
    assert chosen_id([film], "咒术回战 0 剧场版", None, None) is None
    assert chosen_id([film], "劇場版 呪術廻戦 0", None, None) == "35196946"  # the same as its original title


# --- scripts, region marks, years in the name -------------------------------------------------------------------


def test_traditional_script_and_a_year_in_the_name(suggest):
    candidates = suggest("suggest_little_women.json")

    assert chosen_id(candidates, "小婦人", None, 1994) == "1297670"
    assert chosen_id(candidates, "小妇人 (1949)", None, None) == "1300553"


# --- still_matches: the year again, once the subject page shows it ------------------------------------------


def test_an_entry_without_a_year_stops_matching_when_its_page_shows_another_year():
    no_year = SuggestCandidate(id="1291546", title="霸王别姬", sub_title="Farewell My Concubine", type="movie")
    assert choose_candidate([no_year], "霸王别姬", None, 2020) is no_year  # a search entry with no year matches any

    assert not still_matches(no_year, "霸王别姬", None, 2020, 1993)
    assert still_matches(no_year, "霸王别姬", None, 1994, 1993)  # off by one, as ever
    assert still_matches(no_year, "霸王别姬", None, None, 1993)  # no year asked
    assert not still_matches(no_year, "霸王别姬 (2020)", None, None, 1993)  # the year written in the name counts
    assert still_matches(no_year, "霸王别姬", None, 2020, None)  # the page shows none either


def test_the_season_rule_applies_with_the_pages_year():
    season = SuggestCandidate(id="26586766", title="冰血暴 第三季", sub_title="Fargo Season 3", type="tv")
    assert still_matches(season, "冰血暴", "Fargo", 2017, 2017)
    assert not still_matches(season, "冰血暴", "Fargo", 2014, 2017)  # another season's year

    series = SuggestCandidate(id="26895436", title="北海鲸梦", sub_title="The North Water", type="tv")
    assert still_matches(series, "北海鲸梦 第一季", None, 2021, 2021)
    assert not still_matches(series, "北海鲸梦 第一季", None, 2021, 2024)
