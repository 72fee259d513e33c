"""The layer as `sam build` builds it (`make test` builds it before the Python tests run): what Lambda will load."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYER = ROOT / ".aws-sam" / "build" / "MovieRecLayer" / "python"

pytestmark = pytest.mark.skipif(not LAYER.is_dir(), reason="no layer built: `make sam-build` (make test runs it)")


def test_the_layer_leaves_out_what_the_lambda_runtime_has():
    """boto3 and botocore come with the runtime; a copy in the layer would shadow the runtime's own."""
    assert sorted(name for name in ("boto3", "botocore", "s3transfer", "dateutil") if (LAYER / name).exists()) == []
    assert list(LAYER.glob("botocore-*.dist-info")) == []


def test_the_layer_holds_the_package_and_what_it_imports():
    for name in ("movierec", "aws_lambda_powertools", "aws_xray_sdk", "pydantic", "openai", "parsel", "opencc"):
        assert (LAYER / name / "__init__.py").is_file(), name


def test_every_module_of_the_layer_is_compiled_for_python_312():
    """/opt is read-only in Lambda: a module without its .pyc is compiled again at every cold start."""
    tag = "cpython-312"
    missing = [
        source.relative_to(LAYER)
        for source in LAYER.rglob("*.py")
        if not (source.parent / "__pycache__" / f"{source.stem}.{tag}.pyc").is_file()
    ]
    assert missing == []


def test_the_bytecode_is_for_this_python_and_does_not_depend_on_the_sources_timestamps():
    """Unchecked hash-based .pyc (PEP 552): used as they are, whatever times the zip gives the sources."""
    header = (LAYER / "movierec" / "__pycache__" / "runtime.cpython-312.pyc").read_bytes()[:8]
    assert header[:4] == importlib.util.MAGIC_NUMBER  # the tests run on the runtime's Python, 3.12
    assert int.from_bytes(header[4:8], "little") == 0b01  # hash-based, source not checked
