"""DELETE /me through the API function, signed in against a fake WeChat: every table is emptied of the person, and
nothing of anyone else's is touched."""

import json
import time

from local.template import Template
from movierec import runtime
from movierec.people.sessions import person_key
from tests.unit.api.signed_in import invoke, poll, report, request_with_cards, sample, sign_in
from tests.unit.api.test_api import call

ALICE = person_key("o-alice", b"unit-test-hash-key")
BOB = person_key("o-bob", b"unit-test-hash-key")
TABLES = sorted(Template.load().of_type("AWS::DynamoDB::Table"))
# What the rate-limit table keeps of a person: counters (a number a minute or a day, no content) that expire by
# themselves within two days, so that erasing one's data is no way to a fresh budget.
COUNTER_FIELDS = {"id", "hits", "window_start", "tokens", "expires_at"}


def everything_of(aws, *marks):
    """Every item of every table of the template that holds any of ``marks`` (a person's key, their openid), by
    table."""
    found = {}
    for name in TABLES:
        items = [
            item
            for item in aws.Table(name).scan()["Items"]
            if any(mark in json.dumps(item, default=repr) for mark in marks)  # repr: a Binary's str is bytes
        ]
        if items:
            found[name] = items
    return found


def a_person_with_everything(handlers, wechat, openid, phones=1):
    """Signed in on ``phones`` phones, with marks, a request with cards, an import by Douban id and a report."""
    tokens = [sign_in(handlers, wechat, openid) for _ in range(phones)]
    token = tokens[0]
    assert invoke(handlers, sample("api-marks-post", token))[0] == 200
    request_id = request_with_cards(handlers, token)
    assert invoke(handlers, sample("api-import-douban-user", token))[0] == 202
    assert report(handlers, token, request_id=request_id, rank=1)[0] == 201
    return tokens, request_id


def share(handlers, token, request_id):
    event = sample("api-share", token)
    event["path"] = f"/recommendations/{request_id}/share"
    assert invoke(handlers, event)[0] == 200


def test_the_sample_erases_every_table_of_the_person_and_nothing_of_anyone_elses(handlers, wechat, aws):
    (alice, _), alices_request = a_person_with_everything(handlers, wechat, "o-alice", phones=2)
    (bob,), bobs_request = a_person_with_everything(handlers, wechat, "o-bob")
    share(handlers, bob, bobs_request)
    assert report(handlers, alice, request_id=bobs_request, rank=2, kind="offensive")[0] == 201  # hidden in Bob's item
    bobs_before = everything_of(aws, BOB, "o-bob")

    status, erased, _ = invoke(handlers, sample("api-delete-me", alice))

    assert status == 200
    assert erased == {"marks": 3, "imports": 1, "requests": 1, "reports": 2, "sessions": 2}
    left = everything_of(aws, ALICE, "o-alice")
    assert set(left) <= {"RateLimitTable"}
    for counter in left.get("RateLimitTable", []):
        assert set(counter) <= COUNTER_FIELDS
        assert counter["expires_at"] <= time.time() + 2 * 86400
    assert everything_of(aws, BOB, "o-bob") == bobs_before | {
        "RequestsTable": [  # the request's item (its inputs' item beside it holds no hidden cards)
            item | {"hidden": {BOB: item["hidden"][BOB]}} if "hidden" in item else item
            for item in bobs_before["RequestsTable"]
        ]
    }
    assert [movie["rank"] for movie in poll(handlers, bob, bobs_request)[1]["movies"]] == [2, 3]
    assert runtime.request_store().get(alices_request) is None


def test_after_erasing_the_token_is_gone_and_signing_in_again_starts_afresh(handlers, wechat):
    (alice,), request_id = a_person_with_everything(handlers, wechat, "o-alice")
    assert invoke(handlers, sample("api-delete-me", alice))[0] == 200

    status, body, _ = invoke(handlers, sample("api-marks-get", alice))
    assert (status, body["code"]) == (401, "unauthorized")

    again = sign_in(handlers, wechat)
    assert invoke(handlers, sample("api-marks-get", again))[1]["marks"] == []
    assert poll(handlers, again, request_id)[0] == 404
    status, erased, _ = invoke(handlers, sample("api-delete-me", again))
    assert (status, erased) == (200, {"marks": 0, "imports": 0, "requests": 0, "reports": 0, "sessions": 1})


def test_without_a_token_nothing_is_erased(handlers, wechat, aws):
    (_alice,), _ = a_person_with_everything(handlers, wechat, "o-alice")
    status, body, _ = invoke(handlers, sample("api-delete-me"))
    assert (status, body["code"]) == (401, "unauthorized")
    assert set(everything_of(aws, ALICE)) >= {"MarksTable", "RequestsTable", "ImportsTable", "FeedbackTable"}


def test_a_server_without_sign_in_has_no_one_to_erase(handlers):
    status, body = call(handlers, "DELETE", "/me")
    assert (status, body["code"]) == (404, "sign_in_not_configured")
