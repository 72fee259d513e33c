"""When a request is finished. Both workers call this after their own atomic update, so whichever
update comes last sees the finished state and completes the request (once: the write is conditional)."""

from __future__ import annotations

from movierec.storage import RequestStore, StoredRequest


def settle(store: RequestStore, stored: StoredRequest) -> bool:
    """Mark the request done when the model has answered and every movie has its final status."""
    if stored.llm_done and stored.remaining == 0:
        return store.complete(stored.id)
    return False
