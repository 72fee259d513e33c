"""The values every history format shares: film links, Douban's times, stars."""

import pytest

from movierec.history_import.reading import beijing_millis, movie_subject_id, rfc822_millis, stars, stars_from_grade

# 2024-06-24 19:00:14 in Beijing is 11:00:14 UTC.
JUNE_24_BEIJING = 1719226814000


@pytest.mark.parametrize(
    ("text", "douban_id"),
    [
        ("https://movie.douban.com/subject/35665988/", "35665988"),
        ("http://movie.douban.com/subject/19971676/", "19971676"),
        ("https://m.douban.com/movie/subject/1292052/?from=share", "1292052"),
        ("https://www.douban.com/doubanapp/dispatch/movie/35205803", "35205803"),
        ("https://www.douban.com/doubanapp/dispatch?uri=/tv/35205803/", "35205803"),
        (
            "https://neodb.example/movie/1x https://movie.douban.com/subject/3541415/ https://imdb.example/tt1",
            "3541415",
        ),
        ("https://book.douban.com/subject/1084336/", None),
        ("https://www.themoviedb.org/movie/27205", None),
        ("", None),
        (None, None),
        (35665988, None),
    ],
)
def test_a_films_id_comes_from_its_douban_link_only(text, douban_id):
    assert movie_subject_id(text) == douban_id


@pytest.mark.parametrize(
    "value",
    ["2024-06-24 19:00:14", "2024-06-24T19:00:14", "2024-06-24T11:00:14+00:00", "2024-06-24T11:00:14.000Z"],
)
def test_times_without_a_zone_are_beijing_time(value):
    assert beijing_millis(value) == JUNE_24_BEIJING


@pytest.mark.parametrize(
    ("value", "seconds"), [("2024/6/24 19:00", 14), ("2024/6/24 19:00:14", 0), ("2024-6-24 19:0", 14)]
)
def test_times_excel_rewrote_when_it_saved_the_csv_again_are_read(value, seconds):
    assert beijing_millis(value) == JUNE_24_BEIJING - seconds * 1000


def test_dates_are_midnight_in_beijing():
    midnight = 1426867200000  # 2015-03-21 00:00 in Beijing
    assert beijing_millis("2015/03/21") == beijing_millis("2015-3-21") == beijing_millis("2015-03-21") == midnight


@pytest.mark.parametrize(
    "value",
    ["", "  ", "昨天", "2015/13/45", "1899-01-01", None, 12, "0000-00-00 00:00:00", "2024/6/24 25:00", "2024/6/24 19"],
)
def test_unreadable_times_are_none(value):
    assert beijing_millis(value) is None


def test_rss_dates_carry_their_zone():
    assert rfc822_millis("Mon, 24 Jun 2024 11:00:14 GMT") == JUNE_24_BEIJING
    assert rfc822_millis("Mon, 24 Jun 2024 19:00:14 +0800") == JUNE_24_BEIJING
    assert rfc822_millis("not a date") is None


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (5, 5),
        ("4", 4),
        (" 3 ", 3),
        ("2.0", 2),
        (1.0, 1),
        ("", None),
        (None, None),
        (0, None),
        ("4.5", None),
        (6, None),
        ("力荐", None),
        (True, None),
    ],
)
def test_stars_are_whole_numbers_from_one_to_five(cell, expected):
    assert stars(cell) == expected


@pytest.mark.parametrize(
    ("grade", "expected"),
    [(10, 5), (9, 5), (8, 4), (7, 4), (2, 1), (1, 1), ("6", 3), (0, None), (11, None), ("", None)],
)
def test_a_ten_point_grade_is_halved_rounding_up(grade, expected):
    assert stars_from_grade(grade) == expected
