"""The constraints people write in their own words, read into filters: deterministic, quick, no model call. Pure.

People write what they want in words ("2015年以后的韩国悬疑片，评分8分以上，别超过两个小时", "90年代港片", "不要恐怖片",
"想看美剧", "冷门一点的", "Korean thrillers from the 90s"). :func:`read_constraints` finds in one text the phrases that
are hard constraints on Douban's data, each a :class:`Found`: the filter field, its value and the words as the person
wrote them. It reads a copy of the text that is simplified (OpenCC ``t2s``: 韓劇 is 韩剧), width- and case-folded
character by character, so that every phrase found maps back to the person's own characters.

What is read, and what each phrase means (the README states the same):

- **years**: ``2015年以后`` / ``since 2015`` / ``2015+`` from 2015; ``after 2025`` from 2026 (English *after* is
  strict, as SuggestArr #430's reporter meant it); ``2010年前`` / ``before 2010`` to 2009; ``2010到2015年``;
  ``2023年的`` / ``2016秋季`` / ``in 2018`` that year; ``90年代`` / ``九十年代`` / ``the 90s`` 1990-1999 (``00`` and
  ``10年代`` are this century's; ``20年代`` could be either and is left to the model; ``九十年代到现在`` from 1990,
  ``90年代以前`` to 1989); ``不早于2015年`` from 2015, ``不晚于2010年`` to 2010; ``近五年`` / ``past 5 years``
  from this year − 5; ``近几年`` / ``recent years`` / ``更新一点`` from this year − :data:`RECENT_YEARS`; ``最新`` /
  ``新片`` from last year; ``今年`` / ``去年``; ``21世纪`` / ``本世纪`` from 2001, ``上世纪`` 1901-2000.
- **min_rating**: ``8分以上`` / ``评分不低于8`` / ``豆瓣8.5+`` / ``rated 8+``; ``高分`` (评分高, 评分最高, highly
  rated…) is :data:`HIGH_RATING`. A rating said of IMDb, 烂番茄 or 猫眼 is not Douban's and is not read; a ceiling
  (``评分低于6分``, ``7分以下``, ``8分左右``) is no filter movierec has and is not read, as a floor or as votes.
- **votes**: ``冷门`` / ``小众`` / ``hidden gems`` at most :data:`NICHE_VOTES` ratings; ``热门`` / ``大热`` /
  ``popular`` at least :data:`POPULAR_VOTES`; ``评价人数1万以上`` as written.
- **max_runtime**: ``两小时以内`` / ``别超过两个小时`` / ``90分钟以内`` / ``under 2 hours`` (a minimum, 3小时以上,
  is no filter movierec has and is not read).
- **kind**: ``剧`` / ``美剧`` / ``番剧`` / ``series`` → tv; ``只看电影`` / ``不要电视剧`` → movie; ``电影和剧都行`` /
  ``影视`` → any. The word 电影 alone is how people say "a film" (一部关于时间旅行的电影): the model is asked for
  films anyway, so it sets nothing.
- **countries**: a country or region said of the films (``韩国悬疑片``, ``港片``, ``日韩``, ``欧美``, ``Korean
  movies``), as Douban names it; not one said of a story or a setting (``关于日本文化的电影``, ``发生在法国的``) or
  inside a title (``美国队长``).
- **languages**: ``粤语原声``, ``说法语的``, ``in French``; not subtitles or dubbing (``英文字幕``, ``国语配音``).
- **genres_exclude**: ``不要恐怖片``, ``别太血腥`` (恐怖), ``不吓人的``, ``恐怖片除外``, ``no horror``.

A constraint the person refuses, before or after its words (``不要港片``, ``不要2010年以前的``, ``港片就算了``), is not
read as one (read, it would show them what they refused), and words inside 《》 are a title, never read.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from movierec.modes.filters import FilterField


HIGH_RATING = 8.0  # 高分: the line Douban's 高分 lists and people draw (an ordinary film rates 6.5-7.5)
NICHE_VOTES = 50_000  # 冷门 / 小众: 隐入尘烟 was a 冷门文艺片 at 3 万 ratings; a hit has 50 万 and more
POPULAR_VOTES = 100_000  # 热门: a film ten times past Douban's 1 万 ratings of being known at all
RECENT_YEARS = 5  # 近几年, 这几年, recent years, 更新一点: the last five years
LATEST_YEARS = 1  # 最新, 新片: this year and last


@dataclass(frozen=True)
class Found:
    """One constraint read: ``value`` in the API's shape of that filter (years: ``{"from", "to"}``, either None)."""

    field: FilterField
    value: object
    words: str
    start: int


class _Pattern:
    """A regular expression compiled when first used. The reader's fifty-odd patterns take ~30 ms to compile, which
    every cold start of the API would pay, though most of its calls (polls) read no words."""

    __slots__ = ("_compiled", "_flags", "_source")

    def __init__(self, source: str, flags: int = 0) -> None:
        self._source, self._flags, self._compiled = source, flags, None

    def __getattr__(self, name: str) -> Any:  # finditer, search, match …: the compiled pattern's own
        if self._compiled is None:
            self._compiled = re.compile(self._source, self._flags)
        return getattr(self._compiled, name)


# --- the text, prepared -------------------------------------------------------------------------------------------

_TITLE = _Pattern(r"《[^《》]*》|〈[^〈〉]*〉")
_MASK = "▯"  # every character of a title becomes this, which no pattern reads
_CLAUSE_BREAKS = frozenset("，。；！？,;!?\n")


def _folded(text: str) -> str:
    """``text`` simplified, width- and case-folded, titles masked: exactly as long as ``text``, character for
    character."""
    chars = []
    for char in text:
        wide = unicodedata.normalize("NFKC", char)
        wide = wide if len(wide) == 1 else char
        lower = wide.casefold()
        chars.append(lower if len(lower) == 1 else wide)
    folded = "".join(chars)
    if not folded.isascii():
        from movierec.douban.title_keys import simplified  # OpenCC's dictionaries, loaded on the first use

        converted = simplified(folded)
        if len(converted) != len(folded):  # a phrase mapped to another length: convert one character at a time
            converted = "".join(one if len(one := simplified(char)) == 1 else char for char in folded)
        folded = converted
    return _TITLE.sub(lambda title: _MASK * len(title.group()), folded)


def folded_key(text: str) -> str:
    """``text`` as the reader sees it (simplified, folded, titles masked), without spaces: to find words in it."""
    return re.sub(r"\s+", "", _folded(text))


@dataclass
class _Text:
    original: str
    folded: str
    today: date
    taken: list[bool] = field(default_factory=list)
    found: list[Found] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.taken = [False] * len(self.folded)

    @property
    def year(self) -> int:
        return self.today.year

    def free(self, start: int, end: int) -> bool:
        return not any(self.taken[start:end])

    def take(self, start: int, end: int) -> None:
        self.taken[start:end] = [True] * (end - start)

    def add(self, field_name: FilterField, value: object, start: int, end: int) -> None:
        self.found.append(Found(field_name, value, self.original[start:end].strip(), start))

    def clause(self, position: int) -> tuple[int, int]:
        """The clause around ``position``: between the punctuation that ends sentences and clauses."""
        start = position
        while start > 0 and self.folded[start - 1] not in _CLAUSE_BREAKS:
            start -= 1
        end = position
        while end < len(self.folded) and self.folded[end] not in _CLAUSE_BREAKS:
            end += 1
        return start, end

    def before(self, position: int) -> str:
        """The clause's text before ``position``."""
        return self.folded[self.clause(position)[0] : position]

    def after(self, position: int) -> str:
        """The clause's text from ``position``."""
        return self.folded[position : self.clause(position)[1]]

    def negated(self, start: int, end: int) -> bool:
        """Whether the words at ``start:end`` are what the person does not want: a negator before them (不要港片,
        除了韩国的, no horror, nothing from the 90s) or one that closes their clause (港片就算了, 2010年以前的不要)."""
        before = self.before(start)
        return bool(
            _NEGATED_BEFORE.search(before)
            or _ENGLISH_NEGATED_BEFORE.search(before)
            or _NEGATED_AFTER.match(self.after(end))
        )

    def add_wanted(self, field_name: FilterField, value: object, start: int, end: int) -> None:
        """Add the constraint unless the person refuses it: 不要2010年以前的 read as 2010年以前 would show them exactly
        what they refused (the model still reads their words)."""
        if not self.negated(start, end):
            self.add(field_name, value, start, end)


_NEGATORS = (
    r"不要|不想要|不想看|不看|不敢看|不喜欢|不爱看|别|讨厌|拒绝|排除|除了|去掉|不含|不是|不能是|非"
    r"|\bnot\b|\bno\b|\bexcept\b|\bwithout\b"
)
# A negator, then at most three characters that are not 的 (不要看港片, 别推荐美剧), up to the words.
_NEGATED_BEFORE = _Pattern(rf"(?:{_NEGATORS})[^的]{{0,3}}$")
# English puts a word or two between (no movies before 2010, nothing from the 90s).
_ENGLISH_NEGATED_BEFORE = _Pattern(r"\b(?:no|not|nothing|without|except|excluding|avoid|skip)(?:\s+[a-z'-]+){0,2}\s*$")
# A refusal that closes the clause after the words: 港片不要, 美剧就算了, 日本片除外 (港片不要太血腥 refuses the gore).
_NEGATED_AFTER = _Pattern(
    r"^\s*的?\s*(?:电影|影片|片子|片|作品|剧)?\s*(?:我|就|都|也|一律|统统)?\s*"
    r"(?:不要|不看|不想看|别推荐|不用|不考虑|算了|就算了|除外|免了|pass|排除|去掉|拉倒)\s*(?:了|吧|啊|哈)?\s*$"
)


# --- numbers as people write them ---------------------------------------------------------------------------------

_CHINESE_DIGITS = {char: value for value, chars in enumerate(["零〇", *"一二三四五六七八九"]) for char in chars}
_CHINESE_DIGITS["两"] = 2
_CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000}
_ENGLISH_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8}
_ENGLISH_NUMBERS |= {"nine": 9, "ten": 10, "twenty": 20, "a": 1, "an": 1}
NUMBER = r"\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+(?:点[零〇一二三四五六七八九]+)?"
ENGLISH_NUMBER = rf"\d+(?:\.\d+)?|{'|'.join(_ENGLISH_NUMBERS)}"


def number(text: str) -> float | None:
    """``8``, ``8.5``, ``八``, ``七点五``, ``九十``, ``一百二十``, ``九零`` (digit by digit), ``two``; else None."""
    text = text.strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    if text in _ENGLISH_NUMBERS:
        return float(_ENGLISH_NUMBERS[text])
    if "点" in text:
        whole, _, fraction = text.partition("点")
        whole_value = number(whole)
        digits = [_CHINESE_DIGITS.get(char) for char in fraction]
        if whole_value is None or not digits or None in digits:
            return None
        return whole_value + float("0." + "".join(str(digit) for digit in digits))
    if not text or any(char not in _CHINESE_DIGITS and char not in _CHINESE_UNITS for char in text):
        return None
    if not any(char in _CHINESE_UNITS for char in text):  # 九零, 二零一五: digit by digit
        return float("".join(str(_CHINESE_DIGITS[char]) for char in text))
    total, digit = 0, None
    for char in text:
        if char in _CHINESE_DIGITS:
            digit = _CHINESE_DIGITS[char]
        else:
            total += (1 if digit is None else digit) * _CHINESE_UNITS[char]
            digit = None
    return float(total + (digit or 0))


def _count(value: str, unit: str | None) -> int | None:
    """``1`` with ``万`` is 10000; ``5`` with ``k`` is 5000."""
    amount = number(value)
    if amount is None:
        return None
    scale = {"万": 10_000, "w": 10_000, "千": 1_000, "k": 1_000}.get(unit or "", 1)
    return int(amount * scale)


# --- the rules, in the order they read: a phrase read by one is not read again by a later one ----------------------

Rule = Callable[[_Text], None]
_RULES: list[Rule] = []


def _rule(function: Rule) -> Rule:
    _RULES.append(function)
    return function


def _matches(text: _Text, pattern: _Pattern):
    """Each match of ``pattern`` over characters no earlier rule has read."""
    for match in pattern.finditer(text.folded):
        if match.end() > match.start() and text.free(match.start(), match.end()):
            yield match


def _words(text: str) -> list[str]:
    return text.split()


def _table(rows: str) -> dict[str, list[str]]:
    """``"美剧 美国; 日韩剧 日本 韩国"`` → ``{"美剧": ["美国"], "日韩剧": ["日本", "韩国"]}``."""
    return {word: names for row in rows.split(";") if row.strip() for word, *names in [row.split()]}


def _alternatives(words) -> str:
    """A regular expression matching any of ``words``, the longest first."""
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


YEAR = r"(?<![\d.])(?:18|19|20)\d{2}(?![\d.])"
_HAS_TO = r"(?:到|至|-|–|—|~|to)"

# --- years -------------------------------------------------------------------------------------------------------

_YEAR_RANGE = _Pattern(
    rf"(?:between\s+|from\s+)?(?P<a>{YEAR})\s*年?\s*(?:{_HAS_TO}|and)\s*(?P<b>{YEAR})\s*年?(?:之间|间)?"
)


@_rule
def _years_between(text: _Text) -> None:
    for match in _matches(text, _YEAR_RANGE):
        first, last = int(match["a"]), int(match["b"])
        if "and" in match.group() and not match.group().startswith("between"):
            continue  # "2010 and 2015" alone is two years, not a range
        text.take(match.start(), match.end())
        text.add_wanted("years", {"from": min(first, last), "to": max(first, last)}, match.start(), match.end())


_CENTURIES = {
    "上世纪": 1900, "上个世纪": 1900, "20世纪": 1900, "二十世纪": 1900,
    "本世纪": 2000, "这个世纪": 2000, "21世纪": 2000, "二十一世纪": 2000, "新世纪": 2000,
}  # fmt: skip
_DECADE = _Pattern(
    rf"(?P<century>{'|'.join(sorted(_CENTURIES, key=len, reverse=True))})?\s*"
    r"(?P<decade>(?<!\d)\d{2}(?!\d)|(?:18|19|20)\d0|[一二三四五六七八九零〇][十零〇])\s*年代"
    r"(?P<part>初期|初|早期|中后期|中期|末期|末|后期|后半|前半|前期)?"
    r"(?:(?P<since>以来|至今|到现在|到今天|到如今|开始|起|以后|之后)|(?P<before>以前|之前|前(?![期半])))?"
)
_ENGLISH_DECADE = _Pattern(r"(?:the\s+)?(?P<part>early|mid|late)?[- ]?['’]?(?P<decade>(?<!\d)\d0|(?:19|20)\d0)['’]?s\b")
_DECADE_PARTS = {
    "初期": (0, 3), "初": (0, 3), "早期": (0, 3), "early": (0, 3), "前半": (0, 4), "前期": (0, 4),
    "中期": (3, 6), "mid": (3, 6), "中后期": (5, 9), "后半": (5, 9),
    "末期": (7, 9), "末": (7, 9), "后期": (7, 9), "late": (7, 9),
}  # fmt: skip


def _decade_start(decade: float, century: int | None) -> int | None:
    """90 → 1990, 1990 → 1990, 00 and 10 → 2000 and 2010; 20 (1920 or 2020?) → None unless a century is said."""
    whole = int(decade)
    if whole >= 1800:
        return whole
    if century is not None:
        return century + whole
    if whole in (0, 10):
        return 2000 + whole
    return 1900 + whole if whole >= 30 else None


@_rule
def _years_decade(text: _Text) -> None:
    for pattern in (_DECADE, _ENGLISH_DECADE):
        for match in _matches(text, pattern):
            decade = number(match["decade"])
            century = _CENTURIES.get(match.groupdict().get("century") or "")
            start = _decade_start(decade, century) if decade is not None and decade % 10 == 0 else None
            if start is None:
                continue
            text.take(match.start(), match.end())
            first, last = _DECADE_PARTS.get(match["part"] or "", (0, 9))
            years = {"from": start + first, "to": start + last}
            groups = match.groupdict()
            if groups.get("since"):  # 九十年代到现在, 80年代以来
                years["to"] = None
            elif groups.get("before"):  # 90年代以前: the decades before it
                years = {"from": None, "to": start - 1}
            text.add_wanted("years", years, match.start(), match.end())


_CENTURY = _Pattern(
    r"(?P<this>21世纪|二十一世纪|本世纪|这个世纪|新世纪|21st century|this century)"
    r"|(?P<last>上世纪|上个世纪|20世纪|二十世纪|20th century|last century)"
)


@_rule
def _years_century(text: _Text) -> None:
    for match in _matches(text, _CENTURY):
        text.take(match.start(), match.end())
        years = {"from": 2001, "to": None} if match["this"] else {"from": 1901, "to": 2000}
        text.add_wanted("years", years, match.start(), match.end())


# (pattern, the first year it allows given the year written, the last one)
_SINCE = r"以后|之后|以来|往后|后|起|开始|至今|到现在|到今天|及以后|或以后|以降"
_BEFORE = r"以前|之前|前"
_YEAR_BOUNDS: list[tuple[re.Pattern[str], Callable[[int], int | None], Callable[[int], int | None]]] = [
    # Comparisons, first: 不早于2015年 is not the one year 2015.
    (
        _Pattern(rf"(?:不早于|不早过|no earlier than|not earlier than)\s*(?P<y>{YEAR})\s*年?"),
        lambda y: y,
        lambda y: None,
    ),
    (_Pattern(rf"(?:不晚于|不迟于|no later than|not later than)\s*(?P<y>{YEAR})\s*年?"), lambda y: None, lambda y: y),
    (_Pattern(rf"(?<![不没])(?:晚于|迟于)\s*(?P<y>{YEAR})\s*年?"), lambda y: y + 1, lambda y: None),
    (_Pattern(rf"(?<![不没])早于\s*(?P<y>{YEAR})\s*年?"), lambda y: None, lambda y: y - 1),
    (_Pattern(rf"(?P<y>{YEAR})\s*年?\s*(?:{_SINCE})(?!后)"), lambda y: y, lambda y: None),
    (_Pattern(rf"(?P<y>{YEAR})\s*年?\s*及以前"), lambda y: None, lambda y: y),
    (_Pattern(rf"(?P<y>{YEAR})\s*年?\s*(?:{_BEFORE})(?![后])"), lambda y: None, lambda y: y - 1),
    (_Pattern(rf"(?:after|post)\s*-?\s*(?P<y>{YEAR})|newer than\s+(?P<z>{YEAR})"), lambda y: y + 1, lambda y: None),
    (_Pattern(rf"(?:since|from)\s+(?P<y>{YEAR})"), lambda y: y, lambda y: None),
    (
        _Pattern(rf"(?P<y>{YEAR})\s*(?:\+|or later|and later|onwards?|and after|or after|or newer|and newer|and up)"),
        lambda y: y,
        lambda y: None,
    ),
    (_Pattern(rf"(?:before|pre)\s*-?\s*(?P<y>{YEAR})|older than\s+(?P<z>{YEAR})"), lambda y: None, lambda y: y - 1),
    (
        _Pattern(rf"(?:until|through|up to|till)\s+(?P<y>{YEAR})|(?P<z>{YEAR})\s*(?:or earlier|and earlier|or older)"),
        lambda y: None,
        lambda y: y,
    ),
]


@_rule
def _years_bound(text: _Text) -> None:
    for pattern, first, last in _YEAR_BOUNDS:
        for match in _matches(text, pattern):
            year = int(match["y"] or match.groupdict().get("z") or 0)
            text.take(match.start(), match.end())
            text.add_wanted("years", {"from": first(year), "to": last(year)}, match.start(), match.end())


_RECENT = _Pattern(
    rf"(?:近|最近|过去|这|近些|近这|最近这)\s*(?P<n>{NUMBER}|几|些)\s*个?\s*年(?!代)(?:来|内|以内|里|中)?"
    rf"|(?P<recent>近年来|近年|recent years|newer|(?<![清创崭重革刷])(?:更)?新(?:一点|一些|点)(?:的)?)"
    rf"|(?:last|past)\s+(?P<en>{ENGLISH_NUMBER}|few|several|couple of)\s+years|(?:last|past) (?P<decade>decade)"
    r"|(?P<latest>最新|新片|新上映|刚上映|新出的|latest|new releases?)"
    r"|(?P<this>今年|本年度|this year)|(?P<last>去年|last year)|(?P<before_last>前年)"
)


@_rule
def _years_recent(text: _Text) -> None:
    year = text.year
    for match in _matches(text, _RECENT):
        if match["this"]:
            years = {"from": year, "to": year}
        elif match["last"]:
            years = {"from": year - 1, "to": year - 1}
        elif match["before_last"]:
            years = {"from": year - 2, "to": year - 2}
        elif match["latest"]:
            years = {"from": year - LATEST_YEARS, "to": None}
        else:
            written = match["n"] or match["en"] or match["decade"] or ""
            count = {"couple of": 2, "decade": 10}.get(written) or number(written) or RECENT_YEARS
            years = {"from": year - int(count), "to": None}
        text.take(match.start(), match.end())
        text.add_wanted("years", years, match.start(), match.end())


_ONE_YEAR = _Pattern(
    rf"(?P<y>{YEAR})\s*(?:年度?|年?\s*(?:上半年|下半年|(?:春|夏|秋|冬)(?:季|番)?))(?!代|以|之|前|后|起|到|至|初|末|底|-)"
    rf"|(?:\bin|\bof)\s+(?P<z>{YEAR})\b|(?P<w>{YEAR})(?=\s+(?:movies?|films?|releases?|top)\b)"
)


@_rule
def _years_one(text: _Text) -> None:
    for match in _matches(text, _ONE_YEAR):
        year = int(match["y"] or match["z"] or match["w"])
        text.take(match.start(), match.end())
        text.add_wanted("years", {"from": year, "to": year}, match.start(), match.end())


# --- ratings ------------------------------------------------------------------------------------------------------

_NOT_DOUBAN = _Pattern(r"imdb|烂番茄|番茄|rotten|tomato|metacritic|mtc|猫眼|淘票票|letterboxd")
_RATING_LEAD = r"豆瓣评分|豆瓣|评分|分数|得分|打分|douban"
# A rating out of 10: never a number of people (评分超过1万人 counts ratings) nor minutes.
_RATING_NUMBER = (
    r"(?:(?<![\d.])\d{1,2}(?:\.\d)?(?![\d.])|[一二三四五六七八九十](?:点[零一二三四五六七八九])?)"
    r"(?!\s*(?:万|千|w|k|个?人|分钟|钟))"
)
_BELOW = r"(?<![不没未要能别得])(?:低于|不到|小于|少于|不超过|不高于|不大于|没超过|未超过|没有超过|<=|≤|<)"
_AT_MOST_AFTER = r"(?:以下|及以下|或以下|之下|以内|往下|左右|上下)"
_RATING_CEILING = _Pattern(
    rf"(?:{_RATING_LEAD})\s*(?:在|要)?\s*{_BELOW}\s*{_RATING_NUMBER}\s*分?"
    rf"|{_BELOW}\s*{_RATING_NUMBER}\s*分(?!钟)"
    rf"|(?:(?:{_RATING_LEAD})\s*在?\s*)?{_RATING_NUMBER}\s*分(?!钟)\s*{_AT_MOST_AFTER}"
    rf"|(?:{_RATING_LEAD})\s*在?\s*{_RATING_NUMBER}\s*{_AT_MOST_AFTER}"
)
_RATING = _Pattern(
    rf"(?P<lead>{_RATING_LEAD})?\s*"
    r"(?P<at_least>在|不低于|不要低于|不能低于|别低于|不得低于|不少于|高于|大于|超过|至少|达到|>=|≥|>)?\s*"
    rf"(?P<n>{_RATING_NUMBER})\s*"
    r"(?P<fen>分)?(?!钟)\s*(?P<up>以上|及以上|或以上|\+|起|往上|朝上|打底|或更高)?"
)
_ENGLISH_RATING = _Pattern(
    r"(?:rated|ratings?|scored?|scores|douban)\s*(?:of\s+)?(?P<at_least>above|over|at least|>=|≥|>)?\s*"
    r"(?P<n>\d{1,2}(?:\.\d)?)\s*(?P<up>\+|or (?:higher|above|more|better)|and (?:above|up))?"
)
_HIGH_RATING = _Pattern(
    r"(?:豆瓣)?(?:高分(?!辨)|评分(?:很|较|比较|超|极|非常|最)?高|高评分|分数(?:很)?高|highly[- ]rated|high[- ]rated"
    r"|top[- ]rated)"
)


@_rule
def _rating_ceiling(text: _Text) -> None:
    """A ceiling on the rating (评分低于6分的烂片, 7分以下, 评分在8分左右) is no filter movierec has: its words
    are taken and nothing is read, so that no later rule reads them as a floor (评分在7分) or as a number of
    ratings (评分低于6)."""
    for match in _matches(text, _RATING_CEILING):
        text.take(match.start(), match.end())


@_rule
def _rating(text: _Text) -> None:
    for pattern in (_RATING, _ENGLISH_RATING):
        for match in _matches(text, pattern):
            groups = match.groupdict()
            said_rating = groups.get("lead") or groups.get("fen") or pattern is _ENGLISH_RATING
            said_least = match["at_least"] or match["up"]
            rating = number(match["n"])
            if not (said_rating and said_least) or rating is None:
                continue
            text.take(match.start(), match.end())
            if not _NOT_DOUBAN.search(text.before(match.start())[-12:]):
                text.add_wanted("min_rating", rating, match.start(), match.end())
    for match in _matches(text, _HIGH_RATING):
        text.take(match.start(), match.end())
        if not _NOT_DOUBAN.search(text.before(match.start())[-12:]):
            text.add_wanted("min_rating", HIGH_RATING, match.start(), match.end())


# --- votes --------------------------------------------------------------------------------------------------------

_VOTES_AT_LEAST = _Pattern(
    r"(?:评价|评分|打分|标记)(?:人数|的人)?\s*(?:超过|多于|大于|不少于|至少|在)\s*(?P<n>\d+(?:\.\d+)?|[一二两三四五六七八九十]+)"
    r"\s*(?P<unit>万|千|w|k)?\s*人?\s*(?:以上|\+)?"
    r"|(?:评价|评分|打分)(?:人数|的人)\s*(?P<n2>\d+(?:\.\d+)?|[一二两三四五六七八九十]+)\s*(?P<unit2>万|千|w|k)?\s*人?\s*(?:以上|\+)"
    r"|(?P<n3>\d+(?:\.\d+)?|[一二两三四五六七八九十]+)\s*(?P<unit3>万|千|w|k)?\s*(?:个)?人(?:以上)\s*(?:评价|评分|打分|看过|标记)"
)
_VOTES_AT_MOST = _Pattern(
    r"(?:评价|评分|打分)(?:人数|的人)?\s*(?:少于|低于|不到|不超过|小于|在)\s*(?P<n>\d+(?:\.\d+)?|[一二两三四五六七八九十]+)"
    r"\s*(?P<unit>万|千|w|k)?\s*人?\s*(?:以下|以内)?"
)
_NICHE = _Pattern(
    r"冷门|小众|冷僻|鲜为人知|少有人知|不为人知|没什么人看过|没多少人看过|不太出名|不出名|不太有名|沧海遗珠|遗珠"
    r"|obscure|lesser[- ]known|little[- ]known|hidden gems?|under[- ]the[- ]radar|niche|underseen"
)
_POPULAR = _Pattern(
    r"热门|大热|最火|很火|爆火|火爆|人气高|高人气|家喻户晓|popular|well[- ]known|mainstream|blockbusters?"
)


@_rule
def _votes(text: _Text) -> None:
    for pattern, field_name in ((_VOTES_AT_LEAST, "min_votes"), (_VOTES_AT_MOST, "max_votes")):
        for match in _matches(text, pattern):
            groups = {key: value for key, value in match.groupdict().items() if value}
            written = groups.get("n") or groups.get("n2") or groups.get("n3") or ""
            votes = _count(written, groups.get("unit") or groups.get("unit2") or groups.get("unit3"))
            if votes is None:
                continue
            text.take(match.start(), match.end())
            text.add_wanted(field_name, votes, match.start(), match.end())
    for pattern, field_name, votes in ((_NICHE, "max_votes", NICHE_VOTES), (_POPULAR, "min_votes", POPULAR_VOTES)):
        for match in _matches(text, pattern):
            text.take(match.start(), match.end())
            text.add_wanted(field_name, votes, match.start(), match.end())


# --- runtime ------------------------------------------------------------------------------------------------------

_AT_MOST = r"不超过|不要超过|别超过|不能超过|不要长于|少于|短于|小于|不到|控制在|在"
_RUNTIME = _Pattern(
    rf"(?P<at_most>{_AT_MOST})?\s*(?P<n>{NUMBER})\s*(?P<half>个半|个)?\s*(?P<unit>小时|钟头|分钟|hours?|hrs?|h|min(?:ute)?s?)"
    r"\s*(?P<half_after>半)?\s*(?P<within>以内|之内|内|以下|之下)?"
)
_ENGLISH_RUNTIME = _Pattern(
    rf"(?:under|less than|shorter than|no longer than|not longer than|within|below|at most|max(?:imum)?|<)\s*"
    rf"(?P<n>{ENGLISH_NUMBER})\s*(?P<half>and a half\s*)?(?P<unit>hours?|hrs?|h|minutes?|mins?)\b"
    rf"|(?P<n2>{ENGLISH_NUMBER})\s*(?P<unit2>hours?|hrs?|minutes?|mins?)\s*or (?:less|shorter)"
)


@_rule
def _runtime(text: _Text) -> None:
    for match in _matches(text, _RUNTIME):
        at_most = match["at_most"] not in (None, "在") or match["within"]
        amount = number(match["n"])
        if not at_most or amount is None:
            continue
        half = 0.5 if (match["half"] == "个半" or match["half_after"]) else 0.0
        minutes = (amount + half) * 60 if match["unit"] in ("小时", "钟头") or match["unit"].startswith("h") else amount
        text.take(match.start(), match.end())
        text.add_wanted("max_runtime", int(minutes), match.start(), match.end())
    for match in _matches(text, _ENGLISH_RUNTIME):
        amount = number(match["n"] or match["n2"])
        unit = match["unit"] or match["unit2"]
        if amount is None:
            continue
        hours = unit.startswith("h")
        minutes = (amount + (0.5 if match["half"] else 0.0)) * 60 if hours else amount
        text.take(match.start(), match.end())
        text.add_wanted("max_runtime", int(minutes), match.start(), match.end())


# --- languages ----------------------------------------------------------------------------------------------------

_LANGUAGE_WORDS = {
    word: language
    for word, language in _table(
        "粤语 粤语; 广东话 粤语; 国语 汉语普通话; 普通话 汉语普通话; 英语 英语; 英文 英语; 日语 日语; 日文 日语;"
        "韩语 韩语; 韩文 韩语; 法语 法语; 法文 法语; 德语 德语; 意大利语 意大利语; 西班牙语 西班牙语; 西语 西班牙语;"
        "葡萄牙语 葡萄牙语; 俄语 俄语; 泰语 泰语; 印地语 印地语; 闽南语 闽南语; 台语 闽南语; 阿拉伯语 阿拉伯语;"
        "波斯语 波斯语; 土耳其语 土耳其语; 无对白 无对白; 默片 无对白"
    ).items()
    for language in language
}
_ENGLISH_LANGUAGES = {
    "english": "英语", "mandarin": "汉语普通话", "cantonese": "粤语", "japanese": "日语", "korean": "韩语",
    "french": "法语", "german": "德语", "italian": "意大利语", "spanish": "西班牙语", "portuguese": "葡萄牙语",
    "russian": "俄语", "thai": "泰语", "hindi": "印地语", "arabic": "阿拉伯语", "persian": "波斯语", "farsi": "波斯语",
    "turkish": "土耳其语", "hebrew": "希伯来语",
}  # fmt: skip
_LANGUAGE = _Pattern(_alternatives(_LANGUAGE_WORDS))
_SPOKEN_BEFORE = _Pattern(r"(?:说|讲|用|原声|对白是|对白为|对白用|发音是?)\s*$")
_SPOKEN_AFTER = _Pattern(r"^(?:的)?(?:原声|原版|对白|发音|电影|片|影片|片子|剧|动画|作品)|^的\s*$")
_NOT_SPOKEN_AFTER = _Pattern(r"^(?:的)?(?:字幕|配音|翻译|版|歌)")
_ENGLISH_LANGUAGE = _Pattern(
    rf"(?:\b(?:originally |spoken |dubbed )?in\s+(?P<in>{_alternatives(_ENGLISH_LANGUAGES)})\b(?!\s+subtitles?)"
    rf"|\b(?P<adjective>{_alternatives(_ENGLISH_LANGUAGES)})[- ](?:language|audio|speaking|dialogue)\b)"
)


@_rule
def _languages(text: _Text) -> None:
    for match in _matches(text, _ENGLISH_LANGUAGE):
        text.take(match.start(), match.end())
        if match.group().startswith("dubbed"):
            continue
        language = _ENGLISH_LANGUAGES[match["in"] or match["adjective"]]
        text.add_wanted("languages", [language], match.start(), match.end())
    for match in _matches(text, _LANGUAGE):
        text.take(match.start(), match.end())
        before, after = text.before(match.start()), text.after(match.end())
        alone = not (before.strip() or after.strip())
        spoken = match.group() == "默片" or _SPOKEN_BEFORE.search(before) or _SPOKEN_AFTER.match(after) or alone
        if spoken and not _NOT_SPOKEN_AFTER.match(after):
            text.add_wanted("languages", [_LANGUAGE_WORDS[match.group()]], match.start(), match.end())


# --- countries and kinds ----------------------------------------------------------------------------------------

# Words that are a country and a kind at once: 美剧 is an American series, 港片 a Hong Kong film.
_SERIES_OF = _table(
    "美剧 美国; 英剧 英国; 英美剧 英国 美国; 美英剧 美国 英国; 韩剧 韩国; 日剧 日本; 日韩剧 日本 韩国; 港剧 中国香港;"
    "台剧 中国台湾; 泰剧 泰国; 国产剧 中国大陆; 国剧 中国大陆; 陆剧 中国大陆; 内地剧 中国大陆; 大陆剧 中国大陆;"
    "欧美剧 欧美; 德剧 德国; 法剧 法国; 西剧 西班牙; 俄剧 俄罗斯; 土剧 土耳其; 印剧 印度; k-drama 韩国; kdrama 韩国;"
    "j-drama 日本; jdrama 日本; c-drama 中国; cdrama 中国"
)
_FILMS_OF = _table(
    "港片 中国香港; 港产片 中国香港; 韩片 韩国; 韩影 韩国; 日片 日本; 台片 中国台湾; 泰片 泰国; 国产片 中国大陆;"
    "国片 中国大陆; 华语片 中国; 欧美片 欧美; 美片 美国; 印度片 印度; bollywood 印度; hollywood 美国"
)
# Country words that name the films only when said of them (韩国悬疑片, 日本的): see _said_of_films.
_COUNTRY_WORDS = {
    name: [name]
    for name in _words(
        "美国 英国 法国 德国 意大利 西班牙 葡萄牙 荷兰 比利时 瑞士 奥地利 瑞典 丹麦 挪威 芬兰 冰岛 爱尔兰 希腊 "
        "波兰 捷克 匈牙利 罗马尼亚 保加利亚 塞尔维亚 克罗地亚 俄罗斯 苏联 乌克兰 土耳其 以色列 伊朗 黎巴嫩 埃及 "
        "印度 巴基斯坦 泰国 越南 菲律宾 马来西亚 新加坡 印度尼西亚 日本 韩国 中国 中国大陆 中国香港 中国台湾 "
        "加拿大 墨西哥 巴西 阿根廷 智利 哥伦比亚 古巴 澳大利亚 新西兰 南非 摩洛哥 哈萨克斯坦 格鲁吉亚 爱沙尼亚 "
        "立陶宛 拉脱维亚 斯洛伐克 卢森堡 欧美 欧洲 北欧 东南亚 拉美"
    )
} | _table(
    "香港 中国香港; 港产 中国香港; 台湾 中国台湾; 澳门 中国澳门; 大陆 中国大陆; 内地 中国大陆; 国产 中国大陆;"
    "华语 中国; 南韩 韩国; 好莱坞 美国; 荷里活 美国; 宝莱坞 印度; 英伦 英国; 澳洲 澳大利亚; 印尼 印度尼西亚;"
    "拉丁美洲 拉美; 日韩 日本 韩国; 港台 中国香港 中国台湾; 英美 英国 美国; 中日韩 中国 日本 韩国"
)
_ENGLISH_COUNTRIES = {
    "korean": "韩国", "south korean": "韩国", "japanese": "日本", "chinese": "中国", "hong kong": "中国香港",
    "taiwanese": "中国台湾", "american": "美国", "u.s.": "美国", "british": "英国", "french": "法国", "german": "德国",
    "italian": "意大利", "spanish": "西班牙", "indian": "印度", "thai": "泰国", "russian": "俄罗斯", "soviet": "苏联",
    "iranian": "伊朗", "mexican": "墨西哥", "brazilian": "巴西", "danish": "丹麦", "swedish": "瑞典",
    "norwegian": "挪威", "finnish": "芬兰", "turkish": "土耳其", "australian": "澳大利亚", "canadian": "加拿大",
    "irish": "爱尔兰", "polish": "波兰", "israeli": "以色列", "argentine": "阿根廷", "argentinian": "阿根廷",
    "vietnamese": "越南", "filipino": "菲律宾", "indonesian": "印度尼西亚", "european": "欧洲",
    "scandinavian": "北欧", "nordic": "北欧", "western": "欧美",
}  # fmt: skip
_ENGLISH_PLACES = {
    "korea": "韩国", "south korea": "韩国", "japan": "日本", "china": "中国", "hong kong": "中国香港",
    "taiwan": "中国台湾", "america": "美国", "the us": "美国", "the usa": "美国", "the u.s.": "美国", "the uk": "英国",
    "britain": "英国", "england": "英国", "france": "法国", "germany": "德国", "italy": "意大利", "spain": "西班牙",
    "india": "印度", "thailand": "泰国", "russia": "俄罗斯", "iran": "伊朗", "mexico": "墨西哥", "brazil": "巴西",
    "denmark": "丹麦", "sweden": "瑞典", "europe": "欧洲", "scandinavia": "北欧",
}  # fmt: skip


_FUSED = _Pattern(rf"(?P<series>{_alternatives(_SERIES_OF)})|(?P<films>{_alternatives(_FILMS_OF)})")
_LIST = r"\s*(?:、|和|与|及|跟|或|或者|/|,|，|&|and|or)\s*"
_COUNTRY_LIST = _Pattern(rf"(?:{_alternatives(_COUNTRY_WORDS)})(?:{_LIST}(?:{_alternatives(_COUNTRY_WORDS)}))*")
_ONE_COUNTRY = _Pattern(_alternatives(_COUNTRY_WORDS))
_ENGLISH_LIST = _Pattern(
    rf"\b(?:{_alternatives(_ENGLISH_COUNTRIES)})(?:{_LIST}(?:{_alternatives(_ENGLISH_COUNTRIES)}))*\b"
)
_ENGLISH_FROM = _Pattern(rf"\b(?:from|made in|set? in\b)\s+(?P<place>{_alternatives(_ENGLISH_PLACES)})\b")

# What follows a country said of the films: a kind of film, at most six characters on (韩国十部顶级惊悚片), before
# any 的 (美国队长那样的电影 is a title, then a film).
_FILM_HEAD = (
    r"电影|影片|片子|片|剧|动画|动漫|番|纪录片|作品|影视|佳作|cinema|movies?|films?|series|sitcoms?|dramas?|shows?"
)
_SAID_OF_FILMS = _Pattern(rf"^(?:的|产的?|出品的?|拍的|制作的|本土的?)?[^的,;.!?▯]{{0,6}}?(?:{_FILM_HEAD})")
_SAID_ALONE = _Pattern(r"^(?:的|出品的|拍的)(?:也行|就行|都行|也可以|就好|吧|呢|啊|那种|这种|一类)?\s*$")
# A country that is the story's place or subject, not where the film was made.
_SETTING_BEFORE = _Pattern(r"(?:关于|讲述?|描写|发生在|在|去|到|背景是|背景在|有关|以)\s*$")
_NOT_ORIGIN_AFTER = _Pattern(r"^(?:人|队|风|式|味|文化|历史|战争|战|革命|大革命|社会|料理|菜|之旅|旅行|游|的故事)")
_ENGLISH_HEAD = _Pattern(
    r"^(?:\s+[a-z-]+){0,3}?\s+(?:movies?|films?|cinema|dramas?|series|shows?|thrillers?|comed(?:y|ies)|horrors?"
    r"|anime|animations?|documentar(?:y|ies)|westerns?|noirs?|romances?|classics?)\b"
)


def _countries_of(words: str, lexicon: dict[str, list[str]]) -> list[str]:
    return [country for one in _ONE_COUNTRY.findall(words) for country in lexicon[one]]


@_rule
def _fused_country_and_kind(text: _Text) -> None:
    for match in _matches(text, _FUSED):
        text.take(match.start(), match.end())
        if text.negated(match.start(), match.end()):
            continue
        if match["series"]:
            text.add("kind", "tv", match.start(), match.end())
            text.add("countries", _SERIES_OF[match["series"]], match.start(), match.end())
        else:
            text.add("countries", _FILMS_OF[match["films"]], match.start(), match.end())


_ANY_KIND = _Pattern(
    r"(?:电影|影片)(?:和|跟|与|或|、|/)?(?:电视剧|剧集|剧)(?:都|也)(?:可以|行|要|好|ok)"
    r"|(?:电视剧|剧集|剧)(?:和|跟|与|或|、|/)?(?:电影|影片)(?:都|也)(?:可以|行|要|好|ok)"
    r"|影视|(?:movies?|films?)\s*(?:and|or|&|/)\s*(?:tv|series|shows?)|(?:tv|series|shows?)\s*(?:and|or|&|/)\s*(?:movies?|films?)"
)
_NOT_DRAMA = r"(?![情本透组场照院作中目烈变终])"  # 剧情, 剧本, 剧透 … are not series
_MOVIE_ONLY = _Pattern(
    r"只(?:看|要|想看|推荐)?(?:电影|影片)|(?:电影|影片)就(?:行|好|可以)"
    rf"|(?:不要|别推荐?|不看|不想看|不推荐|不需要)(?:电视剧|连续剧|剧集|电视|剧{_NOT_DRAMA})"
    r"|(?:movies?|films?) only|only (?:movies|films)|no (?:tv|series|shows)"
)
_SERIES = _Pattern(
    rf"电视剧|连续剧|剧集|番剧|新番|追剧|迷你剧|网剧|短剧|情景喜剧"
    rf"|(?:悬疑|推理|犯罪|刑侦|律政|医疗|医务|职场|家庭|都市|古装|武侠|仙侠|玄幻|宫斗|谍战|历史|科幻|奇幻|青春|校园|偶像|甜宠"
    rf"|爱情|言情|年代|军旅|动画|动漫|恐怖|惊悚)剧{_NOT_DRAMA}"
    rf"|(?<=[部个的追看好刷些几])剧{_NOT_DRAMA}"
    r"|\b(?:tv (?:series|shows?|dramas?)|(?<!film )(?<!movie )series|miniseries|mini-series|sitcoms?)\b"
)


@_rule
def _kind(text: _Text) -> None:
    for pattern, kind in ((_ANY_KIND, "any"), (_MOVIE_ONLY, "movie"), (_SERIES, "tv")):
        for match in _matches(text, pattern):
            text.take(match.start(), match.end())
            if kind != "tv" or not text.negated(match.start(), match.end()):
                text.add("kind", kind, match.start(), match.end())


def _said_of_films(text: _Text, start: int, end: int) -> bool:
    """Whether the country words at ``start:end`` say where the films are from (韩国悬疑片, 日本的, a tag 韩国)."""
    before, after = text.before(start), text.after(end)
    if _SETTING_BEFORE.search(before) or _NOT_ORIGIN_AFTER.match(after) or text.negated(start, end):
        return False
    if _SAID_OF_FILMS.match(after) or _SAID_ALONE.match(after):
        return True
    return not before.strip() and not after.strip()  # the whole clause is the country (a tag: 韩国)


@_rule
def _countries(text: _Text) -> None:
    for match in _matches(text, _COUNTRY_LIST):
        text.take(match.start(), match.end())
        if _said_of_films(text, match.start(), match.end()):
            text.add("countries", _countries_of(match.group(), _COUNTRY_WORDS), match.start(), match.end())
    for match in _matches(text, _ENGLISH_LIST):
        text.take(match.start(), match.end())
        if _ENGLISH_HEAD.match(text.after(match.end())):
            names = re.findall(_alternatives(_ENGLISH_COUNTRIES), match.group())
            text.add_wanted("countries", [_ENGLISH_COUNTRIES[name] for name in names], match.start(), match.end())
    for match in _matches(text, _ENGLISH_FROM):
        text.take(match.start(), match.end())
        if not text.negated(match.start(), match.end()):
            text.add("countries", [_ENGLISH_PLACES[match["place"]]], match.start("place"), match.end())


# --- genres not wanted --------------------------------------------------------------------------------------------

_GENRE_WORDS = {
    word: genre
    for word, (genre,) in _table(
        "恐怖 恐怖; 鬼片 恐怖; 吓人 恐怖; 惊吓 恐怖; 灵异 恐怖; 血腥 恐怖; 重口 恐怖; 惊悚 惊悚; 爱情 爱情; 言情 爱情;"
        "恋爱 爱情; 动画 动画; 动漫 动画; 卡通 动画; 纪录片 纪录片; 纪录 纪录片; 战争 战争; 歌舞 歌舞; 音乐剧 歌舞;"
        "情色 情色; 色情 情色; 喜剧 喜剧; 搞笑 喜剧; 悬疑 悬疑; 科幻 科幻; 动作 动作; 犯罪 犯罪; 同性 同性; 武侠 武侠;"
        "古装 古装; 家庭 家庭; 儿童 儿童; 历史 历史; 传记 传记; 奇幻 奇幻; 魔幻 奇幻; 冒险 冒险; 灾难 灾难; 西部 西部;"
        "运动 运动; 体育 运动; 音乐 音乐; 短片 短片; 鬼怪 鬼怪"
    ).items()
}
_ENGLISH_GENRES = {
    "horror": "恐怖", "gore": "恐怖", "gory": "恐怖", "scary": "恐怖", "slasher": "恐怖", "thriller": "惊悚",
    "thrillers": "惊悚", "romance": "爱情", "romantic": "爱情", "anime": "动画", "animation": "动画",
    "animated": "动画", "cartoons": "动画", "musical": "歌舞", "musicals": "歌舞", "documentary": "纪录片",
    "documentaries": "纪录片", "war": "战争", "comedy": "喜剧", "comedies": "喜剧", "erotic": "情色", "crime": "犯罪",
}  # fmt: skip
_GENRE = rf"(?:{_alternatives(_GENRE_WORDS)})(?:片|电影|类|类型|元素|题材|镜头)?"
_GENRE_LIST = rf"{_GENRE}(?:(?:、|和|与|跟|或|或者|以及|还有|/|也)(?:不要)?{_GENRE})*"
_FILLER = r"(?:太|要|那么|很|是|看|有|推荐|给我|出现|带|含|什么|任何|过于|特别|太过)"
_GENRES_NOT_WANTED = _Pattern(
    rf"(?:不要|不想要|别|不看|不想看|不喜欢|不爱看|讨厌|拒绝|排除|除了|去掉|不含|不能是|不是|非|没有|不带"
    rf"|不(?=太?(?:恐怖|吓人|血腥|惊悚)))"
    rf"{_FILLER}{{0,2}}(?P<genres>{_GENRE_LIST})"
    rf"|(?P<genres_first>{_GENRE_LIST})(?:就)?(?:不要|不看|除外|免了|就算了|pass)"
)
_ENGLISH_GENRES_NOT_WANTED = _Pattern(
    rf"\b(?:no|not|without|except|non-?|nothing|avoid|skip)\s*(?:too\s+|a\s+|any\s+|more\s+)?"
    rf"(?P<genres>(?:{_alternatives(_ENGLISH_GENRES)})(?:\s*(?:,|or|and|/)\s*(?:{_alternatives(_ENGLISH_GENRES)}))*)\b"
)


@_rule
def _genres_not_wanted(text: _Text) -> None:
    for pattern, lexicon in ((_GENRES_NOT_WANTED, _GENRE_WORDS), (_ENGLISH_GENRES_NOT_WANTED, _ENGLISH_GENRES)):
        words = re.compile(_alternatives(lexicon))
        matches = list(_matches(text, pattern))
        for match in matches:
            text.take(match.start(), match.end())
        # A genre the same words ask for is not excluded: 恐怖但不血腥 wants horror, only not gory.
        wanted = {lexicon[one.group()] for one in words.finditer(text.folded) if text.free(one.start(), one.end())}
        for match in matches:
            named = words.findall(match["genres"] or match["genres_first"])
            genres = [genre for genre in dict.fromkeys(lexicon[one] for one in named) if genre not in wanted]
            if genres:
                text.add("genres_exclude", genres, match.start(), match.end())


# --- reading ------------------------------------------------------------------------------------------------------


def read_constraints(text: str, today: date) -> list[Found]:
    """The constraints ``text`` states, in the order they are written; ``today`` dates 今年, 近五年 and the like."""
    if not text or not text.strip():
        return []
    prepared = _Text(text, _folded(text), today)
    for rule in _RULES:
        rule(prepared)
    return sorted(prepared.found, key=lambda found: found.start)
