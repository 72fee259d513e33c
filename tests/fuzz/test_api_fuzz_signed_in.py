"""The same fuzzing with sign-in configured: a signed-in person's token on every call, a fake WeChat behind sign-in
and the content check. Nothing a person sends may get a 5xx, and every answer is as documented."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.schemas import BaseSchema

from tests.fakes.wechat_server import FakeWeChat
from tests.fuzz.test_api_fuzz import CHECKS
from tests.integration.conftest import Stack, running_stack

EXAMPLES_PER_OPERATION = 60


@pytest.fixture(scope="module")
def signed_in() -> Iterator[tuple[Stack, FakeWeChat]]:
    with FakeWeChat() as wechat:
        unlimited = {"USER_REQUESTS_PER_MINUTE": "0", "USER_DAILY_LLM_TOKENS": "0", "SIGN_IN_PER_MINUTE": "0"}
        with running_stack(wechat.stack_environment() | unlimited) as stack:
            yield stack, wechat


@pytest.fixture(scope="module")
def signed_in_schema(signed_in) -> BaseSchema:
    stack, wechat = signed_in
    code = wechat.code_for("o-fuzz")
    token = requests.post(f"{stack.api.base_url}/sessions", json={"code": code}, timeout=5).json()["token"]
    # DELETE /me takes no input, and would end the one session every other case signs in with: its answers are
    # tested in tests/unit/api/test_api_me.py and tests/integration/test_launch_rules.py.
    schema = schemathesis.openapi.from_url(f"{stack.api.base_url}/openapi.json", timeout=10).exclude(
        method="DELETE", path="/me"
    )
    schema.config.generation.update(modes=list(GenerationMode))

    @schema.auth()
    class PersonsToken:
        def get(self, case, ctx):
            return token

        def set(self, case, data, ctx):
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}

    return schema


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request: pytest.FixtureRequest) -> None:
    request.node._nodeid = request.node.nodeid  # see tests/fuzz/conftest.py


schema = schemathesis.pytest.from_fixture("signed_in_schema")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_request_from_a_signed_in_person_breaks_the_api(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=CHECKS, timeout=10)
