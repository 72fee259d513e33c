"""The filters a request's own words state: read, merged with the explicit ones, checked, and shown with their words.

Where they come from (each :class:`ReadFilter` keeps the words it was read from, as the person wrote them):

- the person's words: the text of each field the request's mode names in ``constraint_fields`` (tags, theme, for_me's
  mood) and ``refine``, read by :func:`movierec.modes.constraint_reader.read_constraints`;
- the request it follows (``previous``, 换一批 or a refinement): its filters read, which this request's own words
  override field by field, so a refinement of a refinement keeps what was said before;
- the model's structured reading in its own answer (:func:`model_reading`), for words the reader does not know,
  taken only where it agrees with the schema and names words the person wrote.

How they merge: within one request's words, lists add up (日剧或韩剧: 日本, 韩国) and the last scalar wins; a later
source (the refinement over the query, the query over the previous request) replaces a field, except that years
take the ends it states (2015年以后 then 只要2019年以前的: 2015-2019) and genres not wanted add up. Explicit
``filters`` win: a field set there is never read. A field the person removed (``dismissed_filters``, a chip's ✕)
is not read again.

A filter that would leave nothing (2030年以后, 11分以上, 热门 and 冷门 at once) is :class:`NothingCanMatch`, which the
API answers with a 422 naming the words: the person sees why before anything is asked of the model. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from movierec.modes.constraint_reader import Found, folded_key, read_constraints
from movierec.modes.filters import EARLIEST_YEAR, FilterField, Filters, YearRange

if TYPE_CHECKING:
    from movierec.modes.base import RequestBase

FILTER_FIELDS: tuple[str, ...] = get_args(FilterField)
BEIJING_OFFSET = timedelta(hours=8)  # where the people are: 今年 and 近五年 count from Beijing's date
# The order chips are shown in: what a person says first about films, then how good, how long, how known.
_FIELD_ORDER = ("kind", "countries", "languages", "years", "min_rating", "max_runtime", "min_votes", "max_votes")
_FIELD_ORDER += ("genres_exclude",)
ReadValue = YearRange | int | float | list[str] | str


class ReadFilter(BaseModel):
    """One filter read from the person's words, as the poll's view shows it (a chip under the query)."""

    model_config = ConfigDict(extra="forbid")

    field: FilterField = Field(description="The filter, as in a request's `filters`")
    value: ReadValue = Field(
        union_mode="left_to_right", description="Its value, in the shape `filters` takes for that field"
    )
    words: list[str] = Field(min_length=1, description="The words it was read from, as the person wrote them")
    label: str = Field(description="What was read, in Chinese, as a chip shows it: 2015 年及以后, 韩国, 豆瓣 8 分以上")
    source: Literal["words", "model"] = Field(
        default="words",
        description="words: read by movierec from the text; model: the model's reading of words movierec does "
        "not know, checked against the schema",
    )

    @model_validator(mode="after")
    def _a_filter_the_api_takes(self) -> ReadFilter:
        self.value = _checked_value(self.field, self.value)
        return self

    @classmethod
    def of(
        cls, field_name: str, value: object, words: Sequence[str], source: Literal["words", "model"] = "words"
    ) -> ReadFilter:
        """A filter read, its value checked as `filters` checks it (raises ValidationError when it is not one)."""
        checked = _checked_value(field_name, value)
        label = describe(field_name, checked)
        return cls(field=field_name, value=checked, words=list(dict.fromkeys(words)), label=label, source=source)


def _checked_value(field_name: str, value: object) -> ReadValue:
    """``value`` as :class:`Filters` reads it for ``field_name`` (USA is 美国); raises ValidationError."""
    if isinstance(value, YearRange):
        value = value.model_dump(by_alias=True)
    checked = getattr(Filters.model_validate({field_name: value}), field_name)
    if checked is None or checked == []:
        raise ValueError(f"{field_name} read as nothing")
    return checked


# --- what a chip says ---------------------------------------------------------------------------------------------


def _people(count: int) -> str:
    return f"{count / 10_000:g} 万" if count >= 10_000 else str(count)


def describe(field_name: str, value: object) -> str:
    """The filter in a few Chinese words, as a chip shows it."""
    if isinstance(value, YearRange):
        first, last = value.from_, value.to
        if first is not None and first == last:
            return f"{first} 年"
        if first is not None and last is not None:
            return f"{first}–{last} 年"
        return f"{first} 年及以后" if first is not None else f"{last} 年及以前"
    if isinstance(value, list):
        joined = "、".join(value)
        spoken = joined if "无对白" in value else f"{joined}原声"
        return {"genres_exclude": f"不要{joined}", "languages": spoken}.get(field_name, joined)
    return {
        "min_rating": lambda: f"豆瓣 {value:g} 分以上",
        "min_votes": lambda: f"{_people(value)}人以上评价",
        "max_votes": lambda: f"评价不到 {_people(value)}人",
        "max_runtime": lambda: f"{value} 分钟以内",
        "kind": lambda: {"movie": "只看电影", "tv": "只看剧集", "any": "电影剧集都行"}[value],
    }[field_name]()


def today_in_beijing(timestamp: float) -> date:
    """The date in Beijing (UTC+8, no daylight saving) at ``timestamp`` (seconds since the epoch)."""
    return (datetime.fromtimestamp(timestamp, tz=UTC) + BEIJING_OFFSET).date()


def in_chip_order(read: Iterable[ReadFilter]) -> list[ReadFilter]:
    """``read`` in the order chips show them."""
    return sorted(read, key=lambda reading: _FIELD_ORDER.index(reading.field))


# --- reading and merging ------------------------------------------------------------------------------------------


@dataclass
class _Reading:
    """One field as read so far: its raw value, the words, and the request fields they were written in."""

    field: str
    value: object
    words: list[str] = field(default_factory=list)
    origins: list[str] = field(default_factory=list)


def _combined(older: _Reading, newer: _Reading, within: bool) -> _Reading:
    """``newer`` read after ``older``: in the same words (``within``) lists add up; else newer replaces, but for
    genres not wanted (which add up) and years (newer's ends replace older's, unless that leaves no year)."""
    both = _Reading(older.field, newer.value, [*older.words, *newer.words], [*older.origins, *newer.origins])
    if older.field == "genres_exclude" or (within and older.field in ("countries", "languages")):
        both.value = list(dict.fromkeys([*older.value, *newer.value]))  # type: ignore[misc]
        return both
    if older.field == "years":
        first, last = (_first_set(newer.value.get(end), older.value.get(end)) for end in ("from", "to"))  # type: ignore[union-attr]
        # Said in one breath, 2015年以后 and 2010年以前 contradict each other (and are answered so); a refinement that
        # contradicts the query changes it.
        if within or first is None or last is None or first <= last:
            both.value = {"from": first, "to": last}
            return both
    return both if within else newer


def _first_set(*values: object) -> object:
    return next((value for value in values if value is not None), None)


def _merged(older: Mapping[str, _Reading], newer: Iterable[_Reading], within: bool) -> dict[str, _Reading]:
    merged = dict(older)
    for reading in newer:
        before = merged.get(reading.field)
        merged[reading.field] = reading if before is None else _combined(before, reading, within)
    return merged


def _own(found: Found, origin: str) -> _Reading:
    return _Reading(found.field, found.value, [found.words], [origin])


def _read(texts: Iterable[tuple[str, str]], today: date) -> dict[str, _Reading]:
    """The readings of ``(origin, text)`` pairs read as one person's words."""
    readings = (_own(found, origin) for origin, text in texts for found in read_constraints(text, today))
    return _merged({}, readings, within=True)


def own_words(request: RequestBase, constraint_fields: Sequence[str]) -> list[tuple[str, str]]:
    """``(field path, text)`` of each text whose words state filters: the mode's ``constraint_fields`` (each entry of
    a list apart: ``tags.0``), then ``refine``."""
    texts: list[tuple[str, str]] = []
    for name in [*constraint_fields, "refine"]:
        value = getattr(request, name, None)
        if isinstance(value, str):
            texts.append((name, value))
        elif isinstance(value, list):
            texts.extend((f"{name}.{index}", entry) for index, entry in enumerate(value) if isinstance(entry, str))
    return texts


def explicit_fields(filters: Filters) -> set[str]:
    """The fields set in explicit ``filters`` (a field left empty or null is not set)."""
    return {name for name in FILTER_FIELDS if getattr(filters, name) not in (None, [])}


# --- what can match nothing ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """A filter no film can meet: the request field holding it (``theme``, ``filters.years``) and why, in Chinese."""

    field: str
    message: str


class NothingCanMatch(Exception):
    """No film can meet the filters (2030年以后, 11分以上): a 422 naming the words, never an empty page."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(problems[0].message)
        self.problems = problems


MOST_VOTES = 100_000_000  # what `filters` takes; Douban's most rated film has about 3 million


def _quoted(reading: _Reading) -> str:
    return "、".join(f"「{words}」" for words in reading.words)


def _impossible(reading: _Reading, today: date) -> str | None:
    """Why one field as read can match no film on Douban (raw values, before the schema bounds them), or None."""
    latest = today.year + 1  # Douban lists films announced for next year
    if reading.field == "years":
        first, last = reading.value.get("from"), reading.value.get("to")  # type: ignore[union-attr]
        if first is not None and first > latest:
            return f"{_quoted(reading)}的电影还没有上映，豆瓣上最新的影片只到 {latest} 年，换个年份试试。"
        if last is not None and last < EARLIEST_YEAR:
            return f"{_quoted(reading)}：豆瓣上最早的电影是 {EARLIEST_YEAR} 年的，换个年份试试。"
        if first is not None and last is not None and first > last:
            return f"{_quoted(reading)}说的年份前后矛盾，没有电影能同时满足，改一下年份试试。"
    if reading.field == "min_rating" and reading.value > 10:  # type: ignore[operator]
        return f"{_quoted(reading)}：豆瓣评分最高只有 10 分，换个分数试试。"
    if reading.field == "min_votes" and reading.value > MOST_VOTES:  # type: ignore[operator]
        return f"{_quoted(reading)}：豆瓣上评价人数最多的电影也没有这么多人评价，换个人数试试。"
    if reading.field == "max_runtime" and reading.value < 1:  # type: ignore[operator]
        return f"{_quoted(reading)}：没有这么短的电影，换个片长试试。"
    return None


def _bounds_something(reading: _Reading) -> bool:
    """A lower bound before the first film bounds nothing (1800年以后 is every film): it is dropped."""
    if reading.field == "years" and (reading.value.get("from") or EARLIEST_YEAR) < EARLIEST_YEAR:  # type: ignore[union-attr]
        reading.value = {"from": None, "to": reading.value.get("to")}  # type: ignore[union-attr]
    return reading.field != "years" or reading.value != {"from": None, "to": None}


def _contradictions(readings: Mapping[str, _Reading]) -> list[Problem]:
    """Fields read that no film can meet together: 热门 (at least) and 冷门 (at most) the other way round."""
    least, most = readings.get("min_votes"), readings.get("max_votes")
    if least is None or most is None or least.value <= most.value:  # type: ignore[operator]
        return []
    later = max(least, most, key=lambda reading: len(reading.origins))
    message = f"{_quoted(least)}和{_quoted(most)}不能同时满足：评价人数的下限高过了上限，去掉其中一个再试试。"
    return [Problem(later.origins[-1], message)]


def _effective(explicit: Filters, read: Iterable[ReadFilter]) -> Filters:
    """``explicit`` with the read filters in the fields it leaves unset; raises ValidationError when the two
    disagree (热门 read, max_votes set)."""
    data = explicit.model_dump(by_alias=True, exclude_none=True)
    set_explicitly = explicit_fields(explicit)
    for reading in read:
        if reading.field not in set_explicitly:
            data[reading.field] = _raw(reading.value)
    return Filters.model_validate(data)


def effective_filters(explicit: Filters, read: Iterable[ReadFilter]) -> Filters:
    """The filters a request is held to: the explicit ones, then the ones read from its words where those leave a
    field unset. Read filters that contradict the explicit ones are never stored (:func:`check_possible`); were
    they, the explicit ones alone would hold rather than the request failing."""
    try:
        return _effective(explicit, read)
    except ValidationError:
        return explicit


def check_possible(explicit: Filters, read: Sequence[ReadFilter], today: date) -> None:
    """Raises :class:`NothingCanMatch` when no film can meet the explicit filters and the read ones together (a
    reading alone is checked as it is read: :func:`read_request`)."""
    try:
        _effective(explicit, read)
    except ValidationError:
        votes = [words for one in read if one.field in ("min_votes", "max_votes") for words in one.words]
        said = "、".join(f"「{words}」" for words in votes)
        message = f"{said or '读到的评价人数'}和筛选的评价人数不能同时满足，去掉其中一个再试试。"
        raise NothingCanMatch([Problem("filters", message)]) from None
    years, latest = explicit.years, today.year + 1
    if years is not None and years.from_ is not None and years.from_ > latest:
        message = f"筛选的 {years.from_} 年及以后还没有上映的电影，豆瓣上最新的影片只到 {latest} 年，换个年份试试。"
        raise NothingCanMatch([Problem("filters.years", message)])


def read_request(
    request: RequestBase,
    constraint_fields: Sequence[str],
    today: date,
    previous: Sequence[ReadFilter] = (),
    dismissed: Iterable[str] = (),
) -> list[ReadFilter]:
    """The filters ``request``'s own words state, over those of the request it follows (``previous``), less the
    explicit fields and the ``dismissed`` ones, in the order chips show them.

    Raises :class:`NothingCanMatch` naming the words when what they say can match no film.
    """
    inherited = {
        reading.field: _Reading(reading.field, _raw(reading.value), list(reading.words), ["previous"])
        for reading in previous
    }
    texts = own_words(request, constraint_fields)
    own = _read([(origin, text) for origin, text in texts if origin != "refine"], today)
    refined = _read([(origin, text) for origin, text in texts if origin == "refine"], today)
    readings = _merged(_merged(inherited, own.values(), within=False), refined.values(), within=False)
    skipped = explicit_fields(request.filters) | set(dismissed)
    kept = {name: reading for name, reading in readings.items() if name not in skipped}
    problems = [
        Problem(reading.origins[-1], message)
        for reading in kept.values()
        if (message := _impossible(reading, today)) is not None
    ]
    if problems := problems + _contradictions(kept):
        raise NothingCanMatch(problems)
    sources = {reading.field: reading.source for reading in previous}
    read = [
        reading
        for name in _FIELD_ORDER
        if name in kept
        and _bounds_something(kept[name])
        and (reading := _as_filter(kept[name], _source(kept[name], sources))) is not None
    ]
    check_possible(request.filters, read, today)
    return read


def _as_filter(reading: _Reading, source: Literal["words", "model"]) -> ReadFilter | None:
    """The reading as a filter; None for a value the schema refuses that leaves films possible all the same (the
    words are still the model's to read)."""
    try:
        return ReadFilter.of(reading.field, reading.value, reading.words, source)
    except (ValidationError, ValueError):
        return None


def _source(reading: _Reading, inherited: Mapping[str, str]) -> Literal["words", "model"]:
    """A field only the request before read, by its model, stays the model's."""
    only_before = set(reading.origins) == {"previous"}
    return "model" if only_before and inherited.get(reading.field) == "model" else "words"


def _raw(value: ReadValue) -> object:
    return value.model_dump(by_alias=True) if isinstance(value, YearRange) else value


# --- the model's reading, in its own answer -----------------------------------------------------------------------

MAX_MODEL_FILTERS = 6
_MODEL_WORDS = re.compile(r"^.{2,30}$", re.DOTALL)


def model_reading(
    answer: object,
    texts: Sequence[str],
    taken: Iterable[str],
    explicit: Filters,
    read: Sequence[ReadFilter],
    today: date,
) -> list[ReadFilter]:
    """The filters of the model's reading (``[{"words", "field", "value"}]`` in its answer) that may be added to
    ``read``: each names words the person wrote (in ``texts``), a field neither read nor explicit nor ``taken``
    (dismissed), and a value the schema takes; together with ``read`` they must leave some film possible.

    ``kind: movie`` is never taken: films are what the model is asked for anyway, so "电影" says nothing more.
    """
    if not isinstance(answer, list):
        return []
    keys = [folded_key(text) for text in texts]
    unavailable = set(taken) | explicit_fields(explicit) | {reading.field for reading in read}
    added: list[ReadFilter] = []
    for entry in answer[: MAX_MODEL_FILTERS * 2]:
        if len(added) == MAX_MODEL_FILTERS or not isinstance(entry, Mapping):
            break
        words, name, value = entry.get("words"), entry.get("field"), entry.get("value")
        if not isinstance(words, str) or not _MODEL_WORDS.match(words.strip()) or name not in FILTER_FIELDS:
            continue
        if name in unavailable or (name == "kind" and value == "movie"):
            continue
        if not any(folded_key(words) in key for key in keys):
            continue  # words the person never wrote
        if name in ("countries", "languages", "genres_exclude") and isinstance(value, str):
            value = [value]
        try:
            if _impossible(_Reading(name, _raw(value) if isinstance(value, YearRange) else value), today):
                continue
            reading = ReadFilter.of(name, value, [words.strip()], source="model")
            check_possible(explicit, [*read, *added, reading], today)
        except (ValidationError, ValueError, NothingCanMatch):
            continue
        added.append(reading)
        unavailable.add(name)
    return added
