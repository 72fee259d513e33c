"""The OpenAPI document is built from the registered modes: every mode is offered, and a poll names it."""

from movierec.modes import MODES
from tests.unit.test_api import call


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
