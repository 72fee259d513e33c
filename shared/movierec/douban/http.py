"""The one way movierec talks to Douban: a polite session that tells blocked, missing, down and refused apart.

Every request first takes a token from the deployment's one :class:`~movierec.douban.budget.DoubanBudget` (a retry
and a followed redirect too), gets a timeout and is counted. Redirects are never followed blindly: a redirect to the
security check, a login or a captcha page means we are refused; a redirect to another host is refused; a same-host
redirect is followed once, on a URL rebuilt from the host we asked.

Douban refuses in several shapes, told apart here (:class:`Refusal`) because they call for different answers:

- **rate limited**: the mobile API's JSON errors, whatever the HTTP status (``{"code": 1309, "msg":
  "subject_ip_rate_limit"}`` with a 400, ``{"code": 1080, "msg": "search_access_rate_limit"}``, the old API's
  ``{"code": 112, "msg": "rate_limit_exceeded2: <ip>"}``, a bare ``{"msg": "subject_ip_rate_limit"}``; MoviePilot
  #1206, InfinityPacer/MoviePilot-Plugins #23), and HTTP 429. Every taker of the budget waits (Douban's
  ``Retry-After``, else a minute) and the budget is halved a while.
- **banned**: a redirect to ``sec.douban.com/b``, or the "检测到有异常请求从你的 IP 发出" notice, as a page or as a
  redirect to it (``www.douban.com/misc/sorry``; other tools report it lasting until the next day): every source of
  every function stops for the ban's duration.
- **challenged**: a redirect to ``sec.douban.com/c`` (the SHA-512 proof of work anonymous desktop pages meet in
  2026) or its page: that source is left alone for hours by the caller. It is never solved.
- **login wall**: a redirect to the login page; **blocked**: 401, 403, 418, a captcha: that source, a short while.

An API's error body with a 4xx (``{"code": 103, "msg": "need_login"}`` with a 403, a signature error) is no refusal
of us: it is that API's answer to that one request, for the caller to read (``unavailable``, the body kept).
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC
from email.utils import parsedate_to_datetime
from enum import StrEnum
from http.cookiejar import DefaultCookiePolicy
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter

from movierec.core.observability import tracer
from movierec.douban.budget import DoubanBudget, Grant, Spend
from movierec.douban.errors import OutOfBudget
from movierec.douban.parser import PageRefusal, refusal_page

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
SECURITY_HOST = "sec.douban.com"
BAN_PATH = "/b"  # sec.douban.com/b: the address is banned; /c is the proof-of-work challenge
# www.douban.com/misc/sorry?original-url=…: the "检测到有异常请求从你的 IP 发出" page (with a captcha to unlock it),
# where Douban sends an address it flagged (a 2026 client: "dense requests 302 to /misc/sorry or sec.douban.com").
SORRY_PATH = "/misc/sorry"

# The mobile API's (and the old v2 API's) error codes that mean "too many requests from your address".
RATE_LIMIT_CODES = frozenset({1309, 1080, 112})
DEFAULT_BAN_SECONDS = 12 * 3600.0  # a ban that names no end: reports say it lasts until the next day


class FetchStatus(StrEnum):
    OK = "ok"
    NOT_FOUND = "not_found"
    BLOCKED = "blocked"
    UNAVAILABLE = "unavailable"


class Refusal(StrEnum):
    """How Douban refused (see the module's docstring); None on a result that is no refusal."""

    RATE_LIMITED = "rate_limited"
    BANNED = "banned"
    CHALLENGED = "challenged"
    LOGIN_WALL = "login_wall"
    BLOCKED = "blocked"


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
    refusal: Refusal | None = None

    @property
    def ok(self) -> bool:
        return self.status is FetchStatus.OK

    @property
    def login_wall(self) -> bool:
        """Refused by a redirect to the login page (not the security check)."""
        return self.refusal is Refusal.LOGIN_WALL

    def json(self) -> Any:
        """The body as JSON; raises ValueError when it is not."""
        return json.loads(self.text)


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
    return host != SECURITY_HOST and "captcha" not in path and ("login" in path or "passport" in path)


def redirect_refusal(location: str) -> Refusal:
    """Which refusal a redirect to ``location`` (one :func:`is_block_redirect` accepts) is."""
    target = urlsplit(location)
    path = target.path.rstrip("/").lower()
    if (target.hostname or "").lower() == SECURITY_HOST:
        return Refusal.BANNED if path == BAN_PATH else Refusal.CHALLENGED
    if path == SORRY_PATH:
        return Refusal.BANNED  # the same notice as the page the parser reads as abnormal requests
    return Refusal.LOGIN_WALL if is_login_redirect(location) else Refusal.BLOCKED


def _error_object(text: str) -> dict[str, Any] | None:
    """The mobile or app API's error object in a body (``{"msg", "code", "request", "localized_message"}``)."""
    if not text.lstrip().startswith("{"):
        return None
    try:
        answer = json.loads(text)
    except ValueError:
        return None
    if not isinstance(answer, dict) or ("msg" not in answer and "code" not in answer):
        return None
    return answer


def _described(error: dict[str, Any]) -> str:
    code, message = error.get("code"), str(error.get("msg") or "")
    return f"code {code}: {message}" if code is not None else message


def api_error(text: str) -> str | None:
    """The mobile or app API's error in a body, as ``"code 103: need_login"``; None for anything else (a page, a
    subject, a list)."""
    error = _error_object(text)
    return _described(error) if error is not None else None


def rate_limit_error(text: str) -> str | None:
    """The mobile API's rate-limit error in a body, as ``"code 1309: subject_ip_rate_limit"``; None for anything
    else (a page, a subject, another error such as ``invalid_request_997`` or ``need_login``)."""
    error = _error_object(text)
    if error is None or not (error.get("code") in RATE_LIMIT_CODES or "rate_limit" in str(error.get("msg") or "")):
        return None
    return _described(error)


_PAGE_REFUSALS = {
    PageRefusal.ABNORMAL_REQUEST: Refusal.BANNED,
    PageRefusal.CHALLENGE: Refusal.CHALLENGED,
    PageRefusal.LOGIN: Refusal.LOGIN_WALL,
    PageRefusal.CAPTCHA: Refusal.BLOCKED,
}


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
    refusal: Refusal | None = None


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

    ``budget`` is the deployment's one Douban budget: every request takes a token from it first, and what Douban
    answers that concerns every function (a rate limit, a ban) is told to it here. ``cookie`` is the operator's
    Douban cookie (a secret); it is sent on desktop requests only, while the budget says it still works, and never
    logged. ``on_request(source)`` is called before every request goes out, e.g. to emit a metric.
    Errors and 5xx are retried up to ``max_retries`` times, a timeout only ``max_timeout_retries`` times: each costs a
    whole ``timeout_seconds`` and the Lambda's own time is short. A rate-limit answer is never retried at once.
    """

    def __init__(
        self,
        *,
        budget: DoubanBudget,
        cookie: str | None = None,
        timeout_seconds: float = 10.0,
        max_retries: int = 2,
        max_timeout_retries: int = 1,
        backoff_seconds: float = 0.5,
        max_retry_wait_seconds: float = 5.0,
        ban_seconds: float = DEFAULT_BAN_SECONDS,
        on_request: Callable[[str], None] | None = None,
        session: requests.Session | None = None,
        sleep: Callable[[float], None] = time.sleep,
        wall_clock: Callable[[], float] = time.time,
        jitter: Callable[[], float] = random.random,
        refusal_of_page: Callable[[str], PageRefusal | None] = refusal_page,
    ) -> None:
        self._budget = budget
        self._cookie = (cookie or "").strip() or None
        self._timeout = timeout_seconds
        self._max_retries = max_retries
        self._max_timeout_retries = max_timeout_retries
        self._backoff = backoff_seconds
        self._max_retry_wait = max_retry_wait_seconds
        self._ban_seconds = ban_seconds
        self._on_request = on_request
        self._session = session or new_session()
        self._sleep = sleep
        self._wall_clock = wall_clock
        self._jitter = jitter
        self._refusal_of_page = refusal_of_page
        self._counts_lock = threading.Lock()
        self._request_counts: Counter[str] = Counter()

    def __repr__(self) -> str:  # whether a cookie is set, never the cookie
        return f"DoubanHttp(cookie={'set' if self._cookie else 'unset'}, timeout={self._timeout}, {self._budget!r})"

    @property
    def budget(self) -> DoubanBudget:
        return self._budget

    @property
    def request_counts(self) -> dict[str, int]:
        """Requests sent so far by this worker, per source."""
        with self._counts_lock:
            return dict(self._request_counts)

    @property
    def has_cookie(self) -> bool:
        """Whether the operator configured a Douban cookie (it may have expired since: see :meth:`signed_in`)."""
        return self._cookie is not None

    def signed_in(self) -> bool:
        """Whether desktop requests go out with the operator's cookie: one is configured and Douban still honours it
        (as the budget last heard)."""
        return self._cookie is not None and self._budget.signed_in()

    def reserve(self, spend: Spend, unless: Callable[[], bool] | None = None) -> Grant | None:
        """A token for the first request of a fetch, taken ahead: a caller that waited for it may find, before it
        spends it, that another worker meanwhile learnt what it wanted (the token is then simply not used); None when
        ``unless()`` said so while it waited. Raises :class:`OutOfBudget` or
        :class:`~movierec.douban.errors.DoubanBanned`."""
        return self._budget.take(spend.priority, spend.wait_seconds, unless)

    def get(
        self,
        url: str,
        *,
        source: str,
        spend: Spend,
        grant: Grant | None = None,
        params: Mapping[str, str] | None = None,
        mobile: bool = False,
        referer: str | None = None,
        accept: str = ACCEPT_HTML,
    ) -> FetchResult:
        """GET ``url`` as the desktop browser (or the mobile site when ``mobile``); never raises for HTTP trouble.

        Each request takes a token first (the first may come as ``grant``, from :meth:`reserve`). Raises
        :class:`OutOfBudget` when the first request cannot have one within ``spend.wait_seconds`` (nothing was
        sent), and :class:`~movierec.douban.errors.DoubanBanned` while Douban bans us; a later one that cannot
        ends the fetch with what the last request answered.
        """
        ticket = grant if grant is not None else self._take(spend)
        sent = 0
        retries = 0
        redirect_followed = False
        while True:
            sent += 1
            verdict = self._attempt(url, params, self._headers(mobile, referer, accept, ticket), source)
            verdict = self._tell_the_budget(verdict, source)
            if verdict.follow and not redirect_followed:
                redirect_followed, url, params = True, verdict.follow, None
            else:
                allowed = min(self._max_retries, self._max_timeout_retries) if verdict.timed_out else self._max_retries
                delay = self._retry_delay(retries, verdict.retry_after) if verdict.retryable else None
                if delay is None or retries >= allowed:
                    return self._result(verdict, source, url, sent)
                retries += 1
                logger.info("douban %s: %s, retry %d in %.2fs", source, verdict.reason, retries, delay)
                self._sleep(delay)
            try:
                ticket = self._take(spend)
            except OutOfBudget:
                return self._result(verdict, source, url, sent)  # no token for another try: what it answered

    def _take(self, spend: Spend) -> Grant:
        grant = self._budget.take(spend.priority, spend.wait_seconds)
        assert grant is not None  # only a taker with `unless` goes without
        return grant

    def _headers(self, mobile: bool, referer: str | None, accept: str, grant: Grant) -> dict[str, str]:
        headers = {
            "User-Agent": MOBILE_USER_AGENT if mobile else DESKTOP_USER_AGENT,
            "Accept-Language": ACCEPT_LANGUAGE,
            "Accept": accept,
        }
        if self._cookie and not mobile and grant.signed_in:
            headers["Cookie"] = self._cookie
        if referer:
            headers["Referer"] = referer
        return headers

    def _attempt(self, url: str, params: Mapping[str, str] | None, headers: dict[str, str], source: str) -> _Verdict:
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

    def _tell_the_budget(self, verdict: _Verdict, source: str) -> _Verdict:
        """What concerns every function, not just this source: a rate limit slows everyone, a ban stops everyone.
        Returns the verdict with a ban's length (Douban's ``Retry-After``, else ``ban_seconds``), for its callers."""
        if verdict.refusal is Refusal.RATE_LIMITED:
            logger.warning("douban %s rate-limits us: %s", source, verdict.reason)
            self._budget.slow_down(verdict.retry_after)
        elif verdict.refusal is Refusal.BANNED:
            verdict = replace(verdict, retry_after=verdict.retry_after or self._ban_seconds)
            self._budget.ban(verdict.retry_after)
        return verdict

    def _judge(self, response: requests.Response, url: str) -> _Verdict:
        code = response.status_code
        retry_after = parse_retry_after(response.headers.get("Retry-After"), self._wall_clock())
        if 300 <= code < 400:
            return self._judge_redirect(response.headers.get("Location"), url, code, retry_after)
        if "charset" not in response.headers.get("Content-Type", "").lower():
            response.encoding = "utf-8"  # Douban serves UTF-8; requests would otherwise guess (HTML: Latin-1)
        text = response.text
        if (limited := rate_limit_error(text)) is not None or code == 429:
            # Rate limits come as 400 (or 403, or even 200) with a JSON error: the status alone would hide them.
            reason = f"HTTP {code}, {limited}" if limited else f"HTTP {code}"
            return _Verdict(
                FetchStatus.UNAVAILABLE, code, reason=reason, retry_after=retry_after, refusal=Refusal.RATE_LIMITED
            )
        page_refusal = self._refusal_of_page(text) if _is_html(response, text) else None
        if page_refusal is not None:
            refusal = _PAGE_REFUSALS[page_refusal]
            reason = f"HTTP {code}, {page_refusal.value} page"
            return _Verdict(FetchStatus.BLOCKED, code, reason=reason, retry_after=retry_after, refusal=refusal)
        if code in (404, 410):
            return _Verdict(FetchStatus.NOT_FOUND, code, reason=f"HTTP {code}")
        if 400 <= code < 500 and (error := api_error(text)) is not None:
            # The API refusing this request (`need_login` with a 403, which a 2026 client met on about half of its
            # rexxar requests, cookie or not; a signature error): the caller reads it, no block of the address.
            reason = f"HTTP {code}, {error}"
            return _Verdict(FetchStatus.UNAVAILABLE, code, reason=reason, text=text, retry_after=retry_after)
        if code in (401, 403, 418):
            return _Verdict(
                FetchStatus.BLOCKED, code, reason=f"HTTP {code}", retry_after=retry_after, refusal=Refusal.BLOCKED
            )
        if code >= 500:
            return _Verdict(
                FetchStatus.UNAVAILABLE, code, reason=f"HTTP {code}", retry_after=retry_after, retryable=True
            )
        if code != 200:
            return _Verdict(FetchStatus.UNAVAILABLE, code, reason=f"unexpected HTTP {code}", text=text)
        return _Verdict(FetchStatus.OK, code, text=text)

    @staticmethod
    def _judge_redirect(location: str | None, url: str, code: int, retry_after: float | None) -> _Verdict:
        if not location:
            return _Verdict(FetchStatus.UNAVAILABLE, code, reason=f"HTTP {code} without Location")
        target = urlsplit(urljoin(url, location))
        where = f"{target.netloc}{target.path}"  # the query may echo our URL back; it says nothing more
        if is_block_redirect(target.geturl()):
            refusal = redirect_refusal(target.geturl())
            reason = f"redirected to {where}"
            return _Verdict(FetchStatus.BLOCKED, code, reason=reason, retry_after=retry_after, refusal=refusal)
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
            refusal=verdict.refusal,
        )


def _is_html(response: requests.Response, text: str) -> bool:
    # Only pages are checked for refusal markers: a JSON summary may well mention 登录 without being a login page.
    return "html" in response.headers.get("Content-Type", "").lower() or text.lstrip()[:1] == "<"
