"""The marks table: one item per person, film and status (`owner`, `mark`), merged with conditional writes.

Every write stamps `synced_at`, the server's time in ms, and a local secondary index on it answers "what changed
since" without reading a person's whole list: phones' clocks order marks, the server's clock orders syncs.
A removed mark stays as a tombstone for TOMBSTONE_DAYS, so that every phone hears of the removal.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

from boto3.dynamodb.conditions import Key
from boto3.dynamodb.types import TypeDeserializer
from botocore.exceptions import ClientError

from movierec.core.conditional_writes import is_condition_failure
from movierec.core.queries import every_item
from movierec.people.marks import EXCLUDING_STATUSES, Mark, film_key_prefix

TOMBSTONE_DAYS = 180
SYNCED_AT_INDEX = "by_synced_at"
# A write takes its `synced_at` just before it lands: a page ends this far back, so none is missed between syncs.
SYNC_OVERLAP_MS = 5000

_MARK_FIELDS = ("douban_id", "title", "status", "rating", "updated_at", "deleted")
_deserializer = TypeDeserializer()


def _now_ms() -> int:
    return int(time.time() * 1000)


class MarkStore:
    def __init__(self, table: Any, clock_ms: Callable[[], int] = _now_ms) -> None:
        self._table = table
        self._clock_ms = clock_ms

    def merge(self, owner: str, marks: list[Mark]) -> list[Mark]:
        """Store each mark unless a newer one (or an equal one) is there; the marks as they now stand, one per
        film and status. A timestamp from the future counts as now, so a phone with a fast clock cannot pin a
        mark for ever."""
        standing: dict[str, Mark] = {}
        for mark in marks:
            now = self._clock_ms()
            mark = mark.model_copy(update={"updated_at": min(mark.updated_at, now)})
            standing[mark.key] = self._put_if_newer(owner, mark, now)
        return list(standing.values())

    def changed_since(self, owner: str, since_ms: int | None) -> tuple[list[Mark], int]:
        """Marks (removals too) synced after `since_ms` (all of them for None), and the `since` for next time."""
        next_since = max(0, self._clock_ms() - SYNC_OVERLAP_MS)
        if since_ms is None:
            items = self._query(KeyConditionExpression=Key("owner").eq(owner))
        else:
            items = self._query(
                IndexName=SYNCED_AT_INDEX,
                KeyConditionExpression=Key("owner").eq(owner) & Key("synced_at").gt(since_ms),
            )
        return [_mark(item) for item in items], next_since

    def marks_of(self, owner: str) -> list[Mark]:
        """A person's standing marks (no removals): what they have seen, liked, disliked and rated. The for_me
        mode reads favourites and ratings here; every request excludes them all."""
        items = self._query(KeyConditionExpression=Key("owner").eq(owner))
        return [mark for mark in map(_mark, items) if not mark.deleted]

    def has_marked(self, owner: str, douban_id: str) -> bool:
        """Whether the person has a standing mark (seen, favourite or disliked) on Douban film ``douban_id``: one
        Query on that film's marks alone, at most one item per status, however many films they marked."""
        page = self._table.query(
            KeyConditionExpression=Key("owner").eq(owner) & Key("mark").begins_with(film_key_prefix(douban_id)),
            ProjectionExpression="#status, deleted",
            ExpressionAttributeNames={"#status": "status"},
        )
        return any(
            not item.get("deleted") and item.get("status") in EXCLUDING_STATUSES for item in page.get("Items", [])
        )

    def _put_if_newer(self, owner: str, mark: Mark, now_ms: int) -> Mark:
        item: dict[str, Any] = {"owner": owner, "mark": mark.key, "synced_at": now_ms}
        item |= {name: value for name, value in mark.model_dump(mode="json").items() if value is not None}
        if mark.deleted:
            item["expires_at"] = now_ms // 1000 + TOMBSTONE_DAYS * 86400
        try:
            self._table.put_item(
                Item=item,
                ConditionExpression="attribute_not_exists(#mark) OR updated_at < :updated_at",
                ExpressionAttributeNames={"#mark": "mark"},
                ExpressionAttributeValues={":updated_at": mark.updated_at},
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
            )
        except ClientError as error:
            if not is_condition_failure(error):
                raise
            stored = error.response.get("Item")
            if not stored:
                raise
            return _mark({name: _deserializer.deserialize(value) for name, value in stored.items()})
        return mark

    def _query(self, **kwargs: Any) -> Iterator[dict[str, Any]]:
        # ConsistentRead: a phone that has just sent its marks reads them back.
        return every_item(self._table, ConsistentRead=True, **kwargs)


def _mark(item: dict[str, Any]) -> Mark:
    return Mark.model_validate({name: item.get(name) for name in _MARK_FIELDS if name in item or name == "douban_id"})
