"""A person's public film marks, a page at a time, from Douban's mobile API.

``GET /api/v2/user/<uid>/interests?type=movie&status=done&start=N&count=50`` answers
``{"count", "start", "total", "interests": [...]}``, newest first, films and series mixed. The same objects are
served by two hosts: the mobile site's own API (``m.douban.com/rexxar/api/v2/…``, asked as the mobile site asks,
with its Referer) and the app API (``frodo.douban.com/api/v2/…``), which wants an ``apiKey``: it is tried only when
the operator configured one.

Douban refuses in many ways, all of them "not without a login" for this reader: a redirect to the security check
or the login page, a challenge page, 401/403/418, another 4xx (frodo's signature and key errors), or a JSON error
``{"msg", "code", "request"}`` in place of the page. A refusal is never retried; 5xx, 429 and timeouts are
(:class:`~movierec.douban.lookup.DoubanUnavailable`). Every request goes through the worker's polite
:class:`~movierec.douban.http.DoubanHttp` and a circuit per host, opened when a host blocks us.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Literal

from movierec.douban.circuit import CircuitBreaker
from movierec.douban.http import ACCEPT_JSON, DoubanHttp, FetchResult, FetchStatus
from movierec.douban.lookup import DoubanUnavailable

logger = logging.getLogger(__name__)

InterestsHost = Literal["rexxar", "frodo"]
PAGE_SIZE = 50  # the most the API hands out at once
MOBILE_PROFILE = "https://m.douban.com/people/{uid}/"  # where the mobile site itself asks from


class InterestsRefused(Exception):
    """Douban will not show this list without a login (or at all): ``reason`` says how it refused."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class UserNotFound(Exception):
    """No Douban user has this id."""


@dataclass(frozen=True)
class InterestsPage:
    host: InterestsHost
    start: int
    interests: list[Any]
    total: int | None

    @property
    def next_start(self) -> int:
        return self.start + len(self.interests)

    @property
    def is_last(self) -> bool:
        """An empty page, the stated total reached, or, with no total to go by, a page shorter than asked (with a
        total, a short page is not the end: the API may hand out fewer than asked, leaving out hidden marks)."""
        if not self.interests:
            return True
        if self.total is None:
            return len(self.interests) < PAGE_SIZE
        return self.next_start >= self.total


class InterestsReader:
    def __init__(
        self,
        http: DoubanHttp,
        circuit: CircuitBreaker,
        mobile_base_url: str,
        frodo_base_url: str,
        frodo_api_key: str | None = None,
    ) -> None:
        self._http = http
        self._circuit = circuit
        self._mobile_base = mobile_base_url.rstrip("/")
        self._frodo_base = frodo_base_url.rstrip("/")
        self._frodo_api_key = (frodo_api_key or "").strip() or None

    @property
    def hosts(self) -> tuple[InterestsHost, ...]:
        return ("rexxar", "frodo") if self._frodo_api_key else ("rexxar",)

    def seen_page(self, uid: str, start: int, host: InterestsHost | None = None) -> InterestsPage:
        """The 看过 page at ``start`` from ``host``, or from the first host that answers.

        Raises :class:`InterestsRefused` when every host refused, :class:`UserNotFound` when every host said there is
        no such user, and :class:`DoubanUnavailable` when a host could not answer now (try again later).
        """
        refusals: list[str] = []
        unavailable: DoubanUnavailable | None = None
        not_found = 0
        hosts = (host,) if host else self.hosts
        for candidate in hosts:
            try:
                return self._page(candidate, uid, start)
            except InterestsRefused as refused:
                refusals.append(f"{candidate}: {refused.reason}")
            except UserNotFound:
                not_found += 1
            except DoubanUnavailable as error:
                unavailable = error
        if not_found == len(hosts):
            raise UserNotFound(uid)
        if unavailable is not None:
            raise unavailable
        raise InterestsRefused("; ".join(refusals) or "no host answered")

    def _page(self, host: InterestsHost, uid: str, start: int) -> InterestsPage:
        source = f"interests_{host}"
        if wait := self._circuit.retry_in(source):
            raise InterestsRefused(f"paused for {wait:.0f}s after being blocked")
        params = {"type": "movie", "status": "done", "start": str(start), "count": str(PAGE_SIZE)}
        if host == "rexxar":
            url = f"{self._mobile_base}/rexxar/api/v2/user/{uid}/interests"
            referer: str | None = MOBILE_PROFILE.format(uid=uid)
        else:
            url = f"{self._frodo_base}/api/v2/user/{uid}/interests"
            params["apiKey"] = self._frodo_api_key or ""
            referer = None
        fetched = self._http.get(url, source=source, params=params, mobile=True, referer=referer, accept=ACCEPT_JSON)
        return self._read(host, start, fetched)

    def _read(self, host: InterestsHost, start: int, fetched: FetchResult) -> InterestsPage:
        if fetched.status is FetchStatus.NOT_FOUND:
            raise UserNotFound(fetched.url)
        if fetched.status is FetchStatus.BLOCKED:
            self._circuit.open(fetched.source, fetched.retry_after)
            raise InterestsRefused(fetched.reason)
        if fetched.status is FetchStatus.UNAVAILABLE:
            code = fetched.status_code or 0
            if 400 <= code < 500 and code != 429:  # a key or signature error: asking again will not help
                raise InterestsRefused(fetched.reason)
            raise DoubanUnavailable(f"Douban interests {fetched.reason}", retry_after=fetched.retry_after)
        try:
            answer = fetched.json()
        except ValueError as error:
            raise InterestsRefused("the answer is not JSON") from error
        interests = answer.get("interests") if isinstance(answer, dict) else None
        if not isinstance(interests, list):
            raise InterestsRefused(_error_text(answer))
        total = answer.get("total")
        return InterestsPage(host, start, interests, total if isinstance(total, int) and total >= 0 else None)


def _error_text(answer: Any) -> str:
    """What an error answer says: ``{"msg": "need_login", "code": 1001, "request": "GET /…"}``."""
    if isinstance(answer, dict) and ("msg" in answer or "code" in answer):
        return f"code {answer.get('code')}: {answer.get('msg')}"
    return f"no interests in the answer ({type(answer).__name__})"
