"""`make run`'s entry point as a person starts it: a process that serves, says what it uses, and stops on Ctrl-C."""

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

from tests.fakes.catalog import Film, serve
from tests.fakes.douban_server import FakeDouban
from tests.fakes.llm_server import FakeLLM, Reply, movie
from tests.integration.conftest import Api

ROOT = Path(__file__).resolve().parents[2]
READY = re.compile(r"movierec API on (http://127\.0\.0\.1:\d+)")


def start(env_overrides: dict[str, str]) -> tuple[subprocess.Popen, Api, list[str]]:
    """Start `python -m local` and read its banner, up to the line that says it is ready, plus what follows it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "DOUBAN_", "AWS_"))}
    env |= {"PORT": "0", "PYTHONUNBUFFERED": "1"} | env_overrides
    process = subprocess.Popen(
        [sys.executable, "-m", "local"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    banner = []
    for line in process.stdout:
        banner.append(line)
        if ready := READY.search(line):
            banner += [process.stdout.readline() for _ in range(3 if "OPENAI_API_KEY" not in env_overrides else 2)]
            return process, Api(ready.group(1)), banner
    raise AssertionError("".join(banner))


def stop(process: subprocess.Popen) -> str:
    process.send_signal(signal.SIGINT)
    output, _ = process.communicate(timeout=20)
    return output


def test_without_a_key_it_starts_says_so_and_requests_fail_clearly():
    process, api, banner = start({})
    try:
        assert sum("OPENAI_API_KEY is not set" in line for line in banner) == 1, banner
        result = api.recommend({"mode": "star", "star": "周星驰"})
        assert result["status"] == "failed"
        assert result["error"]["code"] == "llm_not_configured"
    finally:
        stop(process)
    assert process.returncode == 0


def test_a_request_reaches_done_through_the_running_stack_which_stops_on_ctrl_c():
    with FakeLLM() as llm, FakeDouban() as douban:
        serve(douban, [Film("1291543", "功夫", "功夫", 2004, directors=["周星驰"], cast=["周星驰"])])
        llm.script(Reply.movies([movie("功夫", 2004)]))
        process, api, banner = start(
            {"OPENAI_API_KEY": "sk-local", "OPENAI_BASE_URL": llm.base_url, "DOUBAN_BASE_URL": douban.base_url}
        )
        try:
            assert any(llm.base_url in line for line in banner), banner
            result = api.recommend({"mode": "star", "star": "周星驰", "count": 1})
            assert result["status"] == "done"
            assert result["movies"][0]["douban"]["directors"] == ["周星驰"]
        finally:
            output = stop(process)
    assert process.returncode == 0
    assert "stopping" in output
