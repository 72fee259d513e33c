"""The comparable key of a title as Douban writes it and as people (and models) type it.

Douban decorates its names and people type them loosely, so a title is compared by its key, never as a string:

- **noise** that never changes which work is meant is dropped: invisible marks (U+200B–U+200F, bidi controls,
  U+FEFF), width (NFKC folds ``Ｘ``/``２`` to ``X``/``2``), script (traditional to simplified with OpenCC's
  ``t2s``: ``盜夢空間`` is ``盗梦空间``), case, spaces and punctuation of any script (``：·・•-《》“”``), a trailing
  year ``(2010)`` and a trailing region mark of a 又名 (``潜行凶间(港)``, ``铁达尼号(港 / 台)``, ``(中国大陆)``);
- **markers** that do change it are read out, not dropped: the installment (``第一季``, ``第1季``, ``Season 1``,
  ``S01``, ``第一部``, ``(上)``, ``Part 2``) and the film edition of a series (``剧场版``, ``电影版``).
  ``冰血暴 第一季`` is the work ``冰血暴``, installment 1; two names are the same title when work, installment
  and edition all agree.

:func:`closeness` says how a name someone asked for relates to one of Douban's names: the same title, the show
or work whose season, part or film edition Douban's name is, or a first season or film edition that Douban's
name leaves unmarked. Pure, apart from OpenCC's dictionaries, which are read once per process.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import IntEnum
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import opencc

# Zero-width space/non-joiner/joiner, LRM/RLM, bidi embeddings and isolates, word joiner, BOM (and soft hyphen):
# Douban's answers carry them (an original title ending in U+200E), and they are never part of a name.
INVISIBLE_MARKS = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")

_QUOTES = re.compile(r"[《》〈〉「」『』“”‘’\"'`]")  # 《盗梦空间》, “盗梦空间”: wrappers only
_SEPARATORS = r"[\s:;,.!?·•・\-_—–~/|、，。：；！？]"
_TRAILING_SEPARATORS = re.compile(rf"{_SEPARATORS}+$")

# Where the place a 又名 is used is written after it. Matched after t2s and casefold.
_REGIONS = "港|台|澳|港台|大陆|内地|香港|台湾|澳门|中国大陆|中国香港|中国台湾|中国澳门|新加坡|新马|马来西亚"
_REGION_MARK = re.compile(rf"\(\s*(?:{_REGIONS})(?:\s*[/、,]\s*(?:{_REGIONS}))*\s*\)\s*$")
_TRAILING_YEAR = re.compile(r"\(\s*((?:18|19|20)\d\d)\s*年?\s*\)\s*$")

_CHINESE_DIGITS = {
    char: value
    for value, chars in enumerate(["零〇", "一", "二两", "三", "四", "五", "六", "七", "八", "九"])
    for char in chars
}
_ENGLISH_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
_ROMAN_NUMBERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6}
_NUMBER = r"(\d{1,3}|[零〇一二两三四五六七八九十]{1,4})"
_WORD_NUMBER = rf"(\d{{1,3}}|{'|'.join(_ENGLISH_NUMBERS)})"

# Installment markers at the end of a title; the separator before some is required, so that 在路上 keeps its 上.
_INSTALLMENTS = (
    re.compile(rf"第\s*{_NUMBER}\s*[季部期]$"),  # 第一季, 第 2 季, 第一部, 第2期
    re.compile(rf"(?:^|(?<=[^a-z]))season\s*{_WORD_NUMBER}$"),  # Season 1, Season One
    re.compile(r"(?:^|(?<=[^a-z]))series\s*(\d{1,2})$"),  # Series 2 (British)
    re.compile(r"(?:^|(?<=[^a-z0-9]))s(\d{1,2})$"),  # S01, S1
    re.compile(r"(\d{1,2})(?:st|nd|rd|th)\s*season$"),  # 2nd Season (anime)
    re.compile(r"시즌\s*(\d{1,2})$"),  # 시즌2
    re.compile(rf"(?:^|(?<=[^a-z]))part\s*{_WORD_NUMBER}$"),  # Part 1, Part Two
    re.compile(rf"(?:^|(?<=[^a-z]))part\s*({'|'.join(sorted(_ROMAN_NUMBERS, key=len, reverse=True))})$"),  # Part II
    re.compile(r"\(\s*([上下])\s*(?:集|部|篇)?\s*\)$"),  # 哈利·波特与死亡圣器(上)
    re.compile(rf"(?:(?<={_SEPARATORS})|^)([上下])\s*(?:集|部|篇)?$"),  # 赤壁 下, 赤壁：下集
    re.compile(r"([上下])(?:集|部|篇)$"),  # 赤壁下集
)
_PART_WORDS = {"上": 1, "下": 2}

# A series' film edition: at the end (紫罗兰永恒花园 剧场版, 深夜食堂 电影版) or in front (剧场版 紫罗兰永恒花园).
_EDITIONS = (
    re.compile(r"\(?\s*(?:剧场版|电影版|大电影)\s*\)?$"),
    re.compile(r"^(?:剧场版|电影版)"),
)


class Closeness(IntEnum):
    """How a name asked for relates to one of Douban's names; lower is closer."""

    SAME = 0  # the same title
    CONTAINS = 1  # the name is the work; Douban's is one season or part of it, or its film edition
    UNMARKED = 2  # the name is a first season or a film edition that Douban's name leaves unmarked


@dataclass(frozen=True)
class TitleName:
    """One title, read: ``work`` and ``key`` hold only lowercase letters and digits of simplified Chinese."""

    work: str
    installment: int | None = None
    edition: bool = False
    year: int | None = None  # from a trailing "(2010)"; None when the title has none

    @property
    def key(self) -> str:
        """The title's key: ``"冰血暴"``, ``"冰血暴/1"``, ``"紫罗兰永恒花园/剧场版"``; ``""`` for an empty title."""
        parts = [self.work]
        if self.installment is not None:
            parts.append(str(self.installment))
        if self.edition:
            parts.append("剧场版")
        return "/".join(parts) if self.work else ""

    @classmethod
    def parse(cls, text: str | None) -> TitleName:
        folded, year = _without_noise(_QUOTES.sub(" ", _fold(text)))
        rest, edition = _without_edition(folded)
        rest, installment = _without_installment(rest)
        if not edition:  # "剧场版 X 第二部" as well as "X 第二季 剧场版"
            rest, edition = _without_edition(rest)
        work = _letters_and_digits(rest)
        if not work:  # a title that is nothing but a marker ("上", "Part 1", "剧场版") is its own work
            return cls(work=_letters_and_digits(folded), year=year)
        return cls(work=work, installment=installment, edition=edition, year=year)


def without_invisible_marks(text: str) -> str:
    """``text`` without :data:`INVISIBLE_MARKS`, nothing else changed (display text keeps its spaces)."""
    return INVISIBLE_MARKS.sub("", text)


def simplified(text: str) -> str:
    """``text`` in simplified script (OpenCC ``t2s``), nothing else changed: ``盜夢空間`` -> ``盗梦空间``."""
    return _to_simplified().convert(text)


def comparable_text(text: str | None) -> str:
    """Letters and digits only, of simplified Chinese, NFKC-folded and casefolded: for names of people too
    (``周星馳`` is ``周星驰``), where no title decoration applies."""
    return _letters_and_digits(_fold(text))


def title_key(text: str | None) -> str:
    """The key of a title (see :class:`TitleName`): equal keys are the same title. ``""`` matches nothing."""
    return TitleName.parse(text).key


def closeness(wanted: TitleName, found: TitleName, found_is_tv: bool) -> Closeness | None:
    """How ``wanted`` (a name asked for) relates to ``found`` (one of a Douban entry's names); None: unrelated.

    - ``CONTAINS``: ``冰血暴`` for ``冰血暴 第二季``, ``哈利·波特与死亡圣器`` for its ``(上)``, ``紫罗兰永恒花园`` for
      ``紫罗兰永恒花园 剧场版``;
    - ``UNMARKED``: ``北海鲸梦 第一季`` for the series ``北海鲸梦`` (Douban numbers no single season), or
      ``X 剧场版`` for a film ``X``. Only a year that fits makes this a match (the caller's rule).

    A different installment, or a first season asked of a film, is unrelated.
    """
    if not wanted.work or wanted.work != found.work:
        return None
    if wanted.installment == found.installment:
        installment = Closeness.SAME
    elif wanted.installment is None:
        installment = Closeness.CONTAINS
    elif wanted.installment == 1 and found.installment is None and found_is_tv:
        installment = Closeness.UNMARKED
    else:
        return None
    if wanted.edition == found.edition:
        edition = Closeness.SAME
    else:
        edition = Closeness.CONTAINS if found.edition else Closeness.UNMARKED
    return max(installment, edition)


@cache
def _to_simplified() -> opencc.OpenCC:
    import opencc  # loaded with its dictionaries when a title is first compared: the API's cold start has no need

    return opencc.OpenCC("t2s")


def _fold(text: str | None) -> str:
    """Invisible marks out, NFKC (widths, compatibility ideographs), simplified script, casefolded."""
    return simplified(unicodedata.normalize("NFKC", without_invisible_marks(text or ""))).casefold()


def _letters_and_digits(text: str) -> str:
    return "".join(char for char in text if char.isalnum())


def _without_noise(text: str) -> tuple[str, int | None]:
    """Without trailing region marks and a trailing year, which may follow each other in any order."""
    year = None
    while True:
        text = text.rstrip()
        if (mark := _REGION_MARK.search(text)) and text[: mark.start()].strip():
            text = text[: mark.start()]
        elif (match := _TRAILING_YEAR.search(text)) and _letters_and_digits(text[: match.start()]):
            year = year or int(match.group(1))
            text = text[: match.start()]
        else:
            return text, year


def _without_edition(text: str) -> tuple[str, bool]:
    text = text.strip()
    for pattern in _EDITIONS:
        if match := pattern.search(text):
            return (text[: match.start()] + text[match.end() :]).strip(), True
    return text, False


def _without_installment(text: str) -> tuple[str, int | None]:
    text = _TRAILING_SEPARATORS.sub("", text.strip())
    for pattern in _INSTALLMENTS:
        if (match := pattern.search(text)) and (number := _number(match.group(1))) is not None:
            return text[: match.start()], number
    return text, None


def _number(text: str) -> int | None:
    """``"3"``, ``"三"``, ``"十二"``, ``"two"``, ``"ii"``, ``"上"``: the installment number, or None."""
    if text.isdigit():
        return int(text)
    for table in (_ENGLISH_NUMBERS, _ROMAN_NUMBERS, _PART_WORDS):
        if text in table:
            return table[text]
    return _chinese_number(text)


def _chinese_number(text: str) -> int | None:
    """Chinese numerals the way season numbers are written: 一, 十, 十二, 二十, 二十三."""
    total, current = 0, 0
    for char in text:
        if char in _CHINESE_DIGITS:
            current = _CHINESE_DIGITS[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        else:
            return None
    total += current
    return total or None
