"""The logs of a whole run: structured JSON, the request id as correlation id, and no secret anywhere."""

import json

from tests.fakes.catalog import Film, serve
from tests.fakes.llm_server import Reply, movie
from tests.integration.conftest import TEST_API_KEY

KUNG_FU = Film("1291543", "功夫", "Kung Fu Hustle", 2004, directors=["周星驰"], cast=["周星驰"])


def test_a_whole_run_logs_json_with_the_request_id_and_never_the_key(stack, log_output):
    serve(stack.douban, [KUNG_FU])
    stack.llm.script(Reply.error(500), Reply.movies([movie("功夫", 2004), movie("编造的电影", 2020)]))
    result = stack.api.recommend({"mode": "star", "star": "周星驰", "count": 1})
    assert result["status"] == "done"
    output = log_output.getvalue()

    assert TEST_API_KEY not in output
    assert TEST_API_KEY[-12:] not in output
    records = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    assert records, output
    about_the_request = [r for r in records if "correlation_id" in r]
    assert any(r["message"] == "movie recorded" for r in about_the_request)
    assert {r["correlation_id"] for r in about_the_request} == {result["id"]}
    assert all({"level", "message", "timestamp", "service"} <= set(r) for r in records)
