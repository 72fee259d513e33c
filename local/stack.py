"""The whole stack in one process: moto, the three real handlers, SQS pollers and the HTTP API."""

from __future__ import annotations

import importlib.util
import os
import queue
import sys
import time
import uuid
from collections.abc import Callable
from typing import Any

from local.api_server import ApiServer
from local.aws import REGION, LocalAws
from local.consumers import DEFAULT_CONCURRENCY, LambdaContext, SqsPoller
from local.template import FunctionSpec, Template

# Settings a developer may give in the environment or .env; they win over the template's defaults.
OVERRIDABLE = (
    "OPENAI_BASE_URL",
    "OPENAI_MODEL",
    "LLM_JSON_MODE",
    "LLM_STREAM",
    "LLM_STREAM_USAGE",
    "LLM_TEMPERATURE",
    "LLM_MAX_OUTPUT_TOKENS",
    "DOUBAN_BASE_URL",
    "DOUBAN_MOBILE_BASE_URL",
    "DOUBAN_FRODO_BASE_URL",
    "DOUBAN_FRODO_API_KEY",
    "DOUBAN_REQUESTS_PER_MINUTE",
    "DOUBAN_SIGNED_IN_REQUESTS_PER_MINUTE",
    "DOUBAN_BURST",
    "DOUBAN_CHALLENGE_SECONDS",
    "DOUBAN_BAN_SECONDS",
    "DOUBAN_WARM_UP_LISTS",
    "DOUBAN_TIMEOUT_SECONDS",
    "REQUEST_DEADLINE_SECONDS",
    "RATE_LIMIT_PER_MINUTE",
    "WECHAT_APP_ID",
    "WECHAT_API_BASE_URL",
    "CONTENT_SAFETY_ON_ERROR",
    "USER_REQUESTS_PER_MINUTE",
    "USER_DAILY_LLM_TOKENS",
    "SIGN_IN_PER_MINUTE",
    "FEEDBACK_PER_MINUTE",
    "OPERATOR_NAME",
    "OPERATOR_CONTACT",
    "MODEL_NAME",
    "MODEL_FILING",
)
# Where the local stack differs from a deployment unless told otherwise: a developer's WeChat check that cannot
# answer lets text through.
LOCAL_DEFAULTS = {"CONTENT_SAFETY_ON_ERROR": "pass"}
# Concurrent HTTP requests served at once (API Gateway would start more instances; a laptop needs few).
API_INSTANCES = 8
# Secrets are read from the environment locally (OPENAI_API_KEY, DOUBAN_COOKIE, WECHAT_APP_SECRET,
# OPENID_HASH_KEY), not from Secrets Manager.
LOCAL_SECRET_NAMES = {
    "OPENAI_API_KEY_SECRET": "",
    "DOUBAN_COOKIE_SECRET": "",
    "WECHAT_APP_SECRET_NAME": "",
    "OPENID_HASH_KEY_SECRET_NAME": "",
}


def load_handler(spec: FunctionSpec, copy: int = 0) -> Callable[[dict[str, Any], Any], Any]:
    """Import a function's handler from its own folder, under a name of its own (they are all `app.py`).

    Each `copy` is a separate module, with its own module-level state, like a separate Lambda instance; so are the
    modules of the function's own folder it imports (the API's routers, say), which Lambda finds on its path: they
    are imported afresh for each copy and never left in `sys.modules`, where another copy or function would find
    them.
    """
    module_name, attribute = spec.handler.rsplit(".", 1)
    path = spec.code_dir / f"{module_name}.py"
    module_spec = importlib.util.spec_from_file_location(f"{spec.name}_{module_name}_{copy}", path)
    if module_spec is None or module_spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(module_spec)
    folder = str(spec.code_dir.resolve())
    sys.path.insert(0, folder)
    try:
        module_spec.loader.exec_module(module)
    finally:
        sys.path.remove(folder)
        for name, loaded in list(sys.modules.items()):
            if (getattr(loaded, "__file__", None) or "").startswith(folder + os.sep):
                del sys.modules[name]
    return getattr(module, attribute)


class HandlerPool:
    """Lambda runs one event at a time per instance; handlers keep per-event state in module globals (the
    resolver, the batch processor). Concurrent local invocations each borrow an instance of their own."""

    def __init__(self, spec: FunctionSpec, size: int) -> None:
        self._instances: queue.Queue[Callable[[dict[str, Any], Any], Any]] = queue.Queue()
        for copy in range(size):
            self._instances.put(load_handler(spec, copy))

    def __call__(self, event: dict[str, Any], context: Any) -> Any:
        instance = self._instances.get()
        try:
            return instance(event, context)
        finally:
            self._instances.put(instance)


class LocalStack:
    def __init__(
        self,
        port: int = 3000,
        template: Template | None = None,
        moto_in_child_process: bool = False,
    ) -> None:
        self.template = template or Template.load()
        self.aws = LocalAws(self.template, moto_in_child_process=moto_in_child_process)
        self._port = port
        self._pollers: list[SqsPoller] = []
        self._api: ApiServer | None = None
        self.handlers: dict[str, HandlerPool] = {}

    @property
    def api_url(self) -> str:
        assert self._api is not None, "the stack is not started"
        return self._api.url

    def start(self) -> LocalStack:
        # No CloudWatch here: metrics would only flood the console with EMF lines.
        os.environ.setdefault("POWERTOOLS_METRICS_DISABLED", "true")
        self.aws.start()
        overrides = {name: os.environ[name] for name in OVERRIDABLE if os.environ.get(name)}
        for spec in self.template.functions():
            # Every function's variables go into the one process; a function's own module constants
            # (read at import) see its own values, as they would in its own Lambda.
            os.environ.update(self._environment(spec) | LOCAL_DEFAULTS | overrides)
            self.handlers[spec.name] = HandlerPool(spec, size=self._instances_needed(spec))
        from movierec import runtime  # imported late: it reads the environment set just above

        runtime.reset()
        for spec in self.template.functions():
            for source in spec.sqs_sources:
                poller = SqsPoller(
                    sqs=self.aws.client("sqs"),
                    queue_url=self.aws.queue_urls[source.queue],
                    queue_arn=self.aws.queue_arn(source.queue),
                    source=source,
                    function_name=spec.name,
                    timeout_seconds=spec.timeout,
                    handler=self.handlers[spec.name],
                    region=REGION,
                )
                poller.start()
                self._pollers.append(poller)
        self._api = ApiServer(self.handlers["ApiFunction"], port=self._port)
        self._api.start()
        return self

    def stop(self) -> None:
        if self._api is not None:
            self._api.stop()
        for poller in self._pollers:
            poller.request_stop()  # all at once: each may be in a long poll of up to a second
        for poller in self._pollers:
            poller.stop()
        self.aws.stop()

    def __enter__(self) -> LocalStack:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def run_scheduled(self, name: str) -> Any:
        """Invoke a scheduled function once, now, with the event EventBridge sends it (the local stack runs no
        schedules by itself: `make run WARM_UP=1` warms the movie cache this way)."""
        spec = next(spec for spec in self.template.functions() if spec.name == name and spec.schedules)
        event = {
            "version": "0",
            "id": str(uuid.uuid4()),
            "detail-type": "Scheduled Event",
            "source": "aws.events",
            "account": "123456789012",
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "region": REGION,
            "resources": [f"arn:aws:events:{REGION}:123456789012:rule/{name}"],
            "detail": {},
        }
        return self.handlers[name](event, LambdaContext(name, spec.timeout))

    @staticmethod
    def _instances_needed(spec: FunctionSpec) -> int:
        if spec.schedules and not spec.sqs_sources:
            return 1  # EventBridge runs a schedule's target once at a time here
        if not spec.sqs_sources:
            return API_INSTANCES
        return sum(source.max_concurrency or DEFAULT_CONCURRENCY for source in spec.sqs_sources)

    def _environment(self, spec: FunctionSpec) -> dict[str, str]:
        variables = self.template.globals_environment | spec.environment
        resolved = {name: self.aws.resolve(value) for name, value in variables.items()}
        return resolved | {name: value for name, value in LOCAL_SECRET_NAMES.items() if name in resolved}
