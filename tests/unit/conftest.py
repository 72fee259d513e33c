import boto3
import pytest
from moto import mock_aws

from local.aws import create_tables
from local.template import Template


@pytest.fixture
def aws(monkeypatch):
    """moto in memory, with the template's tables (named after their logical ids)."""
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        create_tables(boto3.client("dynamodb"), Template.load())
        yield boto3.resource("dynamodb")
