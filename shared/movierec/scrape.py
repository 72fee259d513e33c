"""The scrape step: find one named movie on Douban, judge it, and record its final state."""

from __future__ import annotations

from typing import TYPE_CHECKING

from movierec.grounding import Exclusions, rejection_reason
from movierec.models import MovieEntry, MovieStatus, RequestStatus, ScrapeJob
from movierec.observability import logger, metrics
from movierec.progress import Progress
from movierec.storage import RequestStore

if TYPE_CHECKING:
    from movierec.douban.lookup import DoubanLookup, LookupResult

DOUBAN_UNAVAILABLE_NOTE = "豆瓣暂时无法访问，稍后再试"
DUPLICATE_NOTE = "与本次推荐中的另一部电影是同一个豆瓣条目"


class ScrapeService:
    def __init__(self, store: RequestStore, lookup: DoubanLookup, progress: Progress) -> None:
        self._store = store
        self._lookup = lookup
        self._progress = progress

    def run(self, job: ScrapeJob) -> None:
        """Raises DoubanUnavailable when Douban cannot be reached now, so that the message is retried."""
        stored = self._store.get(job.request_id)
        if stored is None or stored.status in (RequestStatus.DONE, RequestStatus.FAILED):
            return
        entry = stored.movies[job.rank - 1]
        if entry.status != MovieStatus.PENDING:
            return  # a redelivered message
        result = self._lookup.find(job.title, job.original_title, job.year)
        metrics.add_metric(name="DoubanRequests", unit="Count", value=result.douban_requests)
        judged = _judge(entry, result, stored.parsed_request, Exclusions.from_entries(stored.avoid))
        updated = self._store.record_movie(stored.id, judged)
        if updated is None and judged.status == MovieStatus.FOUND:
            # Either a redelivery already recorded this rank, or another rank claimed the same Douban id.
            updated = self._store.record_movie(
                stored.id, judged.model_copy(update={"status": MovieStatus.NOT_FOUND, "note": DUPLICATE_NOTE})
            )
        if updated is not None:
            logger.info("movie recorded", extra={"rank": job.rank, "status": judged.status, "source": judged.source})
            self._progress.settle(updated)

    def give_up(self, job: ScrapeJob) -> None:
        """The last attempt failed: the movie ends `failed` so the request can still finish."""
        stored = self._store.get(job.request_id)
        if stored is None:
            return
        entry = stored.movies[job.rank - 1]
        updated = self._store.record_movie(
            stored.id, entry.model_copy(update={"status": MovieStatus.FAILED, "note": DOUBAN_UNAVAILABLE_NOTE})
        )
        if updated is not None:
            self._progress.settle(updated)


def _judge(entry: MovieEntry, result: LookupResult, request, exclusions: Exclusions) -> MovieEntry:
    if result.status != "found" or result.movie is None:
        return entry.model_copy(
            update={"status": MovieStatus.NOT_FOUND, "note": result.reason or "豆瓣上没有找到这部电影"}
        )
    reason = rejection_reason(request, exclusions, result.movie)
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
