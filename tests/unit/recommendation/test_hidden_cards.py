"""A reported card is hidden from its reporter alone, kept in the request's own item: a poll reads nothing more."""

import uuid

import pytest

from movierec.douban.models import DoubanMovie
from movierec.modes.tags import TagsRequest
from movierec.recommendation.models import MODEL_WRITTEN_FIELDS, MovieEntry, MovieStatus
from movierec.recommendation.storage import RequestStore

ALICE, BOB = "a" * 64, "b" * 64


@pytest.fixture
def store(aws):
    return RequestStore(aws.Table("RequestsTable"), clock=lambda: 1_000)


def three_found(store, owner=ALICE, shared=False):
    request_id = uuid.uuid4()
    store.create(request_id, TagsRequest(mode="tags", tags=["科幻"], count=3), avoid=[], owner=owner)
    store.mark_running(request_id)
    for rank, douban_id in enumerate(("1292052", "3541415", "1291546"), start=1):
        douban = DoubanMovie(id=douban_id, url=f"https://movie.douban.com/subject/{douban_id}/", title=f"电影{rank}")
        entry = MovieEntry(rank=rank, title=f"电影{rank}", year=2000 + rank, reason=f"理由{rank}")
        store.add_movie(request_id, entry)
        store.record_movie(request_id, entry.model_copy(update={"status": MovieStatus.FOUND, "douban": douban}))
    if shared:
        store.share(request_id, owner)
    return request_id


def ranks(view):
    return [movie.rank for movie in view.movies]


def test_a_reported_card_is_gone_from_its_reporters_polls_alone(store):
    request_id = three_found(store, shared=True)

    assert store.hide(request_id, 2, ALICE) is True
    assert store.hide(request_id, 3, BOB) is True
    assert store.hide(request_id, 2, ALICE) is True  # reported twice: still hidden, once

    stored = store.get(request_id)
    assert ranks(stored.view(ALICE)) == [1, 3]
    assert ranks(stored.view(BOB)) == [1, 2]
    assert ranks(stored.view("c" * 64)) == [1, 2, 3]
    assert stored.hidden == {ALICE: {2}, BOB: {3}}


def test_a_hidden_card_still_counts_so_the_request_ends_as_it_would_have(store):
    request_id = three_found(store)
    store.hide(request_id, 1, ALICE)
    view = store.get(request_id).view(ALICE)
    assert view.status == "done"
    assert view.count == 3


def test_on_a_server_without_sign_in_a_report_hides_the_card_for_everyone(store):
    request_id = three_found(store, owner=None)
    store.hide(request_id, 1, None)
    assert ranks(store.get(request_id).view(None)) == [2, 3]


def test_nothing_is_hidden_in_a_request_that_does_not_exist(store):
    assert store.hide(uuid.uuid4(), 1, ALICE) is False


def test_unhiding_forgets_one_readers_cards_and_nothing_else(store):
    request_id = three_found(store, shared=True)
    store.hide(request_id, 1, ALICE)
    store.hide(request_id, 2, BOB)
    store.unhide(request_id, BOB)
    store.unhide(request_id, BOB)  # nothing left to forget: a no-op
    store.unhide(uuid.uuid4(), BOB)
    assert store.get(request_id).hidden == {ALICE: {1}}


def test_a_request_without_an_owner_stores_no_owner_attribute(store, aws):
    """A key of the owner index must be a string or absent: a null would make DynamoDB refuse the write."""
    request_id = three_found(store, owner=None)
    item = aws.Table("RequestsTable").get_item(Key={"id": str(request_id)})["Item"]
    assert "owner" not in item
    assert store.get(request_id).owner is None


def test_the_reported_movie_is_read_alone_with_who_may_read_it(store):
    request_id = three_found(store, shared=False)
    card = store.reported_movie(request_id, 2)
    assert (card.movie.rank, card.movie.reason, card.owner, card.shared) == (2, "理由2", ALICE, False)
    assert card.readable_by(ALICE)
    assert not card.readable_by(BOB)
    assert store.reported_movie(request_id, 9) is None
    assert store.reported_movie(uuid.uuid4(), 1) is None


def test_every_polled_movie_lists_the_fields_a_model_wrote_but_none_is_stored(store, aws):
    request_id = three_found(store)
    view = store.get(request_id).view(ALICE)
    assert all(movie.ai_generated == list(MODEL_WRITTEN_FIELDS) for movie in view.movies)
    assert view.model_dump(mode="json")["movies"][0]["ai_generated"] == ["title", "original_title", "year", "reason"]
    item = aws.Table("RequestsTable").get_item(Key={"id": str(request_id)})["Item"]
    assert all("ai_generated" not in movie for movie in item["movies"])
