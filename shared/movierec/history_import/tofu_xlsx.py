"""豆伴 (tofu)'s backup, exported as xlsx: a sheet per list, 看过, 在看 and 想看 for films (with other sheets for
books, music, reviews … beside them), each with ``标题, 简介, 豆瓣评分, 链接, 创建时间, 我的评分, 标签, 评论, 可见性``
(tofu's explorer.js). It copies the mobile API's interests: 链接 is the subject's URL, 创建时间 Beijing time,
我的评分 the person's 1-5.

Read with openpyxl in read-only mode, which streams the sheets' XML (and refuses XML bombs, defusedxml being
installed); the caller bounds the unpacked size first.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from movierec.history_import.models import HistoryStatus
from movierec.history_import.reading import (
    STATUS_WORDS,
    EntryCollector,
    Table,
    UnreadableFile,
    beijing_millis,
    movie_subject_id,
    stars,
    text_of,
)

TITLE, LINK, MARKED, RATING = "标题", "链接", "创建时间", "我的评分"

# What a damaged or hostile workbook raises while it is opened or streamed, besides openpyxl's own
# InvalidFileException (ParseError is a SyntaxError; defusedxml's refusals are ValueErrors).
_BROKEN_WORKBOOK = (zipfile.BadZipFile, KeyError, ValueError, TypeError, SyntaxError, OSError)


def collect(data: bytes, collector: EntryCollector) -> None:
    """Add the film sheets' rows; raises :class:`UnreadableFile` for a damaged workbook or one without them."""
    # Imported here, not with the module: the API's cold start should not pay for openpyxl and lxml on every route.
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, *_BROKEN_WORKBOOK) as error:
        raise _damaged(error) from error
    try:
        sheets = [name for name in workbook.sheetnames if name in STATUS_WORDS]
        if not sheets:
            raise UnreadableFile("unknown_format", "这个表格不是豆伴导出的观影记录：没有“看过”“在看”“想看”工作表。")
        for name in sheets:
            _collect_sheet(workbook[name], STATUS_WORDS[name], collector)
    except (InvalidFileException, *_BROKEN_WORKBOOK) as error:
        raise _damaged(error) from error
    finally:
        workbook.close()


def _collect_sheet(sheet: Any, status: HistoryStatus, collector: EntryCollector) -> None:
    rows = sheet.iter_rows(values_only=True)
    header = [text_of(cell) for cell in next(rows, ())]
    for record in Table(header, (list(row) for row in rows)).records():
        collector.add(
            movie_subject_id(record.get(LINK)),
            record.get(TITLE),
            stars(record.get(RATING)),
            beijing_millis(record.get(MARKED)),
            status,
        )


def _damaged(error: Exception) -> UnreadableFile:
    return UnreadableFile("unreadable_xlsx", f"这个 xlsx 文件打不开（{type(error).__name__}），请重新导出后再试。")
