"""The API function, invoked with API Gateway events as Lambda and `sam local invoke` would."""

import json
import uuid
from pathlib import Path

import pytest

from local.api_server import rest_api_event
from local.consumers import LambdaContext

EVENTS = Path(__file__).resolve().parents[3] / "events"


def call(handlers, method, path, body=None, raw=None, headers=None):
    data = raw if raw is not None else (json.dumps(body, ensure_ascii=False).encode() if body is not None else b"")
    event = rest_api_event(method, path, headers or {"Content-Type": "application/json"}, data, "198.51.100.7")
    response = handlers["ApiFunction"](event, LambdaContext("ApiFunction", 10))
    return response["statusCode"], json.loads(response["body"]) if response.get("body") else None


def queued(handlers):
    sqs = handlers["sqs"]
    messages = sqs.receive_message(QueueUrl=handlers["queues"]["RecommendQueue"], MaxNumberOfMessages=10)
    return [json.loads(m["Body"]) for m in messages.get("Messages", [])]


@pytest.mark.parametrize("name", ["api-create-tags", "api-create-theme", "api-create-star"])
def test_sample_create_events_are_accepted_and_queued(handlers, name):
    event = json.loads((EVENTS / f"{name}.json").read_text())
    response = handlers["ApiFunction"](event, LambdaContext("ApiFunction", 10))
    assert response["statusCode"] == 202
    created = json.loads(response["body"])
    assert created["status"] == "pending"
    assert uuid.UUID(created["id"]).version == 4
    assert queued(handlers) == [{"request_id": created["id"], "top_up": False}]


def test_a_created_request_polls_as_pending_with_its_query(handlers):
    _, created = call(handlers, "POST", "/recommendations", {"mode": "star", "star": " 是枝裕和 "})
    status, view = call(handlers, "GET", f"/recommendations/{created['id']}")
    assert status == 200
    assert view == {
        "id": created["id"],
        "mode": "star",
        "query": "是枝裕和",
        "count": 8,
        "status": "pending",
        "movies": [],
        "error": None,
        "read_filters": [],  # a name states no filter
    }


def test_the_sample_share_event_shares_a_request_and_an_unknown_one_is_404(handlers):
    event = json.loads((EVENTS / "api-share.json").read_text())
    response = handlers["ApiFunction"](event, LambdaContext("ApiFunction", 10))
    assert response["statusCode"] == 404  # the sample's id names no request here
    _, created = call(handlers, "POST", "/recommendations", {"mode": "star", "star": "是枝裕和"})
    status, shared = call(handlers, "POST", f"/recommendations/{created['id']}/share")
    assert (status, shared) == (200, {"id": created["id"], "shared": True})


def test_the_sample_invalid_event_names_the_field_and_the_rule(handlers):
    event = json.loads((EVENTS / "api-create-invalid.json").read_text())
    response = handlers["ApiFunction"](event, LambdaContext("ApiFunction", 10))
    body = json.loads(response["body"])
    assert response["statusCode"] == 422
    assert body["code"] == "invalid_request"
    assert body["details"][0]["field"] == "tags"
    assert "at least 1 item" in body["details"][0]["message"]
    assert queued(handlers) == []


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (b'{"mode": "tags", "tags": ["a"', "body"),
        (b"[]", "body"),
        (b'{"mode": "poem", "poem": "x"}', "body"),
        (b'{"mode": "theme", "theme": "   "}', "theme"),
        (b'{"mode": "star", "star": "x", "count": 99}', "count"),
    ],
)
def test_bad_bodies_get_422_naming_the_problem(handlers, raw, field):
    status, body = call(handlers, "POST", "/recommendations", raw=raw)
    assert status == 422
    assert body["code"] == "invalid_request"
    assert any(detail["field"].startswith(field) for detail in body["details"]), body
    assert queued(handlers) == []


def test_an_unknown_previous_request_is_refused(handlers):
    status, body = call(
        handlers, "POST", "/recommendations", {"mode": "star", "star": "周星驰", "previous": str(uuid.uuid4())}
    )
    assert status == 422
    assert body["details"] == [{"field": "previous", "message": "no such request"}]


@pytest.mark.parametrize(
    "request_id", ["3f0b9d62-5c1a-4e7b-8d2f-9a6c1e4b7d30", "not-a-uuid", "6f1c1d7e-2a4b-1c8e-9a57-0f6b8f7e1a2b"]
)
def test_unknown_or_malformed_ids_are_404(handlers, request_id):
    status, body = call(handlers, "GET", f"/recommendations/{request_id}")
    assert status == 404
    assert body["code"] == "not_found"


def test_unknown_routes_are_404_json(handlers):
    status, body = call(handlers, "GET", "/nope")
    assert (status, body["code"]) == (404, "not_found")


def test_health_and_openapi(handlers):
    assert call(handlers, "GET", "/health") == (200, {"status": "ok"})
    status, document = call(handlers, "GET", "/openapi.json")
    assert status == 200
    assert set(document["paths"]) >= {"/recommendations", "/recommendations/{request_id}", "/health"}
    schemas = document["components"]["schemas"]
    assert {"TagsRequest", "ThemeRequest", "StarRequest", "RecommendationView", "ApiError"} <= set(schemas)


def test_sample_sqs_events_for_an_unknown_request_are_consumed_without_failures(handlers):
    for name, function in (
        ("recommend-job", "RecommendFunction"),
        ("scrape-job", "ScrapeFunction"),
        ("dead-letter-job", "DeadLetterFunction"),
    ):
        event = json.loads((EVENTS / f"{name}.json").read_text())
        assert handlers[function](event, LambdaContext(function, 30)) == {"batchItemFailures": []}


def test_a_client_over_its_limit_gets_429_with_retry_after(handlers, monkeypatch):
    from movierec import runtime

    monkeypatch.setenv("RATE_LIMIT_PER_MINUTE", "2")
    runtime.reset()
    payload = {"mode": "star", "star": "周星驰"}
    assert [call(handlers, "POST", "/recommendations", payload)[0] for _ in range(2)] == [202, 202]
    event = rest_api_event("POST", "/recommendations", {"Content-Type": "application/json"}, b"{}", "198.51.100.7")
    event["body"] = json.dumps(payload)
    response = handlers["ApiFunction"](event, LambdaContext("ApiFunction", 10))
    assert response["statusCode"] == 429
    assert json.loads(response["body"])["code"] == "rate_limited"
    retry_after = (response.get("multiValueHeaders") or {}).get("Retry-After", [None])[0]
    assert 1 <= int(retry_after or response["headers"]["Retry-After"]) <= 60
    assert len(queued(handlers)) == 2
    other_client = rest_api_event("POST", "/recommendations", {"Content-Type": "application/json"}, b"{}", "192.0.2.1")
    other_client["body"] = json.dumps(payload)
    assert handlers["ApiFunction"](other_client, LambdaContext("ApiFunction", 10))["statusCode"] == 202


def test_a_body_that_is_not_json_is_415(handlers):
    status, body = call(handlers, "POST", "/recommendations", raw=b"mode=tags", headers={"Content-Type": "text/plain"})
    assert (status, body["code"]) == (415, "unsupported_media_type")


def test_an_oversized_body_is_413(handlers):
    huge = {"mode": "star", "star": "周星驰", "exclude": ["片" * 100] * 6000}
    status, body = call(handlers, "POST", "/recommendations", huge)
    assert (status, body["code"]) == (413, "payload_too_large")
    assert queued(handlers) == []


def test_a_request_past_its_deadline_polls_as_failed_with_timeout(handlers, aws):
    _, created = call(handlers, "POST", "/recommendations", {"mode": "star", "star": "周星驰"})
    aws.Table("RequestsTable").update_item(
        Key={"id": created["id"]}, UpdateExpression="SET deadline_at = :past", ExpressionAttributeValues={":past": 1}
    )
    status, view = call(handlers, "GET", f"/recommendations/{created['id']}")
    assert (status, view["status"]) == (200, "failed")
    assert view["error"]["code"] == "timeout"
    # the worker that picks the job up later leaves it as it is
    event = json.loads((EVENTS / "recommend-job.json").read_text())
    event["Records"][0]["body"] = json.dumps({"request_id": created["id"]})
    assert handlers["RecommendFunction"](event, LambdaContext("RecommendFunction", 120)) == {"batchItemFailures": []}
    assert call(handlers, "GET", f"/recommendations/{created['id']}")[1]["error"]["code"] == "timeout"


def test_a_body_that_is_not_utf8_is_400(handlers):
    status, body = call(handlers, "POST", "/recommendations", raw=b'{"mode": "tags", "tags": ["\x80"]}')
    assert (status, body["code"], body["details"][0]["field"]) == (400, "invalid_request", "body")


def test_a_body_in_another_charset_is_415(handlers):
    latin1 = {"Content-Type": "application/json; charset=latin-1"}
    status, body = call(handlers, "POST", "/recommendations", raw=b'{"mode": "star", "star": "x"}', headers=latin1)
    assert (status, body["code"]) == (415, "unsupported_media_type")


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/sessions", {"code": "0a3Xyz000aBcDe1FgHi200kLmN3Xyz0o"}),
        ("GET", "/me/marks", None),
        ("POST", "/me/marks", {"marks": []}),
    ],
)
def test_without_sign_in_there_are_no_people_and_the_answer_says_so(handlers, method, path, body):
    status, answer = call(handlers, method, path, body)
    assert (status, answer["code"]) == (404, "sign_in_not_configured")


def test_an_open_api_declares_no_token_and_documents_the_people_routes(handlers):
    _, document = call(handlers, "GET", "/openapi.json")
    assert "security" not in document
    schemas = set(document["components"]["schemas"])
    assert {"SignInRequest", "SessionIssued", "Mark", "MarksUpload", "MarksPage"} <= schemas


def test_a_validators_own_message_reaches_the_client_without_pydantics_prefix(handlers):
    status, body = call(handlers, "POST", "/recommendations", {"mode": "star", "star": "周星驰", "refine": "更冷门"})
    assert status == 422
    assert body["details"] == [{"field": "refine", "message": "needs `previous`: the request whose answer it refines"}]
    assert body["message"] == "refine: needs `previous`: the request whose answer it refines"
    assert "Value error" not in json.dumps(body)


def test_one_bad_list_answers_a_short_message_and_a_bounded_list_of_details(handlers):
    bad = [f"片名{index}\x07" for index in range(200)]  # a control character in every entry
    status, body = call(handlers, "POST", "/recommendations", {"mode": "for_me", "liked": bad, "disliked": bad})

    assert (status, body["code"]) == (422, "invalid_request")
    assert len(body["details"]) == 20
    assert body["details"][0] == {"field": "liked.0", "message": "must not contain control characters"}
    assert body["message"] == (
        "liked.0: must not contain control characters; liked.1: must not contain control characters; "
        "liked.2: must not contain control characters; …and 397 more"
    )
    assert queued(handlers) == []


def test_each_local_api_instance_has_routers_of_its_own(handlers):
    """Locally, concurrent requests go to separate copies of the function, like separate Lambda instances: a
    router shared between copies would read another copy's event (another person's token, another address)."""
    import inspect
    import sys

    from local.stack import load_handler
    from local.template import Template

    spec = next(spec for spec in Template.load().functions() if spec.name == "ApiFunction")
    copies = [inspect.unwrap(load_handler(spec, copy)).__globals__ for copy in range(2)]
    for module in ("errors", "document", "sessions", "marks", "recommendations", "imports", "movies"):
        routers = [globals_[module].router for globals_ in copies]
        assert routers[0] is not routers[1]
        assert [router.api_resolver for router in routers] == [globals_["app"] for globals_ in copies]
    assert "routes" not in sys.modules
    assert "errors" not in sys.modules


@pytest.mark.parametrize("path", ["/recommendations", "/feedback", "/imports", "/imports/douban-user"])
def test_json_nested_past_what_a_parser_follows_is_422_naming_the_body_not_a_crash(handlers, path):
    raw = b'{"mode": "tags", "tags": ' + b"[" * 50_000 + b"]" * 50_000 + b"}"
    status, body = call(handlers, "POST", path, raw=raw)
    assert (status, body["code"]) == (422, "invalid_request")
    assert body["details"] == [{"field": "body", "message": "JSON nested too deeply to read"}]
    assert queued(handlers) == []
