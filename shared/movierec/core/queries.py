"""A DynamoDB Query read to its end: DynamoDB answers at most 1 MB a page, and says where the next page starts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def every_item(table: Any, **query: Any) -> Iterator[dict[str, Any]]:
    """Every item the Query (boto3's Table.query arguments) matches, page after page."""
    while True:
        page = table.query(**query)
        yield from page.get("Items", [])
        if "LastEvaluatedKey" not in page:
            return
        query["ExclusiveStartKey"] = page["LastEvaluatedKey"]
