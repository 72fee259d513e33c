"""Douban: finding the right subject, reading it, and the client that fetches it."""

from movierec.douban.matching import choose_candidate, name_match
from movierec.douban.models import DoubanMovie, SuggestCandidate
from movierec.douban.parser import NotASubjectPage, looks_blocked, parse_subject
from movierec.douban.sources import from_abstract, from_mobile_api, from_suggest
from movierec.douban.title_keys import TitleName, title_key

__all__ = [
    "DoubanMovie",
    "NotASubjectPage",
    "SuggestCandidate",
    "TitleName",
    "choose_candidate",
    "from_abstract",
    "from_mobile_api",
    "from_suggest",
    "looks_blocked",
    "name_match",
    "parse_subject",
    "title_key",
]
