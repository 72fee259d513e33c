"""`make run`'s entry point as a person starts it: a process that serves, says what it uses, and stops on Ctrl-C,
with the moto server it started (a child process of its own) stopped too."""

import ctypes
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from tests.fakes.catalog import Film, serve
from tests.fakes.douban_profiles import anonymous_2026
from tests.fakes.douban_server import FakeDouban
from tests.fakes.llm_server import FakeLLM, Reply, movie
from tests.integration.conftest import Api

ROOT = Path(__file__).resolve().parents[2]
READY = re.compile(r"movierec API on (http://127\.0\.0\.1:\d+)")
MOTO = re.compile(r"AWS \(moto\): (http://127\.0\.0\.1:\d+)")  # the banner's last line


def start(env_overrides: dict[str, str]) -> tuple[subprocess.Popen, Api, list[str]]:
    """Start `python -m local` and read its banner, from the line that says it is ready to the one naming moto."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "DOUBAN_", "AWS_"))}
    env |= {"PORT": "0", "PYTHONUNBUFFERED": "1"} | env_overrides
    process = subprocess.Popen(
        [sys.executable, "-m", "local"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    banner, api = [], None
    for line in process.stdout:
        banner.append(line)
        if ready := READY.search(line):
            api = Api(ready.group(1))
        if api and MOTO.search(line):
            return process, api, banner
    raise AssertionError("".join(banner))


def moto_port(banner: list[str]) -> int:
    return next(urlsplit(found.group(1)).port for line in banner if (found := MOTO.search(line)))


def serves(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def stops_serving(port: int, within_seconds: float) -> bool:
    deadline = time.monotonic() + within_seconds
    while serves(port):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


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
    with FakeLLM() as llm, FakeDouban(profile=anonymous_2026()) as douban:
        serve(douban, [Film("1291543", "功夫", "功夫", 2004, directors=["周星驰"], cast=["周星驰"])])
        llm.script(Reply.movies([movie("功夫", 2004)]))
        douban_hosts = {"DOUBAN_BASE_URL": douban.base_url, "DOUBAN_MOBILE_BASE_URL": douban.base_url}
        process, api, banner = start({"OPENAI_API_KEY": "sk-local", "OPENAI_BASE_URL": llm.base_url} | douban_hosts)
        try:
            assert any(llm.base_url in line for line in banner), banner
            # the deployed Douban budget, and no warm-up unless asked for
            assert any("10 requests a minute (20 with a working cookie)" in line for line in banner), banner
            assert any("not warmed" in line for line in banner), banner
            assert serves(moto_port(banner))
            result = api.recommend({"mode": "star", "star": "周星驰", "count": 1})
            assert result["status"] == "done"
            assert result["movies"][0]["douban"]["directors"] == ["周星驰"]
        finally:
            output = stop(process)
    assert process.returncode == 0
    assert "stopping" in output
    assert not serves(moto_port(banner))  # moto stopped with it: no process left behind


def test_moto_stops_by_itself_when_the_stack_is_killed_without_a_chance_to_stop_it():
    process, _, banner = start({})
    process.kill()  # SIGKILL: no handler runs
    process.communicate(timeout=10)
    assert stops_serving(moto_port(banner), within_seconds=10)


def test_ctrl_c_stops_the_stack_whichever_of_its_threads_the_kernel_hands_it_to():
    """The kernel delivers a process's signal to any one thread; here, deliberately, to one that is not the main one
    (tgkill), as happens now and then under load."""
    process, _, banner = start({})
    try:
        threads = [int(tid) for tid in os.listdir(f"/proc/{process.pid}/task") if int(tid) != process.pid]
        ctypes.CDLL(None, use_errno=True).tgkill(process.pid, threads[0], signal.SIGINT)
        output, _ = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0
    assert "stopping" in output
    assert stops_serving(moto_port(banner), within_seconds=10)
