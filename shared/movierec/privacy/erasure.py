"""Erasing a person: their marks, imports, requests, reports and sessions, from every table that holds them.

Each table is emptied of the person through its own key (marks, reports) or a KEYS_ONLY index on the attribute that
names them (requests, imports, sessions: see :mod:`movierec.core.owned_items`); what they hid in another person's
shared request goes with their reports. Sessions go last, so that an erasure cut short can be asked for again with
the same token. A worker still busy with one of their requests finds it gone and stops: every write of theirs is
conditional on the request existing.

Kept: the usage counters of the rate-limit table (requests and reads this minute, the model's tokens today): a number
each, no content, gone within two days by themselves. Erasing them would hand anyone a fresh daily budget for
deleting their data, which the budget exists to prevent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from movierec.core.observability import logger, metrics
from movierec.recommendation.storage import is_request_key

if TYPE_CHECKING:
    from movierec.core.owned_items import OwnedItems
    from movierec.feedback.store import FeedbackStore
    from movierec.recommendation.storage import RequestStore


class ErasedData(BaseModel):
    """DELETE /me: how many items of each kind were deleted."""

    marks: int = Field(description="Marks (看过, 收藏, 不感兴趣, ratings), tombstones of removed ones too")
    imports: int = Field(description="Imports of a Douban history by user id")
    requests: int = Field(description="Recommendation requests, shared ones too (their links stop opening)")
    reports: int = Field(description="Reports (反馈/举报) the person made")
    sessions: int = Field(description="Sign-ins: the token used for this call no longer works")


class PersonalData:
    def __init__(
        self,
        *,
        marks: OwnedItems,
        imports: OwnedItems,
        requests: OwnedItems,
        request_store: RequestStore,
        reports: FeedbackStore,
        sessions: OwnedItems,
    ) -> None:
        self._marks = marks
        self._imports = imports
        self._requests = requests
        self._request_store = request_store
        self._reports = reports
        self._sessions = sessions

    def erase(self, person: str) -> ErasedData:
        """Delete everything kept of the person with key ``person``."""
        for request_id in self._reports.reported_requests(person):
            self._request_store.unhide(request_id, person)  # what they hid, in another's shared request too
        erased = ErasedData(
            reports=self._reports.delete_all(person),
            marks=self._marks.delete_all(person),
            imports=self._imports.delete_all(person),
            requests=self._requests.delete_all(person, counts=is_request_key),
            sessions=self._sessions.delete_all(person),
        )
        logger.info("a person's data was erased", extra=erased.model_dump())
        metrics.add_metric(name="PersonsErased", unit="Count", value=1)
        return erased
