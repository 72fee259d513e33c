"""The CSV of the popular sync tool (doumark): ``id,title,intro,poster,pubdate,url,rating,genres,star,comment,tags,
star_time,card``, newest first, one file per status (看过 unless configured otherwise, and the file does not say).

``star`` is the person's 1-5 (empty: unrated) and ``rating`` Douban's public 0-10 score. The subject id comes from
``url``: older versions of the tool wrote the interest's own id into ``id``.
"""

from __future__ import annotations

from movierec.history_import.models import MarkStatus
from movierec.history_import.reading import EntryCollector, Table, beijing_millis, movie_subject_id, stars

COLUMNS = ("url", "star", "star_time")  # what tells the tool's file from the others


def matches(table: Table) -> bool:
    return table.has(*COLUMNS)


def collect(table: Table, collector: EntryCollector) -> None:
    for record in table.records():
        collector.add(
            movie_subject_id(record.get("url")),
            record.get("title"),
            stars(record.get("star")),
            beijing_millis(record.get("star_time")),
            MarkStatus.SEEN,
        )
