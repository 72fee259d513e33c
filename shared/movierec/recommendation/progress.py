"""When a request is finished, and what it shows.

The model is asked for a few more movies than the person wants; the first `count` found ones, in the
model's order, are the answer. Both workers call `Progress.settle` after their own atomic update, so
whichever update comes last sees the finished state and completes the request (once: the write is
conditional). A request left short gets one top-up round from the model.
"""

from __future__ import annotations

from enum import Enum

from movierec.core.queues import JobQueue
from movierec.recommendation.models import MovieStatus, RecommendJob, answer_is_complete, shown_movies
from movierec.recommendation.storage import RequestStore, StoredRequest


class Outcome(Enum):
    WAITING = "waiting"  # the answer still depends on the model or on a pending lookup
    COMPLETE = "complete"  # the first `count` found movies are known
    SHORT = "short"  # everything is final, and fewer than `count` were found


def outcome(stored: StoredRequest, count: int) -> Outcome:
    if answer_is_complete(stored.movies, count):
        return Outcome.COMPLETE
    if any(movie.status == MovieStatus.PENDING for movie in shown_movies(stored.movies, count)):
        return Outcome.WAITING
    # Nothing shown is pending and fewer than `count` were found: every movie named so far is final.
    return Outcome.SHORT if stored.llm_done else Outcome.WAITING


class Progress:
    def __init__(self, store: RequestStore, recommend_queue: JobQueue) -> None:
        self._store = store
        self._recommend_queue = recommend_queue

    def settle(self, stored: StoredRequest | None) -> bool:
        """Complete the request, or start its one top-up round, if its state calls for it; nothing for a request
        that is gone (None: its owner erased their data meanwhile)."""
        if stored is None:
            return False
        match outcome(stored, stored.count):
            case Outcome.COMPLETE:
                return self._store.complete(stored.id)
            case Outcome.SHORT if not stored.topped_up:
                if self._store.begin_top_up(stored.id):
                    self._recommend_queue.send(RecommendJob(request_id=stored.id, top_up=True))
                return False
            case Outcome.SHORT:
                return self._store.complete(stored.id)
        return False
