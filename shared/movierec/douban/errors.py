"""What a Douban read raises when Douban cannot answer now, apart from the client that reads it, so that a handler
can answer it (the API's 503) without loading the HTTP client."""

from __future__ import annotations


class DoubanUnavailable(Exception):
    """Douban cannot be searched right now: retry the message later. ``retry_after`` is a hint in seconds."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class OutOfBudget(DoubanUnavailable):
    """The deployment's Douban budget has no request to spare within the time this caller may wait: nothing was
    sent. ``retry_after`` is when one may be free (a lower bound: others may take it first)."""


class DoubanBanned(DoubanUnavailable):
    """Douban bans this deployment's address (its ``sec.douban.com/b`` page, or the "异常请求" notice): no source is
    asked until ``retry_after`` has passed."""
