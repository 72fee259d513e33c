"""Marks that follow a person: newest wins per film and status, removals travel, and "what changed since" works."""

import pytest
from pydantic import ValidationError

from movierec.people.mark_store import SYNC_OVERLAP_MS, TOMBSTONE_DAYS, MarkStore
from movierec.people.marks import Mark, MarksUpload, excluded_entries, taste_of


@pytest.fixture
def clock():
    return {"ms": 1_700_000_000_000}


@pytest.fixture
def store(aws, clock):
    return MarkStore(aws.Table("MarksTable"), clock_ms=lambda: clock["ms"])


def mark(status="seen", updated_at=1_600_000_000_000, douban_id="1292052", title="肖申克的救赎", **fields):
    return Mark(douban_id=douban_id, title=title, status=status, updated_at=updated_at, **fields)


def test_the_newest_mark_of_a_film_and_status_wins(store):
    store.merge("alice", [mark(rating=4, updated_at=2000)])
    standing = store.merge("alice", [mark(rating=2, updated_at=1000)])  # an older phone syncs late
    assert [m.rating for m in standing] == [4]
    assert store.merge("alice", [mark(rating=5, updated_at=3000)])[0].rating == 5
    assert [m.rating for m in store.marks_of("alice")] == [5]


def test_a_tie_keeps_what_is_stored_so_a_resent_batch_changes_nothing(store):
    store.merge("alice", [mark(rating=4, updated_at=2000)])
    assert store.merge("alice", [mark(rating=1, updated_at=2000)])[0].rating == 4


def test_each_status_of_a_film_is_its_own_mark(store):
    store.merge("alice", [mark("seen"), mark("favourite"), mark("disliked", douban_id="1291546", title="霸王别姬")])
    assert {(m.douban_id, m.status) for m in store.marks_of("alice")} == {
        ("1292052", "seen"),
        ("1292052", "favourite"),
        ("1291546", "disliked"),
    }


def test_whether_a_person_marked_a_film_is_one_query_on_that_film_alone(store):
    store.merge(
        "alice",
        [
            mark("seen", douban_id="12"),
            mark("disliked", douban_id="1291546", title="霸王别姬"),
            mark("favourite", douban_id="3541415", title="盗梦空间"),
            mark("seen", douban_id="1292720", title="阿甘正传"),
            mark("seen", douban_id=None, title="手写的片名"),
        ],
    )
    store.merge(
        "alice", [mark("seen", douban_id="1292720", title="阿甘正传", updated_at=1_700_000_000_000, deleted=True)]
    )

    assert store.has_marked("alice", "12")
    assert store.has_marked("alice", "1291546")  # 不感兴趣 too
    assert store.has_marked("alice", "3541415")
    assert not store.has_marked("alice", "1292720")  # the mark was removed
    assert not store.has_marked("alice", "123")  # "douban:12#" is no prefix of another id's marks
    assert not store.has_marked("bob", "12")


def test_a_removal_wins_like_any_mark_and_stays_as_a_tombstone(store, aws, clock):
    store.merge("alice", [mark(updated_at=1000)])
    store.merge("alice", [mark(updated_at=2000, deleted=True)])
    assert store.marks_of("alice") == []
    changed, _ = store.changed_since("alice", None)
    assert [(m.douban_id, m.deleted) for m in changed] == [("1292052", True)]
    (item,) = aws.Table("MarksTable").scan()["Items"]
    assert item["expires_at"] == clock["ms"] // 1000 + TOMBSTONE_DAYS * 86400
    store.merge("alice", [mark(updated_at=1500)])  # a phone that missed the removal cannot bring it back
    assert store.marks_of("alice") == []


def test_what_changed_since_a_sync_comes_by_the_servers_clock(store, clock):
    store.merge("alice", [mark(updated_at=5000)])
    _, since = store.changed_since("alice", None)
    assert since == clock["ms"] - SYNC_OVERLAP_MS
    clock["ms"] += 60_000
    # marked long ago on a phone that was offline, synced now: still news to the other phones
    store.merge("alice", [mark(douban_id="1291546", title="霸王别姬", updated_at=10)])
    changed, _ = store.changed_since("alice", since + SYNC_OVERLAP_MS)
    assert [m.douban_id for m in changed] == ["1291546"]


def test_a_mark_from_the_future_counts_as_now(store, clock):
    (standing,) = store.merge("alice", [mark(updated_at=clock["ms"] + 10**10)])
    assert standing.updated_at == clock["ms"]


def test_people_never_see_each_others_marks(store):
    store.merge("alice", [mark()])
    assert store.marks_of("bob") == []
    assert store.changed_since("bob", None)[0] == []


def test_a_title_typed_by_hand_is_a_mark_of_its_own(store):
    store.merge("alice", [mark(douban_id=None, title="手写的片名")])
    (standing,) = store.marks_of("alice")
    assert (standing.douban_id, standing.title) == (None, "手写的片名")


@pytest.mark.parametrize(
    "fields",
    [
        {"status": "want"},
        {"rating": 6},
        {"rating": 0},
        {"rating": 4.5},
        {"douban_id": "tt0111161"},
        {"updated_at": -1},
        {"updated_at": "1700000000000"},
        {"title": " "},
        {"deleted": 0},  # found by fuzzing: 0 is not false
        {"deleted": "true"},
    ],
)
def test_malformed_marks_are_refused(fields):
    with pytest.raises(ValidationError):
        Mark.model_validate(
            {"douban_id": "1292052", "title": "肖申克的救赎", "status": "seen", "updated_at": 1} | fields
        )


def test_an_upload_is_bounded():
    with pytest.raises(ValidationError):
        MarksUpload(marks=[mark(douban_id=str(n)) for n in range(1, 202)])


def test_every_film_the_person_marked_is_excluded_newest_first():
    marks = [
        mark("seen", updated_at=1, douban_id="1", title="一"),
        mark("disliked", updated_at=3, douban_id="3", title="三"),
        mark("favourite", updated_at=4, douban_id="4", title="四"),
        mark("seen", updated_at=5, douban_id="5", title="五", deleted=True),
        mark("seen", updated_at=2, douban_id=None, title="手写"),
    ]
    # a title typed by hand has no id to be excluded by: it comes first among the titles
    assert excluded_entries(marks) == ["4", "3", "1", "手写", "四", "三", "一"]


def test_a_title_typed_by_hand_long_ago_is_still_excluded_behind_a_long_list():
    typed_long_ago = mark("seen", updated_at=1, douban_id=None, title="小时候看的那部")
    since = [mark("seen", updated_at=10 + n, douban_id=str(100 + n), title=f"片{n}") for n in range(3000)]
    entries = excluded_entries([typed_long_ago, *since])
    assert "小时候看的那部" in entries
    assert str(100 + 2999) in entries  # the newest ids, as many as the list holds


def test_a_persons_taste_is_their_favourites_and_ratings_most_telling_and_newest_first():
    def mark(douban_id, status, updated_at, rating=None, deleted=False, title=None):
        return Mark(
            douban_id=douban_id,
            title=title or f"片{douban_id}",
            status=status,
            rating=rating,
            updated_at=updated_at,
            deleted=deleted,
        )

    marks = [
        mark("1", "seen", 10, rating=4),
        mark("2", "seen", 20, rating=5),
        mark("3", "favourite", 5),
        mark("4", "favourite", 30),
        mark("5", "seen", 40, rating=3),  # middling: says nothing either way
        mark("6", "seen", 50),  # seen, unrated: nothing
        mark("7", "disliked", 10),
        mark("8", "seen", 60, rating=1),
        mark("9", "seen", 70, rating=2),
        mark("10", "favourite", 80, deleted=True),  # removed: no longer a taste
        mark(None, "favourite", 1, title="手写的片名"),  # typed by hand: named by its title
        mark("2", "favourite", 15),  # a favourite also rated 5: once, as a favourite
    ]
    liked, disliked = taste_of(marks)
    assert liked == ["4", "2", "3", "手写的片名", "1"]
    assert disliked == ["7", "8", "9"]
