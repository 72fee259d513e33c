"""Douban: finding the right subject, reading it, and the client that fetches it."""

from movierec.douban.matching import choose_candidate, normalize_title, titles_match
from movierec.douban.models import DoubanMovie, SuggestCandidate
from movierec.douban.parser import NotASubjectPage, looks_blocked, parse_subject
from movierec.douban.sources import from_abstract, from_mobile_api, from_suggest

__all__ = [
    "DoubanMovie",
    "NotASubjectPage",
    "SuggestCandidate",
    "choose_candidate",
    "from_abstract",
    "from_mobile_api",
    "from_suggest",
    "looks_blocked",
    "normalize_title",
    "parse_subject",
    "titles_match",
]
