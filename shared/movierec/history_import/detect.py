"""Reading an uploaded history file: which export tool wrote it is told from its content, never from its name.

- bytes starting ``PK``: a zip, either an xlsx (豆伴) or NeoDB's export archive (its ``movie_mark.csv`` and
  ``tv_mark.csv`` are read);
- text starting ``[`` or ``{``: the mobile API's interest objects (the sync tool's JSON store, or a saved API page);
- text with ``<rss`` or ``<item``: the RSS feed;
- anything else is a CSV, told apart by its header: the sync tool's (url, star, star_time), NeoDB's (links,
  timestamp, status, rating) or the userscript's (条目链接).

Text may come as UTF-8 (with or without a byte-order mark), UTF-16 with its mark, or GB18030 (a CSV that Excel saved
on a Chinese Windows). Every refusal is an :class:`UnreadableFile` whose message tells the person what to do.
"""

from __future__ import annotations

import base64
import binascii
import csv
import io
import json
import re
import zipfile
from typing import Protocol

from movierec.history_import import (
    douban_json,
    douban_rss,
    doumark_csv,
    neodb_csv,
    tofu_xlsx,
    userscript_csv,
)
from movierec.history_import.models import FileImportRequest, ImportedHistory, ImportFormat
from movierec.history_import.reading import EntryCollector, Table, UnreadableFile

# What a zip may unpack to: a 5,000-film 豆伴 workbook is a few MB of XML; more is a zip bomb, or not a history.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
_ZIP_MAGIC = b"PK\x03\x04"
_NEODB_MARKS = ("movie_mark.csv", "tv_mark.csv")
# What base64 encoders add around the bytes: a data URL's header (a browser's FileReader), and line breaks every 76
# characters (MIME, the `base64` command).
_DATA_URL_HEADER = re.compile(r"^data:[\w.+/-]*(?:;[\w-]+=[\w.-]+)*;base64,", re.IGNORECASE)
_WHITESPACE = re.compile(r"\s+")

_DELIMITERS = (",", "\t", ";")  # a comma wins a tie

SUPPORTED = (
    "豆伴导出的 xlsx、doumark 同步的 CSV 或 JSON、NeoDB 导出的 *_mark.csv（或整个 zip）、"
    "豆瓣导出油猴脚本的 CSV、豆瓣 RSS"
)


class CsvReader(Protocol):
    """A CSV format's module: whether a header is its own, and reading its rows."""

    def matches(self, table: Table) -> bool: ...

    def collect(self, table: Table, collector: EntryCollector) -> None: ...


_CSV_READERS = (
    (ImportFormat.DOUMARK_CSV, doumark_csv),
    (ImportFormat.NEODB_CSV, neodb_csv),
    (ImportFormat.USERSCRIPT_CSV, userscript_csv),
)


def read_history_file(request: FileImportRequest) -> ImportedHistory:
    """The films in the file, in file order; raises :class:`UnreadableFile` when it holds none that can be read."""
    collector = EntryCollector()
    if request.encoding == "text":
        source = _collect_text(request.content, collector)
    else:
        source = _collect_bytes(_base64_bytes(request.content), collector)
    if not collector.entries:
        raise UnreadableFile(
            "no_entries",
            f"文件里没有读到豆瓣电影（{collector.skipped} 行都没有豆瓣电影链接）。"
            if collector.skipped
            else "文件里没有观影记录。",
        )
    return collector.history(source)


def _base64_bytes(content: str) -> bytes:
    content = _WHITESPACE.sub("", _DATA_URL_HEADER.sub("", content.strip(), count=1))
    try:
        return base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError) as error:
        raise UnreadableFile("invalid_base64", "content 不是有效的 base64 编码。") from error


def _collect_bytes(data: bytes, collector: EntryCollector) -> ImportFormat:
    if data.startswith(_ZIP_MAGIC):
        return _collect_zip(data, collector)
    return _collect_text(_decode(data), collector)


def _collect_text(text: str, collector: EntryCollector) -> ImportFormat:
    text = text.lstrip("\ufeff \t\r\n")
    if text.startswith(_ZIP_MAGIC.decode()):
        raise UnreadableFile("binary_as_text", "这是一个 xlsx 或 zip 文件：请以 base64 发送（encoding: base64）。")
    if text[:1] in ("[", "{"):
        return _collect_json(text, collector)
    if douban_rss.looks_like_feed(text):
        douban_rss.collect(text, collector)
        return ImportFormat.DOUBAN_RSS
    return _collect_csv(text, collector)


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile("not_utf8", "文件不是 UTF-8 文本，也不是 xlsx：请用导出工具原样导出的文件。")


def _collect_json(text: str, collector: EntryCollector) -> ImportFormat:
    try:
        document = json.loads(text)
    except ValueError as error:
        raise UnreadableFile("unknown_format", f"文件不是完整的 JSON（{error}）。支持：{SUPPORTED}。") from error
    interests = douban_json.interests_in(document)
    if interests is None:
        raise _unknown_format()
    douban_json.collect(interests, collector)
    return ImportFormat.DOUBAN_JSON


def _collect_csv(text: str, collector: EntryCollector) -> ImportFormat:
    table = _csv_table(text)
    for source, reader in _CSV_READERS:
        if reader.matches(table):
            _collect_rows(reader, table, collector)
            return source
    raise _unknown_format()


def _collect_rows(reader: CsvReader, table: Table, collector: EntryCollector) -> None:
    """The rows are read as they are collected, so a broken one shows here."""
    try:
        reader.collect(table, collector)
    except csv.Error as error:
        raise UnreadableFile("unreadable_csv", f"CSV 文件有损坏的行（{error}）。") from error


def _csv_table(text: str) -> Table:
    lines = io.StringIO(text, newline="")
    first_line = lines.readline()
    if first_line.startswith("sep="):  # Excel's separator hint line
        delimiter = first_line[4:5] or ","
    else:
        delimiter = _delimiter(first_line)
        lines.seek(0)
    rows = csv.reader(lines, delimiter=delimiter)
    try:
        header = next(rows, [])
    except csv.Error as error:
        raise UnreadableFile("unreadable_csv", f"CSV 文件的表头读不出来（{error}）。") from error
    return Table([column.strip().lstrip("\ufeff") for column in header], rows)


def _delimiter(header_line: str) -> str:
    """What separates the header's columns: a comma, or the tab of a sheet Excel saved as Unicode text, or the
    semicolon of Excel in locales whose decimal mark is a comma."""
    return max(_DELIMITERS, key=header_line.count)


def _collect_zip(data: bytes, collector: EntryCollector) -> ImportFormat:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise UnreadableFile("unreadable_zip", "这个 xlsx 或 zip 文件已损坏，请重新导出后再试。") from error
    if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise UnreadableFile("file_too_large", "文件解压后太大了，不像是一份观影记录。", status=413)
    names = [member.filename for member in members]
    if "[Content_Types].xml" in names:
        tofu_xlsx.collect(data, collector)
        return ImportFormat.TOFU_XLSX
    marks = [name for name in names if name.rsplit("/", 1)[-1] in _NEODB_MARKS]
    if not marks:
        raise _unknown_format()
    for name in marks:
        try:
            text = _decode(archive.read(name))
        except (zipfile.BadZipFile, ValueError, OSError, EOFError) as error:
            raise UnreadableFile("unreadable_zip", "这个 zip 文件已损坏，请重新导出后再试。") from error
        table = _csv_table(text)
        if not neodb_csv.matches(table):
            raise _unknown_format()
        _collect_rows(neodb_csv, table, collector)
    return ImportFormat.NEODB_CSV


def _unknown_format() -> UnreadableFile:
    return UnreadableFile("unknown_format", f"认不出这个文件的格式。支持：{SUPPORTED}。")
