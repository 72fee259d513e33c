"""What a Douban read raises when Douban cannot answer now, apart from the client that reads it, so that a handler
can answer it (the API's 503) without loading the HTTP client."""

from __future__ import annotations


class DoubanUnavailable(Exception):
    """Douban cannot be searched right now: retry the message later. ``retry_after`` is a hint in seconds."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
