"""A made-up person's Douban history, written out the way each export tool and Douban's mobile API write it.

Tests describe the marks once (:func:`marks` makes any number, deterministically) and get each format's file, the
entries a correct importer reads from it (:func:`expected_entries`), and FakeDouban routes for the interests API:

    films = marks(618)
    csv_text = doumark_csv(films)
    serve_interests(douban, "someone", films)            # pages of 50 on the rexxar path
    refuse_interests(douban, "someone", LOGIN_WALL)      # or one of Douban's refusals

The shapes follow the tools' own code (doumark's csv store, NeoDB's exporters/csv.py, 豆伴's explorer.js, the
userscript's export.user.js) and Douban's answers; every value here is invented.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from typing import Any

from openpyxl import Workbook

from tests.fakes.douban_server import FakeDouban, Reply

BEIJING = timezone(timedelta(hours=8))
FIRST_MARKED = datetime(2024, 6, 24, 19, 0, 14)  # Beijing time, like every time Douban writes without a zone
STATUS_WORDS = {"seen": "看过", "watching": "在看", "wish": "想看"}
API_STATUSES = {"seen": "done", "watching": "doing", "wish": "mark"}
_TITLE_PARTS = ["春", "夜", "海", "城", "风", "山", "雨", "星", "河", "梦", "光", "影", "路", "雪", "岛"]


@dataclass(frozen=True)
class Mark:
    douban_id: str
    title: str
    rating: int | None
    marked_at: datetime  # naive, Beijing time
    status: str = "seen"
    kind: str = "movie"

    @property
    def url(self) -> str:
        return f"https://movie.douban.com/subject/{self.douban_id}/"

    @property
    def interest_id(self) -> int:
        return 4_000_000_000 + int(self.douban_id)

    @property
    def beijing_text(self) -> str:
        return self.marked_at.strftime("%Y-%m-%d %H:%M:%S")

    @property
    def millis(self) -> int:
        return int(self.marked_at.replace(tzinfo=BEIJING).timestamp() * 1000)


def marks(count: int, status: str = "seen", first_id: int = 30_000_000) -> list[Mark]:
    """``count`` marks, newest first, a day and a bit apart; every ninth unrated, every fifth a series.

    Titles carry the punctuation real ones do: commas, quotes, a colon.
    """
    made = []
    for index in range(count):
        parts = "".join(_TITLE_PARTS[(index * 7 + step) % len(_TITLE_PARTS)] for step in range(1 + index % 3))
        title = [f"{parts}{index}", f"{parts}之{index}，续", f'"{parts}" {index}', f"{parts}：第{index}章"][index % 4]
        made.append(
            Mark(
                douban_id=str(first_id + index * 37),
                title=title,
                rating=None if index % 9 == 4 else 1 + (index * 3) % 5,
                marked_at=FIRST_MARKED - timedelta(days=index, minutes=37 * index),
                status=status,
                kind="tv" if index % 5 == 3 else "movie",
            )
        )
    return made


def expected_entries(films: list[Mark], *, dated: bool = True, rated: bool = True) -> list[dict[str, Any]]:
    """The entries a correct importer reads, as the API answers them."""
    return [
        {
            "douban_id": film.douban_id,
            "title": film.title,
            "rating": film.rating if rated else None,
            "marked_at": film.millis if dated else None,
            "status": film.status,
        }
        for film in films
    ]


def _csv(header: list[str], rows: list[list[Any]], line_ending: str = "\n", bom: bool = False) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=line_ending)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" if bom else "") + out.getvalue()


PUBLIC_STARS = ["4.5", "4", "3.5", "0"]  # what older versions of the sync tool wrote into `star`: the film's average


def doumark_csv(films: list[Mark], interest_ids: bool = False, public_stars: bool = False, ustar: bool = False) -> str:
    """The sync tool's CSV. Its older versions: ``interest_ids`` writes the interest's own id into ``id``;
    ``public_stars`` the film's public average into ``star``; ``ustar`` adds a fork's column of the person's stars."""
    header = ["id", "title", "intro", "poster", "pubdate", "url", "rating", "genres", "star", "comment", "tags"]
    header += ["star_time", "card", *(["ustar"] if ustar else [])]
    rows = [
        [
            film.interest_id if interest_ids else film.douban_id,
            film.title,
            "",
            f"https://img.example/movie/{film.douban_id}.jpg",
            f"{film.marked_at.year - 1}-05-01(中国大陆)",
            film.url,
            "7.6",
            "剧情,喜剧",
            PUBLIC_STARS[index % len(PUBLIC_STARS)] if public_stars else film.rating or "",
            "",
            "",
            film.beijing_text,
            f"{film.marked_at.year - 1} / 中国大陆 / 剧情 喜剧 / 导演甲 / 演员乙",
            *([film.rating or ""] if ustar else []),
        ]
        for index, film in enumerate(films)
    ]
    return _csv(header, rows)


def excel_saved(csv_text: str) -> bytes:
    """The CSV after a person opened it in Excel on a Chinese Windows and saved it again: GB18030, CRLF, and every
    time rewritten in the locale's short form (``2024/6/24 19:00``: no zero padding, no seconds)."""
    rows = list(csv.reader(io.StringIO(csv_text)))
    for row in rows[1:]:
        for index, cell in enumerate(row):
            try:
                moment = datetime.strptime(cell, "%Y-%m-%d %H:%M:%S")
            except ValueError:
                continue
            row[index] = f"{moment.year}/{moment.month}/{moment.day} {moment.hour}:{moment.minute:02d}"
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("gb18030")


NEODB_SHELVES = {"seen": "complete", "watching": "progress", "wish": "wishlist"}


def neodb_csv(films: list[Mark]) -> str:
    """NeoDB's movie_mark.csv: its own page first among the links, times in UTC, grades 1-10."""
    header = ["title", "info", "links", "timestamp", "status", "rating", "comment", "tags"]
    rows = [
        [
            film.title,
            f"year:{film.marked_at.year - 1} director:导演甲",
            f"https://neodb.example/movie/{film.douban_id}x {film.url} https://www.themoviedb.org/movie/{film.douban_id}",
            film.marked_at.replace(tzinfo=BEIJING).astimezone(UTC).isoformat(),
            NEODB_SHELVES[film.status],
            film.rating * 2 if film.rating else "",
            "",
            "",
        ]
        for film in films
    ]
    return _csv(header, rows)


def tofu_xlsx(films: list[Mark]) -> bytes:
    """豆伴's workbook: film sheets 看过/在看/想看 among sheets for books and music, as explorer.js writes it."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    header = ["标题", "简介", "豆瓣评分", "链接", "创建时间", "我的评分", "标签", "评论", "可见性"]
    for status, sheet_name in STATUS_WORDS.items():
        sheet = workbook.create_sheet(sheet_name)
        sheet.append(header)
        for film in (film for film in films if film.status == status):
            cells = [film.title, "2023 / 中国大陆 / 剧情", "7.6", film.url, film.beijing_text, film.rating or ""]
            sheet.append([*cells, "", "", "public"])
        workbook.create_sheet(sheet_name.replace("看", "读"))  # 读过 … for books, never read as films
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def userscript_csv(films: list[Mark], wish: bool = False) -> str:
    """The userscript's export: BOM and CRLF, every cell quoted; the 想看 file's header is one column too long."""
    if wish:
        header = ["电影/电视剧/番组", "标题", "上映日期", "制片国家", "条目链接"]
        rows = [[film.title, "2023/05/01", "中国大陆", film.url] for film in films]
    else:
        header = ["电影/电视剧/番组", "个人评分", "打分日期", "我的短评", "上映日期", "制片国家", "条目链接"]
        rows = [
            [film.title, film.rating or "", film.marked_at.strftime("%Y/%m/%d"), "", "2023/05/01", "中国大陆", film.url]
            for film in films
        ]
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerows(rows)
    return "\ufeff" + ",".join(header) + "\r\n" + out.getvalue()


RECOMMENDATION_WORDS = {5: "力荐", 4: "推荐", 3: "还行", 2: "较差", 1: "很差"}


def douban_rss(films: list[Mark], extra_items: str = "") -> str:
    """The interests feed: ``看过<title>`` items, the rating as words in a CDATA table, RFC 822 times."""
    items = []
    for film in films:
        rating = f"<p>推荐: {RECOMMENDATION_WORDS[film.rating]}</p>" if film.rating else ""
        published = format_datetime(film.marked_at.replace(tzinfo=BEIJING).astimezone(UTC), usegmt=True)
        items.append(
            f"<item><title>{STATUS_WORDS[film.status]}{_xml_text(film.title)}</title>"
            f"<link>http://movie.douban.com/subject/{film.douban_id}/</link>"
            f'<description><![CDATA[<table><tr><td><a href="{film.url}">海报</a></td><td>{rating}</td></tr></table>]]>'
            f"</description><dc:creator>someone</dc:creator><pubDate>{published}</pubDate>"
            f'<guid isPermaLink="false">https://www.douban.com/people/someone/interests/{film.interest_id}</guid></item>'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<rss xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0"><channel><title>某人 的收藏</title>'
        f"{''.join(items)}{extra_items}</channel></rss>"
    )


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- the mobile API -------------------------------------------------------------------------------------------


def interest(film: Mark) -> dict[str, Any]:
    """One interest object as the mobile API (rexxar and frodo alike) serves it; ``rating`` is the person's own."""
    return {
        "comment": "",
        "create_time": film.beijing_text,
        "id": film.interest_id,
        "is_private": False,
        "rating": {"count": 1, "max": 5, "star_count": film.rating, "value": film.rating} if film.rating else None,
        "status": API_STATUSES[film.status],
        "subject": {
            "id": film.douban_id,
            "title": film.title,
            "type": film.kind,
            "subtype": film.kind,
            "year": str(film.marked_at.year - 1),
            "card_subtitle": "2023 / 中国大陆 / 剧情 / 导演甲 / 演员乙",
            "genres": ["剧情"],
            "rating": {"count": 1234, "max": 10, "star_count": 4.0, "value": 7.6},
            "url": film.url,
            "uri": f"douban://douban.com/{film.kind}/{film.douban_id}",
        },
        "tags": [],
    }


REXXAR_PATH = "/rexxar/api/v2/user/{uid}/interests"
FRODO_PATH = "/api/v2/user/{uid}/interests"
PAGE_SIZE = 50


def serve_interests(
    douban: FakeDouban, uid: str, films: list[Mark], path: str = REXXAR_PATH, page_size: int = PAGE_SIZE
) -> None:
    """Route every page of ``uid``'s 看过 list (``start`` 0, 50, …), the one past the end empty, as Douban pages:
    ``{"count", "start", "total", "interests"}``, at most ``page_size`` a page whatever ``count`` asked."""
    route = path.format(uid=uid)
    for start in range(0, len(films) + 1, page_size):
        page = [interest(film) for film in films[start : start + page_size]]
        answer = {"count": len(page), "start": start, "total": len(films), "interests": page}
        douban.set(f"{route}?start={start}", Reply.json(answer))


# Douban's refusals of the interests API, as tools report them.
LOGIN_WALL = Reply.redirect("https://accounts.douban.com/passport/login?redir=https://m.douban.com/")
CHALLENGE = Reply.sec_redirect("https://m.douban.com/rexxar/api/v2/user/someone/interests")
FORBIDDEN = Reply.json({"msg": "need_login", "code": 103, "request": "GET /rexxar/api/v2/user/someone/interests"}, 403)
SIGNATURE_ERROR = Reply.json({"msg": "invalid_request_996", "code": 996, "request": "GET /api/v2/user"}, 400)
ERROR_IN_PAGE = Reply.json({"msg": "用户设置了隐私", "code": 1000, "request": "GET /api/v2/user"})


def refuse_interests(douban: FakeDouban, uid: str, reply: Reply, path: str = REXXAR_PATH) -> None:
    douban.set(path.format(uid=uid), reply)
