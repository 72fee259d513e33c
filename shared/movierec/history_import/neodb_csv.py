"""NeoDB's mark export: ``<category>_mark.csv`` with ``title, info, links, timestamp, status, rating, comment, tags``
(NeoDB's journal/exporters/csv.py), one file per category in the export's zip.

``links`` holds the item's NeoDB page and its pages elsewhere, separated by spaces: the Douban one gives the id, and an
item NeoDB knows from other sites only is skipped. ``rating`` is NeoDB's 1-10 grade, 2 × Douban's stars; ``timestamp``
ISO 8601 with an offset; ``status`` a shelf: wishlist, progress, complete or dropped.
"""

from __future__ import annotations

from movierec.history_import.models import HistoryStatus
from movierec.history_import.reading import (
    EntryCollector,
    Table,
    beijing_millis,
    movie_subject_id,
    stars_from_grade,
    text_of,
)

COLUMNS = ("title", "links", "timestamp", "status", "rating")

# A dropped film was watched in part: seen, for never recommending it again.
SHELVES = {
    "complete": HistoryStatus.SEEN,
    "dropped": HistoryStatus.SEEN,
    "progress": HistoryStatus.WATCHING,
    "wishlist": HistoryStatus.WISH,
}


def matches(table: Table) -> bool:
    return table.has(*COLUMNS)


def collect(table: Table, collector: EntryCollector) -> None:
    for record in table.records():
        status = SHELVES.get(text_of(record.get("status")).lower())
        if status is None:
            collector.skip()
            continue
        collector.add(
            movie_subject_id(record.get("links")),
            record.get("title"),
            stars_from_grade(record.get("rating")),
            beijing_millis(record.get("timestamp")),
            status,
        )
