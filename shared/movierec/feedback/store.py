"""The feedback table: one item per report, under the reporter (`reporter`, `id`), kept FEEDBACK_TTL_DAYS for the
operator, who reads a day's reports through the `by_day` index (Beijing time): for example

    aws dynamodb query --table-name <FeedbackTable> --index-name by_day \\
        --key-condition-expression '#d = :d' --expression-attribute-names '{"#d": "day"}' \\
        --expression-attribute-values '{":d": {"S": "2026-12-01"}}'

A report keeps what was reported as it was shown (the film, and the model's reason), since the request it came from
expires; what the reporter asked only when it was their own request (another person's words are not theirs to keep).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from pydantic import BaseModel

from movierec.core.owned_items import OwnedItems

DAY_INDEX = "by_day"
BEIJING = timedelta(hours=8)


class Report(BaseModel):
    """One report as the operator reads it."""

    reporter: str  # the person's key, or ip#<address> without sign-in
    kind: str
    text: str | None = None
    request_id: UUID | None = None
    rank: int | None = None
    douban_id: str | None = None
    title: str | None = None
    reason: str | None = None  # the model's words as shown
    mode: str | None = None  # what was asked: the reporter's own request only
    query: str | None = None


class FeedbackStore:
    def __init__(self, table: Any, ttl_days: int = 180, clock: Callable[[], float] = time.time) -> None:
        self._table = table
        self._ttl_seconds = ttl_days * 86400
        self._clock = clock
        self._owned = OwnedItems(table, "reporter", key=("reporter", "id"))

    def put(self, report: Report) -> str:
        """Keep the report; its id (the time in ms, then a random part: a reporter's reports sort by time)."""
        now = self._clock()
        report_id = f"{int(now * 1000):013d}#{uuid.uuid4().hex[:12]}"
        day = (datetime.fromtimestamp(now, UTC) + BEIJING).date().isoformat()
        item = {name: value for name, value in report.model_dump(mode="json").items() if value is not None}
        item |= {"id": report_id, "day": day, "created_at": int(now), "expires_at": int(now) + self._ttl_seconds}
        self._table.put_item(Item=item)
        return report_id

    def reported_requests(self, reporter: str) -> set[UUID]:
        """The requests whose cards ``reporter`` reported (and so hid from themselves)."""
        items = self._owned.items(reporter, ("request_id",))
        return {UUID(item["request_id"]) for item in items if item.get("request_id")}

    def delete_all(self, reporter: str) -> int:
        """Delete every report of ``reporter``'s; how many there were."""
        return self._owned.delete_all(reporter)
