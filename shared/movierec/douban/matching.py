"""Whether a name and year are a Douban entry's, and picking the right entry out of a ``/j/subject_suggest`` answer.

Names are compared by their keys (:mod:`movierec.douban.title_keys`), so widths, scripts, punctuation, region
marks and season spellings do not count, but a title that merely contains the name is no match ("X战警" is not
"X战警：天启"), and no match gives ``None``, never a guess. Same-name entries (remakes, a film and its series, the
seasons of a show) are told apart by kind and year.
"""

from __future__ import annotations

from movierec.douban.models import SuggestCandidate
from movierec.douban.title_keys import Closeness, TitleName, closeness

YEAR_TOLERANCE = 1  # Douban's year and another source's often differ by one (festival vs release, Dec/Jan)


def years_compatible(a: int | None, b: int | None) -> bool:
    """Within :data:`YEAR_TOLERANCE`; an unknown year on either side does not exclude."""
    return a is None or b is None or abs(a - b) <= YEAR_TOLERANCE


def same_title(a: TitleName, a_year: int | None, b: TitleName, b_year: int | None) -> bool:
    """Whether two names, neither of them Douban's (a seen title, a name the model gave), are one title: the same
    key, and years (given, or written in the names) that fit. ``冰血暴`` (1996) is not ``冰血暴`` (2014)."""
    a_year = a_year if a_year is not None else a.year
    b_year = b_year if b_year is not None else b.year
    return bool(a.key) and a.key == b.key and years_compatible(a_year, b_year)


def name_match(
    wanted: TitleName, wanted_year: int | None, found: TitleName, found_year: int | None, found_is_tv: bool
) -> Closeness | None:
    """How a name asked for (with its year, or the year written in it) is one of a Douban entry's names.

    The year must fit as in :func:`years_compatible`; a name whose marker Douban's name lacks (``北海鲸梦 第一季``
    for the series ``北海鲸梦``, ``X 剧场版`` for the film ``X``) matches only when both years are known and fit.
    """
    relation = closeness(wanted, found, found_is_tv)
    if relation is None:
        return None
    year = wanted_year if wanted_year is not None else wanted.year
    if relation is Closeness.UNMARKED and (year is None or found_year is None):
        return None
    return relation if years_compatible(year, found_year) else None


def choose_candidate(
    candidates: list[SuggestCandidate],
    title: str,
    original_title: str | None,
    year: int | None,
    prefer_tv: bool = False,
) -> SuggestCandidate | None:
    """The suggest entry that is this title, or ``None``.

    Only subjects qualify (never a person's or a book's entry), and only when ``title`` or ``original_title``
    matches the entry's ``title`` or ``sub_title`` (the original title) by :func:`name_match`. Among those: the
    preferred kind first (films, or series with ``prefer_tv``), then the closest name (the same title before a
    season of the show named), then an exact year before one off by one before an unknown one, then the earliest
    season or part, then Douban's own order.
    """
    wanted = [TitleName.parse(name) for name in (title, original_title) if name]
    if year is None:
        year = next((name.year for name in wanted if name.year is not None), None)
    ranked = []
    for order, candidate in enumerate(candidates):
        if not candidate.is_subject:
            continue
        found = [TitleName.parse(name) for name in (candidate.title, candidate.sub_title) if name]
        relations = [
            relation
            for asked in wanted
            for name in found
            if (relation := name_match(asked, year, name, candidate.year, candidate.is_tv)) is not None
        ]
        if relations:
            installment = min(name.installment or 0 for name in found)
            rank = (candidate.is_tv != prefer_tv, min(relations), _year_distance(year, candidate.year), installment)
            ranked.append((rank, order, candidate))
    return min(ranked, key=lambda ranked_candidate: ranked_candidate[:2])[2] if ranked else None


def still_matches(
    candidate: SuggestCandidate, title: str, original_title: str | None, year: int | None, subject_year: int | None
) -> bool:
    """Whether the entry :func:`choose_candidate` picked is still the title asked for once its subject page shows
    the year: search entries often carry none (or another one), and an entry with no year matches any. The same
    rules apply with the page's year: within :data:`YEAR_TOLERANCE`, and a name whose season or edition marker
    Douban's name lacks only with both years known and fitting. A year unknown on either side does not exclude.
    """
    wanted = [TitleName.parse(name) for name in (title, original_title) if name]
    if year is None:
        year = next((name.year for name in wanted if name.year is not None), None)
    if year is None or subject_year is None:
        return True
    found = [TitleName.parse(name) for name in (candidate.title, candidate.sub_title) if name]
    return any(
        name_match(asked, year, name, subject_year, candidate.is_tv) is not None for asked in wanted for name in found
    )


def _year_distance(wanted: int | None, found: int | None) -> int:
    """0 exact (or no year asked), 1 off by one, 2 unknown: an unknown year is the weakest evidence."""
    if wanted is None:
        return 0
    if found is None:
        return YEAR_TOLERANCE + 1
    return abs(wanted - found)
