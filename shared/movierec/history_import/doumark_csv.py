"""The CSV of the popular sync tool (doumark): ``id,title,intro,poster,pubdate,url,rating,genres,star,comment,tags,
star_time,card``, newest first, one file per status (看过 unless configured otherwise, and the file does not say).

``star`` is the person's 1-5 (empty: unrated) and ``rating`` Douban's public 0-10 score. The subject id comes from
``url``: older versions of the tool wrote the interest's own id into ``id``. Versions before mid-2022 wrote the film's
public average into ``star`` (``subject.rating.star_count``: 4.5, 4, 3.5 …), so a ``star`` column holding a half or a 0
is read as no one's stars; a fork wrote the person's into ``ustar``, which wins when present.
"""

from __future__ import annotations

from typing import Any

from movierec.history_import.models import HistoryStatus
from movierec.history_import.reading import (
    EntryCollector,
    Table,
    beijing_millis,
    movie_subject_id,
    number_of,
    stars,
)

COLUMNS = ("url", "star", "star_time")  # what tells the tool's file from the others


def matches(table: Table) -> bool:
    return table.has(*COLUMNS)


def collect(table: Table, collector: EntryCollector) -> None:
    records = list(table.records())
    column = "ustar" if table.has("ustar") else "star"
    persons_stars = column == "ustar" or not any(_is_public_average(record.get("star")) for record in records)
    for record in records:
        collector.add(
            movie_subject_id(record.get("url")),
            record.get("title"),
            stars(record.get(column)) if persons_stars else None,
            beijing_millis(record.get("star_time")),
            HistoryStatus.SEEN,
        )


def _is_public_average(cell: Any) -> bool:
    """A half star or a 0: Douban's average for a film (0 when it has none), never what a person gives."""
    number = number_of(cell)
    return number is not None and (number == 0 or number != int(number))
