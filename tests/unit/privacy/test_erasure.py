"""Erasing a person, table by table, through their own keys and indexes: what each kind counts, and what of theirs
lay in another person's item."""

import uuid

from movierec.core.owned_items import OwnedItems
from movierec.feedback.store import FeedbackStore, Report
from movierec.modes.tags import TagsRequest
from movierec.privacy.erasure import PersonalData
from movierec.recommendation.models import MovieEntry
from movierec.recommendation.storage import OWNER_INDEX, RequestStore

ALICE, BOB = "a" * 64, "b" * 64


def test_every_kind_is_counted_and_what_they_hid_in_anothers_request_goes_too(aws):
    requests = RequestStore(aws.Table("RequestsTable"))
    reports = FeedbackStore(aws.Table("FeedbackTable"))
    bobs = uuid.uuid4()
    requests.create(bobs, TagsRequest(mode="tags", tags=["科幻"], count=1), avoid=[], owner=BOB)
    requests.add_movie(bobs, MovieEntry(rank=1, title="盗梦空间", year=2010, reason="梦"))
    requests.share(bobs, BOB)
    for owner in (ALICE, ALICE, BOB):
        requests.create(uuid.uuid4(), TagsRequest(mode="tags", tags=["悬疑"], count=1), avoid=[], owner=owner)
    requests.hide(bobs, 1, ALICE)
    requests.hide(bobs, 1, BOB)
    reports.put(Report(reporter=ALICE, kind="offensive", request_id=bobs, rank=1))
    marks, sessions = aws.Table("MarksTable"), aws.Table("SessionsTable")
    marks.put_item(Item={"owner": ALICE, "mark": "douban:1#seen", "synced_at": 1})
    sessions.put_item(Item={"id": "s1", "person": ALICE, "openid": "o-alice", "expires_at": 1})

    erased = PersonalData(
        marks=OwnedItems(marks, "owner", key=("owner", "mark")),
        imports=OwnedItems(aws.Table("ImportsTable"), "owner", key=("id",), index=OWNER_INDEX),
        requests=OwnedItems(aws.Table("RequestsTable"), "owner", key=("id",), index=OWNER_INDEX),
        request_store=requests,
        reports=reports,
        sessions=OwnedItems(sessions, "person", key=("id",), index="by_person"),
    ).erase(ALICE)

    # Two requests of Alice's, each with its inputs' item beside it (the owner index lists both, both go).
    assert erased.model_dump() == {"marks": 1, "imports": 0, "requests": 2, "reports": 1, "sessions": 1}
    assert requests.get(bobs).hidden == {BOB: {1}}
    assert {item["owner"] for item in aws.Table("RequestsTable").scan()["Items"]} == {BOB}
