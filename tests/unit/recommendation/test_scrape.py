"""What a scrape job may spend of the Douban budget, and when a card from a list or a search entry is not enough."""

from __future__ import annotations

from uuid import uuid4

import pytest
from pydantic import TypeAdapter

from local.template import Template
from movierec.douban.budget import Priority
from movierec.modes import RecommendationRequest
from movierec.recommendation.models import ScrapeJob
from movierec.recommendation.scrape import needs_full_card, spend_for

REQUEST = TypeAdapter(RecommendationRequest)


def job(rank: int, **fields) -> ScrapeJob:
    return ScrapeJob(request_id=uuid4(), rank=rank, title="功夫", year=2004, **fields)


@pytest.mark.parametrize(
    ("scrape_job", "priority"),
    [
        (job(1), Priority.CARD),
        (job(4), Priority.CARD),  # the request's count: a person is waiting for each of these
        (job(5), Priority.SPARE),  # the model's spares
        (job(2, top_up=True), Priority.TOP_UP),
        (job(2, refreshes=1), Priority.COMPLETION),  # a card shown from what was known, completed later
        (job(6, top_up=True, refreshes=3), Priority.COMPLETION),
    ],
)
def test_the_cards_a_person_waits_for_come_first(scrape_job, priority):
    request = REQUEST.validate_python({"mode": "tags", "tags": ["科幻"], "count": 4})

    spend = spend_for(scrape_job, request)

    assert spend.priority is priority
    assert spend.read_seconds <= spend.search_seconds or priority is Priority.COMPLETION


def test_a_card_s_subject_waits_briefly_since_its_search_entry_can_be_shown_meanwhile():
    request = REQUEST.validate_python({"mode": "tags", "tags": ["科幻"], "count": 4})
    card = spend_for(job(1), request)

    assert card.read_seconds < card.search_seconds
    # The longest wait, then a search and a subject (5 s each, and a retry of each), within the function's time.
    (scrape,) = (spec for spec in Template.load().functions() if spec.name == "ScrapeFunction")
    assert card.search_seconds + card.read_seconds + 4 * float(scrape.environment["DOUBAN_TIMEOUT_SECONDS"]) <= (
        scrape.timeout
    )


@pytest.mark.parametrize(
    ("payload", "needed"),
    [
        ({"mode": "tags", "tags": ["科幻"]}, False),
        ({"mode": "tags", "tags": ["科幻"], "filters": {"min_rating": 8, "countries": ["美国"]}}, False),
        ({"mode": "tags", "tags": ["科幻"], "filters": {"max_runtime": 100}}, True),  # a list says no length
        ({"mode": "star", "star": "周星驰"}, True),  # a list names a few of the cast
    ],
)
def test_a_list_s_card_is_judged_as_it_is_unless_the_request_needs_what_it_lacks(payload, needed):
    assert needs_full_card(REQUEST.validate_python(payload)) is needed
