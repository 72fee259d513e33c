"""A fake Douban on 127.0.0.1 for unit tests, integration tests and benchmarks: it never leaves the machine.

Like the fake model has its providers, the fake Douban has profiles (:mod:`tests.fakes.douban_profiles`): today's
(only its routes), and Douban as it answers in 2026 (``2026-anonymous``: challenged desktop pages, rate-limit
errors past a threshold, a ban past a higher one; ``2026-cookie``: the operator's cookie reads desktop pages). A
profile sees every request before the routes do, and may answer it itself.

    with FakeDouban({"/subject/1/": Reply.html(page)}, latency=0.01) as douban:
        DoubanHttp().get(f"{douban.base_url}/subject/1/", source="desktop")
        assert douban.requests_to("/subject/1/")[0].header("User-Agent")

Routes are paths, optionally with query parameters that must match (``"/j/subject_abstract?subject_id=1"``); the
route naming the most parameters wins. A route may hold several replies, served in turn, the last one repeating
(e.g. ``[Reply.status(503), Reply.json([])]`` to test a retry); a reply may also be a function of the request (a
search that answers whatever is asked, as :mod:`tests.fakes.catalog` serves it). Unknown paths answer 404. Every
request is recorded (method, path, query, headers, client port) before any latency, so a timed-out request is
recorded too.
The server speaks HTTP/1.1 keep-alive, so connection reuse can be observed through ``client_port``.
Give the client :func:`local_only_session` so that a bug can never make a test reach a real host.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol, Self
from urllib.parse import parse_qs, quote, urlsplit

import requests
from requests.adapters import BaseAdapter, HTTPAdapter

from movierec.douban.http import new_session

# Douban's proof-of-work challenge as sec.douban.com serves it in 2026 (our own values, the real page's shape: a form
# id="sec" posting to /c with hidden tok, cha (128 hex), sol and red, the page asked for; process() finds a nonce
# whose SHA-512 with cha starts with four zeros). movierec never solves it.
CHALLENGE_PAGE = """<!DOCTYPE html>
<html lang="zh-cmn-Hans"><head><meta charset="UTF-8"><title>豆瓣</title></head>
<body><div class="content"><p>载入中 ...</p></div>
<form name="sec" id="sec" method="POST" action="/c">
  <input type="hidden" id="tok" name="tok" value="1800000000@{tok}@{red}@{tok}" />
  <input type="hidden" id="cha" name="cha" value="{cha}" />
  <input type="hidden" id="sol" name="sol" value="" />
  <input type="hidden" id="red" name="red" value="https://movie.douban.com/subject/1/">
</form>
<script>
async function process(data, difficulty = 4) {{
    let nonce = 0;
    const targetSubStr = Array(difficulty+1).join('0');
    do {{ nonce += 1; hash = await sha512(data + nonce); }} while(hash.substr(0, difficulty) !== targetSubStr);
    return nonce;
}}
</script></body></html>""".format(
    tok="0f1e2d3c4b5a6978" * 8, cha="a1b2c3d4e5f60718" * 8, red="aHR0cHM6Ly9tb3ZpZS5kb3ViYW4uY29tL3N1YmplY3QvMS8="
)

ABNORMAL_REQUEST_PAGE = """<!DOCTYPE html>
<html lang="zh-cmn-Hans"><head><meta charset="UTF-8"><title>禁止访问</title></head>
<body><div id="content"><p>检测到有异常请求从你的 IP 发出，请登录使用豆瓣。</p></div></body></html>"""


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: str | bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    content_type: str = "text/html; charset=utf-8"
    latency: float = 0.0

    @classmethod
    def html(cls, body: str, status: int = 200, **options: Any) -> Reply:
        return cls(status=status, body=body, **options)

    @classmethod
    def json(cls, data: Any, status: int = 200, **options: Any) -> Reply:
        body = json.dumps(data, ensure_ascii=False)
        return cls(status=status, body=body, content_type="application/json; charset=utf-8", **options)

    @classmethod
    def status_only(cls, status: int, headers: Mapping[str, str] | None = None, **options: Any) -> Reply:
        return cls(status=status, body=f"HTTP {status}", headers=headers or {}, **options)

    @classmethod
    def redirect(
        cls, location: str, status: int = 302, headers: Mapping[str, str] | None = None, **options: Any
    ) -> Reply:
        return cls(status=status, headers={"Location": location, **(headers or {})}, **options)

    @classmethod
    def sec_redirect(cls, original_url: str = "https://movie.douban.com/", **options: Any) -> Reply:
        """What Douban answers a client it wants to check: a 302 to its proof-of-work page."""
        return cls.redirect(f"https://sec.douban.com/c?r={quote(original_url, safe='')}", **options)

    @classmethod
    def ban_redirect(cls, original_url: str = "https://movie.douban.com/", **options: Any) -> Reply:
        """What Douban answers a banned address, on every host (a crawler's log: until the next day)."""
        return cls.redirect(f"https://sec.douban.com/b?r={quote(original_url, safe='')}", **options)

    @classmethod
    def api_error(cls, code: int, msg: str, request: str, status: int = 400, localized: str | None = None) -> Reply:
        """The mobile and app APIs' error body: ``{"msg", "code", "request", "localized_message"}`` (a rate limit
        comes as a 400 with it, not a 429: MoviePilot #1206, InfinityPacer/MoviePilot-Plugins #23)."""
        body: dict[str, Any] = {"msg": msg, "code": code, "request": request}
        if localized is not None:
            body["localized_message"] = localized
        return cls.json(body, status=status)

    @classmethod
    def login_redirect(cls, original_url: str = "https://movie.douban.com/", **options: Any) -> Reply:
        """What Douban answers anyone not signed in for an entry it shows to signed-in people only (restricted
        films: other tools' bug reports, e.g. "有一些稍微限制级点的电影在不登录状态下是没有办法打开条目的")."""
        return cls.redirect(f"https://accounts.douban.com/passport/login?redir={original_url}", **options)

    @classmethod
    def challenge(cls, **options: Any) -> Reply:
        return cls.html(CHALLENGE_PAGE, **options)

    @classmethod
    def slow(cls, seconds: float, reply: Reply | None = None) -> Reply:
        base = reply or cls.html("<html><body>slow</body></html>")
        return Reply(base.status, base.body, base.headers, base.content_type, latency=seconds)


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    client_port: int

    def header(self, name: str) -> str | None:
        """A request header, case-insensitively."""
        return next((value for key, value in self.headers.items() if key.lower() == name.lower()), None)

    def param(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[0] if values else None


Answer = Reply | Callable[[RecordedRequest], Reply]  # a fixed reply, or one made for the request


@dataclass
class _Route:
    path: str
    params: dict[str, str]
    replies: list[Answer]
    served: int = 0

    def matches(self, path: str, query: dict[str, list[str]]) -> bool:
        return path == self.path and all(query.get(key) == [value] for key, value in self.params.items())

    def next_reply(self) -> Answer:
        reply = self.replies[min(self.served, len(self.replies) - 1)]
        self.served += 1
        return reply


class Profile(Protocol):
    """How Douban answers beyond the routes: see tests/fakes/douban_profiles.py."""

    name: str

    def intercept(self, request: RecordedRequest, arrivals: Sequence[float], now: float) -> Reply | None:
        """A reply of the profile's own for ``request`` (which arrived at ``now``, after ``arrivals``), or None."""


class FakeDouban:
    def __init__(
        self,
        routes: Mapping[str, Answer | Sequence[Answer]] | None = None,
        *,
        latency: float = 0.0,
        profile: Profile | None = None,
    ) -> None:
        self.latency = latency
        self.profile = profile
        self._arrivals: list[float] = []  # time.monotonic() of every request, in order
        self._lock = threading.Lock()
        self._routes: list[_Route] = []
        self._requests: list[RecordedRequest] = []
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        for route, replies in (routes or {}).items():
            self.set(route, replies)

    # --- configuration --------------------------------------------------------------------------------------

    def set(self, route: str, replies: Answer | Sequence[Answer]) -> None:
        """Serve ``replies`` on ``route`` (replacing what it served), in turn, the last one repeating."""
        split = urlsplit(route)
        params = {key: values[0] for key, values in parse_qs(split.query).items()}
        replies = [replies] if isinstance(replies, Reply) or callable(replies) else list(replies)
        with self._lock:
            self._routes = [r for r in self._routes if (r.path, r.params) != (split.path, params)]
            self._routes.append(_Route(split.path, params, replies))
            # The most specific route first, so "/x?id=1" wins over "/x".
            self._routes.sort(key=lambda r: len(r.params), reverse=True)

    # --- what was asked -------------------------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def requests_to(self, path: str) -> list[RecordedRequest]:
        return [request for request in self.requests if request.path == path]

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()

    @property
    def arrivals(self) -> list[float]:
        """When every request arrived (time.monotonic()), cleared requests too: the traffic Douban saw."""
        with self._lock:
            return list(self._arrivals)

    def most_in_any_window(self, seconds: float = 60.0) -> int:
        """The most requests that arrived within any ``seconds`` (what Douban's rate limits count)."""
        return most_in_any_window(self.arrivals, seconds)

    # --- running --------------------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("FakeDouban is not running")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> Self:
        fake = self

        class Handler(_Handler):
            douban = fake

        self._stopping.clear()
        self._server = _Server(("127.0.0.1", 0), Handler)
        # A short poll interval: shutdown() waits for the next poll, and tests stop many servers.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, name="fake-douban", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # wakes replies still sleeping out their latency
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _answer(self, request: RecordedRequest) -> tuple[Reply, float]:
        with self._lock:
            now = time.monotonic()
            self._requests.append(request)
            before = list(self._arrivals)
            self._arrivals.append(now)
            answer: Answer | None = self.profile.intercept(request, before, now) if self.profile else None
            if answer is None:
                route = next((r for r in self._routes if r.matches(request.path, request.query)), None)
                answer = route.next_reply() if route else Reply.status_only(404)
        reply = answer if isinstance(answer, Reply) else answer(request)
        return reply, reply.latency + self.latency

    def _wait(self, seconds: float) -> bool:
        """Sleep out a latency; False when the server is stopping meanwhile."""
        return not self._stopping.wait(seconds) if seconds > 0 else True


def most_in_any_window(arrivals: Sequence[float], seconds: float = 60.0) -> int:
    """The most of ``arrivals`` (sorted times) within any ``seconds``: a window [t, t + seconds) from each one."""
    ordered = sorted(arrivals)
    most, first = 0, 0
    for last, moment in enumerate(ordered):
        while moment - ordered[first] >= seconds:
            first += 1
        most = max(most, last - first + 1)
    return most


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # do not wait for keep-alive connections left open by clients


class _Handler(BaseHTTPRequestHandler):
    douban: FakeDouban
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes; do not let them wait on an ACK

    def do_GET(self) -> None:
        split = urlsplit(self.path)
        request = RecordedRequest(
            method="GET",
            path=split.path,
            query=parse_qs(split.query, keep_blank_values=True),
            headers=dict(self.headers.items()),
            client_port=self.client_address[1],
        )
        reply, latency = self.douban._answer(request)
        if not self.douban._wait(latency):
            self.close_connection = True
            return
        body = reply.body.encode() if isinstance(reply.body, str) else reply.body
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean


class _RefusingAdapter(BaseAdapter):
    """Fails a test loudly instead of letting a bug reach a real host (douban.com above all)."""

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        raise AssertionError(f"a test tried to leave 127.0.0.1: {request.method} {request.url}")

    def close(self) -> None:
        pass


def local_only_session() -> requests.Session:
    """A keep-alive session like production's that can only reach 127.0.0.1."""
    session = new_session()
    session.mount("http://", _RefusingAdapter())
    session.mount("https://", _RefusingAdapter())
    session.mount("http://127.0.0.1:", HTTPAdapter(max_retries=0))
    return session
