"""Reports and erasure through the whole local stack over HTTP, signed in against a fake WeChat, model and Douban on
127.0.0.1: a report hides its card from the reporter alone and is logged as `make run` shows it; DELETE /me empties
every table of the person and touches nothing of anyone else's."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from movierec.people.sessions import person_key
from tests.fakes.catalog import Film, serve
from tests.fakes.llm_server import Reply, movie
from tests.integration.conftest import People, signed_in_stack

KUNG_FU = Film("1291543", "功夫", "Kung Fu Hustle", 2004, directors=["周星驰"], cast=["周星驰"])
SHAOLIN_SOCCER = Film("1307793", "少林足球", "少林足球", 2001, directors=["周星驰"], cast=["周星驰"])
STAR = {"mode": "star", "star": "周星驰", "count": 2}
HASH_KEY = "launch-rules-hash-key"


@pytest.fixture(scope="module")
def people() -> Iterator[People]:
    with signed_in_stack(HASH_KEY) as people:
        serve(people.stack.douban, [KUNG_FU, SHAOLIN_SOCCER])
        people.stack.llm.default = lambda _: Reply.movies(
            [movie("功夫", 2004, "Kung Fu Hustle"), movie("少林足球", 2001)]
        )
        yield people


def found_ranks(view: dict) -> list[int]:
    return [card["rank"] for card in view["movies"] if card["status"] == "found"]


def test_a_report_hides_the_card_from_its_reporter_alone_and_is_logged(people, log_output):
    alice, bob = people.sign_in("o-alice"), people.sign_in("o-bob")
    view = alice.recommend(STAR)
    assert len(found_ranks(view)) == 2
    first, second = found_ranks(view)
    assert people.call(alice, "POST", f"/recommendations/{view['id']}/share").status_code == 200

    answer = people.call(bob, "POST", "/feedback", {"kind": "wrong_reason", "request_id": view["id"], "rank": first})

    assert answer.status_code == 201, answer.text
    assert answer.json()["hidden"] is True
    assert found_ranks(bob.wait_until_final(view["id"])) == [second]
    assert found_ranks(alice.wait_until_final(view["id"])) == [first, second]
    (logged,) = [json.loads(line) for line in log_output.getvalue().splitlines() if "report received" in line]
    assert (logged["kind"], logged["request_id"], logged["rank"], logged["title"]) == (
        "wrong_reason",
        view["id"],
        first,
        "功夫",
    )
    assert logged["report_id"] == answer.json()["id"]


def test_erasing_a_person_empties_every_table_of_them_and_leaves_others_be(people):
    carol_key, dave_key = person_key("o-carol", HASH_KEY.encode()), person_key("o-dave", HASH_KEY.encode())
    carol, carols_other_phone, dave = people.sign_in("o-carol"), people.sign_in("o-carol"), people.sign_in("o-dave")
    mark = {"douban_id": KUNG_FU.id, "title": KUNG_FU.title, "status": "seen", "rating": 4, "updated_at": 1000}
    for person in (carol, dave):
        assert people.call(person, "POST", "/me/marks", {"marks": [mark]}).status_code == 200
        assert people.call(person, "POST", "/imports/douban-user", {"user": "ahbei"}).status_code == 202
    carols_view, daves_view = carol.recommend(STAR), dave.recommend(STAR)
    assert people.call(dave, "POST", f"/recommendations/{daves_view['id']}/share").status_code == 200
    for reporter, view in ((carol, carols_view), (carol, daves_view), (dave, daves_view)):
        card = {"kind": "not_fitting", "request_id": view["id"], "rank": found_ranks(view)[0]}
        assert people.call(reporter, "POST", "/feedback", card).status_code == 201
    assert set(people.everything_of(carol_key, "o-carol")) >= {
        "SessionsTable",
        "MarksTable",
        "ImportsTable",
        "RequestsTable",
        "FeedbackTable",
    }
    daves_view_before = dave.wait_until_final(daves_view["id"])

    erased = people.call(carols_other_phone, "DELETE", "/me")

    assert erased.status_code == 200, erased.text
    assert erased.json() == {"marks": 1, "imports": 1, "requests": 1, "reports": 2, "sessions": 2}
    left = people.everything_of(carol_key, "o-carol")
    assert set(left) <= {"RateLimitTable"}  # counters only: a number a minute or a day, gone within two days
    for counter in left.get("RateLimitTable", []):
        assert set(counter) <= {"id", "hits", "window_start", "tokens", "expires_at"}
        assert int(counter["expires_at"]["N"]) <= time.time() + 2 * 86400
    assert people.call(carol, "GET", "/me/marks").status_code == 401
    assert dave.get(carols_view["id"]).status_code == 404
    assert dave.wait_until_final(daves_view["id"]) == daves_view_before
    daves = people.everything_of(dave_key)
    assert {table: len(items) for table, items in daves.items() if table != "RateLimitTable"} == {
        "SessionsTable": 1,
        "MarksTable": 1,
        "ImportsTable": 1,
        "RequestsTable": 2,  # his request's item and its inputs' item
        "FeedbackTable": 1,
    }
