"""WeChat's server API for a mini-program, behind one small client: sign-in, the access token, the text check.

- `jscode2session` (GET /sns/jscode2session): a `wx.login` code → the person's openid. The session_key it
  also answers is never kept.
- `stable_token` (POST /cgi-bin/stable_token, normal mode): the access token, cached until shortly before it
  expires. Normal mode hands every caller the same token, so instances never invalidate each other's.
- `msgSecCheck` v2 (POST /wxa/msg_sec_check): a text and the openid of the person behind it → pass, review or risky.

WeChat answers its own errors with HTTP 200 and `{"errcode", "errmsg"}` (errcode sometimes a string), and JSON
whatever its Content-Type says. Busy answers (-1), 5xx and network failures are tried once more; an expired or
replaced access token (40001, 40014, 42001) is fetched again once. Failures become the domain's errors
(`CodeRefused`, `SignInBlocked`, `SignInUnavailable`, `CheckUnavailable`). The AppSecret, the code and the access
token travel in query strings, so no URL, and no exception text that may hold one, is ever logged. For the same
reason the calls go through urllib3 rather than requests: X-Ray's requests patch records a failed call's exception,
URL and all, in the trace. Each call gets a subsegment of its own instead, named by its path.

Sources: developers.weixin.qq.com, "小程序登录 / code2Session", "getStableAccessToken", "msgSecCheck" (v2).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import urllib3

from movierec.core.observability import logger, tracer
from movierec.people.content_safety import CheckUnavailable, Suggestion
from movierec.people.sessions import CodeRefused, SignInBlocked, SignInUnavailable

# The person's code is no good: invalid or expired, or already used. A new code (wx.login again) may work.
CODE_REFUSED = frozenset({40029, 40163})
# "code blocked": WeChat's risk control blocks the account from signing in to mini-programs ("高风险等级用户，小程序
# 登录拦截"); every new code is refused the same way until WeChat lifts it.
ACCOUNT_BLOCKED = 40226
# The access token is invalid, not the latest, or expired: fetch it again.
TOKEN_REJECTED = frozenset({40001, 40014, 42001})
# WeChat is busy: worth one more try at once.
BUSY = -1
# Our own set-up is wrong (AppID, AppSecret, the API's IP whitelist, a permission): the operator must act.
SET_UP_WRONG = frozenset({40013, 40125, 40164, 41002, 41004, 48001, 89501, 89503, 89506, 89507})
# msgSecCheck's scene: 2 is comments, WeChat's scene for short texts people write for others to read.
COMMENT_SCENE = 2
# Refresh the token a little before WeChat says it expires (it hands out the next one in the last 5 minutes).
TOKEN_EARLY_REFRESH_SECONDS = 300
ATTEMPTS = 2
RETRY_PAUSE_SECONDS = 0.2


class _Failure(Exception):
    """WeChat gave no usable answer; `reason` is safe to log (no URL, no secret)."""

    def __init__(self, reason: str, errcode: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.errcode = errcode


@dataclass(frozen=True)
class _Token:
    value: str
    refresh_at: float


def _errcode(answer: dict[str, Any]) -> int:
    try:
        return int(answer.get("errcode") or 0)
    except (TypeError, ValueError):
        return BUSY  # an errcode that is not a number is not an answer to trust


class WeChatClient:
    def __init__(
        self,
        http: urllib3.PoolManager,
        base_url: str,
        app_id: str,
        app_secret: Callable[[], str | None],
        *,
        timeout_seconds: float = 3.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """`app_secret` is asked each time a secret is needed: it may rotate (Secrets Manager caches it)."""
        self._http = http
        self._base_url = base_url.rstrip("/")
        self._app_id = app_id
        self._app_secret = app_secret
        self._timeout_seconds = timeout_seconds
        self._clock = clock
        self._sleep = sleep
        self._token: _Token | None = None
        self._token_lock = threading.Lock()

    # --- sign-in ---------------------------------------------------------------------------------------------

    def openid_for_code(self, code: str) -> str:
        """The openid behind a `wx.login` code. Raises CodeRefused (the person signs in again with a new code),
        SignInBlocked (WeChat blocks the account: a new code cannot help) or SignInUnavailable (WeChat cannot
        answer now, or refuses our AppID/AppSecret)."""
        try:
            params = {
                "appid": self._app_id,
                "secret": self._secret(),
                "js_code": code,
                "grant_type": "authorization_code",
            }
            answer = self._call("GET", "/sns/jscode2session", params=params)
        except _Failure as failure:
            if failure.errcode in CODE_REFUSED:
                raise CodeRefused(failure.reason) from None
            if failure.errcode == ACCOUNT_BLOCKED:
                raise SignInBlocked(failure.reason) from None
            raise SignInUnavailable(failure.reason) from None
        openid = answer.get("openid")
        if not isinstance(openid, str) or not openid:
            raise SignInUnavailable("jscode2session answered no openid")
        return openid

    # --- content safety ----------------------------------------------------------------------------------------

    def check_text(self, text: str, openid: str) -> Suggestion:
        """WeChat's suggestion for `text` written by the person `openid`; raises CheckUnavailable."""
        body = {"content": text, "version": 2, "scene": COMMENT_SCENE, "openid": openid}

        def check() -> dict[str, Any]:
            return self._call(
                "POST", "/wxa/msg_sec_check", params={"access_token": self._access_token()}, json_body=body
            )

        try:
            try:
                answer = check()
            except _Failure as failure:
                if failure.errcode not in TOKEN_REJECTED:
                    raise
                self._forget_token()  # replaced or expired early: fetch it again, once
                answer = check()
        except _Failure as failure:
            raise CheckUnavailable(failure.reason) from None
        suggest = (answer.get("result") or {}).get("suggest")
        if suggest not in ("pass", "review", "risky"):
            raise CheckUnavailable(f"msgSecCheck answered no suggestion (trace_id {answer.get('trace_id')})")
        return suggest

    def _access_token(self) -> str:
        with self._token_lock:
            if self._token is not None and self._clock() < self._token.refresh_at:
                return self._token.value
            body = {
                "grant_type": "client_credential",
                "appid": self._app_id,
                "secret": self._secret(),
                "force_refresh": False,  # forcing would invalidate the token every other instance holds
            }
            answer = self._call("POST", "/cgi-bin/stable_token", json_body=body)
            value = answer.get("access_token")
            try:
                expires_in = int(answer.get("expires_in"))
            except (TypeError, ValueError):
                expires_in = 0
            if not isinstance(value, str) or not value or expires_in <= 0:
                raise _Failure("stable_token answered no access token")
            early = min(TOKEN_EARLY_REFRESH_SECONDS, expires_in // 2)
            self._token = _Token(value, self._clock() + expires_in - early)
            return value

    def _forget_token(self) -> None:
        with self._token_lock:
            self._token = None

    # --- transport ---------------------------------------------------------------------------------------------

    def _secret(self) -> str:
        secret = self._app_secret()
        if not secret:
            raise _Failure("the WeChat AppSecret could not be read")
        return secret

    def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        """WeChat's JSON answer, tried again once when WeChat is busy or unreachable; raises _Failure."""
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return self._call_once(method, path, **kwargs)
            except _Failure as failure:
                retryable = failure.errcode is None or failure.errcode == BUSY
                if not retryable or attempt == ATTEMPTS:
                    self._log(path, failure)
                    raise
                self._sleep(RETRY_PAUSE_SECONDS)
        raise AssertionError("unreachable")

    def _call_once(
        self, method: str, path: str, params: dict[str, str] | None = None, json_body: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        # A subsegment of our own, named by the path only (capture_method would log every refusal as an error).
        with tracer.provider.in_subsegment(f"## WeChat {path}"):
            return self._request(method, path, params, json_body)

    def _request(
        self, method: str, path: str, params: dict[str, str] | None, json_body: dict[str, Any] | None
    ) -> dict[str, Any]:
        url = f"{self._base_url}{path}?{urlencode(params)}" if params else self._base_url + path
        body = json.dumps(json_body, ensure_ascii=False).encode() if json_body is not None else None
        headers = {"Content-Type": "application/json"} if body is not None else None
        try:
            response = self._http.request(
                method, url, body=body, headers=headers, timeout=self._timeout_seconds, retries=False
            )
        except urllib3.exceptions.TimeoutError:
            raise _Failure(f"{path}: no answer within {self._timeout_seconds} s") from None
        except urllib3.exceptions.HTTPError as error:
            # The exception's text holds the URL, and with it the AppSecret or the access token: only its kind.
            raise _Failure(f"{path}: unreachable ({type(error).__name__})") from None
        if response.status != 200:
            raise _Failure(f"{path}: HTTP {response.status}")
        try:
            answer = json.loads(response.data)
        except ValueError:
            raise _Failure(f"{path}: the answer is not JSON") from None
        if not isinstance(answer, dict):
            raise _Failure(f"{path}: the answer is not a JSON object")
        errcode = _errcode(answer)
        if errcode != 0:
            # errmsg carries WeChat's rid for a support request; it never echoes a secret.
            raise _Failure(f"{path}: errcode {errcode} {str(answer.get('errmsg', ''))[:120]}", errcode)
        return answer

    @staticmethod
    def _log(path: str, failure: _Failure) -> None:
        if failure.errcode in CODE_REFUSED or failure.errcode == ACCOUNT_BLOCKED:
            logger.info("WeChat refused a sign-in code", extra={"errcode": failure.errcode})
        elif failure.errcode in SET_UP_WRONG:
            logger.error(
                "WeChat refuses our set-up: check WECHAT_APP_ID, the AppSecret and the API IP whitelist",
                extra={"path": path, "reason": failure.reason},
            )
        else:
            logger.warning("WeChat API failed", extra={"path": path, "reason": failure.reason})
