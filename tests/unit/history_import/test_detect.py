"""Reading history files: each export tool's file, told from its content, gives the films a person marked."""

import base64
import csv
import io
import json
import zipfile
from dataclasses import replace

import pytest

from movierec.history_import.detect import MAX_UNPACKED_BYTES, read_history_file
from movierec.history_import.models import FileImportRequest
from movierec.history_import.reading import UnreadableFile
from tests.fakes.douban_history import (
    BEIJING,
    douban_rss,
    doumark_csv,
    excel_saved,
    expected_entries,
    interest,
    marks,
    neodb_csv,
    tofu_xlsx,
    userscript_csv,
)

FILMS = marks(23)


def read(content, filename="history", encoding=None):
    if isinstance(content, bytes):
        content, encoding = base64.b64encode(content).decode(), "base64"
    request = FileImportRequest(filename=filename, content=content, encoding=encoding or "text")
    return read_history_file(request).model_dump(mode="json")


def entries(history):
    return history["entries"]


def test_the_sync_tools_csv_gives_every_film_with_the_persons_stars():
    history = read(doumark_csv(FILMS))
    assert history["format"] == "doumark_csv"
    assert entries(history) == expected_entries(FILMS)
    assert history["skipped"] == 0


def test_the_sync_tools_csv_takes_the_id_from_the_url_not_the_id_column():
    history = read(doumark_csv(FILMS, interest_ids=True))
    assert [entry["douban_id"] for entry in entries(history)] == [film.douban_id for film in FILMS]


def test_an_older_sync_tool_csv_with_the_films_public_average_in_star_gives_no_ones_stars():
    films = marks(6)
    assert entries(read(doumark_csv(films, public_stars=True))) == expected_entries(films, rated=False)


def test_a_ustar_column_holds_the_persons_stars_when_there_is_one():
    films = marks(6)
    assert entries(read(doumark_csv(films, public_stars=True, ustar=True))) == expected_entries(films)


def test_a_csv_that_excel_saved_again_is_read_with_its_times_to_the_minute():
    read_back = entries(read(excel_saved(doumark_csv(FILMS))))
    assert read_back == [
        entry | {"marked_at": entry["marked_at"] // 60_000 * 60_000} for entry in expected_entries(FILMS)
    ]


@pytest.mark.parametrize(
    ("delimiter", "encode"),
    [
        ("\t", lambda text: text.encode("utf-16")),  # Excel's "Unicode text": UTF-16, tab-separated
        (";", lambda text: text),  # Excel where the decimal mark is a comma
        (";", lambda text: "sep=;\n" + text),  # with Excel's separator hint
    ],
)
def test_a_csv_excel_saved_with_another_separator_is_read(delimiter, encode):
    rows = list(csv.reader(io.StringIO(doumark_csv(FILMS))))
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    history = read(encode(out.getvalue()))
    assert (history["format"], entries(history)) == ("doumark_csv", expected_entries(FILMS))


def test_neodb_marks_halve_the_grade_and_find_the_douban_link_among_the_others():
    films = marks(6, status="wish") + marks(6, first_id=40_000_000)
    history = read(neodb_csv(films))
    assert history["format"] == "neodb_csv"
    assert entries(history) == expected_entries(films)


def test_neodb_rows_without_a_douban_link_or_with_an_unknown_shelf_are_skipped():
    text = neodb_csv(FILMS[:3])
    text += "别的电影,,https://neodb.example/movie/9 https://www.imdb.com/title/tt1,2024-01-01T00:00:00+00:00,complete,8,,\n"
    text += "书,,https://movie.douban.com/subject/5/,2024-01-01T00:00:00+00:00,reading,8,,\n"
    history = read(text)
    assert (len(entries(history)), history["skipped"]) == (3, 2)


def test_the_whole_neodb_export_zip_is_read_for_its_movie_and_tv_marks():
    movies, series = marks(4), marks(3, first_id=50_000_000)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("neodb_someone_csv/movie_mark.csv", neodb_csv(movies))
        out.writestr("neodb_someone_csv/tv_mark.csv", neodb_csv(series))
        out.writestr("neodb_someone_csv/book_mark.csv", "title,info,links,timestamp,status,rating,comment,tags\n")
        out.writestr("neodb_someone_csv/movie_review.csv", "title,info,links,timestamp,title,content\n")
    history = read(archive.getvalue())
    assert history["format"] == "neodb_csv"
    assert entries(history) == expected_entries(movies + series)


def test_tofus_workbook_gives_its_three_film_sheets_in_order():
    films = marks(5) + marks(2, status="watching", first_id=60_000_000) + marks(3, status="wish", first_id=70_000_000)
    history = read(tofu_xlsx(films), filename="豆伴(12345).xlsx")
    assert history["format"] == "tofu_xlsx"
    assert entries(history) == expected_entries(films)


def test_a_workbook_without_film_sheets_is_refused_by_name():
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["标题", "链接"])
    out = io.BytesIO()
    workbook.save(out)
    with pytest.raises(UnreadableFile) as refused:
        read(out.getvalue())
    assert refused.value.code == "unknown_format"
    assert "看过" in refused.value.message


def test_the_userscripts_seen_file_gives_stars_and_the_day_at_midnight_in_beijing():
    history = read(userscript_csv(FILMS))
    assert history["format"] == "userscript_csv"
    days = [film.marked_at.replace(hour=0, minute=0, second=0, tzinfo=BEIJING) for film in FILMS]
    assert entries(history) == [
        {**entry, "marked_at": int(day.timestamp() * 1000)}
        for entry, day in zip(expected_entries(FILMS), days, strict=True)
    ]


def test_the_userscripts_wish_file_finds_the_link_despite_its_long_header():
    films = marks(4, status="wish")
    history = read(userscript_csv(films, wish=True))
    assert entries(history) == expected_entries(films, dated=False, rated=False)


def test_the_interest_objects_of_the_sync_tools_json_store_or_a_saved_api_page():
    films = marks(7)
    as_list = read(json.dumps([interest(film) for film in films], ensure_ascii=False))
    as_page = read(json.dumps({"count": 7, "start": 0, "total": 7, "interests": [interest(f) for f in films]}))
    assert as_list["format"] == as_page["format"] == "douban_json"
    assert entries(as_list) == entries(as_page) == expected_entries(films)


def test_the_rss_feed_reads_film_items_and_skips_books():
    films = marks(4)
    book = "<item><title>读过某本书</title><link>https://book.douban.com/subject/1/</link></item>"
    history = read(douban_rss(films, extra_items=book))
    assert history["format"] == "douban_rss"
    assert entries(history) == expected_entries(films)
    assert history["skipped"] == 1


def test_a_feed_cut_short_as_people_save_it_is_still_read():
    feed = douban_rss(marks(2)).replace("</channel></rss>", "\n    ......\n<channel>")
    assert len(entries(read(feed))) == 2


def test_a_rating_legend_is_not_a_rating():
    (unrated,) = marks(1, first_id=80_000_004)
    unrated = replace(unrated, rating=None)
    legend = douban_rss([unrated]).replace("<td></td>", "<td><p>推荐: 很差/较差/还行/推荐/力荐</p></td>")
    assert entries(read(legend))[0]["rating"] is None


def test_a_film_listed_twice_is_kept_once_and_counted_as_skipped():
    films = marks(3)
    history = read(doumark_csv(films + films[:1]))
    assert [entry["douban_id"] for entry in entries(history)] == [film.douban_id for film in films]
    assert history["skipped"] == 1


@pytest.mark.parametrize(
    "wrap",
    [
        lambda data: base64.encodebytes(data).decode(),  # MIME lines of 76, as the `base64` command writes them
        lambda data: (
            "data:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet;base64,"
            + base64.b64encode(data).decode()
        ),  # a browser's FileReader.readAsDataURL
        lambda data: f" {base64.b64encode(data).decode()}\r\n",
    ],
)
def test_base64_as_encoders_write_it_is_read(wrap):
    history = read(wrap(tofu_xlsx(FILMS)), encoding="base64")
    assert (history["format"], entries(history)) == ("tofu_xlsx", expected_entries(FILMS))


@pytest.mark.parametrize(
    ("content", "encoding", "code"),
    [
        ("this is not base64!", "base64", "invalid_base64"),
        ("data:text/csv;base64,@@@", "base64", "invalid_base64"),
        (base64.b64encode(b"\xff\xfe\x00\xd8broken utf-16").decode(), "base64", "not_utf8"),
        ("title,author\n书,作者\n", "text", "unknown_format"),
        ('{"name": "not interests"}', "text", "unknown_format"),
        ('{"count": 0, "start": 0, "total": 0, "interests": []}', "text", "no_entries"),  # a saved page, nothing marked
        ('[{"subject": ', "text", "unknown_format"),
        ("id,title,intro,poster,pubdate,url,rating,genres,star,comment,tags,star_time,card\n", "text", "no_entries"),
        (doumark_csv(marks(1)).replace("movie.douban.com", "book.douban.com"), "text", "no_entries"),
        ("PK\x03\x04\x14\x00 an xlsx read as text", "text", "binary_as_text"),
        (base64.b64encode(b"PK\x03\x04 not really a zip").decode(), "base64", "unreadable_zip"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_its_reason(content, encoding, code):
    with pytest.raises(UnreadableFile) as refused:
        read(content, encoding=encoding)
    assert refused.value.code == code
    assert refused.value.status == 422
    assert refused.value.message


def test_a_zip_that_unpacks_to_too_much_is_refused_before_it_is_unpacked():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as out:
        out.writestr("movie_mark.csv", b"\0" * (MAX_UNPACKED_BYTES + 1))
    with pytest.raises(UnreadableFile) as refused:
        read(archive.getvalue())
    assert (refused.value.code, refused.value.status) == ("file_too_large", 413)


def test_a_damaged_workbook_is_refused_not_crashed_on():
    workbook = bytearray(tofu_xlsx(marks(3)))
    workbook[len(workbook) // 2 : len(workbook) // 2 + 200] = b"\0" * 200
    with pytest.raises(UnreadableFile) as refused:
        read(bytes(workbook))
    assert refused.value.code in ("unreadable_xlsx", "unreadable_zip")


def test_a_broken_last_row_or_a_nul_byte_costs_only_its_own_row():
    films = marks(2)
    assert entries(read(doumark_csv(films) + 'x,"unclosed quote\n')) == expected_entries(films)
    assert entries(read(doumark_csv(films).replace("剧情", "剧\0情"))) == expected_entries(films)


def test_a_csv_cell_too_large_for_the_csv_reader_is_refused():
    with pytest.raises(UnreadableFile) as refused:
        read(doumark_csv(marks(2)).replace("剧情", "剧" * 200_000))
    assert (refused.value.code, refused.value.status) == ("unreadable_csv", 422)
