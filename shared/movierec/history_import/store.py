"""The imports table: one item per import by Douban user id, so a poll is one read.

Each job appends the pages it read as one chunk (zlib-compressed JSON of its entries: 5,000 films stay far below
DynamoDB's 400 KB item limit) with a write conditional on ``next_start``, so that a redelivered job never adds a
chunk twice. Items expire a day after they were created: a person's history is theirs, kept only while it is fetched.
"""

from __future__ import annotations

import json
import time
import zlib
from collections.abc import Callable
from typing import Any
from uuid import UUID

from boto3.dynamodb.types import Binary
from pydantic import BaseModel, Field

from movierec.core.conditional_writes import conditional_update
from movierec.core.models import ErrorInfo, RequestStatus
from movierec.douban.models import InterestsHost
from movierec.history_import.models import HistoryEntry, ImportView
from movierec.history_import.reading import EntryCollector

TTL_SECONDS = 24 * 3600
# An import ends `timeout` when it has stored no part for ten minutes: a worker died, or Douban stopped answering.
# The deadline moves with each part, as a long list is read at the Douban budget's pace (an import has at most
# half of it: 5,000 films are 100 pages, 20 minutes at 5 a minute) and goes on while it moves.
DEADLINE_SECONDS = 600
# The global secondary index (KEYS_ONLY) that lists a person's imports, for erasing them (template.yaml).
OWNER_INDEX = "by_owner"
IMPORT_TIMED_OUT = ErrorInfo(code="timeout", message="从豆瓣读取超时了，请重试，或用导出的文件导入。")

_IN_FLIGHT = (RequestStatus.PENDING.value, RequestStatus.RUNNING.value)


class StoredImport(BaseModel):
    id: UUID
    user: str
    owner: str | None = Field(default=None, description="The signed-in person who asked (their key); None when open")
    status: RequestStatus
    next_start: int = 0
    host: InterestsHost | None = None
    total: int | None = None
    read: int = Field(default=0, description="Entries stored so far, duplicates included")
    skipped: int = 0
    chunks: list[bytes] = Field(default_factory=list)
    error: ErrorInfo | None = None
    created_at: int
    deadline_at: int

    def is_overdue(self, now: float) -> bool:
        return self.status in (RequestStatus.PENDING, RequestStatus.RUNNING) and now > self.deadline_at

    def douban_ids(self) -> set[str]:
        """The films stored so far."""
        return {entry["douban_id"] for chunk in self.chunks for entry in json.loads(zlib.decompress(chunk))}

    def view(self) -> ImportView:
        """The entries of every chunk in order, each film once (the list may shift while it is paged through)."""
        collector = EntryCollector()
        for chunk in self.chunks:
            collector.extend(HistoryEntry.model_validate(entry) for entry in json.loads(zlib.decompress(chunk)))
        return ImportView(
            id=self.id,
            status=self.status,
            user=self.user,
            entries=collector.entries,
            skipped=self.skipped + collector.skipped,
            total=self.total,
            error=self.error,
        )


class ImportStore:
    def __init__(
        self,
        table: Any,
        ttl_seconds: int = TTL_SECONDS,
        deadline_seconds: int = DEADLINE_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._table = table
        self._ttl_seconds = ttl_seconds
        self._deadline_seconds = deadline_seconds
        self._clock = clock

    def create(self, import_id: UUID, user: str, owner: str | None = None) -> None:
        now = int(self._clock())
        # A key of the owner index must be a string, or absent (without sign-in).
        owned = {"owner": owner} if owner is not None else {}
        self._table.put_item(
            Item=owned
            | {
                "id": str(import_id),
                "user": user,
                "status": RequestStatus.PENDING.value,
                "next_start": 0,
                "read": 0,
                "skipped": 0,
                "chunks": [],
                "created_at": now,
                "deadline_at": now + self._deadline_seconds,
                "expires_at": now + self._ttl_seconds,
            },
            ConditionExpression="attribute_not_exists(id)",
        )

    def get(self, import_id: UUID) -> StoredImport | None:
        item = self._table.get_item(Key={"id": str(import_id)}, ConsistentRead=True).get("Item")
        if not item:
            return None
        chunks = [chunk.value if isinstance(chunk, Binary) else bytes(chunk) for chunk in item.get("chunks", [])]
        return StoredImport.model_validate(item | {"chunks": chunks})

    def mark_running(self, import_id: UUID) -> bool:
        return self._update(import_id, "SET #status = :running", {":running": RequestStatus.RUNNING.value})

    def append(
        self,
        import_id: UUID,
        start: int,
        next_start: int,
        entries: list[HistoryEntry],
        skipped: int,
        host: InterestsHost,
        total: int | None,
    ) -> bool:
        """Add the entries read from ``start`` up to ``next_start``, and move the deadline to ``deadline_seconds``
        from now; False when that part was stored already."""
        chunk = zlib.compress(json.dumps([entry.model_dump(mode="json") for entry in entries]).encode())
        return self._update(
            import_id,
            "SET next_start = :next, #host = :host, #total = :total, chunks = list_append(chunks, :chunk), "
            "deadline_at = :deadline ADD #read :read, skipped :skipped",
            {
                ":deadline": int(self._clock()) + self._deadline_seconds,
                ":start": start,
                ":next": next_start,
                ":host": host,
                ":total": total,
                ":chunk": [Binary(chunk)],
                ":read": len(entries),
                ":skipped": skipped,
            },
            condition="next_start = :start",
            names={"#host": "host", "#total": "total", "#read": "read"},
        )

    def complete(self, import_id: UUID) -> bool:
        return self._finish(import_id, RequestStatus.DONE, None)

    def fail(self, import_id: UUID, error: ErrorInfo) -> bool:
        return self._finish(import_id, RequestStatus.FAILED, error)

    def time_out(self, import_id: UUID, now: float) -> bool:
        """Fail an import still in flight after its deadline (a worker may have died silently)."""
        return self._finish(import_id, RequestStatus.FAILED, IMPORT_TIMED_OUT, overdue_at=now)

    def _finish(
        self, import_id: UUID, status: RequestStatus, error: ErrorInfo | None, overdue_at: float | None = None
    ) -> bool:
        """Only an import in flight ends, so the first outcome wins."""
        values: dict[str, Any] = {":final": status.value, ":error": error.model_dump() if error else None}
        condition = None
        if overdue_at is not None:
            condition, values[":now"] = "deadline_at < :now", int(overdue_at)
        return self._update(
            import_id, "SET #status = :final, #error = :error", values, condition=condition, names={"#error": "error"}
        )

    def _update(
        self,
        import_id: UUID,
        expression: str,
        values: dict[str, Any],
        condition: str | None = None,
        names: dict[str, str] | None = None,
    ) -> bool:
        """True when written; False when the import is unknown, final already, or ``condition`` failed."""
        in_flight = "attribute_exists(id) AND #status IN (:pending, :running)"
        return conditional_update(
            self._table,
            Key={"id": str(import_id)},
            UpdateExpression=expression,
            ConditionExpression=f"{in_flight} AND ({condition})" if condition else in_flight,
            ExpressionAttributeNames={"#status": "status"} | (names or {}),
            ExpressionAttributeValues=values | {":pending": _IN_FLIGHT[0], ":running": _IN_FLIGHT[1]},
        )
