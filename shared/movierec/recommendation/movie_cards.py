"""A movie's card by its Douban id alone: what a shared movie link shows, whatever became of its request."""

from __future__ import annotations

from typing import TYPE_CHECKING

from movierec.core.observability import metrics
from movierec.core.rate_limits import RateLimited
from movierec.douban.budget import LookupSpend, Priority
from movierec.recommendation.models import MovieCard

if TYPE_CHECKING:
    from movierec.core.rate_limits import RateLimiter
    from movierec.douban.lookup import DoubanLookup

# How long a movie page's read may wait for the deployment's Douban budget: the person is waiting for the page, and
# the cards of live requests come first.
READ_WAIT_SECONDS = 2.0


def movie_card(
    lookup: DoubanLookup, douban_id: str, douban_reads: RateLimiter | None = None, asker: str = ""
) -> MovieCard | None:
    """The card of Douban subject ``douban_id`` (cached, else read politely from Douban by the same lookup as the
    scrape worker's, at the priority of a movie page: after the cards people are waiting for). ``None`` when it is not
    a Douban id or Douban has no such subject. A card known only in part (a list's, or the search entry) comes back
    ``partial`` when Douban cannot complete it now: the mini-program asks again later.

    Anyone may name any id, so a read that must go to Douban counts against ``douban_reads`` for ``asker`` (a
    :attr:`~movierec.people.usage_limits.Requester.client`); a cached card, or an id Douban lately said it has not,
    costs nothing. Raises :class:`~movierec.core.rate_limits.RateLimited` past that limit, and
    :class:`~movierec.douban.lookup.DoubanUnavailable` when Douban cannot be read now and nothing is cached.
    """

    def admit() -> None:
        verdict = douban_reads.check(f"movies#{asker}") if douban_reads is not None else None
        if verdict is not None and not verdict.allowed:
            metrics.add_metric(name="MovieReadsLimited", unit="Count", value=1)
            raise RateLimited(verdict.retry_after_seconds)

    spend = LookupSpend(Priority.MOVIE_PAGE, search_seconds=0.0, read_seconds=READ_WAIT_SECONDS)
    result = lookup.by_id(douban_id, spend=spend, before_douban=admit)
    metrics.add_metric(name="DoubanRequests", unit="Count", value=result.douban_requests)
    if result.movie is None or result.source is None:
        return None
    return MovieCard(douban=result.movie, source=result.source, partial=result.partial)
