"""The API function's cold import, as Lambda does it, against a bare boto3 client, measured in the same run.

Each sample is a new interpreter that times, inside itself, one of (the interpreter's own start is the same for
both and is left out):

- **the API**: `import app` from functions/api, on the layer as `sam build` makes it (shared/Makefile): the movierec
  package compiled ahead with unchecked hashes, its libraries as pip installed them (compiled too), and nothing
  written at run time, as Lambda's /opt and /var/task are read-only (the function's own app.py, shipped as source,
  is compiled at each start, as in Lambda). It runs with the environment Lambda gives the ApiFunction: template.yaml's
  variables (the parameters' defaults, tables and queues named as the local stack names them), the region, and
  LAMBDA_TASK_ROOT, so that Powertools' Tracer patches as it does in Lambda.
- **boto3**: `import boto3` and `boto3.client("dynamodb")`, in the same environment.

SAMPLES of each, alternating, after one of each not counted (it loads the files into the page cache); the figures
are medians. Target: the API ≤ 2.0 × boto3. The API's interpreter also reports which of the libraries its routes
seldom or never need it loaded.
"""

from __future__ import annotations

import compileall
import json
import os
import py_compile
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from statistics import median

from local.aws import ACCOUNT_ID, REGION, LocalAws
from local.template import Template

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = 7
TARGET = 2.0  # the API's cold import, × a bare boto3 client's
# Libraries the API must not load at cold start (tests/unit/test_cold_start.py holds the rule).
WATCHED = ("openai", "parsel", "lxml", "openpyxl", "json_repair", "opencc", "requests")
FUNCTION = "ApiFunction"

_API = """
import json, sys, time
sys.path[:0] = {paths!r}
start = time.perf_counter()
import app
seconds = time.perf_counter() - start
print(json.dumps({{"seconds": seconds, "loaded": [name for name in {watched!r} if name in sys.modules]}}))
"""
_BOTO3 = """
import json, time
start = time.perf_counter()
import boto3
boto3.client("dynamodb")
print(json.dumps({"seconds": time.perf_counter() - start, "loaded": []}))
"""


@dataclass(frozen=True)
class ColdStart:
    api: list[float]
    boto3: list[float]
    loaded: list[str]  # of WATCHED, what importing the API loaded

    @property
    def ratio(self) -> float:
        return median(self.api) / median(self.boto3)

    @property
    def passed(self) -> bool:
        return self.ratio <= TARGET and not self.loaded


def lambda_environment(template: Template) -> dict[str, str]:
    """The ApiFunction's variables as CloudFormation would resolve them, and what Lambda itself sets."""
    (spec,) = (spec for spec in template.functions() if spec.name == FUNCTION)
    aws = LocalAws(template)
    aws.queue_urls = {
        name: f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT_ID}/{name}" for name in template.of_type("AWS::SQS::Queue")
    }
    variables = template.globals_environment | spec.environment
    resolved = {name: aws.resolve(value) for name, value in variables.items()}
    return resolved | {
        "AWS_REGION": REGION,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_LAMBDA_FUNCTION_NAME": FUNCTION,
        "AWS_EXECUTION_ENV": "AWS_Lambda_python3.12",
        "LAMBDA_TASK_ROOT": "/var/task",
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
    }


def _deployed_code(into: Path) -> list[str]:
    """The function's folder and the layer's movierec, laid out and compiled as `sam build` makes them."""
    layer, function = into / "layer", into / "function"
    shutil.copytree(ROOT / "shared" / "movierec", layer / "movierec", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "functions" / "api", function, ignore=shutil.ignore_patterns("__pycache__"))
    mode = py_compile.PycInvalidationMode.UNCHECKED_HASH  # as shared/Makefile's compileall
    if not compileall.compile_dir(layer, quiet=1, force=True, invalidation_mode=mode):
        raise RuntimeError("the layer's code does not compile")
    return [str(function), str(layer)]


def _sample(code: str, environment: dict[str, str]) -> tuple[float, list[str]]:
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )
    if run.returncode != 0:
        raise RuntimeError(f"the cold import failed:\n{run.stderr}")
    result = json.loads(run.stdout.splitlines()[-1])  # after the API's log lines at start-up
    return result["seconds"], result["loaded"]


def measure(samples: int = SAMPLES) -> ColdStart:
    # The developer's own settings and AWS profile stay out; nothing is written next to the code (read-only in Lambda).
    base = {name: value for name, value in os.environ.items() if name in ("PATH", "HOME", "LANG", "TMPDIR")}
    environment = base | lambda_environment(Template.load()) | {"PYTHONDONTWRITEBYTECODE": "1"}
    with tempfile.TemporaryDirectory(prefix="movierec-cold-start-") as folder:
        api_code = _API.format(paths=_deployed_code(Path(folder)), watched=WATCHED)
        _sample(api_code, environment)
        _sample(_BOTO3, environment)
        api, boto3, loaded = [], [], set()
        for _ in range(samples):
            seconds, names = _sample(api_code, environment)
            api.append(seconds)
            loaded.update(names)
            boto3.append(_sample(_BOTO3, environment)[0])
    return ColdStart(api=api, boto3=boto3, loaded=sorted(loaded))


def table(result: ColdStart) -> list[str]:
    def seconds(values: list[float]) -> str:
        return f"{median(values):.2f} s ({min(values):.2f}–{max(values):.2f})"

    loaded = ", ".join(result.loaded) or "none"
    return [
        f"cold import, a new interpreter each time: median (min–max) of {len(result.api)}, alternating",
        f"{'':44}{'measured':<22}{'ratio':>7}  {'target':<8}result",
        f"{'boto3: import it, make one DynamoDB client':44}{seconds(result.boto3)}",
        f"{'API function: import app (layer as built)':44}{seconds(result.api):<22}{result.ratio:6.2f}x  "
        f"≤{TARGET:.1f}x   {'PASS' if result.passed else 'FAIL'}",
        f"  loaded by the API's import, of {', '.join(WATCHED)}: {loaded}",
    ]


if __name__ == "__main__":
    print("\n".join(table(measure())))
