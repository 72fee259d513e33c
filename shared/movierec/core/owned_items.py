"""A person's items in one DynamoDB table, found by the attribute that names them and deleted: what erasing a
person's data (DELETE /me) does to each table.

A table keyed by the person (marks, reports) is queried on its own partition key; any other (requests, imports,
sessions) through a KEYS_ONLY global secondary index on the attribute, which costs one small index write per item.
An index is eventually consistent, so an item written a moment ago may not be listed yet: the listing is repeated
until a pass finds nothing new (a deleted item may still be listed for a moment; deleting it again is harmless).
Deletes go 25 to a BatchWriteItem (boto3's batch writer, which sends again whatever DynamoDB leaves unprocessed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from boto3.dynamodb.conditions import Key

from movierec.core.queries import every_item

# How many listings an erasure makes at most: an index lags its table by well under a second.
MAX_PASSES = 3


class OwnedItems:
    def __init__(self, table: Any, attribute: str, key: tuple[str, ...], index: str | None = None) -> None:
        """``attribute``: the one naming the person; ``key``: the table's key attributes; ``index``: the KEYS_ONLY
        index on ``attribute`` (None when ``attribute`` is the table's own partition key)."""
        self._table = table
        self._attribute = attribute
        self._key = key
        self._index = index

    def keys(self, owner: str) -> Iterator[dict[str, Any]]:
        """The table keys of every item of ``owner``'s."""
        for item in self.items(owner, self._key):
            yield {name: item[name] for name in self._key}

    def items(self, owner: str, attributes: tuple[str, ...]) -> Iterator[dict[str, Any]]:
        """``attributes`` of every item of ``owner``'s (through an index: only those it projects, the keys)."""
        kwargs: dict[str, Any] = {"KeyConditionExpression": Key(self._attribute).eq(owner)}
        if self._index is not None:
            kwargs["IndexName"] = self._index
        else:
            kwargs["ProjectionExpression"] = ", ".join(f"#a{number}" for number in range(len(attributes)))
            kwargs["ExpressionAttributeNames"] = {f"#a{number}": name for number, name in enumerate(attributes)}
            kwargs["ConsistentRead"] = True
        yield from every_item(self._table, **kwargs)

    def delete_all(self, owner: str, counts: Callable[[dict[str, Any]], bool] = lambda key: True) -> int:
        """Delete every item of ``owner``'s; how many were deleted (of those whose key ``counts``: a table may hold
        several items for one thing of theirs)."""
        deleted: set[tuple[Any, ...]] = set()
        for _ in range(MAX_PASSES):
            keys = {tuple(key[name] for name in self._key) for key in self.keys(owner)} - deleted
            if not keys:
                break
            with self._table.batch_writer() as batch:
                for key in keys:
                    batch.delete_item(Key=dict(zip(self._key, key, strict=True)))
            deleted |= keys
            if self._index is None:
                break  # the table's own key is read consistently: nothing can be missing
        return sum(counts(dict(zip(self._key, key, strict=True))) for key in deleted)
