"""The CSV of the 豆瓣读书+电影+音乐+游戏导出工具 userscript (and the KiseXu script it grew from): one file per list.

The 看过 file: ``电影/电视剧/番组`` (older versions: ``标题``), ``个人评分`` (1-5 or empty), ``打分日期`` (YYYY/MM/DD),
``我的短评``, ``上映日期``, ``制片国家``, ``条目链接``. The 想看 file has no rating columns, and its header names one
column more than its rows hold (the script's own slip), so the link is looked for among a row's cells.
"""

from __future__ import annotations

from movierec.history_import.models import HistoryStatus
from movierec.history_import.reading import EntryCollector, Table, beijing_millis, movie_subject_id, stars

TITLE_COLUMNS = ("电影/电视剧/番组", "标题")
LINK_COLUMN = "条目链接"
RATING_COLUMN, DATE_COLUMN = "个人评分", "打分日期"


def matches(table: Table) -> bool:
    return table.has(LINK_COLUMN) and any(column in table.header for column in TITLE_COLUMNS)


def collect(table: Table, collector: EntryCollector) -> None:
    seen = table.has(RATING_COLUMN) or table.has(DATE_COLUMN)
    status = HistoryStatus.SEEN if seen else HistoryStatus.WISH
    for record in table.records():
        cells = list(record.values())
        link = record.get(LINK_COLUMN)
        douban_id = movie_subject_id(link) or next(filter(None, map(movie_subject_id, cells)), None)
        collector.add(
            douban_id,
            cells[0],
            stars(record.get(RATING_COLUMN)) if seen else None,
            beijing_millis(record.get(DATE_COLUMN)) if seen else None,
            status,
        )
