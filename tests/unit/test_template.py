"""What the deployed stack promises, read from template.yaml itself."""

import json

import pytest

from local.template import Template

TEMPLATE = Template.load()
RESOURCES = TEMPLATE.resources
FUNCTIONS = {spec.name: spec for spec in TEMPLATE.functions()}


def queue_consumers():
    """(queue logical id, consuming function) for every SQS event source."""
    return [(source.queue, spec) for spec in FUNCTIONS.values() for source in spec.sqs_sources]


@pytest.mark.parametrize(("queue", "function"), queue_consumers(), ids=lambda v: getattr(v, "name", v))
def test_each_queue_hides_a_message_six_times_as_long_as_its_consumer_runs(queue, function):
    visibility = RESOURCES[queue]["Properties"]["VisibilityTimeout"]
    assert visibility >= 6 * function.timeout


@pytest.mark.parametrize("queue", ["RecommendQueue", "ScrapeQueue", "ImportQueue"])
def test_each_work_queue_redrives_to_a_dead_letter_queue_that_is_consumed(queue):
    redrive = RESOURCES[queue]["Properties"]["RedrivePolicy"]
    dead_letter_queue = redrive["deadLetterTargetArn"]["Fn::GetAtt"][0]
    assert RESOURCES[dead_letter_queue]["Type"] == "AWS::SQS::Queue"
    assert redrive["maxReceiveCount"] >= 2
    assert dead_letter_queue in {q for q, _ in queue_consumers()}


def test_every_sqs_source_reports_batch_item_failures():
    sources = [source for spec in FUNCTIONS.values() for source in spec.sqs_sources]
    assert sources
    assert all(source.reports_batch_item_failures for source in sources)


def test_the_scrape_consumer_is_bounded_to_be_polite_to_douban():
    (source,) = FUNCTIONS["ScrapeFunction"].sqs_sources
    assert source.max_concurrency is not None
    assert 2 <= source.max_concurrency <= 10


def test_the_workers_know_their_max_receive_count():
    workers = (
        ("RecommendFunction", "RecommendQueue"),
        ("ScrapeFunction", "ScrapeQueue"),
        ("ImportFunction", "ImportQueue"),
    )
    for function, queue in workers:
        redrive = RESOURCES[queue]["Properties"]["RedrivePolicy"]
        assert int(FUNCTIONS[function].environment["MAX_RECEIVE_COUNT"]) == redrive["maxReceiveCount"]


def test_tables_expire_their_items():
    tables = TEMPLATE.of_type("AWS::DynamoDB::Table")
    assert set(tables) == {"RequestsTable", "MovieCacheTable", "IdempotencyTable", "RateLimitTable", "ImportsTable"}
    assert all(props["TimeToLiveSpecification"]["Enabled"] for props in tables.values())


def test_functions_run_python_312_with_the_shared_layer():
    assert TEMPLATE.function_globals["Runtime"] == "python3.12"
    assert TEMPLATE.function_globals["Layers"] == [{"Ref": "MovieRecLayer"}]
    assert RESOURCES["MovieRecLayer"]["Properties"]["ContentUri"] == "shared/"
    assert all((spec.code_dir / "app.py").is_file() for spec in FUNCTIONS.values())


def test_policies_are_least_privilege():
    text = json.dumps(TEMPLATE.of_type("AWS::Serverless::Function"))
    assert "FullAccess" not in text
    assert '"Action": "*"' not in text
    assert '"Resource": "*"' not in text


def test_the_api_is_throttled_and_its_url_is_an_output():
    settings = RESOURCES["Api"]["Properties"]["MethodSettings"][0]
    assert settings["ThrottlingRateLimit"] > 0
    assert settings["ThrottlingBurstLimit"] > 0
    assert "ApiUrl" in (TEMPLATE.root / "template.yaml").read_text()


def test_the_openai_key_comes_from_secrets_manager():
    recommend = FUNCTIONS["RecommendFunction"]
    assert recommend.environment["OPENAI_API_KEY_SECRET"] == {"Ref": "OpenAIApiKeySecretName"}
    assert "OPENAI_API_KEY" not in recommend.environment


def test_the_retry_backoff_fits_within_the_request_deadline():
    from movierec.retries import MAX_RETRY_DELAY_SECONDS

    deadline = int(TEMPLATE.globals_environment["REQUEST_DEADLINE_SECONDS"])
    base = 2  # RETRY_BASE_SECONDS' default
    scrape_retries = int(FUNCTIONS["ScrapeFunction"].environment["MAX_RECEIVE_COUNT"]) - 1
    waits = sum(min(MAX_RETRY_DELAY_SECONDS, base * 2**attempt) for attempt in range(scrape_retries))
    assert waits < deadline
    policies = json.dumps(RESOURCES["ScrapeFunction"]["Properties"]["Policies"])
    assert "sqs:ChangeMessageVisibility" in policies


def test_the_import_worker_reads_one_list_at_a_time_to_be_polite_to_douban():
    (source,) = FUNCTIONS["ImportFunction"].sqs_sources
    assert source.batch_size == 1
    assert source.max_concurrency is not None
    assert source.max_concurrency <= 4


def test_an_import_job_stops_reading_pages_in_time_for_its_function_timeout():
    from movierec.douban.http import DoubanHttp
    from movierec.history_import.user_import import JOB_BUDGET_SECONDS

    function = FUNCTIONS["ImportFunction"]
    timeout = float(function.environment["DOUBAN_TIMEOUT_SECONDS"])
    slowest_page = timeout * 2 + 5  # a timed-out request, its one retry, and the longest wait between them
    assert DoubanHttp(timeout_seconds=timeout)._max_timeout_retries == 1
    assert JOB_BUDGET_SECONDS + slowest_page < function.timeout


def test_a_history_file_fits_lambdas_invocation_limit_even_escaped_twice():
    from movierec.request_body import MAX_IMPORT_BODY_BYTES

    event_envelope = 64 * 1024  # headers, request context
    assert 2 * MAX_IMPORT_BODY_BYTES + event_envelope < 6 * 1024 * 1024


def test_the_api_reads_douban_as_the_scrape_worker_does_within_its_timeout():
    api, scrape = FUNCTIONS["ApiFunction"], FUNCTIONS["ScrapeFunction"]
    for name in ("DOUBAN_BASE_URL", "DOUBAN_MOBILE_BASE_URL", "DOUBAN_COOKIE_SECRET", "DOUBAN_REQUESTS_PER_SECOND"):
        assert api.environment[name] == scrape.environment[name]
    # GET /movies/{id}: three subject sources at most, a timed-out call retried once
    assert 3 * 2 * float(api.environment["DOUBAN_TIMEOUT_SECONDS"]) < api.timeout
    statements = RESOURCES["ApiFunction"]["Properties"]["Policies"][0]["Statement"]
    on_cache = [s for s in statements if s.get("Resource") == {"Fn::GetAtt": ["MovieCacheTable", "Arn"]}]
    assert [set(s["Action"]) for s in on_cache] == [{"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"}]


def test_the_recommend_worker_reads_douban_for_its_context_step_within_the_request_deadline():
    from movierec.douban.subject_budget import DOUBAN_SECONDS

    recommend, scrape = FUNCTIONS["RecommendFunction"], FUNCTIONS["ScrapeFunction"]
    for name in ("DOUBAN_BASE_URL", "DOUBAN_MOBILE_BASE_URL", "DOUBAN_COOKIE_SECRET", "DOUBAN_REQUESTS_PER_SECOND"):
        assert recommend.environment[name] == scrape.environment[name]
    # The last read may start at the end of the budget: three subject sources, a timed-out call retried once.
    context_step = DOUBAN_SECONDS + 3 * 2 * float(recommend.environment["DOUBAN_TIMEOUT_SECONDS"])
    llm_deadline = 60  # LLM_DEADLINE_SECONDS' default
    assert context_step + llm_deadline < int(TEMPLATE.globals_environment["REQUEST_DEADLINE_SECONDS"])
    assert context_step + llm_deadline < recommend.timeout
    statements = RESOURCES["RecommendFunction"]["Properties"]["Policies"][0]["Statement"]
    on_cache = [s for s in statements if s.get("Resource") == {"Fn::GetAtt": ["MovieCacheTable", "Arn"]}]
    assert [set(s["Action"]) for s in on_cache] == [{"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"}]
