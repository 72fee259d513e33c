"""One movie object as models actually write it, read into a `SuggestedMovie`. Pure.

Models are asked for `{"title", "original_title", "year", "reason"}` with an integer year, and write, among
others: years as "1994年", "约1994", "1994-1995", "1994.0", 1994.0 or "一九九四年"; titles wrapped in 《》 or
with the year appended ("霸王别姬（1993）"); an original title of "同上" (same as above), "无" or null; no
reason at all; a title that is a number (1917). Each is read for what it means; a movie without a usable
title is no movie.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from movierec.llm.answer import SuggestedMovie

# The keys each field goes by: the prompt's own first, then what models write instead.
TITLE_KEYS = ("title", "name", "片名", "中文片名", "电影名", "chinese_title")
ORIGINAL_TITLE_KEYS = ("original_title", "originalTitle", "original_name", "原名", "外文名", "english_title")
YEAR_KEYS = ("year", "年份", "上映年份", "release_year", "releaseYear")
REASON_KEYS = ("reason", "推荐理由", "理由", "description", "comment")

FIRST_FILM_YEAR = 1880
LAST_YEAR = 2100
MAX_TITLE_LENGTH = 200
MAX_REASON_LENGTH = 500

_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_CHINESE_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_WRAPPERS = {"《": "》", "〈": "〉", "「": "」", "『": "』", "“": "”", '"': '"', "'": "'", "‘": "’"}
_PARENTHESISED_YEAR = re.compile(r"\s*[(（\[【]\s*(\d{4})\s*年?\s*[)）\]】]\s*$")
_TRAILING_YEAR = re.compile(r"\s+(\d{4})\s*年?$")
# "Same as above", "same as the Chinese title": the original title is the title itself.
_SAME_AS_TITLE = {"同上", "同中文名", "同标题", "同片名", "同左", "same", "same as title"}
_NO_ORIGINAL_TITLE = {"", "无", "没有", "暂无", "未知", "-", "—", "/", "n/a", "na", "none", "null", "unknown"}


def field_value(item: Mapping[str, Any], keys: tuple[str, ...]) -> Any:
    """The first of `keys` present in `item` (None when none is)."""
    return next((item[key] for key in keys if key in item), None)


def has_field(item: Mapping[str, Any], keys: tuple[str, ...]) -> bool:
    return any(key in item for key in keys)


def plausible_year(value: Any) -> int | None:
    """The first four-digit year between 1880 and 2100 in a number or a text, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if FIRST_FILM_YEAR <= value <= LAST_YEAR else None
    if isinstance(value, float):
        return plausible_year(int(value)) if value.is_integer() else None
    if not isinstance(value, str):
        return None
    # Full-width digits (１９９４) and Chinese numerals (一九九四) are years too.
    text = unicodedata.normalize("NFKC", value).translate(_CHINESE_DIGITS)
    for match in _YEAR.finditer(text):
        year = int(match.group(1))
        if FIRST_FILM_YEAR <= year <= LAST_YEAR:
            return year
    return None


def _text(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else None  # not 12.5, nor infinity
    if isinstance(value, int):
        return str(value)  # a title such as 1917
    if isinstance(value, list):
        return next((text for text in map(_text, value) if text), None)
    return value.strip() if isinstance(value, str) else None


def clean_title(value: Any, year: int | None = None) -> tuple[str | None, int | None]:
    """The title as a person should see it, and the year it carried (from "霸王别姬（1993）").

    A 《》 (or quote) wrapping goes, and so does an appended year: in brackets always, after a space only when
    it is the movie's own year, so that "Blade Runner 2049" (2017) keeps its number.
    """
    title = _text(value)
    if not title:
        return None, None
    carried = None
    if match := _PARENTHESISED_YEAR.search(title):
        carried = plausible_year(match.group(1))
        title = title[: match.start()]
    title = title.strip()
    while len(title) > 2 and _WRAPPERS.get(title[0]) == title[-1]:
        title = title[1:-1].strip()
    if (match := _TRAILING_YEAR.search(title)) and year is not None and int(match.group(1)) == year:
        title = title[: match.start()].strip()
    return title or None, carried


def _original_title(value: Any, title: str, year: int | None) -> str | None:
    text = _text(value)
    if text is None or text.lower() in _NO_ORIGINAL_TITLE:
        return None
    if text.lower() in _SAME_AS_TITLE:
        return title
    cleaned, _ = clean_title(text, year)
    return cleaned if cleaned and len(cleaned) <= MAX_TITLE_LENGTH else None


def _reason(value: Any) -> str:
    if isinstance(value, list):
        value = "；".join(text for text in map(_text, value) if text)
    text = _text(value) or ""
    return text[:MAX_REASON_LENGTH]


def suggested_movie(item: Any) -> SuggestedMovie | None:
    """The movie an object from the model's answer names, or None when it names none (no usable title)."""
    if not isinstance(item, Mapping):
        return None
    year = plausible_year(field_value(item, YEAR_KEYS))
    title, carried_year = clean_title(field_value(item, TITLE_KEYS), year)
    if title is None or len(title) > MAX_TITLE_LENGTH:
        return None
    year = year or carried_year
    try:
        return SuggestedMovie(
            title=title,
            original_title=_original_title(field_value(item, ORIGINAL_TITLE_KEYS), title, year),
            year=year,
            reason=_reason(field_value(item, REASON_KEYS)),
        )
    except ValidationError:
        return None
