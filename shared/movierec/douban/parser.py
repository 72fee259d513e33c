"""Reading a Douban subject page (``/subject/<id>/``) into a :class:`DoubanMovie`.

The visible page is the source of truth. The JSON-LD block is only a fallback for fields the visible page
lacks: it is missing on older pages, may not even be strict JSON, and its order, counts and dates can differ
from what the page shows. Nothing here fetches anything.
"""

from __future__ import annotations

import html as html_entities
import json
import math
import re
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from movierec.douban.models import DoubanMovie
from movierec.douban.title_keys import without_invisible_marks

if TYPE_CHECKING:
    from parsel import Selector

DEFAULT_BASE_URL = "https://movie.douban.com"

_WHITESPACE = re.compile(r"\s+")  # also matches the full-width space Douban indents paragraphs with
_LINE_BREAKS = re.compile(r"[\t\n\r\f\v]+")
_LIST_SEPARATOR = re.compile(r"\s+/\s+(?![^(（]*[)）])")  # not inside brackets: 又名 "铁达尼号(港 / 台)" is one name
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
_HOURS_AND_MINUTES = re.compile(r"(\d+)\s*(?:小时|h)\s*(?:(\d+)\s*(?:分钟|分|min|m))?", re.IGNORECASE)
_MINUTES = re.compile(r"(\d+)\s*(?:分钟|分|min)", re.IGNORECASE)
_NUMBER = re.compile(r"\d+")
_SUBJECT_ID = re.compile(r"/subject/(\d+)")
_IMDB_ID = re.compile(r"tt\d+")
_DOUBAN_TITLE_SUFFIX = re.compile(r"\s*\(豆瓣\)\s*$")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")  # Han and kana

# Marked-up rows; the cast row's own class changed over the years (span.actor, then a bare span), so never used.
_DIRECTOR_LINKS = "#info a[rel='v:directedBy']::text"
_CAST_LINKS = "#info a[rel='v:starring']::text"
_GENRES = "#info span[property='v:genre']::text"

# "检测到有异常请求从你的 IP 发出，请登录使用豆瓣": the address is flagged (reports: until the next day).
_ABNORMAL_REQUEST_TEXTS = ("检测到有异常请求", "有异常请求从你的 IP 发出")
_CAPTCHA_TEXTS = ("有点像机器人程序",)
_SECURITY_HOST = "sec.douban.com"
_BAN_MARKER = "sec.douban.com/b"
_CHALLENGE_SELECTOR = "form#sec, form[action*='sec.douban.com'], input#cha"
_LOGIN_SELECTOR = "form[action*='accounts.douban.com'], form[action*='passport/login']"
_CAPTCHA_SELECTOR = "form[action*='misc/sorry'], [name*='captcha'], [id*='captcha']"
_LOGIN_PAGE_TITLE = "登录豆瓣"
_TV_ROWS = frozenset({"首播", "集数", "单集片长", "季数"})  # a series' premiere, episode count and length, seasons


class NotASubjectPage(ValueError):
    """The HTML holds no Douban subject: no title, or no id, could be found.

    The only exception :func:`parse_subject` raises; everything else missing becomes ``None`` or ``[]``.
    """


# --- small text helpers, shared with the other sources -------------------------------------------------


def clean_text(text: str | None) -> str:
    """Invisible marks dropped, whitespace runs (incl. newlines and full-width spaces) made one space, ends
    stripped."""
    return _WHITESPACE.sub(" ", without_invisible_marks(text or "")).strip()


def clean_title(text: str | None) -> str:
    """A title as Douban writes it, for display: only invisible marks, line breaks and the ends go. Its spaces stay
    (Douban's ``神秘博士  第四季`` has two); titles are compared by their keys, never as display text."""
    return _LINE_BREAKS.sub(" ", without_invisible_marks(text or "")).strip()


def clean_paragraphs(lines: list[str]) -> str | None:
    """Each line cleaned, blank ones dropped, joined by newlines; ``None`` when nothing is left."""
    return "\n".join(line for line in map(clean_text, lines) if line) or None


def split_list(text: str | None) -> list[str]:
    """``"美国 / 英国"`` -> ``["美国", "英国"]``: Douban separates list values by a spaced slash (one inside
    brackets, as in the region mark ``(港 / 台)``, separates nothing)."""
    return [part for part in map(clean_text, _LIST_SEPARATOR.split(clean_text(text))) if part]


def to_int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except ValueError:
        return None


def to_float(value: Any) -> float | None:
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def positive[Number: (int, float)](number: Number | None) -> Number | None:
    """Douban writes 0 or nothing for "no rating"; both mean ``None``."""
    return number if number else None


def year_from_text(text: str | None) -> int | None:
    """The first plausible year in ``"(2010)"``, ``"2010-09-01(中国大陆)"``, ``"1992(中国台湾)"``..."""
    match = _YEAR.search(text or "")
    return int(match.group(1)) if match else None


def earliest_year(dates: list[str]) -> int | None:
    """The earliest year among release dates: the page's first date is not always the earliest."""
    years = [year for year in map(year_from_text, dates) if year]
    return min(years) if years else None


def minutes_from_text(text: str | None) -> int | None:
    """Minutes in ``"148分钟"``, ``"约60min"``, ``"2小时6分钟"``, ``"PT1H39M"`` or a bare ``"99"``."""
    text = clean_text(text)
    if match := _HOURS_AND_MINUTES.search(text):
        return int(match.group(1)) * 60 + int(match.group(2) or 0)
    if match := _MINUTES.search(text):
        return int(match.group(1))
    match = _NUMBER.search(text)
    return int(match.group()) if match else None


def split_title(combined: str, title: str | None = None, original_title: str | None = None) -> tuple[str, str | None]:
    """Split Douban's ``"<Chinese title> <original title>"`` into its two parts.

    Chinese titles can hold spaces themselves, so a known part (``title`` from ``<title>``, or
    ``original_title`` from the poster's alt text) decides where to cut. Without one, the cut falls before a
    trailing run free of Han and kana (``"盗梦空间 Inception"``), else after the first word when the rest is
    CJK too (``"千与千寻 千と千尋の神隠し"``); failing both, the whole text is the title.
    """
    combined = clean_title(combined)
    title, original_title = clean_title(title), clean_title(original_title)
    if title and (combined == title or combined.startswith(title + " ")):
        return title, combined[len(title) :].strip() or None
    if original_title and combined.endswith(" " + original_title) and combined != original_title:
        return combined[: -len(original_title)].strip(), original_title
    return _guess_title_split(combined)


def _guess_title_split(combined: str) -> tuple[str, str | None]:
    words = combined.split(" ")
    for cut in range(1, len(words)):
        head, tail = " ".join(words[:cut]), " ".join(words[cut:])
        if _CJK.search(head) and not _CJK.search(tail) and any(char.isalpha() for char in tail):
            return head, tail
    if len(words) > 1 and _CJK.search(words[0]) and _CJK.search(" ".join(words[1:])):
        return words[0], " ".join(words[1:])
    return combined, None


def subject_url(base_url: str, subject_id: str) -> str:
    return f"{base_url.rstrip('/')}/subject/{subject_id}/"


# --- the page ------------------------------------------------------------------------------------------


class PageRefusal(StrEnum):
    """Which of Douban's anti-bot pages a page is."""

    ABNORMAL_REQUEST = "abnormal_request"  # "检测到有异常请求从你的 IP 发出": the address is flagged
    CHALLENGE = "challenge"  # sec.douban.com's proof of work (form#sec with tok, cha, sol, red)
    LOGIN = "login"  # the login wall
    CAPTCHA = "captcha"  # "有点像机器人程序", Douban's sorry page


def refusal_page(html: str) -> PageRefusal | None:
    """Which anti-bot page ``html`` is, or None for any other page. A real subject page is never one, even though
    its navigation bar links to the login page and its text may quote anything."""
    if not clean_text(html):
        return None
    page = _selector(html)
    if page.css("[property='v:itemreviewed']"):
        return None
    if any(text in html for text in _ABNORMAL_REQUEST_TEXTS) or _BAN_MARKER in html:
        return PageRefusal.ABNORMAL_REQUEST
    if page.css(_CHALLENGE_SELECTOR) or _SECURITY_HOST in html:
        return PageRefusal.CHALLENGE
    if any(text in html for text in _CAPTCHA_TEXTS):
        return PageRefusal.CAPTCHA
    if _LOGIN_PAGE_TITLE in clean_text(page.css("title::text").get()) or page.css(_LOGIN_SELECTOR):
        return PageRefusal.LOGIN  # (the login form has a captcha field of its own)
    if page.css(_CAPTCHA_SELECTOR):
        return PageRefusal.CAPTCHA
    return None


def looks_blocked(html: str) -> bool:
    """True for Douban's anti-bot pages: the ``sec.douban.com`` proof-of-work challenge, the "abnormal request"
    notice, the "robot" captcha and the login wall (see :func:`refusal_page`)."""
    return refusal_page(html) is not None


def parse_subject(html: str, subject_id: str | None = None, base_url: str = DEFAULT_BASE_URL) -> DoubanMovie:
    """Everything a subject page shows, as a :class:`DoubanMovie`.

    ``subject_id`` is read from the page's own links when not given. Raises :class:`NotASubjectPage` when the
    page holds no title (empty, garbage, blocked) or no id; any other missing field is ``None`` or ``[]``.
    """
    page = _selector(html or "")
    ld = _json_ld(page)
    title, original_title = _titles(page, ld)
    if not title:
        raise NotASubjectPage("no subject title on the page (blocked, empty or not a subject page?)")
    subject_id = subject_id or _subject_id(page, ld)
    if not subject_id:
        raise NotASubjectPage(f"no subject id on the page of {title!r}; pass subject_id")
    rows = _info_rows(page)
    is_tv = _is_tv(page, rows, ld)
    release_dates = _release_dates(page, rows, ld)
    rating, rating_count = _rating(page, ld)
    return DoubanMovie(
        id=subject_id,
        url=subject_url(base_url, subject_id),
        title=title,
        original_title=original_title,
        year=_year(page, release_dates),
        kind="tv" if is_tv else "movie",
        directors=_texts(page, _DIRECTOR_LINKS) or split_list(rows.get("导演")) or _ld_names(ld, "director"),
        writers=split_list(rows.get("编剧")) or _ld_names(ld, "author"),
        cast=_texts(page, _CAST_LINKS) or split_list(rows.get("主演")) or _ld_names(ld, "actor"),
        genres=_texts(page, _GENRES) or split_list(rows.get("类型")) or _ld_list(ld, "genre"),
        countries=split_list(rows.get("制片国家/地区") or rows.get("国家/地区")),
        languages=split_list(rows.get("语言")),
        release_dates=release_dates,
        runtime_minutes=None if is_tv else _runtime(page, rows, ld),
        episodes=to_int(rows.get("集数")) if is_tv else None,
        episode_minutes=_episode_minutes(rows, ld) if is_tv else None,
        aka=split_list(rows.get("又名")),
        rating=rating,
        rating_count=rating_count,
        poster_url=_poster(page, ld),
        summary=_summary(page, ld),
        imdb_id=_imdb_id(rows),
    )


def _selector(html: str) -> Selector:
    """parsel (and lxml) load on the first page read, not on import: the API function imports this module for
    every route, and only a movie looked up by id ever parses a page there."""
    from parsel import Selector

    return Selector(text=html)


def _texts(page: Selector, query: str) -> list[str]:
    return [text for text in map(clean_text, page.css(query).getall()) if text]


def _fragment_lines(fragment_html: str | None) -> list[str]:
    """The text of an HTML fragment, one cleaned line per ``<br>``-separated piece."""
    pieces = _BR.split(fragment_html or "")
    return [clean_text(_selector(piece).xpath("string()").get()) for piece in pieces if piece.strip()]


def _info_rows(page: Selector) -> dict[str, str]:
    """The ``#info`` block as ``{label: value}``: every row is ``label: value`` ended by a ``<br>``."""
    rows: dict[str, str] = {}
    for line in _fragment_lines(page.css("#info").get()):
        label, colon, value = line.partition(":")
        if colon and label.strip():
            rows.setdefault(label.strip(), value.strip())
    return rows


def _titles(page: Selector, ld: dict[str, Any]) -> tuple[str | None, str | None]:
    combined = (
        clean_title(page.css("[property='v:itemreviewed']::text").get())
        or clean_title(page.css("meta[property='og:title']::attr(content)").get())
        or clean_title(_ld_raw(ld.get("name")))
    )
    if not combined:
        return None, None
    title_tag = _DOUBAN_TITLE_SUFFIX.sub("", clean_title(page.css("title::text").get()))
    poster_alt = page.css("#mainpic img::attr(alt)").get()
    return split_title(combined, title=title_tag, original_title=poster_alt)


def _subject_id(page: Selector, ld: dict[str, Any]) -> str | None:
    """The id from the page's links to itself (the canonical URL, the app links, the poster link)."""
    links = [
        page.css("meta[property='og:url']::attr(content)").get(),
        page.css("link[rel='canonical']::attr(href)").get(),
        page.css("meta[name='mobile-agent']::attr(content)").get(),
        page.css("link[href^='android-app']::attr(href)").get(),
        ld.get("url"),
        page.css("#mainpic a::attr(href)").get(),
    ]
    for link in links:
        if isinstance(link, str) and (match := _SUBJECT_ID.search(link)):
            return match.group(1)
    return None


def _is_tv(page: Selector, rows: dict[str, str], ld: dict[str, Any]) -> bool:
    return bool(_TV_ROWS & rows.keys()) or bool(page.css("select#season")) or ld.get("@type") == "TVSeries"


def _release_dates(page: Selector, rows: dict[str, str], ld: dict[str, Any]) -> list[str]:
    """As written, in page order: the first is not always the earliest, and some are a bare year."""
    dates = [
        clean_text(node.attrib.get("content") or node.xpath("string()").get())
        for node in page.css("#info span[property='v:initialReleaseDate']")
    ]
    dates = [date for date in dates if date]
    return dates or split_list(rows.get("上映日期") or rows.get("首播")) or _ld_list(ld, "datePublished")


def _year(page: Selector, release_dates: list[str]) -> int | None:
    return year_from_text(page.css("h1 span.year::text").get()) or earliest_year(release_dates)


def _runtime(page: Selector, rows: dict[str, str], ld: dict[str, Any]) -> int | None:
    """``v:runtime@content`` when there, else the free text of the 片长 row (``约60min``, ``120分钟``)."""
    return (
        to_int(page.css("#info span[property='v:runtime']::attr(content)").get())
        or minutes_from_text(rows.get("片长"))
        or minutes_from_text(_ld_text(ld.get("duration")))
    )


def _episode_minutes(rows: dict[str, str], ld: dict[str, Any]) -> int | None:
    # A series' JSON-LD duration is one episode's.
    return minutes_from_text(rows.get("单集片长")) or minutes_from_text(_ld_text(ld.get("duration")))


def _rating(page: Selector, ld: dict[str, Any]) -> tuple[float | None, int | None]:
    """An empty ``v:average`` means unrated (暂无评分, 尚未上映); only a page without one falls back to JSON-LD."""
    average = page.css("[property='v:average']")
    if average:
        rating = positive(to_float(average.xpath("string()").get()))
        return rating, to_int(page.css("[property='v:votes']::text").get())
    aggregate = ld.get("aggregateRating") if isinstance(ld.get("aggregateRating"), dict) else {}
    return positive(to_float(aggregate.get("ratingValue"))), positive(to_int(aggregate.get("ratingCount")))


def _poster(page: Selector, ld: dict[str, Any]) -> str | None:
    return (
        page.css("#mainpic img::attr(src)").get()
        or page.css("meta[property='og:image']::attr(content)").get()
        or _ld_text(ld.get("image"))
        or None
    )


def _summary(page: Selector, ld: dict[str, Any]) -> str | None:
    """The full hidden ``span.all`` when the page folds a long summary, else ``v:summary``."""
    node = page.css(".related-info span.all") or page.css("[property='v:summary']")
    if node:
        return clean_paragraphs(_fragment_lines(node[0].get()))
    return clean_paragraphs(_ld_raw(ld.get("description")).splitlines())


def _imdb_id(rows: dict[str, str]) -> str | None:
    """From the ``IMDb: tt…`` text row (2021+) or the ``IMDb链接:`` link row (up to 2019), whose text is the id."""
    for label, value in rows.items():
        if label.lower().startswith("imdb") and (match := _IMDB_ID.search(value)):
            return match.group()
    return None


# --- JSON-LD, a fallback only ---------------------------------------------------------------------------


def _json_ld(page: Selector) -> dict[str, Any]:
    """The first JSON-LD object, tolerating the raw newlines Douban leaves inside strings; ``{}`` if none."""
    for raw in page.css("script[type='application/ld+json']::text").getall():
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            continue
        if isinstance(data, dict):
            return data
    return {}


def _ld_raw(value: Any) -> str:
    """A JSON-LD string with its HTML entities (``O&#39;Connell``) decoded and its line breaks kept."""
    return html_entities.unescape(value) if isinstance(value, str) else ""


def _ld_text(value: Any) -> str:
    return clean_text(_ld_raw(value))


def _ld_list(ld: dict[str, Any], key: str) -> list[str]:
    values = ld.get(key)
    values = values if isinstance(values, list) else [values]
    return [text for text in map(_ld_text, values) if text]


def _ld_names(ld: dict[str, Any], key: str) -> list[str]:
    people = ld.get(key)
    people = people if isinstance(people, list) else [people]
    return [name for name in (_ld_text(person.get("name")) for person in people if isinstance(person, dict)) if name]
