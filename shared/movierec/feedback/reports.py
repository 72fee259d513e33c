"""Taking a report: within the reporter's limit, its words past WeChat's check, what was reported kept as it was
shown, the card hidden from the reporter at once, and a log line (and metric) for the operator."""

from __future__ import annotations

from typing import TYPE_CHECKING

from movierec.core.observability import logger, metrics
from movierec.core.rate_limits import RateLimited, RateLimiter, Verdict
from movierec.feedback.models import FeedbackReceipt, FeedbackRequest
from movierec.feedback.store import FeedbackStore, Report

if TYPE_CHECKING:
    from movierec.people.content_safety import ContentSafety
    from movierec.people.usage_limits import Requester
    from movierec.recommendation.storage import ReportedMovie, RequestStore

# The request field that holds a report's words, as a refusal of them names it.
TEXT_FIELD = "text"


def _within(verdict: Verdict) -> None:
    if not verdict.allowed:
        raise RateLimited(verdict.retry_after_seconds)


class ReportedCardNotFound(Exception):
    """No such request or rank, or another person's request they have not shared (which is unknown to them)."""


class Reports:
    def __init__(
        self,
        store: FeedbackStore,
        requests: RequestStore,
        limiter: RateLimiter,
        content_safety: ContentSafety | None = None,
    ) -> None:
        """``limiter``: reports per reporter a minute; ``content_safety``: WeChat's check (None without sign-in)."""
        self._store = store
        self._requests = requests
        self._limiter = limiter
        self._content_safety = content_safety

    def receive(self, feedback: FeedbackRequest, requester: Requester) -> FeedbackReceipt:
        """Keep the report and hide its card from the reporter. Raises RateLimited past the limit (counted only for a
        report that is kept), ReportedCardNotFound, ContentRejected (field `text`) and ContentCheckDown."""
        client = f"feedback#{requester.client}"
        _within(self._limiter.peek(client))
        card = self._card(feedback, requester.owner)
        if feedback.text and self._content_safety is not None and requester.person is not None:
            self._content_safety.screen_text(TEXT_FIELD, feedback.text, requester.person.openid)
        _within(self._limiter.check(client))
        report = self._report(feedback, requester, card)
        report_id = self._store.put(report)
        hidden = card is not None and self._requests.hide(card.request_id, card.movie.rank, requester.owner)
        logger.info(
            "report received",
            extra={
                "report_id": report_id,
                "kind": report.kind,
                "request_id": str(report.request_id) if report.request_id else None,
                "rank": report.rank,
                "douban_id": report.douban_id,
                "title": report.title,
                "with_text": bool(report.text),
            },
        )
        metrics.add_metric(name="FeedbackReports", unit="Count", value=1)
        return FeedbackReceipt(id=report_id, hidden=hidden)

    def _card(self, feedback: FeedbackRequest, reader: str | None) -> ReportedMovie | None:
        if feedback.request_id is None or feedback.rank is None:
            return None
        card = self._requests.reported_movie(feedback.request_id, feedback.rank)
        if card is None or not card.readable_by(reader):
            raise ReportedCardNotFound(f"no card {feedback.rank} in recommendation request {feedback.request_id}")
        return card

    @staticmethod
    def _report(feedback: FeedbackRequest, requester: Requester, card: ReportedMovie | None) -> Report:
        report = Report(
            reporter=requester.owner or requester.client,
            kind=feedback.kind.value,
            text=feedback.text,
            douban_id=feedback.douban_id,
        )
        if card is None:
            return report
        movie = card.movie
        update = {
            "request_id": card.request_id,
            "rank": movie.rank,
            "douban_id": movie.douban.id if movie.douban else feedback.douban_id,
            "title": movie.douban.title if movie.douban else movie.title,
            "reason": movie.reason or None,
        }
        if card.owner == requester.owner:  # their own words: another person's query is not theirs to keep
            update |= {"mode": card.mode, "query": card.query}
        return report.model_copy(update=update)
