"""Property-based fuzzing of the HTTP API from its own OpenAPI document: nothing a client sends may get a 5xx.

schemathesis reads /openapi.json from the local stack and sends every operation its boundary cases and a few hundred
generated requests, valid and invalid alike (bad input is the point), then checks each answer: never a server error,
status, content type and body as documented where the document says, invalid input refused with a 4xx, and every
answer JSON, every refusal {"code", "message", "details"}. The run is derandomized so that CI sees the same cases.
"""

from __future__ import annotations

import time
from typing import Any

import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from tests.fakes.catalog import Film, serve
from tests.fakes.llm_server import Reply, movie

EXAMPLES_PER_OPERATION = 150  # generated cases on top of the boundary ones: about 550 in all, 25 s
FILMS = [
    Film("3541415", "盗梦空间", "Inception", 2010, directors=["克里斯托弗·诺兰"]),
    Film("3011051", "恐怖游轮", "Triangle", 2009, rating=None),
]
FINAL_STATUSES = ("done", "failed")


@schemathesis.check
def answers_json(ctx: schemathesis.CheckContext, response: schemathesis.Response, case: schemathesis.Case) -> None:
    """Every answer with a body is JSON, and every refusal says what was wrong in the API's one error shape."""
    if response.status_code == 204:  # a CORS preflight: no body at all
        return
    content_type = ";".join(response.headers.get("content-type", []))
    assert content_type.split(";")[0].strip() == "application/json", f"Content-Type {content_type!r}, not JSON"
    body = response.json()
    if 400 <= response.status_code < 500:
        assert isinstance(body, dict), f"error body {body!r} is not an object"
        missing = {"code", "message", "details"} - body.keys()
        assert not missing, f"error body lacks {sorted(missing)}: {body!r}"


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
    answers_json,
]


def test_a_request_is_answered_as_documented_from_creation_to_done(api_schema, stack, monkeypatch) -> None:
    """Fuzzed ids are unknown ones (404): a real id's every poll, pending to done with Douban cards, is checked here."""
    serve(stack.douban, FILMS)
    answer = Reply.movies([movie(film.title, film.year, film.original_title) for film in FILMS])
    monkeypatch.setattr(stack.llm, "default", lambda _: answer)
    create = api_schema["/recommendations"]["POST"]
    poll = api_schema["/recommendations/{request_id}"]["GET"]

    created = create.Case(body={"mode": "tags", "tags": ["科幻"], "count": len(FILMS)}).call_and_validate(
        checks=CHECKS, timeout=10
    )
    request_id = created.json()["id"]
    deadline = time.monotonic() + stack.api.deadline_seconds  # by then the request is done or failed
    view: dict[str, Any] = {}
    while view.get("status") not in FINAL_STATUSES and time.monotonic() < deadline:
        view = poll.Case(path_parameters={"request_id": request_id}).call_and_validate(checks=CHECKS, timeout=10).json()
        time.sleep(0.05)
    assert view["status"] == "done", view
    assert [card["status"] for card in view["movies"]] == ["found"] * len(FILMS)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,  # a shared 2-core CI machine: a slow answer is not a bug here
    derandomize=True,
    database=None,  # no example database: the cases depend on the code alone
    suppress_health_check=list(HealthCheck),  # every case is an HTTP round trip, slow by Hypothesis's measure
)
def test_no_request_breaks_the_api(case: schemathesis.Case) -> None:
    try:
        case.call_and_validate(checks=CHECKS, timeout=10)
    except requests.ConnectionError as error:
        # The server hung up without an answer: API Gateway would give the client a 502.
        raise AssertionError(f"no answer ({error}); reproduce with:\n    {case.as_curl_command()}") from None
