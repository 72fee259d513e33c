"""Taking a recommendation request in, and answering a poll: what the API does, without HTTP."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

from movierec.grounding import avoid_list
from movierec.models import RecommendationRequest, RecommendJob
from movierec.queues import JobQueue
from movierec.ratelimit import RateLimiter
from movierec.storage import RequestStore, StoredRequest


class RateLimited(Exception):
    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(f"retry after {retry_after_seconds}s")
        self.retry_after_seconds = retry_after_seconds


class UnknownPrevious(Exception):
    """`previous` names no request (never made, or expired)."""


class Intake:
    def __init__(
        self,
        store: RequestStore,
        recommend_queue: JobQueue,
        limiter: RateLimiter,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._store = store
        self._recommend_queue = recommend_queue
        self._limiter = limiter
        self._clock = clock

    def create(self, request: RecommendationRequest, client: str) -> uuid.UUID:
        """Store the request as pending and queue it; the model is asked later, by the recommend worker."""
        verdict = self._limiter.check(client)
        if not verdict.allowed:
            raise RateLimited(verdict.retry_after_seconds)
        previous = self._store.get(request.previous) if request.previous else None
        if request.previous and previous is None:
            raise UnknownPrevious(str(request.previous))
        request_id = uuid.uuid4()
        self._store.create(request_id, request, avoid_list(request, previous))
        self._recommend_queue.send(RecommendJob(request_id=request_id))
        return request_id

    def poll(self, request_id: str) -> StoredRequest | None:
        """The request as it stands; one that is past its deadline ends `failed` (code timeout) here."""
        parsed = _uuid4(request_id)
        stored = self._store.get(parsed) if parsed else None
        if stored is None:
            return None
        now = self._clock()
        if stored.is_overdue(now):
            # None: a worker finished it just now, so read what it wrote
            return self._store.time_out(stored.id, now) or self._store.get(stored.id)
        return stored


def _uuid4(text: str) -> uuid.UUID | None:
    """Request ids are random uuid4s; anything else names no request."""
    try:
        parsed = uuid.UUID(text)
    except ValueError:
        return None
    return parsed if parsed.version == 4 else None
