"""Douban: finding the right subject, reading it, and the client that fetches it."""

from movierec.douban.models import DoubanMovie, SuggestCandidate

__all__ = ["DoubanMovie", "SuggestCandidate"]
