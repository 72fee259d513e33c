"""The API function with sign-in configured (a fake WeChat on 127.0.0.1), on the sample events and without them."""

import json

import pytest

from local.api_server import rest_api_event
from local.consumers import LambdaContext
from tests.unit.api.signed_in import invoke, sample, sign_in


def test_the_sample_sign_in_answers_a_token_and_nothing_of_wechats(handlers, wechat):
    status, body, _ = invoke(handlers, sample("api-sign-in", code=wechat.code_for("o-alice")))
    assert status == 200
    assert set(body) == {"token", "expires_in"}
    assert "o-alice" not in json.dumps(body)


def test_a_bad_code_is_401_and_a_blocked_account_403_with_a_message_that_does_not_ask_to_sign_in_again(
    handlers, wechat
):
    status, refused, _ = invoke(handlers, sample("api-sign-in", code="not-a-code-wechat-gave"))
    assert (status, refused["code"]) == (401, "sign_in_refused")

    status, blocked, _ = invoke(handlers, sample("api-sign-in", code=wechat.code_for("o-risky", blocked=True)))

    assert (status, blocked["code"]) == (403, "sign_in_blocked")
    assert "重新登录也无法解决" in blocked["message"]
    _, document, _ = invoke(handlers, rest_api_event("GET", "/openapi.json", {}, b"", "198.51.100.7"))
    assert "403" in document["paths"]["/sessions"]["post"]["responses"]


def test_the_sample_marks_events_sync_a_persons_marks(handlers, wechat):
    token = sign_in(handlers, wechat)
    status, posted, _ = invoke(handlers, sample("api-marks-post", token))
    assert status == 200
    assert [(m["douban_id"], m["status"], m["deleted"]) for m in posted["marks"]] == [
        ("1292052", "seen", False),
        ("3541415", "favourite", False),
        ("1291546", "disliked", True),
    ]
    status, page, _ = invoke(handlers, sample("api-marks-get", token))
    assert status == 200
    assert len(page["marks"]) == 3
    assert page["next_since"] > 1763900000000


@pytest.mark.parametrize("name", ["api-create-tags", "api-get", "api-marks-get", "api-marks-post"])
def test_every_other_route_needs_a_token(handlers, wechat, name):
    status, body, response = invoke(handlers, sample(name))
    assert (status, body["code"]) == (401, "unauthorized")
    assert response["headers"]["WWW-Authenticate"] == "Bearer"
    status, body, response = invoke(handlers, sample(name, "an-unknown-token-of-43-characters-xxxxxxxxx"))
    assert status == 401
    assert response["headers"]["WWW-Authenticate"] == 'Bearer error="invalid_token"'


@pytest.mark.parametrize(("method", "path"), [("GET", "/health"), ("GET", "/openapi.json"), ("GET", "/swagger")])
def test_health_and_the_documents_are_open(handlers, wechat, method, path):
    event = rest_api_event(method, path, {}, b"", "198.51.100.7")
    assert handlers["ApiFunction"](event, LambdaContext("ApiFunction", 10))["statusCode"] == 200


def test_a_cors_preflight_needs_no_token(handlers, wechat):
    headers = {"Origin": "https://servicewechat.com", "Access-Control-Request-Method": "POST"}
    event = rest_api_event("OPTIONS", "/recommendations", headers, b"", "198.51.100.7")
    assert invoke(handlers, event)[0] == 204


def test_a_signed_in_person_creates_and_polls_their_request(handlers, wechat):
    token = sign_in(handlers, wechat)
    status, created, _ = invoke(handlers, sample("api-create-tags", token))
    assert status == 202
    poll = sample("api-get", token)
    poll["path"] = f"/recommendations/{created['id']}"
    assert invoke(handlers, poll)[0] == 200
    other = sign_in(handlers, wechat, openid="o-bob")
    poll = sample("api-get", other)
    poll["path"] = f"/recommendations/{created['id']}"
    assert invoke(handlers, poll)[0] == 404


def test_the_document_declares_the_bearer_token_and_the_open_routes(handlers, wechat):
    event = rest_api_event("GET", "/openapi.json", {}, b"", "198.51.100.7")
    _, document, _ = invoke(handlers, event)
    bearer = document["components"]["securitySchemes"]["bearer"]
    assert (bearer["type"], bearer["scheme"]) == ("http", "bearer")
    assert document["security"] == [{"bearer": []}]
    assert document["paths"]["/health"]["get"]["security"] == [{}]
    assert document["paths"]["/sessions"]["post"]["security"] == [{}]
    assert "401" in document["paths"]["/recommendations"]["post"]["responses"]
    assert "401" in document["paths"]["/me/marks"]["post"]["responses"]
