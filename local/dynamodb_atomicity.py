"""DynamoDB's per-item atomicity for moto's server, which lacks it.

DynamoDB applies each write to an item atomically: a conditional write checks its condition and writes with no
other write to that item in between, and a read sees an item before or after a write, never half of it. moto's
server answers each call in a thread of its own and its backend checks a condition, then writes, without a lock,
so two conditional claims of one Douban id could both pass (a card shown twice). Serialising its DynamoDB calls is
stronger than DynamoDB (which serialises per item) and costs nothing that matters locally: moto's Python holds the
GIL through a call anyway.
"""

from __future__ import annotations

import functools
import threading

from moto.dynamodb.responses import DynamoHandler

_calls = threading.Lock()


def serialise_dynamodb_calls() -> None:
    """Make every DynamoDB call of this process's moto (server or in-memory mock) run alone. Idempotent."""
    original = DynamoHandler.call_action
    if getattr(original, "serialised", False):
        return

    @functools.wraps(original)
    def call_action(self: DynamoHandler):
        with _calls:
            return original(self)

    call_action.serialised = True  # type: ignore[attr-defined]
    DynamoHandler.call_action = call_action  # type: ignore[method-assign]
