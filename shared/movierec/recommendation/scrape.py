"""The scrape step: find one named movie on Douban, judge it, and record its final state."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from movierec.core.models import RequestStatus
from movierec.core.observability import logger, metrics
from movierec.core.queues import JobQueue
from movierec.recommendation.grounding import Exclusions, exclusions_for, rejection_reason
from movierec.recommendation.models import MovieEntry, MovieStatus, ScrapeJob
from movierec.recommendation.progress import Progress
from movierec.recommendation.storage import MovieInRequest, RequestStore

if TYPE_CHECKING:
    from movierec.douban.lookup import DoubanLookup, LookupResult

DOUBAN_UNAVAILABLE_NOTE = "豆瓣暂时无法访问，稍后再试"
DUPLICATE_NOTE = "与本次推荐中的另一部电影是同一个豆瓣条目"
MARKED_NOTE = "已看过或已标记过"


class PersonsMarks(Protocol):
    def has_marked(self, owner: str, douban_id: str) -> bool: ...


@dataclass(frozen=True)
class PartialRefresh:
    """When to try again to complete a partial card, and how often."""

    queue: JobQueue
    delay_seconds: int = 30
    tries: int = 6


class ScrapeService:
    def __init__(
        self,
        store: RequestStore,
        lookup: DoubanLookup,
        progress: Progress,
        refresh: PartialRefresh,
        marks: PersonsMarks | None = None,
    ) -> None:
        """``marks``: the signed-in person's marks, asked about each film found for their requests (every film they
        marked is avoided, however many: the avoid list stored with the request holds only the newest, for the
        prompt)."""
        self._store = store
        self._lookup = lookup
        self._progress = progress
        self._refresh = refresh
        self._marks = marks

    def run(self, job: ScrapeJob) -> None:
        """Raises DoubanUnavailable when Douban cannot be reached now, so that the message is retried."""
        found = self._store.get_movie(job.request_id, job.rank)
        if found is None:
            return
        if job.refreshes:
            self._complete_partial(found, job)
            return
        if found.status in (RequestStatus.DONE, RequestStatus.FAILED):
            return  # the request ended; a spare is no longer needed
        if found.is_overdue(time.time()):
            self._store.time_out(job.request_id, time.time())
            return
        if found.movie.status != MovieStatus.PENDING:
            # A redelivery: the first run recorded the movie but may have died before settling the request.
            self._settle(job)
            return
        result = self._lookup.find(job.title, job.original_title, job.year, defer_caching=True)
        metrics.add_metric(name="DoubanRequests", unit="Count", value=result.douban_requests)
        request = found.request  # held to the filters its words state
        judged = _judge(found.movie, result, request, exclusions_for(request, found.inputs.avoid))
        if self._marked_by_owner(found, judged):
            judged = found.movie.model_copy(update={"status": MovieStatus.NOT_FOUND, "note": MARKED_NOTE})
        updated = self._store.record_movie(job.request_id, judged)
        if updated is None and judged.status == MovieStatus.FOUND:
            # Either a redelivery already recorded this rank, or another rank claimed the same Douban id.
            duplicate = found.movie.model_copy(update={"status": MovieStatus.NOT_FOUND, "note": DUPLICATE_NOTE})
            updated = self._store.record_movie(job.request_id, duplicate)
        if updated is not None:
            recorded = updated.movies[job.rank - 1]
            logger.info(
                "movie recorded", extra={"rank": job.rank, "status": recorded.status, "source": recorded.source}
            )
            self._progress.settle(updated)
            if recorded.status == MovieStatus.FOUND and recorded.partial:
                self._schedule_refresh(job)
        # Cached once the card is recorded, so that the person does not wait for the cache writes.
        self._lookup.remember(job.title, job.original_title, job.year, result)

    def _marked_by_owner(self, found: MovieInRequest, judged: MovieEntry) -> bool:
        if self._marks is None or found.owner is None or judged.status != MovieStatus.FOUND or judged.douban is None:
            return False
        return self._marks.has_marked(found.owner, judged.douban.id)

    def _settle(self, job: ScrapeJob) -> None:
        stored = self._store.get(job.request_id)
        if stored is not None and stored.status == RequestStatus.RUNNING:
            self._progress.settle(stored)

    def give_up(self, job: ScrapeJob) -> None:
        """The last attempt failed: the movie ends `failed` so the request can still finish."""
        found = self._store.get_movie(job.request_id, job.rank)
        if found is None:
            return
        failed = found.movie.model_copy(update={"status": MovieStatus.FAILED, "note": DOUBAN_UNAVAILABLE_NOTE})
        updated = self._store.record_movie(job.request_id, failed)
        if updated is not None:
            self._progress.settle(updated)

    def _complete_partial(self, found: MovieInRequest, job: ScrapeJob) -> None:
        entry = found.movie
        if not entry.partial or entry.douban is None:
            return  # completed by an earlier try
        result = self._lookup.find(job.title, job.original_title, job.year, complete_partial=True)
        metrics.add_metric(name="DoubanRequests", unit="Count", value=result.douban_requests)
        if result.movie is not None and not result.partial and result.movie.id == entry.douban.id:
            full = entry.model_copy(update={"douban": result.movie, "source": result.source, "partial": False})
            self._store.complete_card(job.request_id, full)
            logger.info("partial card completed", extra={"rank": job.rank, "source": result.source})
        else:
            self._schedule_refresh(job)

    def _schedule_refresh(self, job: ScrapeJob) -> None:
        if job.refreshes < self._refresh.tries:
            retry = job.model_copy(update={"refreshes": job.refreshes + 1})
            self._refresh.queue.send(retry, delay_seconds=self._refresh.delay_seconds)


def _judge(entry: MovieEntry, result: LookupResult, request, exclusions: Exclusions) -> MovieEntry:
    if result.status != "found" or result.movie is None:
        return entry.model_copy(
            update={"status": MovieStatus.NOT_FOUND, "note": result.reason or "豆瓣上没有找到这部电影"}
        )
    reason = rejection_reason(request, exclusions, result.movie, result.partial)
    if reason is not None:
        return entry.model_copy(update={"status": MovieStatus.NOT_FOUND, "note": reason})
    return entry.model_copy(
        update={
            "status": MovieStatus.FOUND,
            "douban": result.movie,
            "source": result.source,
            "partial": result.partial,
            "year": result.movie.year or entry.year,
        }
    )
