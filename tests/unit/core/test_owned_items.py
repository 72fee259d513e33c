"""A person's items in a table, listed by its own key or by a KEYS_ONLY index, and deleted: nobody else's."""

import pytest

from movierec.core import owned_items
from movierec.core.owned_items import OwnedItems

ALICE, BOB = "a" * 64, "b" * 64


@pytest.fixture
def sessions(aws):
    table = aws.Table("SessionsTable")
    for number in range(30):  # more than one BatchWriteItem of 25
        table.put_item(Item={"id": f"alice-{number}", "person": ALICE, "openid": "o-alice", "expires_at": 1})
    table.put_item(Item={"id": "bob-1", "person": BOB, "openid": "o-bob", "expires_at": 1})
    return table


def test_through_an_index_every_item_of_the_person_goes_and_no_other(sessions):
    items = OwnedItems(sessions, "person", key=("id",), index="by_person")
    assert sorted(key["id"] for key in items.keys(ALICE)) == sorted(f"alice-{n}" for n in range(30))
    assert items.delete_all(ALICE) == 30
    assert [item["id"] for item in sessions.scan()["Items"]] == ["bob-1"]
    assert items.delete_all(ALICE) == 0


def test_by_the_tables_own_key_every_item_goes_in_one_pass(aws):
    marks = aws.Table("MarksTable")
    for number in range(3):
        marks.put_item(Item={"owner": ALICE, "mark": f"douban:{number}#seen", "synced_at": number})
    marks.put_item(Item={"owner": BOB, "mark": "douban:1#seen", "synced_at": 1})
    items = OwnedItems(marks, "owner", key=("owner", "mark"))
    assert list(items.items(ALICE, ("mark",))) == [{"mark": f"douban:{n}#seen"} for n in range(3)]
    assert items.delete_all(ALICE) == 3
    assert [item["owner"] for item in marks.scan()["Items"]] == [BOB]


class LaggingIndex:
    """A table whose index lists an item written a moment ago only on the second listing, and still lists deleted
    items once, as an eventually consistent index may."""

    def __init__(self, table):
        self._table = table
        self.listings = 0
        self.deleted = []

    def query(self, **kwargs):
        self.listings += 1
        page = self._table.query(**kwargs)
        if self.listings == 1:
            page["Items"] = [item for item in page["Items"] if item["id"] != "alice-late"]
        return page

    def batch_writer(self):
        return self._table.batch_writer()


def test_an_item_the_index_lists_late_is_deleted_by_another_pass(sessions):
    sessions.put_item(Item={"id": "alice-late", "person": ALICE, "openid": "o-alice", "expires_at": 1})
    lagging = LaggingIndex(sessions)
    assert OwnedItems(lagging, "person", key=("id",), index="by_person").delete_all(ALICE) == 31
    assert [item["id"] for item in sessions.scan()["Items"]] == ["bob-1"]
    assert lagging.listings <= owned_items.MAX_PASSES
