"""`python -m local` (what `make run` starts): the whole stack on http://127.0.0.1:${PORT:-3000}, until Ctrl-C.

Settings come from the environment, then from .env (`--no-env-file`: from the environment alone).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path

from dotenv import load_dotenv

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "shared"))

from local.stack import LocalStack  # noqa: E402 - needs the layer's folder on the path
from movierec.core.disclosure import OPERATOR_DETAILS  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m local", description="the movierec stack on 127.0.0.1")
    parser.add_argument("--no-env-file", action="store_true", help="read no .env: every setting from the environment")
    parser.add_argument(
        "--warm-up",
        action="store_true",
        help="warm the movie cache from Douban's lists once, at start (in the background)",
    )
    options = parser.parse_args()
    if not options.no_env_file:
        load_dotenv(ROOT / ".env")
    # moto in a process of its own, as DynamoDB and SQS are not in a Lambda's: the handlers keep this one's CPU.
    stack = LocalStack(port=int(os.environ.get("PORT", "3000")), moto_in_child_process=True)
    stack.start()
    print(f"movierec API on {stack.api_url}  (docs: {stack.api_url}/swagger)", flush=True)
    print(f"LLM: {os.environ['OPENAI_BASE_URL']} model {os.environ['OPENAI_MODEL']}", flush=True)
    print(f"Douban: {os.environ['DOUBAN_BASE_URL']}", flush=True)
    if not os.environ.get("OPENAI_API_KEY"):
        print(
            "OPENAI_API_KEY is not set: the stack runs, but requests will end failed (llm_not_configured).", flush=True
        )
    if os.environ.get("WECHAT_APP_ID"):
        print(
            f"WeChat: sign-in and content checks with AppID {os.environ['WECHAT_APP_ID']} "
            f"at {os.environ['WECHAT_API_BASE_URL']} (check down: {os.environ['CONTENT_SAFETY_ON_ERROR']})",
            flush=True,
        )
    else:
        print("WECHAT_APP_ID is not set: the API is open (no sign-in, limits per IP, no content check).", flush=True)
    missing = [name for name in OPERATOR_DETAILS if not os.environ.get(name)]
    if missing:
        print(f"{', '.join(missing)} not set: GET /about says 未填写 for them (a launch needs them all).", flush=True)
    print('Reports (POST /feedback) are logged as they come: look for "report received".', flush=True)
    per_minute, signed_in = os.environ["DOUBAN_REQUESTS_PER_MINUTE"], os.environ["DOUBAN_SIGNED_IN_REQUESTS_PER_MINUTE"]
    budget = f"{per_minute} requests a minute ({signed_in} with a working cookie)"
    if options.warm_up:
        print(f"Douban budget {budget}: warming the movie cache from Douban's lists in its idle share …", flush=True)
        threading.Thread(target=lambda: stack.run_scheduled("WarmUpFunction"), name="warm-up", daemon=True).start()
    else:
        print(f"Douban budget {budget}; the movie cache is not warmed (make run WARM_UP=1 warms it)", flush=True)
    print(f"AWS (moto): {stack.aws.endpoint_url}  (the template's tables and queues)", flush=True)
    stopped = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopped.set())
    # The kernel hands a process's signal to any one of its threads; Python runs the handler in the main thread, when
    # that thread next wakes, and a lock wait without a timeout is not woken by a signal another thread took: Ctrl-C
    # would then be lost (seen under load, 1 run in ~30).
    while not stopped.wait(timeout=0.5):
        pass
    print("stopping …", flush=True)
    stack.stop()


if __name__ == "__main__":
    main()
