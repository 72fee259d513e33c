"""The OpenAPI document is built from the registered modes: every mode is offered, and a poll names it."""

import json
import uuid

import pytest

from local.consumers import LambdaContext
from movierec import runtime
from movierec.modes import MODES
from movierec.modes.filters import Filters
from tests.unit.api.test_api import EVENTS, call, queued


def test_the_openapi_document_offers_every_registered_mode(handlers):
    status, document = call(handlers, "GET", "/openapi.json")
    assert status == 200
    schemas = document["components"]["schemas"]
    body = document["paths"]["/recommendations"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    offered = body.get("oneOf") or schemas[body["$ref"].rsplit("/", 1)[-1]]["oneOf"]
    assert {ref["$ref"].rsplit("/", 1)[-1] for ref in offered} == {mode.request.__name__ for mode in MODES.values()}
    for mode in MODES.values():
        assert schemas[mode.request.__name__]["properties"]["mode"]["const"] == mode.name
    view_mode = schemas["RecommendationView"]["properties"]["mode"]
    enum = schemas[view_mode["$ref"].rsplit("/", 1)[-1]]["enum"] if "$ref" in view_mode else view_mode["enum"]
    assert set(enum) == set(MODES)


@pytest.mark.parametrize("name", ["api-create-for-me", "api-create-like", "api-create-filters"])
def test_sample_events_of_the_new_modes_and_fields_are_accepted_and_queued(handlers, name):
    event = json.loads((EVENTS / f"{name}.json").read_text())
    response = handlers["ApiFunction"](event, LambdaContext("ApiFunction", 10))
    assert response["statusCode"] == 202, response["body"]
    created = json.loads(response["body"])
    assert queued(handlers) == [{"request_id": created["id"], "top_up": False}]
    status, view = call(handlers, "GET", f"/recommendations/{created['id']}")
    assert (status, view["mode"]) == (200, json.loads(event["body"])["mode"])


def test_the_sample_refine_event_refines_an_earlier_request(handlers):
    event = json.loads((EVENTS / "api-create-refine.json").read_text())
    response = handlers["ApiFunction"](event, LambdaContext("ApiFunction", 10))
    assert response["statusCode"] == 422  # its `previous` is an example id: no such request here
    assert json.loads(response["body"])["details"] == [{"field": "previous", "message": "no such request"}]

    _, earlier = call(handlers, "POST", "/recommendations", {"mode": "tags", "tags": ["科幻"]})
    body = json.loads(event["body"]) | {"previous": earlier["id"]}
    status, created = call(handlers, "POST", "/recommendations", body)
    assert (status, created["status"]) == (202, "pending")


def test_a_for_me_request_polls_with_its_mood_as_its_query(handlers):
    _, created = call(handlers, "POST", "/recommendations", {"mode": "for_me", "liked": ["3541415"], "mood": "轻松"})
    status, view = call(handlers, "GET", f"/recommendations/{created['id']}")
    assert (status, view["mode"], view["query"]) == (200, "for_me", "轻松")


@pytest.mark.parametrize("mode", [{"mode": "star", "star": "是枝裕和"}, {"mode": "for_me", "mood": "轻松"}])
def test_null_filters_mean_no_filters_as_null_means_none_for_the_other_optional_fields(handlers, mode):
    body = {**mode, "filters": None, "previous": None, "refine": None}
    status, created = call(handlers, "POST", "/recommendations", body)
    assert (status, created["status"]) == (202, "pending"), created
    inputs = runtime.request_store().inputs(uuid.UUID(created["id"]))
    assert inputs.parsed_request.filters == Filters()


def test_the_openapi_document_says_filters_may_be_null(handlers):
    _, document = call(handlers, "GET", "/openapi.json")
    filters = document["components"]["schemas"]["StarRequest"]["properties"]["filters"]
    assert {"type": "null"} in filters["anyOf"]


def test_a_country_douban_does_not_name_is_a_422_naming_it(handlers):
    body = {"mode": "star", "star": "是枝裕和", "filters": {"countries": ["日本", "火星"]}}
    status, answer = call(handlers, "POST", "/recommendations", body)
    assert (status, answer["code"]) == (422, "invalid_request")
    [detail] = answer["details"]
    assert detail["field"] == "filters.countries.1"
    assert "'火星'" in detail["message"]
    assert queued(handlers) == []


def test_words_that_leave_no_film_are_a_422_the_person_can_read(handlers):
    body = {"mode": "theme", "theme": "2099年以后的科幻片"}
    status, answer = call(handlers, "POST", "/recommendations", body)
    assert (status, answer["code"]) == (422, "nothing_can_match")
    assert "「2099年以后」的电影还没有上映" in answer["message"]
    assert [detail["field"] for detail in answer["details"]] == ["theme"]
    assert queued(handlers) == []


def test_explicit_years_that_leave_no_film_are_the_same_422_naming_the_filter(handlers):
    body = {"mode": "star", "star": "是枝裕和", "filters": {"years": {"from": 2099}}}
    status, answer = call(handlers, "POST", "/recommendations", body)
    assert (status, answer["code"]) == (422, "nothing_can_match")
    assert [detail["field"] for detail in answer["details"]] == ["filters.years"]


def test_the_poll_lists_the_filters_read_from_the_words_with_their_words(handlers):
    body = {"mode": "tags", "tags": ["韩国", "悬疑", "高分"], "dismissed_filters": ["kind"]}
    _, created = call(handlers, "POST", "/recommendations", body)
    _, view = call(handlers, "GET", f"/recommendations/{created['id']}")
    assert view["read_filters"] == [
        {"field": "countries", "value": ["韩国"], "words": ["韩国"], "label": "韩国", "source": "words"},
        {"field": "min_rating", "value": 8, "words": ["高分"], "label": "豆瓣 8 分以上", "source": "words"},
    ]


def test_the_openapi_document_describes_the_filters_read_and_the_ones_dismissed(handlers):
    _, document = call(handlers, "GET", "/openapi.json")
    schemas = document["components"]["schemas"]
    assert "read_filters" in schemas["RecommendationView"]["properties"]
    assert set(schemas["ReadFilter"]["properties"]) == {"field", "value", "words", "label", "source"}
    assert "dismissed_filters" in schemas["ThemeRequest"]["properties"]


def test_the_sample_event_in_words_is_read_into_filters_less_the_one_it_removed(handlers):
    event = json.loads((EVENTS / "api-create-words.json").read_text())
    response = handlers["ApiFunction"](event, LambdaContext("ApiFunction", 10))
    assert response["statusCode"] == 202
    stored = runtime.request_store().get(uuid.UUID(json.loads(response["body"])["id"]))
    assert [one.field for one in stored.read_filters] == ["countries", "years", "min_rating"]  # not max_runtime
