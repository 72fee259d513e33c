"""The local stack as the integration tests start it, and the OpenAPI document it serves, for schemathesis."""

from __future__ import annotations

import pytest
import schemathesis
from schemathesis import GenerationMode
from schemathesis.schemas import BaseSchema

from tests.integration import conftest as integration
from tests.integration.conftest import Stack

# The integration suite's fixture, reused as is: moto, the real handlers, a fake LLM and Douban on 127.0.0.1.
stack = integration.stack


@pytest.fixture(scope="module")
def api_schema(stack: Stack) -> BaseSchema:
    schema = schemathesis.openapi.from_url(f"{stack.api.base_url}/openapi.json", timeout=10)
    # Invalid input as well as valid: what a client can send is the point, not only what the document allows.
    schema.config.generation.update(modes=list(GenerationMode))
    return schema


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request: pytest.FixtureRequest) -> None:
    # schemathesis 4.32's from_fixture() reads and renames the running test through `_nodeid`, which pytest 9.2
    # no longer has; give it one, or every test built on api_schema dies with AttributeError before sending anything.
    request.node._nodeid = request.node.nodeid
