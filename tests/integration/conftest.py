"""The whole stack in-process (moto, real handlers, SQS pollers, HTTP API) against fake upstreams on 127.0.0.1.

The fake Douban answers as Douban does in 2026 (its `2026-anonymous` profile: challenged desktop pages, the mobile
API anonymous). Its rate-limit and ban thresholds, and the stack's Douban budget, are raised here, since most tests
test something else; the budget's own tests (test_douban_budget.py) run with the deployed defaults.
"""

from __future__ import annotations

import io
import json
import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

import pytest
import requests

from local.stack import LocalStack
from local.template import Template
from movierec import runtime
from tests.fakes.douban_profiles import RELAXED, Douban2026, anonymous_2026
from tests.fakes.douban_server import FakeDouban
from tests.fakes.llm_server import FakeLLM
from tests.fakes.wechat_server import FakeWeChat

TEST_API_KEY = "sk-test-key-never-logged-0123456789"
DEADLINE_MARGIN_SECONDS = 10  # for the poll that finds the deadline passed


def _setting(name: str) -> str:
    """A setting as the stack reads it: from the environment, else template.yaml's default for every function."""
    return os.environ.get(name) or str(Template.load().globals_environment[name])


@dataclass
class Api:
    base_url: str
    token: str | None = None  # sent as a Bearer token when set
    # The stack's own request deadline: by then a request is done or failed (template.yaml's, unless set otherwise).
    deadline_seconds: float = field(default_factory=lambda: float(_setting("REQUEST_DEADLINE_SECONDS")))

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def signed_in(self, token: str) -> Api:
        return replace(self, token=token)

    def create(self, payload: dict) -> requests.Response:
        return requests.post(f"{self.base_url}/recommendations", json=payload, headers=self.headers, timeout=5)

    def get(self, request_id: str) -> requests.Response:
        return requests.get(f"{self.base_url}/recommendations/{request_id}", headers=self.headers, timeout=5)

    def wait_until(self, request_id: str, shows: Callable[[dict], bool]) -> dict:
        """The first poll that `shows` what is awaited, or the request's final state, whichever comes first.

        No timeout of the test's own: the product promises a final state by the request's deadline (a poll past it
        ends the request `failed`, code timeout), so only a broken promise (or a test that awaits what never comes)
        fails here, however slow the machine.
        """
        deadline = time.monotonic() + self.deadline_seconds + DEADLINE_MARGIN_SECONDS
        while time.monotonic() < deadline:
            body = self.get(request_id).json()
            if shows(body) or body["status"] in ("done", "failed"):
                return body
            time.sleep(0.05)
        raise AssertionError(f"request {request_id} was neither done nor failed past its deadline: {body}")

    def wait_until_final(self, request_id: str) -> dict:
        return self.wait_until(request_id, lambda body: False)

    def recommend(self, payload: dict) -> dict:
        response = self.create(payload)
        assert response.status_code == 202, response.text
        return self.wait_until_final(response.json()["id"])


@pytest.fixture
def log_output() -> Iterator[io.StringIO]:
    """Everything movierec logs during the test, formatted exactly as in Lambda."""
    from movierec.core.observability import logger

    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logger.registered_formatter)
    service_logger = logging.getLogger(logger.name)
    service_logger.addHandler(handler)
    yield buffer
    service_logger.removeHandler(handler)


@dataclass
class Stack:
    api: Api
    llm: FakeLLM
    douban: FakeDouban
    local: LocalStack


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    with running_stack() as started:
        yield started


# The budget is raised where it is not what a test tests (with the fake's thresholds: see the module's docstring).
RAISED_BUDGET = {"DOUBAN_REQUESTS_PER_MINUTE": "6000", "DOUBAN_SIGNED_IN_REQUESTS_PER_MINUTE": "6000"}


@contextmanager
def running_stack(environment: dict[str, str] | None = None, profile: Douban2026 | None = None) -> Iterator[Stack]:
    """The local stack against a fake LLM and Douban (2026-anonymous unless told), with `environment` on top of the
    tests' settings."""
    saved = dict(os.environ)
    with FakeLLM() as llm, FakeDouban(profile=profile or anonymous_2026(**RELAXED)) as douban:
        os.environ.update(
            {
                "OPENAI_BASE_URL": llm.base_url,
                "OPENAI_API_KEY": TEST_API_KEY,
                "OPENAI_MODEL": "fake-model",
                "LLM_DEADLINE_SECONDS": "10",
                "LLM_MAX_ATTEMPTS": "3",
                "DOUBAN_BASE_URL": douban.base_url,
                "DOUBAN_MOBILE_BASE_URL": douban.base_url,
                "DOUBAN_FRODO_BASE_URL": douban.base_url,
                "DOUBAN_FRODO_API_KEY": "operator-frodo-key",
                **RAISED_BUDGET,
                "POWERTOOLS_METRICS_DISABLED": "true",
                "RATE_LIMIT_PER_MINUTE": "0",
                "PARTIAL_REFRESH_DELAY_SECONDS": "1",
                "RETRY_BASE_SECONDS": "0",  # failed messages come straight back
                # Faults are injected on purpose: keep their waits short.
                "LLM_READ_TIMEOUT_SECONDS": "1",
                "DOUBAN_TIMEOUT_SECONDS": "0.5",
                "DOUBAN_CIRCUIT_MAX_OPEN_SECONDS": "1",  # the tests send many requests from one address
                "DOUBAN_CHALLENGE_SECONDS": "1",  # (a challenge is remembered for hours deployed)
                **(environment or {}),
            }
        )
        local = LocalStack(port=0)
        try:
            local.start()
            yield Stack(api=Api(local.api_url), llm=llm, douban=douban, local=local)
        finally:
            local.stop()
            os.environ.clear()
            os.environ.update(saved)
            runtime.reset()


@dataclass
class People:
    """A stack with sign-in configured against a fake WeChat, and the people who sign in to it."""

    stack: Stack
    wechat: FakeWeChat

    @property
    def url(self) -> str:
        return self.stack.api.base_url

    def sign_in(self, openid: str) -> Api:
        response = requests.post(f"{self.url}/sessions", json={"code": self.wechat.code_for(openid)}, timeout=5)
        assert response.status_code == 200, response.text
        return self.stack.api.signed_in(response.json()["token"])

    def call(self, api: Api, method: str, path: str, body: dict | None = None) -> requests.Response:
        return requests.request(method, f"{self.url}{path}", json=body, headers=api.headers, timeout=10)

    def everything_of(self, *marks: str) -> dict[str, list[dict]]:
        """Every item of every table of the stack that holds any of ``marks``, by table."""
        dynamodb = self.stack.local.aws.client("dynamodb")
        found = {}
        for table in self.stack.local.template.of_type("AWS::DynamoDB::Table"):
            pages = dynamodb.get_paginator("scan").paginate(TableName=table)
            items = [
                item
                for page in pages
                for item in page["Items"]
                if any(m in json.dumps(item, default=repr) for m in marks)
            ]
            if items:
                found[table] = items
        return found


@contextmanager
def signed_in_stack(hash_key: str) -> Iterator[People]:
    """The local stack with sign-in configured against a fake WeChat, the per-person limits lifted."""
    with FakeWeChat() as wechat:
        unlimited = {"USER_REQUESTS_PER_MINUTE": "0", "USER_DAILY_LLM_TOKENS": "0", "SIGN_IN_PER_MINUTE": "0"}
        with running_stack(wechat.stack_environment(hash_key) | unlimited) as stack:
            yield People(stack, wechat)
