"""What each function loads at cold start: only what its own work needs (issue 14).

A Lambda instance imports its handler before the first event; every library imported there is paid on each cold
start, whether the event uses it or not. The API never calls the model, and reads Douban or a history file on a
few routes only; the workers each do one job. Each function is imported in a fresh interpreter, as Lambda does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# The model's client and its answer parsers; Douban's HTTP client, page parser and script converter; the history
# file readers; Powertools' OpenAPI models, which only the OpenAPI document and the Swagger page need.
MODEL = ("openai", "jiter", "json_repair")
DOUBAN = ("requests", "parsel", "lxml", "opencc")
HISTORY_FILES = ("openpyxl", "defusedxml")
OPENAPI_DOCUMENT = ("aws_lambda_powertools.event_handler.openapi.models",)

NOT_AT_COLD_START = {
    "api": MODEL + DOUBAN + HISTORY_FILES + OPENAPI_DOCUMENT,
    "recommend": HISTORY_FILES + OPENAPI_DOCUMENT,
    "scrape": MODEL + HISTORY_FILES + OPENAPI_DOCUMENT,
    "imports": MODEL + HISTORY_FILES + OPENAPI_DOCUMENT,
    "dead_letters": MODEL + DOUBAN + HISTORY_FILES + OPENAPI_DOCUMENT,
}


def modules_loaded_at_cold_start(function: str, names: tuple[str, ...]) -> list[str]:
    """Which of `names` importing the function's handler loads, in a new interpreter."""
    code = (
        f"import json, sys; sys.path[:0] = ['shared', 'functions/{function}']; import app; "
        f"print(json.dumps(sorted(name for name in {names!r} if name in sys.modules)))"
    )
    # Each handler checks its settings at import, and the workers build their idempotency store (in the region
    # Lambda sets).
    settings = {
        "RECOMMEND_QUEUE_URL": "https://sqs.invalid/recommend",
        "SCRAPE_QUEUE_URL": "https://sqs.invalid/scrape",
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=os.environ | settings, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.splitlines()[-1])  # after any log line at start-up


@pytest.mark.parametrize("function", sorted(NOT_AT_COLD_START))
def test_a_function_loads_at_cold_start_nothing_its_work_does_not_need(function):
    assert modules_loaded_at_cold_start(function, NOT_AT_COLD_START[function]) == []


def test_the_check_sees_a_module_that_is_loaded():
    """The probe itself: what the API does load is reported, so an empty answer above means something."""
    assert modules_loaded_at_cold_start("api", ("boto3", "pydantic")) == ["boto3", "pydantic"]
