"""A person's public film marks, a page at a time, from Douban's mobile API.

``GET /api/v2/user/<uid>/interests?type=movie&status=done&start=N&count=50`` answers
``{"count", "start", "total", "interests": [...]}``, newest first, films and series mixed. The same objects are
served by two hosts: the mobile site's own API (``m.douban.com/rexxar/api/v2/…``, asked as the mobile site asks,
with its Referer) and the app API (``frodo.douban.com/api/v2/…``), which wants an ``apiKey``: it is tried only when
the operator configured one.

Douban says no in two ways, told apart because they call for opposite answers:

- **about one person's list** (:class:`InterestsRefused`): a 401/403 for that list, or a JSON error
  ``{"msg", "code", "request"}`` in place of the page (a list kept private). That import ends; no other is
  affected, and no circuit opens.
- **about our key**: frodo's signature and key errors (``{"code": 997, "msg": "invalid_request_997",
  "localized_message": "签名缺失"}`` with a 400: in 2026 the app API wants a signature the apiKey alone does not
  make). Nobody's list is to blame, and asking again will not help: that host is passed over for a while (its
  circuit) and the answer is the other host's.
- **about us** (:class:`~movierec.douban.errors.DoubanUnavailable`, with a hint of when to come back): a redirect
  to the security check or the login page, a challenge page, 418, a rate-limit answer (``{"code": 1309, "msg":
  "subject_ip_rate_limit"}`` comes with a 400 or a 403: its body, not its status, says what it is), a ban. Douban
  then refuses every list alike, so the host's circuit opens (a rate limit and a ban pause the whole budget instead)
  and every import waits (its job is tried again later) rather than failing as if the person had hidden their list.

5xx, 429 and timeouts are DoubanUnavailable too, and so is the budget having no request to spare: imports come after
every other use of it but the warm-up. Every request goes through the worker's polite
:class:`~movierec.douban.http.DoubanHttp`, at the import's priority.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from movierec.douban.budget import Priority, Spend
from movierec.douban.circuit import CircuitBreaker
from movierec.douban.errors import DoubanBanned, DoubanUnavailable, OutOfBudget
from movierec.douban.http import ACCEPT_JSON, DoubanHttp, FetchResult, FetchStatus, Refusal
from movierec.douban.models import InterestsHost

logger = logging.getLogger(__name__)

PAGE_SIZE = 50  # the most the API hands out at once
# The API's own refusal of one list (`{"msg": "need_login", "code": 103}` with a 403), as opposed to the challenge,
# the login redirect or 418, which Douban answers every request with once it blocks us.
_LIST_REFUSED = (401, 403)
MOBILE_PROFILE = "https://m.douban.com/people/{uid}/"  # where the mobile site itself asks from
# A page may wait this long for the budget: an import job reads for 25 s at most, and waits its turn after the cards.
IMPORT_SPEND = Spend(Priority.IMPORT, wait_seconds=8.0)


class InterestsRefused(Exception):
    """Douban will not show this person's list (private, or shown only to signed-in people): ``reason`` says how it
    refused. Not a block on us: other lists may still be read."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class UserNotFound(Exception):
    """No Douban user has this id."""


class _KeyRefused(Exception):
    """The host refuses the key or signature we send: about us, not about anyone's list."""


# Codes and messages of the app API's key and signature errors (997: 签名缺失, the signature missing).
_KEY_ERROR_CODES = frozenset({996, 997, 998, 999})
KEY_REFUSED_SECONDS = 6 * 3600.0


def _key_error(text: str) -> str | None:
    """``"code 997: invalid_request_997 (签名缺失)"`` for a key or signature error body; None otherwise."""
    try:
        answer = json.loads(text)
    except ValueError:
        return None
    if not isinstance(answer, dict):
        return None
    code, message = answer.get("code"), str(answer.get("msg") or "")
    if code in _KEY_ERROR_CODES or "apikey" in message.lower():
        return f"code {code}: {message} ({answer.get('localized_message') or ''})"
    return None


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
        spend: Spend = IMPORT_SPEND,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._http = http
        self._spend = spend
        self._clock = clock
        self._key_refused_until: dict[InterestsHost, float] = {}  # per instance: a host that refused our key
        self._circuit = circuit
        self._mobile_base = mobile_base_url.rstrip("/")
        self._frodo_base = frodo_base_url.rstrip("/")
        self._frodo_api_key = (frodo_api_key or "").strip() or None

    @property
    def hosts(self) -> tuple[InterestsHost, ...]:
        return ("rexxar", "frodo") if self._frodo_api_key else ("rexxar",)

    def seen_page(self, uid: str, start: int, host: InterestsHost | None = None) -> InterestsPage:
        """The 看过 page at ``start`` from ``host``, or from the first host that answers.

        Raises :class:`InterestsRefused` when every host refused this list, :class:`UserNotFound` when every host
        said there is no such user, and :class:`DoubanUnavailable` when a host could not answer now or blocks us
        (try again later).
        """
        refusals: list[str] = []
        keys_refused: list[str] = []
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
            except _KeyRefused as refused:
                keys_refused.append(f"{candidate}: {refused}")
            except (OutOfBudget, DoubanBanned):
                raise  # the budget is the whole deployment's: another host would fare no better
            except DoubanUnavailable as error:
                unavailable = error
        if not_found and not_found == len(hosts) - len(keys_refused):
            raise UserNotFound(uid)
        if unavailable is not None:
            raise unavailable
        if refusals:
            raise InterestsRefused("; ".join(refusals))  # a host refusing our key says nothing against that
        # Only our key was refused: nobody's list is to blame.
        raise DoubanUnavailable(f"Douban refuses our key: {'; '.join(keys_refused)}", retry_after=KEY_REFUSED_SECONDS)

    def _page(self, host: InterestsHost, uid: str, start: int) -> InterestsPage:
        if self._key_refused_until.get(host, 0.0) > self._clock():
            raise _KeyRefused("refused lately, not asked again yet")
        source = f"interests_{host}"
        if wait := self._circuit.retry_in(source):
            raise DoubanUnavailable(f"Douban interests ({host}) paused for {wait:.0f}s after a block", retry_after=wait)
        params = {"type": "movie", "status": "done", "start": str(start), "count": str(PAGE_SIZE)}
        if host == "rexxar":
            url = f"{self._mobile_base}/rexxar/api/v2/user/{uid}/interests"
            referer: str | None = MOBILE_PROFILE.format(uid=uid)
        else:
            url = f"{self._frodo_base}/api/v2/user/{uid}/interests"
            params["apiKey"] = self._frodo_api_key or ""
            referer = None
        fetched = self._http.get(
            url, source=source, spend=self._spend, params=params, mobile=True, referer=referer, accept=ACCEPT_JSON
        )
        return self._read(host, start, fetched)

    def _read(self, host: InterestsHost, start: int, fetched: FetchResult) -> InterestsPage:
        if fetched.status is FetchStatus.NOT_FOUND:
            raise UserNotFound(fetched.url)
        if fetched.refusal in (Refusal.RATE_LIMITED, Refusal.BANNED):  # every list alike; the budget knows it
            raise DoubanUnavailable(f"Douban refuses the interests API: {fetched.reason}", fetched.retry_after)
        if fetched.status is FetchStatus.BLOCKED:
            if fetched.refusal is Refusal.BLOCKED and fetched.status_code in _LIST_REFUSED:  # this list: their privacy
                raise InterestsRefused(fetched.reason)
            wait = self._circuit.open(fetched.source, fetched.retry_after)  # a block on us: every list alike
            raise DoubanUnavailable(f"Douban blocks the interests API: {fetched.reason}", retry_after=wait)
        if fetched.status is FetchStatus.UNAVAILABLE:
            code = fetched.status_code or 0
            if 400 <= code < 500 and (key_error := _key_error(fetched.text)):
                self._key_refused_until[host] = self._clock() + KEY_REFUSED_SECONDS
                logger.error("douban %s refuses our key (%s): that host is not asked for a while", host, key_error)
                raise _KeyRefused(key_error)
            if 400 <= code < 500 and code != 429:  # an error answer about this list: asking again will not help
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
