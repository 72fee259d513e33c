"""The whole stack in-process (moto, real handlers, SQS pollers, HTTP API) against fake upstreams on 127.0.0.1.

The fake Douban answers as Douban does in 2026 (its `2026-anonymous` profile: challenged desktop pages, the mobile
API anonymous). Its rate-limit and ban thresholds, and the stack's Douban budget, are raised here, since most tests
test something else; the budget's own tests (test_douban_budget.py) run with the deployed defaults.
"""

from __future__ import annotations

import io
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

import pytest
import requests

from local.stack import LocalStack
from movierec import runtime
from tests.fakes.douban_profiles import RELAXED, Douban2026, anonymous_2026
from tests.fakes.douban_server import FakeDouban
from tests.fakes.llm_server import FakeLLM

TEST_API_KEY = "sk-test-key-never-logged-0123456789"


@dataclass
class Api:
    base_url: str
    token: str | None = None  # sent as a Bearer token when set

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def signed_in(self, token: str) -> Api:
        return replace(self, token=token)

    def create(self, payload: dict) -> requests.Response:
        return requests.post(f"{self.base_url}/recommendations", json=payload, headers=self.headers, timeout=5)

    def get(self, request_id: str) -> requests.Response:
        return requests.get(f"{self.base_url}/recommendations/{request_id}", headers=self.headers, timeout=5)

    def wait_until_final(self, request_id: str, timeout: float = 20.0) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            body = self.get(request_id).json()
            if body["status"] in ("done", "failed"):
                return body
            time.sleep(0.05)
        raise AssertionError(f"request {request_id} did not finish in {timeout}s: {body}")

    def recommend(self, payload: dict, timeout: float = 20.0) -> dict:
        response = self.create(payload)
        assert response.status_code == 202, response.text
        return self.wait_until_final(response.json()["id"], timeout)


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
