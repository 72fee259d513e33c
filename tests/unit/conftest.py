import boto3
import pytest
from moto import mock_aws

from local import dynamodb_fidelity
from local.aws import create_tables
from local.template import Template

RECOMMEND_DEAD_LETTER_QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:RecommendDeadLetterQueue"
SCRAPE_DEAD_LETTER_QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:ScrapeDeadLetterQueue"
IMPORT_DEAD_LETTER_QUEUE_ARN = "arn:aws:sqs:us-east-1:123456789012:ImportDeadLetterQueue"


@pytest.fixture
def aws(monkeypatch):
    """moto in memory, with the template's tables (named after their logical ids), atomic and billed as in AWS."""
    dynamodb_fidelity.install()
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        create_tables(boto3.client("dynamodb"), Template.load())
        yield boto3.resource("dynamodb")


@pytest.fixture
def handlers(aws, monkeypatch):
    """The real handlers, wired to moto through the environment the template gives them."""
    from local.stack import load_handler
    from movierec import runtime

    sqs = boto3.client("sqs")
    names = ("RecommendQueue", "ScrapeQueue", "ImportQueue", "RecommendDeadLetterQueue", "ScrapeDeadLetterQueue")
    queues = {name: sqs.create_queue(QueueName=name)["QueueUrl"] for name in names}
    monkeypatch.setenv("RECOMMEND_DEAD_LETTER_QUEUE_ARN", RECOMMEND_DEAD_LETTER_QUEUE_ARN)
    monkeypatch.setenv("SCRAPE_DEAD_LETTER_QUEUE_ARN", SCRAPE_DEAD_LETTER_QUEUE_ARN)
    monkeypatch.setenv("IMPORT_DEAD_LETTER_QUEUE_ARN", IMPORT_DEAD_LETTER_QUEUE_ARN)
    monkeypatch.setenv("REQUESTS_TABLE", "RequestsTable")
    monkeypatch.setenv("MOVIE_CACHE_TABLE", "MovieCacheTable")
    monkeypatch.setenv("IDEMPOTENCY_TABLE", "IdempotencyTable")
    monkeypatch.setenv("RATE_LIMIT_TABLE", "RateLimitTable")
    monkeypatch.setenv("RECOMMEND_QUEUE_URL", queues["RecommendQueue"])
    monkeypatch.setenv("SCRAPE_QUEUE_URL", queues["ScrapeQueue"])
    monkeypatch.setenv("IMPORTS_TABLE", "ImportsTable")
    monkeypatch.setenv("FEEDBACK_TABLE", "FeedbackTable")
    monkeypatch.setenv("IMPORT_QUEUE_URL", queues["ImportQueue"])
    monkeypatch.setenv("POWERTOOLS_METRICS_DISABLED", "true")
    runtime.reset()
    loaded = _Handlers({spec.name: spec for spec in Template.load().functions()}, load_handler)
    loaded.update(queues=queues, sqs=sqs)
    yield loaded
    runtime.reset()


class _Handlers(dict):
    """Each function's handler, imported when a test first asks for it (most tests call one or two): an import makes
    the function's clients, a tenth of a second or more each."""

    def __init__(self, specs, load_handler):
        super().__init__()
        self._specs = specs
        self._load_handler = load_handler

    def __missing__(self, name):
        self[name] = handler = self._load_handler(self._specs[name])
        return handler
