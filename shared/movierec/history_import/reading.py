"""What every history reader shares: the film's id in a link, Douban's times, stars, status words, and the list
being built (file order, each film once).

Douban writes its times without a zone, in Beijing time (UTC+8): the mobile API's ``create_time``, the sync tool's
``star_time``, 豆伴's 创建时间, the userscript's 打分日期. NeoDB writes ISO 8601 with an offset, the RSS feed RFC 822.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import Any

from movierec.history_import.models import HistoryEntry, HistoryStatus, ImportedHistory, ImportFormat

BEIJING = timezone(timedelta(hours=8), "Asia/Shanghai")

# A film's page wherever Douban links it: the desktop and mobile sites, and the app's share links.
_MOVIE_LINK = re.compile(
    r"(?:movie\.douban\.com/subject|m\.douban\.com/(?:movie|tv)/subject"
    r"|douban\.com/doubanapp/dispatch(?:/|\?uri=/)(?:movie|tv))/(\d+)"
)
# What fromisoformat refuses but people's files hold: 2015-3-21, and the times Excel writes when it saves a CSV again
# (2024/6/24 19:00, its Chinese locale's short form, slashes already made dashes).
_LOOSE_TIME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?$")
_EARLIEST_YEAR, _LATEST_YEAR = 2000, 2100  # Douban opened in 2005; anything outside is a broken cell

# The words Douban marks a film with, on its pages and in its exports; and in its API.
STATUS_WORDS = {"看过": HistoryStatus.SEEN, "在看": HistoryStatus.WATCHING, "想看": HistoryStatus.WISH}
API_STATUSES = {"done": HistoryStatus.SEEN, "doing": HistoryStatus.WATCHING, "mark": HistoryStatus.WISH}


class UnreadableFile(Exception):
    """The file cannot be read as a history: ``code`` is stable, ``message`` is for the person, ``status`` HTTP."""

    def __init__(self, code: str, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


def movie_subject_id(text: Any) -> str | None:
    """The subject id of the first Douban film or series linked in ``text`` (a URL, or several separated by spaces);
    None when it links none (a book, another site, nothing)."""
    found = _MOVIE_LINK.search(text) if isinstance(text, str) else None
    return found.group(1) if found else None


def beijing_millis(value: Any) -> int | None:
    """Milliseconds since the epoch of a Douban time: ``2024-06-24 19:00:14``, ``2015/03/21``, ``2024/6/24 19:00`` (a
    CSV Excel saved again), an ISO 8601 time with an offset, or a spreadsheet's date cell. Times without a zone are
    Beijing time. None when unreadable."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, str) and value.strip():
        moment = _parse_time(value.strip().replace("/", "-"))
    else:
        return None
    if moment is None or not _EARLIEST_YEAR <= moment.year <= _LATEST_YEAR:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=BEIJING)
    return int(moment.timestamp() * 1000)


def _parse_time(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        pass
    loose = _LOOSE_TIME.match(text)  # fromisoformat wants two digits everywhere
    if loose is None:
        return None
    try:
        return datetime(*(int(part) for part in loose.groups() if part is not None))
    except ValueError:
        return None


def rfc822_millis(value: Any) -> int | None:
    """Milliseconds since the epoch of an RSS ``pubDate`` (``Sat, 30 May 2020 09:14:08 GMT``); None when unreadable."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp() * 1000)


def stars(value: Any) -> int | None:
    """The person's 1-5 stars from a cell: 4, 4.0, "4", "4.0". Blank, 0, text, and halves (4.5: a public average,
    never a person's stars) are None."""
    number = number_of(value)
    if number is None or number != int(number) or not 1 <= number <= 5:
        return None
    return int(number)


def stars_from_grade(value: Any) -> int | None:
    """Stars from a 1-10 grade (NeoDB's): 2 × stars, so 7 and 8 are both 4 stars; None outside 1-10."""
    number = number_of(value)
    if number is None or number != int(number) or not 1 <= number <= 10:
        return None
    return (int(number) + 1) // 2


def number_of(value: Any) -> float | None:
    """A cell as a number (4, 4.5, " 4.0 "); None for blanks, text and booleans."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def text_of(value: Any) -> str:
    """A cell as trimmed text ("" for an empty one)."""
    if value is None:
        return ""
    return str(value).strip()


@dataclass(frozen=True)
class Table:
    """A CSV file or a spreadsheet's sheet: its header (trimmed) and its rows, blank rows left out."""

    header: list[str]
    rows: Iterable[list[Any]]

    def has(self, *columns: str) -> bool:
        return all(column in self.header for column in columns)

    def records(self) -> Iterator[dict[str, Any]]:
        """Each row by column name; a short row's missing cells are None, a long row's extra cells dropped."""
        for row in self.rows:
            if any(text_of(cell) for cell in row):
                yield dict(zip(self.header, [*row, *[None] * (len(self.header) - len(row))], strict=False))


@dataclass
class EntryCollector:
    """The entries in the order they are added, each Douban film once; a row that names no film, or one already
    listed, is counted as skipped."""

    entries: list[HistoryEntry] = field(default_factory=list)
    skipped: int = 0
    _ids: set[str] = field(default_factory=set)

    def add(
        self, douban_id: str | None, title: Any, rating: int | None, marked_at: int | None, status: HistoryStatus
    ) -> None:
        if not douban_id or douban_id in self._ids:
            self.skipped += 1
            return
        self._ids.add(douban_id)
        entry = HistoryEntry(
            douban_id=douban_id, title=text_of(title), rating=rating, marked_at=marked_at, status=status
        )
        self.entries.append(entry)

    def extend(self, entries: Iterable[HistoryEntry]) -> None:
        for entry in entries:
            self.add(entry.douban_id, entry.title, entry.rating, entry.marked_at, entry.status)

    def skip(self, rows: int = 1) -> None:
        self.skipped += rows

    def history(self, source: ImportFormat) -> ImportedHistory:
        return ImportedHistory(format=source, entries=self.entries, skipped=self.skipped)


def record_text(record: Mapping[str, Any], *columns: str) -> str:
    """The first non-blank of ``columns`` in a record, as text."""
    return next((text for column in columns if (text := text_of(record.get(column)))), "")
