"""The payloads of the history import: what a client sends, what it gets back, and what the import queue carries."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from movierec.core.models import ErrorInfo, RequestStatus
from movierec.douban.models import InterestsHost
from movierec.history_import.douban_user import douban_user_id

# A history file travels in the body as text or base64; request_body.MAX_IMPORT_BODY_BYTES bounds the whole body.
MAX_FILE_CHARACTERS = 5 * 1024 * 1024 // 2


class HistoryStatus(StrEnum):
    """Douban's three marks for a film: 看过 (the API's `done`), 在看 (`doing`) and 想看 (`mark`)."""

    SEEN = "seen"
    WATCHING = "watching"
    WISH = "wish"


class ImportFormat(StrEnum):
    """Where a history came from: the export tool that wrote the file, or Douban itself."""

    DOUMARK_CSV = "doumark_csv"  # the sync tool's CSV: id,title,intro,poster,pubdate,url,rating,genres,star,…
    NEODB_CSV = "neodb_csv"  # NeoDB's <category>_mark.csv (alone, or in the export's zip)
    TOFU_XLSX = "tofu_xlsx"  # 豆伴 (tofu): sheets 看过/在看/想看
    USERSCRIPT_CSV = "userscript_csv"  # the 豆瓣…导出工具 userscript: 个人评分, 打分日期, 条目链接 …
    DOUBAN_RSS = "douban_rss"  # the feed www.douban.com/feed/people/<uid>/interests
    DOUBAN_JSON = "douban_json"  # the mobile API's interest objects, as the sync tool's JSON store keeps them
    DOUBAN_USER = "douban_user"  # read from Douban by user id


class HistoryEntry(BaseModel):
    """One film the person marked on Douban."""

    douban_id: str = Field(pattern=r"^\d+$", description="The Douban subject id, e.g. 1292052")
    title: str = Field(description="The title as the source wrote it (may be empty when it gave none)")
    rating: int | None = Field(default=None, ge=1, le=5, description="The person's own stars, 1-5; null: unrated")
    marked_at: int | None = Field(
        default=None,
        description="When it was marked, in milliseconds since the epoch; null when the source has no date",
    )
    status: HistoryStatus = Field(description="seen (看过), watching (在看) or wish (想看)")


class ImportedHistory(BaseModel):
    """What `POST /imports` answers: the films in file order, each Douban film once."""

    format: ImportFormat
    entries: list[HistoryEntry]
    skipped: int = Field(
        ge=0, description="Rows that name no Douban film (books, other sites), or a film listed before"
    )


class FileImportRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    filename: str = Field(default="", max_length=255, description="The file's name, e.g. movie.csv (a hint only)")
    content: str = Field(
        min_length=1,
        max_length=MAX_FILE_CHARACTERS,
        description="The file itself: its text, or with encoding base64 its bytes (an xlsx must be sent so)",
    )
    encoding: Literal["text", "base64"] = Field(default="text", description="How `content` holds the file")


DoubanUser = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=300),
    AfterValidator(douban_user_id),
]


class DoubanUserImportRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user: DoubanUser = Field(
        description="A Douban user id (ahbei, 1000001) or profile link (https://www.douban.com/people/ahbei/)"
    )


class ImportView(BaseModel):
    """What a poll of `GET /imports/{id}` returns: the entries read so far, all of them once `done`."""

    id: UUID
    status: RequestStatus
    format: Literal[ImportFormat.DOUBAN_USER] = ImportFormat.DOUBAN_USER
    user: str = Field(description="The Douban user id read")
    entries: list[HistoryEntry]
    skipped: int = Field(ge=0)
    total: int | None = Field(default=None, description="How many films Douban says the list holds, once known")
    error: ErrorInfo | None = None


class ImportJob(BaseModel):
    """Read a person's 看过 list from `start` on; a job reads a few pages, then queues the next one."""

    import_id: UUID
    start: int = Field(default=0, ge=0, description="The offset of the first interest to read")
    host: InterestsHost | None = Field(default=None, description="The API host that answered the first page")
    budget_waits: int = Field(
        default=0, ge=0, description="> 0: read again after the Douban budget had no request to spare for it"
    )
