"""moto's DynamoDB made to keep two promises of the real one that it does not keep by itself.

- **Per-item atomicity.** DynamoDB applies each write to an item atomically: a conditional write checks its
  condition and writes with no other write to that item in between, and a read sees an item before or after a
  write, never half of it. moto's server answers each call in a thread of its own and its backend checks a
  condition, then writes, without a lock, so two conditional claims of one Douban id could both pass (a card shown
  twice). Its DynamoDB calls are serialised here: stronger than DynamoDB (which serialises per item), and it costs
  nothing that matters locally, as moto's Python holds the GIL through a call anyway.
- **Capacity billed by size.** Asked for `ReturnConsumedCapacity`, moto answers a fixed 1 or 0.5 units. DynamoDB
  bills a read one unit per 4 KB of the whole item (whatever the projection; half for an eventually consistent
  read; a Query by the sum of the items it reads), and a write one unit per 1 KB of the larger of the item before
  and after it (the AWS developer guide, "Read/write capacity mode"). Units are computed so here, from moto's own
  item sizes, so that `make bench` reports what a request would cost.
"""

from __future__ import annotations

import functools
import math
import threading
from collections.abc import Callable
from typing import Any

from moto.dynamodb.responses import DynamoHandler

_calls = threading.Lock()
_READ_UNIT_BYTES = 4096
_WRITE_UNIT_BYTES = 1024


def install() -> None:
    """Make this process's moto (server or in-memory mock) behave and bill as DynamoDB does. Idempotent."""
    if getattr(DynamoHandler.call_action, "like_dynamodb", False):
        return
    for action, units in (
        ("get_item", _get_item_units),
        ("put_item", None),
        ("update_item", None),
        ("delete_item", None),
        ("query", _items_read_units),
        ("scan", _items_read_units),
        ("batch_get_item", _batch_get_units),
    ):
        setattr(DynamoHandler, action, _billed(getattr(DynamoHandler, action), units))
    call_action = DynamoHandler.call_action

    @functools.wraps(call_action)
    def serialised(self: DynamoHandler) -> Any:
        with _calls:
            return call_action(self)

    serialised.like_dynamodb = True  # type: ignore[attr-defined]
    DynamoHandler.call_action = serialised  # type: ignore[method-assign]


def _item_size(handler: DynamoHandler, table: str, key: dict[str, Any]) -> int:
    """The stored item's size in bytes (0 when there is none), as moto measures it: names and values."""
    try:
        item = handler.dynamodb_backend.get_item(table, key)
    except Exception:
        return 0
    return item.size() if item is not None else 0


def _read_units(size: int, consistent: bool) -> float:
    units = max(1, math.ceil(size / _READ_UNIT_BYTES))
    return float(units) if consistent else units / 2


def _write_units(before: int, after: int) -> float:
    return float(max(1, math.ceil(max(before, after) / _WRITE_UNIT_BYTES)))


def _get_item_units(handler: DynamoHandler, body: dict[str, Any]) -> float:
    size = _item_size(handler, handler.body["TableName"], handler.body["Key"])
    return _read_units(size, bool(handler.body.get("ConsistentRead")))


def _items_read_units(handler: DynamoHandler, body: dict[str, Any]) -> float:
    """A Query or Scan: the whole items it read, summed, then rounded up to 4 KB."""
    table_name = handler.body["TableName"]
    table = handler.dynamodb_backend.get_table(table_name)
    keys = [table.hash_key_attr, *([table.range_key_attr] if table.range_key_attr else [])]
    size = sum(_item_size(handler, table_name, {name: item[name] for name in keys}) for item in body.get("Items", []))
    return _read_units(size, bool(handler.body.get("ConsistentRead")))


def _batch_get_units(handler: DynamoHandler, body: dict[str, Any]) -> float:
    """Each item of a BatchGetItem is rounded up on its own."""
    units = 0.0
    for table, batch in handler.body.get("RequestItems", {}).items():
        for key in batch.get("Keys", []):
            units += _read_units(_item_size(handler, table, key), bool(batch.get("ConsistentRead")))
    return units


def _billed(action: Callable[[DynamoHandler], Any], read_units: Callable[..., float] | None) -> Callable[..., Any]:
    """The action, answering `ConsumedCapacity` as DynamoDB would when asked for it: reads by `read_units` of what
    it read, writes by the item's size before and after."""

    @functools.wraps(action)
    def billed(self: DynamoHandler) -> Any:
        asked = self.body.get("ReturnConsumedCapacity", "NONE") in ("TOTAL", "INDEXES")
        table = self.body.get("TableName", "")
        # A write's key: an update or delete names it, a put holds it in its item.
        key = (self.body.get("Key") or _key_of(self, table, self.body.get("Item", {}))) if read_units is None else {}
        before = _item_size(self, table, key) if asked and key else 0
        result = action(self)
        body = getattr(result, "result", None)
        if not asked or not isinstance(body, dict):
            return result
        if read_units is not None:
            units = read_units(self, body)
        else:
            units = _write_units(before, _item_size(self, table, key) if key else 0)
        body["ConsumedCapacity"] = {"TableName": table, "CapacityUnits": units}
        return result

    return billed


def _key_of(handler: DynamoHandler, table_name: str, item: dict[str, Any]) -> dict[str, Any]:
    try:
        table = handler.dynamodb_backend.get_table(table_name)
    except Exception:
        return {}
    names = [table.hash_key_attr, *([table.range_key_attr] if table.range_key_attr else [])]
    return {name: item[name] for name in names if name in item}
