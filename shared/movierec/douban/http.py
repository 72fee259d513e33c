"""The one way movierec talks to Douban: a polite, rate-limited session that tells blocked, missing and down apart.

Every call gets a timeout, goes through the per-worker rate limiter and is counted. Redirects are never followed
blindly: a redirect to the security check, a login or a captcha page means we are blocked; a redirect to another
host is refused; a same-host redirect is followed once, on a URL rebuilt from the host we asked.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC
from email.utils import parsedate_to_datetime
from enum import StrEnum
from http.cookiejar import DefaultCookiePolicy
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter

from movierec.core.observability import tracer
from movierec.douban.parser import looks_blocked

logger = logging.getLogger(__name__)
tracer.patch(modules=("requests",))  # X-Ray sees every Douban call (movierec.core.observability patches boto3)

DESKTOP_USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36"
)
MOBILE_USER_AGENT = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.6 Mobile/15E148 Safari/604.1"
)
ACCEPT_LANGUAGE = "zh-CN,zh;q=0.9"
ACCEPT_HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
ACCEPT_JSON = "application/json, text/plain, */*"

# Where Douban sends a client it does not trust: the security check, its "sorry" page, login and captcha pages.
_BLOCK_HOSTS = ("sec.douban.com", "accounts.douban.com")
_BLOCK_PATH_MARKERS = ("login", "captcha", "passport", "/misc/sorry")


class FetchStatus(StrEnum):
    OK = "ok"
    NOT_FOUND = "not_found"
    BLOCKED = "blocked"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class FetchResult:
    """What one logical fetch came to, after retries and at most one same-host redirect."""

    status: FetchStatus
    source: str
    url: str
    status_code: int | None = None
    text: str = ""
    reason: str = ""
    retry_after: float | None = None
    requests: int = 0
    login_wall: bool = False  # blocked by a redirect to the login page (not the security check)

    @property
    def ok(self) -> bool:
        return self.status is FetchStatus.OK

    def json(self) -> Any:
        """The body as JSON; raises ValueError when it is not."""
        return json.loads(self.text)


class RateLimiter:
    """At most ``per_second`` calls per second across threads (a token bucket holding one token).

    A caller reserves the next free slot under the lock and waits for it outside the lock, so concurrent callers
    are spaced out rather than serialised behind a sleeping thread.
    """

    def __init__(
        self,
        per_second: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._interval = 1.0 / per_second if per_second > 0 else 0.0
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._next_slot = float("-inf")

    def acquire(self) -> float:
        """Block until a request may go out; returns how long it waited."""
        if not self._interval:
            return 0.0
        with self._lock:
            now = self._clock()
            slot = max(now, self._next_slot)
            self._next_slot = slot + self._interval
        wait = slot - now
        if wait > 0:
            self._sleep(wait)
        return wait


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta seconds or an HTTP date); None when absent or invalid."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - now)


def is_block_redirect(location: str) -> bool:
    """True for a redirect to Douban's security check, its sorry page, a login or a captcha."""
    target = urlsplit(location)
    host = (target.hostname or "").lower()
    path = target.path.lower()
    return host in _BLOCK_HOSTS or any(marker in path for marker in _BLOCK_PATH_MARKERS)


def is_login_redirect(location: str) -> bool:
    """True for a redirect to the login page (``accounts.douban.com/passport/login``), as opposed to the security
    check, the sorry page or a captcha. For one subject page it means that entry is shown to signed-in people only
    (Douban's restricted entries), not that Douban blocks us."""
    target = urlsplit(location)
    host, path = (target.hostname or "").lower(), target.path.lower()
    return host != "sec.douban.com" and "captcha" not in path and ("login" in path or "passport" in path)


@dataclass(frozen=True)
class _Verdict:
    """How one response is judged; ``retryable`` and ``follow`` say whether the fetch goes on."""

    status: FetchStatus
    status_code: int | None = None
    reason: str = ""
    text: str = ""
    retry_after: float | None = None
    retryable: bool = False
    timed_out: bool = False
    follow: str | None = None
    login_wall: bool = False


def new_session(pool_size: int = 10) -> requests.Session:
    """A session whose connections are kept alive between calls; the headers are set on each request.

    It keeps no cookies: what Douban sets in answer to a request carrying the operator's cookie would otherwise
    travel on to other hosts (the mobile API). The only cookie ever sent is the configured one.
    """
    session = requests.Session()
    session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))
    # Retries are ours (with backoff and Retry-After); urllib3 must not add its own.
    adapter = HTTPAdapter(pool_connections=4, pool_maxsize=pool_size, max_retries=0)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


class DoubanHttp:
    """Shared by every lookup in a worker: create it once per Lambda instance so connections are reused.

    ``cookie`` is the operator's Douban cookie (a secret); it is sent on desktop requests only, and never logged.
    ``on_request(source)`` is called before every request goes out, e.g. to emit a metric.
    Errors, 5xx and 429 are retried up to ``max_retries`` times, a timeout only ``max_timeout_retries`` times: each
    costs a whole ``timeout_seconds`` and the Lambda's own time is short.
    """

    def __init__(
        self,
        *,
        cookie: str | None = None,
        timeout_seconds: float = 10.0,
        requests_per_second: float = 2.0,
        max_retries: int = 2,
        max_timeout_retries: int = 1,
        backoff_seconds: float = 0.5,
        max_retry_wait_seconds: float = 5.0,
        on_request: Callable[[str], None] | None = None,
        session: requests.Session | None = None,
        rate_limiter: RateLimiter | None = None,
        sleep: Callable[[float], None] = time.sleep,
        wall_clock: Callable[[], float] = time.time,
        jitter: Callable[[], float] = random.random,
        is_blocked_page: Callable[[str], bool] = looks_blocked,
    ) -> None:
        self._cookie = (cookie or "").strip() or None
        self._timeout = timeout_seconds
        self._max_retries = max_retries
        self._max_timeout_retries = max_timeout_retries
        self._backoff = backoff_seconds
        self._max_retry_wait = max_retry_wait_seconds
        self._on_request = on_request
        self._session = session or new_session()
        self._limiter = rate_limiter or RateLimiter(requests_per_second, sleep=sleep)
        self._sleep = sleep
        self._wall_clock = wall_clock
        self._jitter = jitter
        self._is_blocked_page = is_blocked_page
        self._counts_lock = threading.Lock()
        self._request_counts: Counter[str] = Counter()

    def __repr__(self) -> str:  # whether a cookie is set, never the cookie
        return f"DoubanHttp(cookie={'set' if self._cookie else 'unset'}, timeout={self._timeout})"

    @property
    def request_counts(self) -> dict[str, int]:
        """Requests sent so far by this worker, per source."""
        with self._counts_lock:
            return dict(self._request_counts)

    def get(
        self,
        url: str,
        *,
        source: str,
        params: Mapping[str, str] | None = None,
        mobile: bool = False,
        referer: str | None = None,
        accept: str = ACCEPT_HTML,
    ) -> FetchResult:
        """GET ``url`` as the desktop browser (or the mobile site when ``mobile``); never raises for HTTP trouble."""
        headers = self._headers(mobile=mobile, referer=referer, accept=accept)
        sent = 0
        retries = 0
        redirect_followed = False
        while True:
            sent += 1
            verdict = self._attempt(url, params, headers, source)
            if verdict.follow and not redirect_followed:
                redirect_followed, url, params = True, verdict.follow, None
                continue
            allowed = min(self._max_retries, self._max_timeout_retries) if verdict.timed_out else self._max_retries
            delay = self._retry_delay(retries, verdict.retry_after) if verdict.retryable else None
            if delay is None or retries >= allowed:
                return self._result(verdict, source, url, sent)
            retries += 1
            logger.info("douban %s: %s, retry %d in %.2fs", source, verdict.reason, retries, delay)
            self._sleep(delay)

    def _headers(self, *, mobile: bool, referer: str | None, accept: str) -> dict[str, str]:
        headers = {
            "User-Agent": MOBILE_USER_AGENT if mobile else DESKTOP_USER_AGENT,
            "Accept-Language": ACCEPT_LANGUAGE,
            "Accept": accept,
        }
        if self._cookie and not mobile:
            headers["Cookie"] = self._cookie
        if referer:
            headers["Referer"] = referer
        return headers

    def _attempt(self, url: str, params: Mapping[str, str] | None, headers: dict[str, str], source: str) -> _Verdict:
        self._limiter.acquire()
        self._count(source)
        try:
            response = self._session.get(
                url, params=params, headers=headers, timeout=self._timeout, allow_redirects=False
            )
        except requests.Timeout:
            return _Verdict(FetchStatus.UNAVAILABLE, reason="timed out", retryable=True, timed_out=True)
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as error:
            return _Verdict(
                FetchStatus.UNAVAILABLE, reason=f"connection failed ({type(error).__name__})", retryable=True
            )
        with response:
            return self._judge(response, url)

    def _count(self, source: str) -> None:
        with self._counts_lock:
            self._request_counts[source] += 1
        if self._on_request:
            self._on_request(source)

    def _judge(self, response: requests.Response, url: str) -> _Verdict:
        code = response.status_code
        retry_after = parse_retry_after(response.headers.get("Retry-After"), self._wall_clock())
        if 300 <= code < 400:
            return self._judge_redirect(response.headers.get("Location"), url, code, retry_after)
        if code in (404, 410):
            return _Verdict(FetchStatus.NOT_FOUND, code, reason=f"HTTP {code}")
        if code in (401, 403, 418):
            return _Verdict(FetchStatus.BLOCKED, code, reason=f"HTTP {code}", retry_after=retry_after)
        if code == 429 or code >= 500:
            return _Verdict(
                FetchStatus.UNAVAILABLE, code, reason=f"HTTP {code}", retry_after=retry_after, retryable=True
            )
        if code != 200:
            return _Verdict(FetchStatus.UNAVAILABLE, code, reason=f"unexpected HTTP {code}")
        if "charset" not in response.headers.get("Content-Type", "").lower():
            response.encoding = "utf-8"  # Douban serves UTF-8; requests would otherwise guess (HTML: Latin-1)
        text = response.text
        if _is_html(response, text) and self._is_blocked_page(text):
            return _Verdict(FetchStatus.BLOCKED, code, reason="challenge or login page", retry_after=retry_after)
        return _Verdict(FetchStatus.OK, code, text=text)

    @staticmethod
    def _judge_redirect(location: str | None, url: str, code: int, retry_after: float | None) -> _Verdict:
        if not location:
            return _Verdict(FetchStatus.UNAVAILABLE, code, reason=f"HTTP {code} without Location")
        target = urlsplit(urljoin(url, location))
        where = f"{target.netloc}{target.path}"  # the query may echo our URL back; it says nothing more
        if is_block_redirect(target.geturl()):
            login_wall = is_login_redirect(target.geturl())
            reason = f"redirected to {where}"
            return _Verdict(FetchStatus.BLOCKED, code, reason=reason, retry_after=retry_after, login_wall=login_wall)
        current = urlsplit(url)
        if target.netloc.lower() != current.netloc.lower():
            return _Verdict(FetchStatus.UNAVAILABLE, code, reason=f"refused redirect to another host: {where}")
        follow = urlunsplit((current.scheme, current.netloc, target.path, target.query, ""))
        return _Verdict(
            FetchStatus.UNAVAILABLE, code, reason=f"redirected more than once, last to {where}", follow=follow
        )

    def _retry_delay(self, retries_done: int, retry_after: float | None) -> float | None:
        """Exponential backoff with jitter, or the server's Retry-After; None when that is too long to wait here."""
        if retry_after is not None:
            return retry_after if retry_after <= self._max_retry_wait else None
        ceiling = self._backoff * 2**retries_done
        return ceiling / 2 + self._jitter() * ceiling / 2

    @staticmethod
    def _result(verdict: _Verdict, source: str, url: str, sent: int) -> FetchResult:
        if verdict.status is FetchStatus.BLOCKED:
            logger.warning("douban %s blocked: %s (%s)", source, verdict.reason, urlsplit(url).path)
        elif verdict.status is FetchStatus.UNAVAILABLE:
            logger.warning("douban %s unavailable: %s (%s)", source, verdict.reason, urlsplit(url).path)
        return FetchResult(
            status=verdict.status,
            source=source,
            url=url,
            status_code=verdict.status_code,
            text=verdict.text,
            reason=verdict.reason,
            retry_after=verdict.retry_after,
            requests=sent,
            login_wall=verdict.login_wall,
        )


def _is_html(response: requests.Response, text: str) -> bool:
    # Only pages are checked for challenge markers: a JSON summary may well mention 登录 without being a login page.
    return "html" in response.headers.get("Content-Type", "").lower() or text.lstrip()[:1] == "<"
