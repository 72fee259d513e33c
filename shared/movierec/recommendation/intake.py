"""Taking a recommendation request in, and answering a poll: what the API does, without HTTP."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable

from movierec.core.queues import JobQueue
from movierec.modes import RecommendationRequest, mode_of
from movierec.modes.read_filters import ReadFilter, read_request, today_in_beijing
from movierec.people.content_safety import ContentSafety
from movierec.people.mark_store import MarkStore
from movierec.people.marks import excluded_entries
from movierec.people.usage_limits import Requester, UsageLimits
from movierec.recommendation.grounding import avoid_list
from movierec.recommendation.models import RecommendJob
from movierec.recommendation.storage import RequestStore, StoredRequest


class UnknownPrevious(Exception):
    """`previous` names no request (never made, or expired)."""


class Intake:
    def __init__(
        self,
        store: RequestStore,
        recommend_queue: JobQueue,
        limits: UsageLimits,
        clock: Callable[[], float] = time.time,
        *,
        marks: MarkStore | None = None,
        content_safety: ContentSafety | None = None,
    ) -> None:
        """`marks` and `content_safety` serve signed-in people (content safety needs WeChat, so it may be None)."""
        self._store = store
        self._recommend_queue = recommend_queue
        self._limits = limits
        self._clock = clock
        self._marks = marks
        self._content_safety = content_safety

    def create(self, request: RecommendationRequest, requester: Requester) -> uuid.UUID:
        """Store the request as pending and queue it; the model is asked later, by the recommend worker.

        Raises RateLimited, UnknownPrevious (also for another person's request), NothingCanMatch (the filters its words
        state, or its explicit ones, leave no film: movierec.modes.read_filters), and for a signed-in person
        ContentRejected or ContentCheckDown (movierec.people.content_safety), before anything is stored. Only a request
        that is taken counts against the per-minute limit; one over it is refused before its content is checked.
        """
        self._limits.check(requester)
        person = requester.person
        if person is not None and self._content_safety is not None:
            self._content_safety.screen_request(request, person.openid)
        previous = self._store.get_full(request.previous) if request.previous else None
        if request.previous and (previous is None or previous.stored.owner != requester.owner):
            raise UnknownPrevious(str(request.previous))
        read_filters = self._read_filters(request, previous.stored.read_filters if previous else [])
        avoid = avoid_list(request, previous)
        if person is not None and self._marks is not None:
            # The person's marked films (seen, favourite, disliked), wherever they were marked, on top of what this
            # phone sent.
            avoid = list(dict.fromkeys([*avoid, *excluded_entries(self._marks.marks_of(person.key))]))
        self._limits.admit(requester)
        request_id = uuid.uuid4()
        self._store.create(
            request_id,
            request,
            avoid,
            owner=requester.owner,
            session_id=person.session_id if person else None,
            read_filters=read_filters,
        )
        self._recommend_queue.send(RecommendJob(request_id=request_id))
        return request_id

    def _read_filters(self, request: RecommendationRequest, previous: list[ReadFilter]) -> list[ReadFilter]:
        """The filters the request's words state (over those of the request it follows); raises NothingCanMatch."""
        constraint_fields = mode_of(request).constraint_fields
        today = today_in_beijing(self._clock())
        return read_request(request, constraint_fields, today, previous, request.dismissed_filters)

    def poll(self, request_id: str, owner: str | None = None) -> StoredRequest | None:
        """The request as it stands, if `owner` made it or it was shared (another person's request is otherwise
        unknown to them); one that is past its deadline ends here (`RequestStore.time_out`)."""
        parsed = _uuid4(request_id)
        stored = self._store.get(parsed) if parsed else None
        if stored is None or not stored.readable_by(owner):
            return None
        now = self._clock()
        if stored.is_overdue(now):
            # None: a worker finished it just now, so read what it wrote
            return self._store.time_out(stored.id, now) or self._store.get(stored.id)
        return stored

    def share(self, request_id: str, owner: str | None) -> bool:
        """Open the request to anyone who has its id (the owner shared a link to it); False when `owner` has no such
        request. Only its view is shown to others: never what it excluded, nor who asked."""
        parsed = _uuid4(request_id)
        return parsed is not None and self._store.share(parsed, owner)


def _uuid4(text: str) -> uuid.UUID | None:
    """Request ids are random uuid4s; anything else names no request."""
    try:
        parsed = uuid.UUID(text)
    except ValueError:
        return None
    return parsed if parsed.version == 4 else None
