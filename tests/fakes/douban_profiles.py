"""How Douban answers, as profiles of the fake Douban (as tests/fakes/providers.py gives the fake model its providers).

- ``today``: only the routes a test sets (the 2018-2024 pages the project was built on).
- ``2026-anonymous``: Douban as public reports describe it in 2026 (jellyfin-plugin-metashark #96 and #115,
  neodb-social/neodb #1313, MoviePilot #1206, InfinityPacer/MoviePilot-Plugins #23, the samples in
  ``../shared/douban-2026/``):
  - a desktop subject page asked without a login cookie is a 302 to ``sec.douban.com/c?r=…``, the proof of work;
  - the mobile API (rexxar) and the JSON endpoints answer anonymously;
  - past ``rate_limit_per_minute`` requests in any 60 s, the mobile API answers its rate-limit errors with HTTP 400
    (``{"code": 1309, "msg": "subject_ip_rate_limit", ...}`` for subjects and lists, ``{"code": 1080, "msg":
    "search_access_rate_limit", ...}`` for searches) and the desktop host's JSON a 429 asking for a minute;
  - past ``ban_per_minute`` in any 60 s, the address is banned for ``ban_seconds``: every request, on every host, is
    a 302 to ``sec.douban.com/b``;
  - the app API (frodo) asked with an apiKey but no signature answers its 997 (``invalid_request_997``, 签名缺失).
- ``2026-cookie``: the same, but a request carrying the operator's cookie reads the desktop pages; with
  ``cookie_expired`` the cookie meets the login wall instead.

The thresholds are settings of the profile: a test that does not test the budget raises them with the stack's.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

from tests.fakes.douban_server import RecordedRequest, Reply

SUBJECT_PAGE = re.compile(r"^/subject/(\d+)/?$")
MOBILE_SUBJECT = re.compile(r"^/rexxar/api/v2/(movie|tv)/(\d+)")
WINDOW_SECONDS = 60.0
RATE_LIMIT_LOCALIZED = "您所在的网络存在异常，请登录后重试。"


class Today:
    """Only the routes: Douban as the saved 2018-2024 pages show it."""

    name = "today"

    def intercept(self, request: RecordedRequest, arrivals: Sequence[float], now: float) -> Reply | None:
        return None


def _original_url(request: RecordedRequest) -> str:
    host = "m.douban.com" if request.path.startswith("/rexxar/") else "movie.douban.com"
    return f"https://{host}{request.path}"


@dataclass
class Douban2026:
    """Douban in 2026 (see the module's docstring). ``operator_cookie``: requests carrying it read desktop pages."""

    name: str = "2026-anonymous"
    rate_limit_per_minute: int = 15
    ban_per_minute: int = 100
    ban_seconds: float = 24 * 3600.0
    operator_cookie: str | None = None
    cookie_expired: bool = False
    rate_limited: int = 0  # rate-limit answers given so far
    banned_until: float = 0.0
    bans: int = 0  # how often the address was banned
    banned_answers: int = 0  # requests answered with the ban
    challenged: int = 0  # desktop pages answered with the challenge
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def intercept(self, request: RecordedRequest, arrivals: Sequence[float], now: float) -> Reply | None:
        recent = 1 + sum(1 for moment in arrivals if moment > now - WINDOW_SECONDS)  # this request included
        with self._lock:
            if recent > self.ban_per_minute and self.banned_until <= now:
                self.banned_until, self.bans = now + self.ban_seconds, self.bans + 1
            if self.banned_until > now:
                self.banned_answers += 1
                return Reply.ban_redirect(_original_url(request))
            if recent > self.rate_limit_per_minute and (limited := self._rate_limit(request)) is not None:
                self.rate_limited += 1
                return limited
            if SUBJECT_PAGE.match(request.path):
                return self._desktop_page(request)
            if request.path.startswith("/api/v2/") and request.param("apiKey") and not request.param("_sig"):
                return Reply.api_error(997, "invalid_request_997", f"GET {request.path[4:]}", localized="签名缺失")
        return None

    def _rate_limit(self, request: RecordedRequest) -> Reply | None:
        if request.path.startswith("/rexxar/"):
            api_path = request.path.removeprefix("/rexxar/api")
            if "/search" in request.path:
                return Reply.api_error(1080, "search_access_rate_limit", f"GET {api_path}", localized="搜索访问太频繁")
            return Reply.api_error(1309, "subject_ip_rate_limit", f"GET {api_path}", localized=RATE_LIMIT_LOCALIZED)
        if request.path.startswith("/j/"):
            return Reply.status_only(429, headers={"Retry-After": "60"})
        return None

    def _desktop_page(self, request: RecordedRequest) -> Reply | None:
        cookie = request.header("Cookie")
        if self.operator_cookie is not None and cookie == self.operator_cookie:
            if self.cookie_expired:
                return Reply.login_redirect(_original_url(request))
            return None  # signed in: the page itself
        self.challenged += 1
        return Reply.sec_redirect(_original_url(request))


def anonymous_2026(**settings: object) -> Douban2026:
    return Douban2026(name="2026-anonymous", **settings)  # type: ignore[arg-type]


def cookie_2026(operator_cookie: str, **settings: object) -> Douban2026:
    return Douban2026(name="2026-cookie", operator_cookie=operator_cookie, **settings)  # type: ignore[arg-type]


# Thresholds far past any budget a test sets when the budget is not what it tests (the stack's is raised too).
RELAXED = {"rate_limit_per_minute": 100_000, "ban_per_minute": 1_000_000}
