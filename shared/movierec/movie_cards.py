"""A movie's card by its Douban id alone: what a shared movie link shows, whatever became of its request."""

from __future__ import annotations

from typing import TYPE_CHECKING

from movierec.models import MovieCard
from movierec.observability import metrics

if TYPE_CHECKING:
    from movierec.douban.lookup import DoubanLookup


def movie_card(lookup: DoubanLookup, douban_id: str) -> MovieCard | None:
    """The card of Douban subject ``douban_id`` (cached, else read politely from Douban by the same lookup as the
    scrape worker's). ``None`` when it is not a Douban id or Douban has no such subject.

    Raises :class:`~movierec.douban.lookup.DoubanUnavailable` when Douban cannot be read now and nothing is cached.
    """
    result = lookup.by_id(douban_id)
    metrics.add_metric(name="DoubanRequests", unit="Count", value=result.douban_requests)
    if result.movie is None or result.source is None:
        return None
    return MovieCard(douban=result.movie, source=result.source, partial=result.partial)
