"""A fake of WeChat's server API on 127.0.0.1, answering as api.weixin.qq.com does, for tests and the local stack.

    with FakeWeChat() as wechat:
        code = wechat.code_for("o-alice")          # what wx.login would hand the mini-program
        wechat.risky_words.add("违禁")              # msgSecCheck's verdict for texts containing it
        wechat.fail("/wxa/msg_sec_check", Failure.errcode(-1))   # the next call answers "system error"

Three endpoints, with WeChat's own request checks and error answers (HTTP 200, `{"errcode", "errmsg"}` with a
`rid`), from developers.weixin.qq.com:
- GET  /sns/jscode2session: appid 40013, secret 40125, grant_type 40002; a code works once (40029 unknown or
  expired, 40163 used, 40226 a blocked account). Answers `{"session_key", "openid"}` as text/plain.
- POST /cgi-bin/stable_token (JSON only): the same token while it lives (normal mode), a new one and the old one
  dead with force_refresh; `{"access_token", "expires_in": 7200}`.
- POST /wxa/msg_sec_check?access_token=…: 40001 for an unknown token, 42001 for an expired one; version 2,
  scene 1–4 (40129), an openid of this app (40003); `{"errcode": 0, "errmsg": "ok", "result": {"suggest",
  "label"}, "detail": [...], "trace_id"}` with suggest pass, review or risky.

Scripted failures (`fail`) come before any of that, in turn: an errcode, an HTTP status, a stall, a dropped
connection. Every request is recorded (path, query, JSON body), so a test can see what reached WeChat.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.fakes.loopback import LoopbackServer

APP_ID = "wx0123456789abcdef"
APP_SECRET = "0123456789abcdef0123456789abcdef"
TOKEN_SECONDS = 7200
ERRMSG = {
    -1: "system error",
    40001: "invalid credential, access_token is invalid or not latest",
    40002: "invalid grant_type",
    40003: "invalid openid",
    40013: "invalid appid",
    40029: "invalid code",
    40125: "invalid appsecret",
    40129: "invalid scene",
    40163: "code been used",
    40226: "code blocked",
    42001: "access_token expired",
    43002: "require POST method",
    44002: "empty post data",
    45011: "api minute-quota reach limit  mustslower  retry next minute",
    47001: "data format error",
}
LABELS = {"pass": 100, "review": 20012, "risky": 20001}  # 100 normal; 20001 politics; 20012 vulgar


def _rid() -> str:
    return "-".join(secrets.token_hex(4) for _ in range(3))


@dataclass(frozen=True)
class Failure:
    """One scripted bad answer."""

    errcode: int | None = None  # WeChat's own error, HTTP 200
    status: int = 200
    stall_seconds: float = 0.0  # before answering at all
    drop: bool = False  # close the connection without an answer
    answer: dict[str, Any] | None = None  # exactly this JSON, HTTP 200

    @classmethod
    def raw(cls, answer: dict[str, Any]) -> Failure:
        """An answer of WeChat's own odd shapes, e.g. errcode as a string, as some endpoints send it."""
        return cls(answer=answer)

    @classmethod
    def error(cls, errcode: int) -> Failure:
        return cls(errcode=errcode)

    @classmethod
    def http(cls, status: int) -> Failure:
        return cls(status=status)

    @classmethod
    def stall(cls, seconds: float) -> Failure:
        return cls(stall_seconds=seconds, errcode=-1)

    @classmethod
    def dropped(cls) -> Failure:
        return cls(drop=True)


@dataclass(frozen=True)
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    body: dict[str, Any] | None


class FakeWeChat(LoopbackServer):
    def __init__(self, app_id: str = APP_ID, app_secret: str = APP_SECRET) -> None:
        self.app_id = app_id
        self.app_secret = app_secret
        self.risky_words: set[str] = set()
        self.review_words: set[str] = set()
        self.down = False  # every call answers -1 (system busy), as during an outage
        self.requests: list[Recorded] = []
        self.session_keys: list[str] = []  # every session_key handed out: none may be seen again
        self._codes: dict[str, str] = {}  # code → openid
        self._used_codes: set[str] = set()
        self._blocked: set[str] = set()  # openids of high-risk accounts
        self._openids: set[str] = set()  # people of this app
        self._token: tuple[str, float] | None = None  # the live access token and when it dies
        self._failures: dict[str, deque[Failure]] = defaultdict(deque)
        self._lock = threading.Lock()
        self._listen(_handler(self))

    @property
    def base_url(self) -> str:
        return self.origin

    def stack_environment(self, hash_key: str = "test-openid-hash-key") -> dict[str, str]:
        """The settings that sign a local stack in against this fake (content checks failing closed, as deployed)."""
        return {
            "WECHAT_APP_ID": self.app_id,
            "WECHAT_APP_SECRET": self.app_secret,
            "WECHAT_API_BASE_URL": self.base_url,
            "WECHAT_TIMEOUT_SECONDS": "1",
            "OPENID_HASH_KEY": hash_key,
            "CONTENT_SAFETY_ON_ERROR": "fail_closed",
        }

    # --- what a test arranges ---------------------------------------------------------------------------------

    def code_for(self, openid: str, blocked: bool = False) -> str:
        """A fresh wx.login code for the person `openid` (a blocked account's code is refused with 40226)."""
        code = secrets.token_hex(16)
        with self._lock:
            self._codes[code] = openid
            self._openids.add(openid)
            if blocked:
                self._blocked.add(openid)
        return code

    def fail(self, path: str, *failures: Failure) -> None:
        """The next calls to `path` answer these, one each, before normal answers resume."""
        with self._lock:
            self._failures[path].extend(failures)

    def expire_token(self) -> None:
        """The access token dies early (WeChat may replace it at any time): msgSecCheck answers 42001 with it."""
        with self._lock:
            if self._token:
                self._token = (self._token[0], 0.0)

    def calls_to(self, path: str) -> list[Recorded]:
        return [request for request in self.requests if request.path == path]

    def checked_texts(self) -> list[str]:
        return [request.body["content"] for request in self.calls_to("/wxa/msg_sec_check") if request.body]

    # --- answers ----------------------------------------------------------------------------------------------

    def next_failure(self, path: str) -> Failure | None:
        with self._lock:
            if self._failures[path]:
                return self._failures[path].popleft()
        return Failure.error(-1) if self.down else None

    def jscode2session(self, query: dict[str, str]) -> dict[str, Any]:
        if query.get("appid") != self.app_id:
            return _error(40013)
        if query.get("secret") != self.app_secret:
            return _error(40125)
        if query.get("grant_type") != "authorization_code":
            return _error(40002)
        code = query.get("js_code", "")
        with self._lock:
            if code in self._used_codes:
                return _error(40163)
            openid = self._codes.pop(code, None)
            if openid is None:
                return _error(40029)
            self._used_codes.add(code)
            if openid in self._blocked:
                return _error(40226)
        session_key = secrets.token_urlsafe(16)
        self.session_keys.append(session_key)
        return {"session_key": session_key, "openid": openid}

    def stable_token(self, body: dict[str, Any] | None) -> dict[str, Any]:
        if body is None:
            return _error(47001)
        if body.get("grant_type") != "client_credential":
            return _error(40002)
        if body.get("appid") != self.app_id:
            return _error(40013)
        if body.get("secret") != self.app_secret:
            return _error(40125)
        with self._lock:
            now = time.monotonic()
            if body.get("force_refresh") or self._token is None or self._token[1] <= now:
                self._token = (secrets.token_urlsafe(48), now + TOKEN_SECONDS)
            value, dies_at = self._token
        return {"access_token": value, "expires_in": max(1, int(dies_at - now))}

    def msg_sec_check(self, query: dict[str, str], body: dict[str, Any] | None) -> dict[str, Any]:
        with self._lock:
            token = self._token
        if token is None or query.get("access_token") not in (token[0],):
            return _error(40001)
        if token[1] <= time.monotonic():
            return _error(42001)
        if not body:
            return _error(44002)
        if body.get("version") != 2:  # 1.0 was retired in 2021; its answers are of another shape
            return _error(47001)
        if body.get("scene") not in (1, 2, 3, 4):
            return _error(40129)
        if body.get("openid") not in self._openids:
            return _error(40003)
        content = body.get("content")
        if not isinstance(content, str) or not content:
            return _error(44002)
        suggest = "pass"
        hits = [word for word in self.risky_words if word in content]
        if hits:
            suggest = "risky"
        elif any(word in content for word in self.review_words):
            suggest = "review"
        keyword = {"strategy": "keyword", "errcode": 0, "suggest": suggest, "label": LABELS[suggest], "level": 90}
        if hits:
            keyword["keyword"] = hits[0]
        return {
            "errcode": 0,
            "errmsg": "ok",
            "result": {"suggest": suggest, "label": LABELS[suggest]},
            "detail": [
                {"strategy": "content_model", "errcode": 0, "suggest": suggest, "label": LABELS[suggest], "prob": 90},
                keyword,
            ],
            "trace_id": _rid(),
        }


def _error(errcode: int) -> dict[str, Any]:
    return {"errcode": errcode, "errmsg": f"{ERRMSG.get(errcode, 'error')} rid: {_rid()}"}


def _handler(fake: FakeWeChat) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            url = urlsplit(self.path)
            query = {name: values[-1] for name, values in parse_qs(url.query).items()}
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = None
            fake.requests.append(Recorded(self.command, url.path, query, body))
            failure = fake.next_failure(url.path)
            if failure is not None:
                self._fail(failure)
                return
            if url.path == "/sns/jscode2session":
                self._reply(fake.jscode2session(query), content_type="text/plain")
            elif url.path == "/cgi-bin/stable_token":
                self._reply(fake.stable_token(body) if self.command == "POST" else _error(43002))
            elif url.path == "/wxa/msg_sec_check":
                self._reply(fake.msg_sec_check(query, body) if self.command == "POST" else _error(43002))
            else:
                self._reply({"errcode": 404, "errmsg": "not found"}, status=404)

        def _fail(self, failure: Failure) -> None:
            if failure.answer is not None:
                self._reply(failure.answer)
                return
            if failure.stall_seconds:
                time.sleep(failure.stall_seconds)
            if failure.drop:
                self.close_connection = True
                return
            if failure.status != 200:
                self._reply({"errcode": -1, "errmsg": "system error"}, status=failure.status)
                return
            self._reply(_error(failure.errcode if failure.errcode is not None else -1))

        def _reply(
            self, answer: dict[str, Any], status: int = 200, content_type: str = "application/json; encoding=utf-8"
        ) -> None:
            data = json.dumps(answer, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _serve

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler
