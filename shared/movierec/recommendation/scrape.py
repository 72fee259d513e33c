"""The scrape step: find one named movie on Douban, judge it, and record its final state.

Every lookup spends the deployment's one Douban budget at the priority of what it is for (:func:`spend_for`): the
first `count` cards of a live request first, then completing cards already shown, the request's spares, the top-up
round. A card whose subject cannot be read in time is shown from its search entry (or a list's card) and completed
later by a queued job, which spends the budget like any other; one whose search cannot have a token waits for the
job's retry.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from movierec.core.models import RequestStatus
from movierec.core.observability import logger, metrics
from movierec.core.queues import JobQueue
from movierec.douban.budget import LookupSpend, Priority
from movierec.douban.errors import DoubanUnavailable, OutOfBudget
from movierec.recommendation.grounding import Exclusions, exclusions_for, rejection_reason
from movierec.recommendation.models import MovieEntry, MovieStatus, ScrapeJob
from movierec.recommendation.progress import Progress
from movierec.recommendation.storage import MovieInRequest, RequestStore

if TYPE_CHECKING:
    from movierec.douban.lookup import DoubanLookup, LookupResult
    from movierec.modes import RecommendationRequest

DOUBAN_UNAVAILABLE_NOTE = "豆瓣暂时无法访问，稍后再试"
DUPLICATE_NOTE = "与本次推荐中的另一部电影是同一个豆瓣条目"
MARKED_NOTE = "已看过或已标记过"


# How long a lookup waits for the budget (the scrape function has 60 s): a card's search as long as it sensibly can
# (nothing can be shown without it; past this the job is queued again; meanwhile another request's lookup may cache the
# film, which ends the wait), its subject briefly and after the other cards' searches (the search entry is shown
# meanwhile: the subject completes it), the completion of a shown card long.
CARD_SPEND = LookupSpend(Priority.CARD, search_seconds=30.0, read_seconds=3.0, read_priority=Priority.COMPLETION)
SPARE_SPEND = LookupSpend(Priority.SPARE, search_seconds=20.0, read_seconds=3.0)
TOP_UP_SPEND = LookupSpend(Priority.TOP_UP, search_seconds=20.0, read_seconds=3.0)
COMPLETION_SPEND = LookupSpend(Priority.COMPLETION, search_seconds=20.0, read_seconds=20.0)


# A lookup the budget cannot serve now is queued again, this many times at most (the request's 90 s deadline ends it
# sooner), after the wait the budget names but at most this long: another request's lookup of the same film may cache
# it sooner, and the job that comes back finds it there without a token.
MAX_BUDGET_WAITS = 20
MAX_BUDGET_WAIT_SECONDS = 10


def spend_for(job: ScrapeJob, request: RecommendationRequest) -> LookupSpend:
    """The budget a job's lookup may spend: a card of the request's first `count` before its spares and the top-up
    round's, and completing a shown card right after the cards."""
    if job.refreshes:
        return COMPLETION_SPEND
    if job.top_up:
        return TOP_UP_SPEND
    return CARD_SPEND if job.rank <= request.count else SPARE_SPEND


def needs_full_card(request: RecommendationRequest) -> bool:
    """Whether a list's card (the warm-up's: no length, a few of the cast) can be judged for this request: not for
    star mode (the star may be past the list's few names) nor a length filter."""
    return request.mode == "star" or request.filters.max_runtime is not None


class PersonsMarks(Protocol):
    def has_marked(self, owner: str, douban_id: str) -> bool: ...


@dataclass(frozen=True)
class PartialRefresh:
    """When to try again to complete a partial card, and how often."""

    queue: JobQueue
    delay_seconds: int = 10
    tries: int = 12


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
        request = found.request  # held to the filters its words state
        try:
            result = self._lookup.find(
                job.title,
                job.original_title,
                job.year,
                spend=spend_for(job, request),
                complete_partial=needs_full_card(request),
                defer_caching=True,
            )
        except OutOfBudget as error:
            self._wait_for_budget(job, error)
            return
        except DoubanUnavailable as error:
            if error.retry_after is None or time.time() + error.retry_after <= found.deadline_at:
                raise  # Douban may be back before the request's deadline: the message is tried again
            # Away past the deadline (a ban, a source closed for hours): no retry could show this card in time.
            logger.info("Douban is away past the request's deadline", extra={"rank": job.rank, "reason": error.reason})
            self._end_failed(found)
            return
        _count(result)
        if result.partial and needs_full_card(request):
            # Its director and cast, or its length, are what this request is judged on: wait for them.
            raise DoubanUnavailable(f"{job.title}: only a partial card now, and this request needs the whole one")
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
                self._schedule_refresh(job)  # a budgeted job completes it; the mini-program fills the card in
        # Cached once the card is recorded, so that the person does not wait for the cache writes.
        self._lookup.remember(job.title, job.original_title, job.year, result)

    def _wait_for_budget(self, job: ScrapeJob, error: OutOfBudget) -> None:
        """The budget had no request to spare for its search now: the job comes back when one may be free, a job of
        its own (not a failed delivery: waiting its turn is no failure, and the request's deadline bounds it)."""
        if job.budget_waits >= MAX_BUDGET_WAITS:
            raise error  # a failed delivery after all: SQS's retries, then its last attempt, end it
        delay = min(MAX_BUDGET_WAIT_SECONDS, max(1, math.ceil(error.retry_after or 1)))
        self._refresh.queue.send(job.model_copy(update={"budget_waits": job.budget_waits + 1}), delay_seconds=delay)
        logger.info("waiting for the Douban budget", extra={"rank": job.rank, "seconds": delay})

    def _marked_by_owner(self, found: MovieInRequest, judged: MovieEntry) -> bool:
        if self._marks is None or found.owner is None or judged.status != MovieStatus.FOUND or judged.douban is None:
            return False
        return self._marks.has_marked(found.owner, judged.douban.id)

    def _settle(self, job: ScrapeJob) -> None:
        stored = self._store.get(job.request_id)
        if stored is not None and stored.status == RequestStatus.RUNNING:
            self._progress.settle(stored)

    def give_up(self, job: ScrapeJob) -> None:
        """The last attempt failed: the movie ends `failed` so the request can still finish. A try to complete a card
        already shown leaves it as it is."""
        found = self._store.get_movie(job.request_id, job.rank)
        if found is None or (job.refreshes and found.movie.status != MovieStatus.PENDING):
            return
        self._end_failed(found)

    def _end_failed(self, found: MovieInRequest) -> None:
        """The movie ends `failed`, saying Douban cannot be reached, and the request is settled with it."""
        failed = found.movie.model_copy(update={"status": MovieStatus.FAILED, "note": DOUBAN_UNAVAILABLE_NOTE})
        updated = self._store.record_movie(found.request_id, failed)
        if updated is not None:
            self._progress.settle(updated)

    def _complete_partial(self, found: MovieInRequest, job: ScrapeJob) -> None:
        entry = found.movie
        if not entry.partial or entry.douban is None:
            return  # completed by an earlier try
        try:
            result = self._lookup.find(
                job.title,
                job.original_title,
                job.year,
                spend=spend_for(job, found.request),
                complete_partial=True,
            )
        except DoubanUnavailable as error:
            # The card is shown already: try again later rather than let the message's retries run out.
            logger.info("partial card not completed now", extra={"rank": job.rank, "reason": error.reason})
            self._schedule_refresh(job, error.retry_after)
            return
        _count(result)
        if result.movie is not None and not result.partial and result.movie.id == entry.douban.id:
            full = entry.model_copy(update={"douban": result.movie, "source": result.source, "partial": False})
            self._store.complete_card(job.request_id, full)
            logger.info("partial card completed", extra={"rank": job.rank, "source": result.source})
        else:
            self._schedule_refresh(job)

    def _schedule_refresh(self, job: ScrapeJob, retry_after: float | None = None) -> None:
        """Queue the next try to complete a partial card, after the usual delay or the wait the budget names."""
        if job.refreshes < self._refresh.tries:
            retry = job.model_copy(update={"refreshes": job.refreshes + 1})
            delay = max(self._refresh.delay_seconds, math.ceil(retry_after or 0))
            self._refresh.queue.send(retry, delay_seconds=delay)


def _count(result: LookupResult) -> None:
    metrics.add_metric(name="DoubanRequests", unit="Count", value=result.douban_requests)
    if result.source in ("cache", "list"):
        metrics.add_metric(name="MovieCacheHits", unit="Count", value=1)
    elif result.status == "found":
        metrics.add_metric(name="MovieCacheMisses", unit="Count", value=1)


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
