"""POST /feedback (反馈/举报) through the API function, signed in against a fake WeChat and without sign-in: kept for
the operator with what was shown, the card hidden from the reporter alone, limited per person, its words checked."""

from uuid import UUID

import pytest

from movierec import runtime
from movierec.people.sessions import person_key
from movierec.recommendation.models import MovieEntry
from tests.unit.api.signed_in import invoke, poll, report, request_with_cards, sample, sign_in
from tests.unit.api.test_api import call

ALICE = person_key("o-alice", b"unit-test-hash-key")
BOB = person_key("o-bob", b"unit-test-hash-key")


def reports_of(aws, reporter):
    return aws.Table("FeedbackTable").query(
        KeyConditionExpression="reporter = :r", ExpressionAttributeValues={":r": reporter}
    )["Items"]


def retry_after(response):
    """Powertools answers its headers as multiValueHeaders."""
    return response["multiValueHeaders"]["Retry-After"][0]


def shown_ranks(handlers, token, request_id):
    status, view, _ = poll(handlers, token, request_id)
    assert status == 200, view
    return [movie["rank"] for movie in view["movies"]]


def share(handlers, token, request_id):
    event = sample("api-share", token)
    event["path"] = f"/recommendations/{request_id}/share"
    assert invoke(handlers, event)[0] == 200


def test_the_sample_report_is_kept_with_what_was_shown_and_hides_the_card_from_its_reporter(handlers, wechat, aws):
    alice = sign_in(handlers, wechat)
    request_id = request_with_cards(handlers, alice)

    status, receipt, _ = report(handlers, alice, request_id=request_id, rank=2)

    assert status == 201
    assert receipt["hidden"] is True
    assert shown_ranks(handlers, alice, request_id) == [1, 3]
    (kept,) = reports_of(aws, ALICE)
    assert kept["id"] == receipt["id"]
    assert (kept["kind"], kept["rank"], kept["title"], kept["douban_id"]) == ("wrong_reason", 2, "星际穿越", "1000002")
    assert kept["reason"] == "《星际穿越》的理由"  # the model's words as shown: the request itself expires
    assert kept["text"] == "理由里说的主演不对，这部片子不是他演的"
    assert (kept["mode"], kept["query"]) == ("tags", "科幻、悬疑")  # her own request: her own words
    assert kept["expires_at"] - kept["created_at"] == 180 * 86400
    assert "o-alice" not in str(kept)
    checked = [request.body["content"] for request in wechat.calls_to("/wxa/msg_sec_check")]
    assert checked == ["理由里说的主演不对，这部片子不是他演的"]


def test_a_report_on_a_shared_request_hides_the_card_from_the_reporter_alone(handlers, wechat, aws):
    alice, bob = sign_in(handlers, wechat), sign_in(handlers, wechat, "o-bob")
    request_id = request_with_cards(handlers, alice)
    share(handlers, alice, request_id)

    status, receipt, _ = report(handlers, bob, request_id=request_id, rank=1, kind="offensive", text=None)

    assert (status, receipt["hidden"]) == (201, True)
    assert shown_ranks(handlers, bob, request_id) == [2, 3]
    assert shown_ranks(handlers, alice, request_id) == [1, 2, 3]
    (kept,) = reports_of(aws, BOB)
    assert "query" not in kept
    assert "mode" not in kept
    assert reports_of(aws, ALICE) == []


def test_a_card_of_another_persons_unshared_request_is_unknown_and_nothing_is_kept(handlers, wechat, aws):
    alice, bob = sign_in(handlers, wechat), sign_in(handlers, wechat, "o-bob")
    request_id = request_with_cards(handlers, alice)

    for rank, by in ((1, bob), (9, alice)):
        status, body, _ = report(handlers, by, request_id=request_id, rank=rank)
        assert (status, body["code"]) == (404, "not_found")
    assert aws.Table("FeedbackTable").scan()["Items"] == []
    assert shown_ranks(handlers, alice, request_id) == [1, 2, 3]


def test_risky_words_are_refused_by_the_check_and_nothing_is_kept_or_counted(handlers, wechat, aws, monkeypatch):
    monkeypatch.setenv("FEEDBACK_PER_MINUTE", "1")
    runtime.reset()
    alice = sign_in(handlers, wechat)
    request_id = request_with_cards(handlers, alice)
    wechat.risky_words.add("违禁")

    status, body, _ = report(handlers, alice, request_id=request_id, rank=1, text="这里有违禁的话")

    assert (status, body["code"], body["details"]) == (
        422,
        "content_rejected",
        [{"field": "text", "message": "未通过内容安全检查"}],
    )
    assert aws.Table("FeedbackTable").scan()["Items"] == []
    assert shown_ranks(handlers, alice, request_id) == [1, 2, 3]
    assert report(handlers, alice, request_id=request_id, rank=1, text="说错了导演")[0] == 201  # the limit is unspent


def test_while_the_check_is_down_a_report_with_words_is_refused_for_now(handlers, wechat, aws):
    alice = sign_in(handlers, wechat)
    request_id = request_with_cards(handlers, alice)
    wechat.down = True

    status, body, response = report(handlers, alice, request_id=request_id, rank=1)

    assert (status, body["code"]) == (503, "content_check_unavailable")
    assert int(retry_after(response)) > 0
    assert report(handlers, alice, request_id=request_id, rank=1, text=None)[0] == 201  # no words: nothing to check


def test_reports_are_limited_per_person(handlers, wechat, monkeypatch):
    monkeypatch.setenv("FEEDBACK_PER_MINUTE", "2")
    runtime.reset()
    alice, bob = sign_in(handlers, wechat), sign_in(handlers, wechat, "o-bob")
    request_id = request_with_cards(handlers, alice)

    answers = [report(handlers, alice, request_id=request_id, rank=rank, text=None) for rank in (1, 2, 3)]

    assert [status for status, _, _ in answers] == [201, 201, 429]
    assert answers[2][1]["code"] == "rate_limited"
    assert 1 <= int(retry_after(answers[2][2])) <= 60
    assert report(handlers, bob, request_id=None, rank=None, douban_id="1292052", text=None)[0] == 201


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"kind": "other", "text": None}, "text"),
        ({"kind": "spam"}, "kind"),
        ({"rank": None}, "request_id and rank"),
        ({"request_id": None, "rank": None}, "douban_id"),
        ({"text": "长" * 201}, "text"),
        ({"rank": 0}, "rank"),
        ({"douban_id": "not-an-id"}, "douban_id"),
        ({"reporter": "someone else"}, "reporter"),
    ],
)
def test_a_report_that_names_nothing_or_breaks_a_rule_is_a_422_naming_it(handlers, wechat, fields, named):
    alice = sign_in(handlers, wechat)
    status, body, _ = report(handlers, alice, **fields)
    assert (status, body["code"]) == (422, "invalid_request")
    assert named in body["message"]


def test_without_sign_in_a_movie_page_report_is_kept_under_the_address(handlers, aws):
    status, receipt = call(handlers, "POST", "/feedback", {"kind": "not_fitting", "douban_id": "1292052"})
    assert (status, receipt["hidden"]) == (201, False)
    (kept,) = aws.Table("FeedbackTable").scan()["Items"]
    assert (kept["reporter"], kept["douban_id"]) == ("ip#198.51.100.7", "1292052")


def test_without_sign_in_a_reported_card_is_hidden_for_everyone(handlers):
    _, created = call(handlers, "POST", "/recommendations", {"mode": "star", "star": "是枝裕和", "count": 2})
    store = runtime.request_store()
    store.add_movie(UUID(created["id"]), MovieEntry(rank=1, title="小偷家族", year=2018, reason="家"))
    card = {"kind": "wrong_reason", "request_id": created["id"], "rank": 1}
    status, receipt = call(handlers, "POST", "/feedback", card)
    assert (status, receipt["hidden"]) == (201, True)
    assert call(handlers, "GET", f"/recommendations/{created['id']}")[1]["movies"] == []
