"""Loosely typed fields, as models write them, read for what they mean."""

import pytest

from movierec.llm.movie_fields import clean_title, plausible_year, suggested_movie


@pytest.mark.parametrize(
    ("value", "year"),
    [
        (1994, 1994),
        (1994.0, 1994),
        ("1994", 1994),
        ("1994年", 1994),
        ("约1994", 1994),
        ("约1994年", 1994),
        ("1994-1995", 1994),
        ("1994.0", 1994),
        ("1994/07/01", 1994),
        ("１９９４年", 1994),  # full-width digits
        ("一九九四年", 1994),
        ("二〇一〇", 2010),
        (" 2010 ", 2010),
        ("上映于2010年7月", 2010),
        ("90年代", None),
        ("19940", None),
        ("未知", None),
        ("", None),
        (None, None),
        (True, None),
        (1994.5, None),
        (1066, None),
        (3000, None),
        ("0001-1994", 1994),  # the first *plausible* year
        ([1994], None),
    ],
)
def test_the_first_plausible_year_or_none(value, year):
    assert plausible_year(value) == year


@pytest.mark.parametrize(
    ("raw", "year", "title", "carried"),
    [
        ("《霸王别姬》", 1993, "霸王别姬", None),
        ("霸王别姬（1993）", 1993, "霸王别姬", 1993),
        ("《霸王别姬》(1993)", None, "霸王别姬", 1993),
        ("霸王别姬 (1993年)", 1993, "霸王别姬", 1993),
        ("霸王别姬【1993】", 1993, "霸王别姬", 1993),
        ("霸王别姬 1993", 1993, "霸王别姬", None),
        ("Blade Runner 2049", 2017, "Blade Runner 2049", None),  # a number in the title, not the year
        ("1917", 2019, "1917", None),
        ("2012", 2009, "2012", None),
        ("“活着”", 1994, "活着", None),
        ("「千と千尋の神隠し」", 2001, "千と千尋の神隠し", None),
        ("  活着  ", 1994, "活着", None),
        ("《指环王》三部曲", 2001, "《指环王》三部曲", None),  # 《》 only inside: kept
        ("《》", None, "《》", None),
        ("", None, None, None),
        (1917, 2019, "1917", None),
        (None, None, None, None),
    ],
)
def test_a_title_loses_its_wrapping_and_appended_year(raw, year, title, carried):
    assert clean_title(raw, year) == (title, carried)


def test_the_issue_input_with_the_year_as_text():
    movie = suggested_movie({"title": "活着", "original_title": "活着", "year": "1994年", "reason": "x"})
    assert (movie.title, movie.original_title, movie.year, movie.reason) == ("活着", "活着", 1994, "x")


@pytest.mark.parametrize(
    ("original", "expected"),
    [
        ("Inception", "Inception"),
        ("同上", "盗梦空间"),
        ("同中文名", "盗梦空间"),
        (None, None),
        ("", None),
        ("无", None),
        ("N/A", None),
        ("-", None),
        ("《Inception》", "Inception"),
        (["Inception", "盗梦"], "Inception"),
        ("x" * 201, None),  # too long to be a title: dropped, the movie kept
    ],
)
def test_original_title_missing_null_or_same_as_above(original, expected):
    item = {"title": "盗梦空间", "year": 2010, "reason": "r"}
    if original is not None:
        item["original_title"] = original
    assert suggested_movie(item).original_title == expected


def test_missing_fields_and_other_key_names():
    assert suggested_movie({"title": "活着"}).model_dump() == {
        "title": "活着",
        "original_title": None,
        "year": None,
        "reason": "",
    }
    movie = suggested_movie({"片名": "活着", "原名": "活着", "年份": "1994年", "推荐理由": ["余华原著", "葛优"]})
    assert (movie.title, movie.year, movie.reason) == ("活着", 1994, "余华原著；葛优")


def test_a_year_carried_in_the_title_fills_a_missing_year():
    assert suggested_movie({"title": "霸王别姬（1993）"}).year == 1993
    assert suggested_movie({"title": "霸王别姬（1993）", "year": 1994}).year == 1994


def test_a_long_reason_is_cut_not_the_movie_dropped():
    assert len(suggested_movie({"title": "活着", "reason": "好" * 900}).reason) == 500


@pytest.mark.parametrize(
    "item",
    [{"title": ""}, {"title": None}, {"title": "   "}, {"year": 1994}, {"title": "x" * 201}, "活着", None, [1]],
)
def test_no_usable_title_is_no_movie(item):
    assert suggested_movie(item) is None
