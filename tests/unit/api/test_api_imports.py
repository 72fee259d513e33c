"""The import routes and the import worker, invoked with API Gateway and SQS events as Lambda would."""

import base64
import json
from pathlib import Path

import pytest

from local.consumers import LambdaContext
from movierec import runtime
from tests.fakes.douban_history import (
    FORBIDDEN,
    doumark_csv,
    expected_entries,
    marks,
    refuse_interests,
    serve_interests,
)
from tests.fakes.douban_server import FakeDouban
from tests.unit.api.test_api import call
from tests.unit.conftest import IMPORT_DEAD_LETTER_QUEUE_ARN
from tests.unit.test_workers import invoke, sqs_event

EVENTS = Path(__file__).resolve().parents[3] / "events"


def sample(handlers, name):
    """The API function's status and body for the sample event ``events/<name>.json``."""
    event = json.loads((EVENTS / f"{name}.json").read_text())
    response = handlers["ApiFunction"](event, LambdaContext("ApiFunction", 10))
    return response["statusCode"], json.loads(response["body"])


def import_jobs(handlers):
    sqs = handlers["sqs"]
    messages = sqs.receive_message(QueueUrl=handlers["queues"]["ImportQueue"], MaxNumberOfMessages=10)
    return [json.loads(m["Body"]) for m in messages.get("Messages", [])]


@pytest.fixture
def douban(handlers, monkeypatch):
    with FakeDouban() as server:
        monkeypatch.setenv("DOUBAN_MOBILE_BASE_URL", server.base_url)
        monkeypatch.setenv("DOUBAN_REQUESTS_PER_MINUTE", "6000")  # the budget is not under test here
        runtime.reset()
        yield server


def test_the_sample_file_event_answers_its_films_in_file_order(handlers):
    status, history = sample(handlers, "api-import-file")
    assert (status, history["format"]) == (200, "doumark_csv")
    assert [(e["douban_id"], e["rating"], e["status"]) for e in history["entries"]] == [
        ("1292052", 5, "seen"),
        ("1291546", None, "seen"),
        ("3541415", 4, "seen"),
    ]
    assert history["entries"][0]["marked_at"] == 1719226814000  # 2024-06-24 19:00:14 in Beijing
    assert history["skipped"] == 0


def test_a_large_csv_is_read_whole(handlers):
    films = marks(3000)
    status, history = call(handlers, "POST", "/imports", {"filename": "movie.csv", "content": doumark_csv(films)})
    assert status == 200
    assert history["entries"] == expected_entries(films)


def test_an_xlsx_comes_base64_encoded(handlers):
    from tests.fakes.douban_history import tofu_xlsx

    films = marks(5)
    content = base64.b64encode(tofu_xlsx(films)).decode()
    status, history = call(
        handlers, "POST", "/imports", {"filename": "豆伴.xlsx", "content": content, "encoding": "base64"}
    )
    assert (status, history["format"]) == (200, "tofu_xlsx")
    assert history["entries"] == expected_entries(films)


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"filename": "a.csv", "content": "not,a,history\n1,2,3\n"}, "unknown_format"),
        ({"filename": "a.xlsx", "content": "@@@", "encoding": "base64"}, "invalid_base64"),
        ({"filename": "a.csv", "content": "id,title,url,star,star_time\n"}, "no_entries"),
    ],
)
def test_a_file_it_cannot_read_is_a_422_naming_the_problem(handlers, body, code):
    status, error = call(handlers, "POST", "/imports", body)
    assert (status, error["code"]) == (422, code)
    assert error["details"][0]["field"] == "content"
    assert error["message"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"filename": "a.csv"}, "content"),
        ({"content": ""}, "content"),
        ({"content": "x", "encoding": "gzip"}, "encoding"),
    ],
)
def test_a_request_without_a_file_is_a_422_naming_the_field(handlers, body, field):
    status, error = call(handlers, "POST", "/imports", body)
    assert (status, error["code"], error["details"][0]["field"]) == (422, "invalid_request", field)


def test_a_file_over_the_limit_is_413_while_the_same_body_elsewhere_is_limited_lower(handlers):
    from movierec.core.request_body import MAX_IMPORT_BODY_BYTES

    fits = doumark_csv(marks(3000))
    assert 64 * 1024 < len(fits.encode()) < MAX_IMPORT_BODY_BYTES
    assert call(handlers, "POST", "/imports", {"content": fits})[0] == 200
    too_large = "片" * (MAX_IMPORT_BODY_BYTES // 3 + 1)  # within the limit in characters, over it in bytes
    status, error = call(handlers, "POST", "/imports", {"content": too_large})
    assert (status, error["code"]) == (413, "payload_too_large")
    assert f"{MAX_IMPORT_BODY_BYTES:,} bytes" in error["message"]  # the limit it applies, not another


def test_importing_by_user_id_queues_a_job_and_polls_pending(handlers):
    status, created = sample(handlers, "api-import-douban-user")
    assert (status, created["status"]) == (202, "pending")
    assert import_jobs(handlers) == [{"import_id": created["id"], "start": 0, "host": None, "budget_waits": 0}]
    status, view = call(handlers, "GET", f"/imports/{created['id']}")
    assert status == 200
    assert view == {
        "id": created["id"],
        "status": "pending",
        "format": "douban_user",
        "user": "ahbei",
        "entries": [],
        "skipped": 0,
        "total": None,
        "error": None,
    }


@pytest.mark.parametrize("user", ["", "https://movie.douban.com/subject/1292052/", "a b"])
def test_something_that_names_no_douban_user_is_a_422(handlers, user):
    status, error = call(handlers, "POST", "/imports/douban-user", {"user": user})
    assert (status, error["details"][0]["field"]) == (422, "user")
    assert import_jobs(handlers) == []


def test_the_sample_poll_of_an_unknown_import_is_404(handlers):
    status, error = sample(handlers, "api-get-import")
    assert (status, error["code"]) == (404, "not_found")


def test_the_import_worker_reads_the_list_to_done(handlers, douban):
    films = marks(75)
    serve_interests(douban, "ahbei", films)
    _, created = call(handlers, "POST", "/imports/douban-user", {"user": "ahbei"})
    event = sqs_event("import-job", import_jobs(handlers))
    assert invoke(handlers, "ImportFunction", event) == {"batchItemFailures": []}
    _, view = call(handlers, "GET", f"/imports/{created['id']}")
    assert (view["status"], view["total"]) == ("done", 75)
    assert view["entries"] == expected_entries(films)


def test_a_refusal_ends_the_import_failed_with_no_retry(handlers, douban):
    refuse_interests(douban, "ahbei", FORBIDDEN)
    _, created = call(handlers, "POST", "/imports/douban-user", {"user": "ahbei"})
    assert invoke(handlers, "ImportFunction", sqs_event("import-job", import_jobs(handlers))) == {
        "batchItemFailures": []
    }
    _, view = call(handlers, "GET", f"/imports/{created['id']}")
    assert (view["status"], view["error"]["code"]) == ("failed", "douban_refused")


def test_the_sample_import_job_for_an_unknown_import_is_consumed(handlers, douban):
    event = json.loads((EVENTS / "import-job.json").read_text())
    assert invoke(handlers, "ImportFunction", event) == {"batchItemFailures": []}
    assert douban.requests == []


def test_an_import_job_in_the_dead_letter_queue_ends_the_import_failed(handlers):
    _, created = call(handlers, "POST", "/imports/douban-user", {"user": "ahbei"})
    event = sqs_event("dead-letter-job", import_jobs(handlers), source_arn=IMPORT_DEAD_LETTER_QUEUE_ARN)
    assert invoke(handlers, "DeadLetterFunction", event) == {"batchItemFailures": []}
    _, view = call(handlers, "GET", f"/imports/{created['id']}")
    assert (view["status"], view["error"]["code"]) == ("failed", "douban_unavailable")


def test_the_openapi_document_describes_the_import_routes(handlers):
    _, document = call(handlers, "GET", "/openapi.json")
    assert {"/imports", "/imports/douban-user", "/imports/{import_id}"} <= set(document["paths"])
    assert {"FileImportRequest", "ImportedHistory", "HistoryEntry", "ImportView"} <= set(
        document["components"]["schemas"]
    )
