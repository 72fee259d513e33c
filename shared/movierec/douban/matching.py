"""Comparing titles, and picking the right entry out of a ``/j/subject_suggest`` answer.

Matching is exact on the normalised title: a title that merely contains the query is not a match
("X战警" is not "X战警：天启"), and no match gives ``None``, never a guess. Same-name entries (remakes,
a film and its series) are told apart by year and kind.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from movierec.douban.models import SuggestCandidate

YEAR_TOLERANCE = 1  # Douban's year and another source's often differ by one (festival vs release, Dec/Jan)


def normalize_title(text: str) -> str:
    """The comparable form of a title: NFKC (full-width folds to ASCII), casefolded, and only letters and
    digits kept, so spaces and punctuation of any script (``：·、，！？《》（）-``) do not count."""
    folded = unicodedata.normalize("NFKC", text or "").casefold()
    return "".join(char for char in folded if char.isalnum())


def titles_match(a: str | None, b: str | None) -> bool:
    """Same title once normalised; an empty title matches nothing."""
    normalized = normalize_title(a or "")
    return bool(normalized) and normalized == normalize_title(b or "")


def any_title_matches(titles: Iterable[str | None], others: Iterable[str | None]) -> bool:
    """Whether any of ``titles`` is the same title as any of ``others`` (e.g. against an exclude list)."""
    wanted = {normalize_title(title) for title in titles if title} - {""}
    return any(normalize_title(other) in wanted for other in others if other)


def years_compatible(a: int | None, b: int | None) -> bool:
    """Within :data:`YEAR_TOLERANCE`; an unknown year on either side does not exclude."""
    return a is None or b is None or abs(a - b) <= YEAR_TOLERANCE


def choose_candidate(
    candidates: list[SuggestCandidate],
    title: str,
    original_title: str | None,
    year: int | None,
    prefer_tv: bool = False,
) -> SuggestCandidate | None:
    """The suggest entry that is this title, or ``None``.

    An entry qualifies when its Chinese ``title`` or its ``sub_title`` (the original title) equals ``title``
    or ``original_title`` once normalised, and its year is within one of ``year``. Among those: the preferred
    kind first (films, or series with ``prefer_tv``), then an exact year before one off by one before an
    unknown one, then Douban's own order.
    """
    matching = [
        candidate
        for candidate in candidates
        if any_title_matches((title, original_title), (candidate.title, candidate.sub_title))
        and years_compatible(year, candidate.year)
    ]
    if not matching:
        return None
    return min(matching, key=lambda candidate: (candidate.is_tv != prefer_tv, _year_distance(year, candidate.year)))


def _year_distance(wanted: int | None, found: int | None) -> int:
    """0 exact (or no year asked), 1 off by one, 2 unknown: an unknown year is the weakest evidence."""
    if wanted is None:
        return 0
    if found is None:
        return YEAR_TOLERANCE + 1
    return abs(wanted - found)
