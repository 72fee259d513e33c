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
    assert set(tables) == {
        "RequestsTable",
        "MovieCacheTable",
        "IdempotencyTable",
        "RateLimitTable",
        "SessionsTable",
        "MarksTable",
        "ImportsTable",
        "FeedbackTable",
    }
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
    from movierec.core.retries import MAX_RETRY_DELAY_SECONDS

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
    from movierec.douban.budget import unlimited
    from movierec.douban.http import DoubanHttp
    from movierec.douban.interests import IMPORT_SPEND
    from movierec.history_import.user_import import JOB_BUDGET_SECONDS

    function = FUNCTIONS["ImportFunction"]
    timeout = float(function.environment["DOUBAN_TIMEOUT_SECONDS"])
    # a timed-out request and its one retry, each after its longest wait for the Douban budget, and the wait between
    slowest_page = 2 * (IMPORT_SPEND.wait_seconds + timeout) + 5
    assert DoubanHttp(budget=unlimited(), timeout_seconds=timeout)._max_timeout_retries == 1
    assert JOB_BUDGET_SECONDS + slowest_page < function.timeout


def test_a_history_file_fits_lambdas_invocation_limit_even_escaped_twice():
    from movierec.core.request_body import MAX_IMPORT_BODY_BYTES

    event_envelope = 64 * 1024  # headers, request context
    assert 2 * MAX_IMPORT_BODY_BYTES + event_envelope < 6 * 1024 * 1024


def test_the_api_reads_douban_as_the_scrape_worker_does_within_its_timeout():
    from movierec.recommendation.movie_cards import READ_WAIT_SECONDS

    api, scrape = FUNCTIONS["ApiFunction"], FUNCTIONS["ScrapeFunction"]
    for name in ("DOUBAN_BASE_URL", "DOUBAN_MOBILE_BASE_URL"):
        assert api.environment[name] == scrape.environment[name]
    # GET /movies/{id}: three subject sources at most, a timed-out call retried once, each waiting for the budget
    assert 3 * 2 * (READ_WAIT_SECONDS + float(api.environment["DOUBAN_TIMEOUT_SECONDS"])) < api.timeout < 29
    statements = RESOURCES["ApiFunction"]["Properties"]["Policies"][0]["Statement"]
    on_cache = [s for s in statements if s.get("Resource") == {"Fn::GetAtt": ["MovieCacheTable", "Arn"]}]
    assert [set(s["Action"]) for s in on_cache] == [{"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"}]


def test_the_wechat_app_secret_comes_from_secrets_manager():
    variables = TEMPLATE.globals_environment
    assert variables["WECHAT_APP_SECRET_NAME"] == {"Ref": "WeChatAppSecretName"}
    assert variables["OPENID_HASH_KEY_SECRET_NAME"] == {"Ref": "OpenIdHashKeySecret"}
    assert all("WECHAT_APP_SECRET" not in spec.environment for spec in FUNCTIONS.values())
    assert "WECHAT_APP_SECRET" not in variables
    # The key that makes openids into person ids is generated once and outlives the stack.
    hash_key = RESOURCES["OpenIdHashKeySecret"]
    assert hash_key["Type"] == "AWS::SecretsManager::Secret"
    assert hash_key["Properties"]["GenerateSecretString"]["PasswordLength"] >= 32
    assert hash_key["DeletionPolicy"] == hash_key["UpdateReplacePolicy"] == "Retain"


def _policy_text(function: str) -> str:
    return json.dumps(RESOURCES[function]["Properties"]["Policies"])


def test_only_the_functions_that_need_people_can_read_their_tables_and_secrets():
    for function in ("ScrapeFunction", "DeadLetterFunction"):
        text = _policy_text(function)
        assert "SessionsTable" not in text
        assert "WeChatAppSecretName" not in text
    assert "MarksTable" not in _policy_text("DeadLetterFunction")
    # The recommend worker reads a person's marks (their taste, for for_me), and the scrape worker whether they marked
    # the film it found (every marked film is avoided, uncapped); both only query them.
    for function in ("RecommendFunction", "ScrapeFunction"):
        statements = RESOURCES[function]["Properties"]["Policies"][0]["Statement"]
        on_marks = [s for s in statements if "MarksTable" in json.dumps(s.get("Resource"))]
        assert [(s["Action"], s["Resource"]) for s in on_marks] == [
            ("dynamodb:Query", {"Fn::GetAtt": ["MarksTable", "Arn"]})
        ]
    assert "OpenIdHashKeySecret" not in _policy_text("RecommendFunction")  # it never hashes an openid
    api = _policy_text("ApiFunction")
    assert "OpenIdHashKeySecret" in api
    assert "WeChatAppSecretName" in api
    assert "MarksTable.Arn}/index/*" in api  # the by_synced_at index, for "what changed since"


def test_every_arn_and_host_is_built_for_any_partition():
    """AWS China (aws-cn, amazonaws.com.cn) too: no ARN or AWS host is written out."""
    text = (TEMPLATE.root / "template.yaml").read_text()
    assert "arn:aws:" not in text
    assert "amazonaws.com" not in text
    arns = [line for line in text.splitlines() if "arn:" in line and not line.lstrip().startswith("#")]
    assert arns
    assert all("arn:${AWS::Partition}:" in line for line in arns)
    assert "${AWS::URLSuffix}" in json.dumps(TEMPLATE.outputs["ApiUrl"])


def test_a_custom_domain_is_optional_and_becomes_the_api_url():
    assert TEMPLATE.parameter_default("DomainName") == ""
    assert TEMPLATE.parameter_default("CertificateArn") == ""
    domain, mapping = RESOURCES["ApiDomain"], RESOURCES["ApiBasePathMapping"]
    assert domain["Condition"] == mapping["Condition"] == "HasCustomDomain"
    assert domain["Properties"]["DomainName"] == {"Ref": "DomainName"}
    assert domain["Properties"]["RegionalCertificateArn"] == {"Ref": "CertificateArn"}
    assert domain["Properties"]["EndpointConfiguration"] == {"Types": ["REGIONAL"]}
    assert mapping["Properties"]["DomainName"] == {"Ref": "ApiDomain"}
    assert mapping["Properties"]["RestApiId"] == {"Ref": "Api"}
    condition, with_domain, without = TEMPLATE.outputs["ApiUrl"]["Value"]["Fn::If"]
    assert condition == "HasCustomDomain"
    assert with_domain == {"Fn::Sub": "https://${DomainName}"}
    assert without == {"Fn::Sub": "https://${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/prod"}
    # Both or neither: a domain without its certificate is refused before anything is created.
    (rule,) = TEMPLATE.document["Rules"].values()
    assert "CertificateArn" in json.dumps(rule["Assertions"])


def test_the_api_is_regional_and_sends_the_token_header_through_cors():
    properties = RESOURCES["Api"]["Properties"]
    assert properties["EndpointConfiguration"] == {"Type": "REGIONAL"}  # AWS China has no edge-optimized APIs
    assert "Authorization" in properties["Cors"]["AllowHeaders"]


def test_every_function_is_traced_with_powertools():
    assert TEMPLATE.function_globals["Tracing"] == "Active"
    assert RESOURCES["Api"]["Properties"]["TracingEnabled"] is True
    for spec in FUNCTIONS.values():
        source = (spec.code_dir / "app.py").read_text()
        assert "@tracer.capture_lambda_handler" in source, spec.name


def test_content_safety_fails_closed_unless_the_operator_says_otherwise():
    assert TEMPLATE.parameters["ContentSafetyOnError"]["Default"] == "fail_closed"
    assert TEMPLATE.globals_environment["CONTENT_SAFETY_ON_ERROR"] == {"Ref": "ContentSafetyOnError"}


def test_the_recommend_worker_reads_douban_for_its_context_step_within_the_request_deadline():
    from movierec.douban.subject_budget import DOUBAN_SECONDS

    recommend, scrape = FUNCTIONS["RecommendFunction"], FUNCTIONS["ScrapeFunction"]
    for name in ("DOUBAN_BASE_URL", "DOUBAN_MOBILE_BASE_URL"):
        assert recommend.environment[name] == scrape.environment[name]
    # The last read may start at the end of the budget: three subject sources, a timed-out call retried once.
    context_step = DOUBAN_SECONDS + 3 * 2 * float(recommend.environment["DOUBAN_TIMEOUT_SECONDS"])
    llm_deadline = 60  # LLM_DEADLINE_SECONDS' default
    assert context_step + llm_deadline < int(TEMPLATE.globals_environment["REQUEST_DEADLINE_SECONDS"])
    assert context_step + llm_deadline < recommend.timeout
    statements = RESOURCES["RecommendFunction"]["Properties"]["Policies"][0]["Statement"]
    on_cache = [s for s in statements if s.get("Resource") == {"Fn::GetAtt": ["MovieCacheTable", "Arn"]}]
    assert [set(s["Action"]) for s in on_cache] == [{"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"}]


def test_every_function_that_reads_douban_takes_from_the_one_budget():
    variables = TEMPLATE.globals_environment
    assert variables["DOUBAN_REQUESTS_PER_MINUTE"] == {"Ref": "DoubanRequestsPerMinute"}
    assert variables["DOUBAN_SIGNED_IN_REQUESTS_PER_MINUTE"] == {"Ref": "DoubanSignedInRequestsPerMinute"}
    assert variables["DOUBAN_COOKIE_SECRET"] == {"Ref": "DoubanCookieSecretName"}  # a name: whether one is set
    assert (
        TEMPLATE.parameter_default("DoubanRequestsPerMinute"),
        TEMPLATE.parameter_default("DoubanSignedInRequestsPerMinute"),
    ) == (10, 20)
    for function in ("ApiFunction", "RecommendFunction", "ScrapeFunction", "ImportFunction", "WarmUpFunction"):
        statements = RESOURCES[function]["Properties"]["Policies"][0]["Statement"]
        on_budget = [s for s in statements if s.get("Resource") == {"Fn::GetAtt": ["RateLimitTable", "Arn"]}]
        actions = {action for statement in on_budget for action in _actions(statement)}
        assert {"dynamodb:GetItem", "dynamodb:UpdateItem"} <= actions, function


def _actions(statement: dict) -> list[str]:
    action = statement["Action"]
    return action if isinstance(action, list) else [action]


def test_the_movie_cache_is_warmed_daily_from_douban_s_lists():
    from movierec.douban.lists import WARM_UP_SPEND, DoubanList

    warm_up = FUNCTIONS["WarmUpFunction"]
    assert warm_up.schedules == ["cron(0 19 * * ? *)"]  # 03:00 in Beijing
    assert warm_up.sqs_sources == []
    assert warm_up.environment["DOUBAN_WARM_UP_LISTS"] == {"Ref": "DoubanWarmUpLists"}
    lists = DoubanList.parse_all(TEMPLATE.parameter_default("DoubanWarmUpLists"))
    assert {"movie_top250", "movie_real_time_hotest", "movie_weekly_best", "tv_hot"} <= {item.name for item in lists}
    assert warm_up.timeout > 3 * WARM_UP_SPEND.wait_seconds  # a few pages, however long each waits for its token
    assert "MovieCacheTable" in _policy_text("WarmUpFunction")
    assert "RequestsTable" not in _policy_text("WarmUpFunction")
