"""Signing in with WeChat, and knowing who asks.

A person signs in with the one-off code of `wx.login`; WeChat's jscode2session turns it into the person's
openid, and the answer is an opaque random token that the mini-program sends as `Authorization: Bearer …`.
Only the token's SHA-256 is stored, with a TTL, next to the person's key (an HMAC-SHA256 of the openid under
an operator's secret key: the one id every table uses) and the openid itself, which WeChat's content check
needs, for as long as the session lasts. WeChat's session_key is never kept; the openid never leaves the server
and is never logged.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any, Protocol

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

# The global secondary index (KEYS_ONLY) that lists a person's sessions, for erasing them (template.yaml).
PERSON_INDEX = "by_person"
# 32 random bytes, URL-safe base64: 43 characters.
TOKEN_BYTES = 32
_BEARER = re.compile(r"^\s*bearer\s+([A-Za-z0-9_-]{20,200})\s*$", re.IGNORECASE)


class SignInRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)] = Field(
        description="The code from wx.login (valid once, for five minutes)"
    )


class SessionIssued(BaseModel):
    token: str = Field(description="Send as `Authorization: Bearer <token>` with every other call")
    expires_in: int = Field(description="Seconds until the token expires; sign in again then, or on any 401")


@dataclass(frozen=True)
class Person:
    """A signed-in person, as the API sees them for one call."""

    key: str  # HMAC of the openid: the person's id in every table
    session_id: str  # SHA-256 of the token
    openid: str = field(repr=False)  # for WeChat's content check only


class Unauthenticated(Exception):
    """No token, or an unknown or expired one: the person signs in again. The message is for people."""

    def __init__(self, message: str, token_sent: bool) -> None:
        super().__init__(message)
        self.token_sent = token_sent


class CodeRefused(Exception):
    """WeChat refused the wx.login code (invalid, expired or used): a new code may work."""


class SignInBlocked(Exception):
    """WeChat blocks this account from signing in to mini-programs (a high-risk account): no new code can help."""


class SignInUnavailable(Exception):
    """WeChat, or our own secret, could not be reached: signing in may work in a moment."""


class OpenIdSource(Protocol):
    def openid_for_code(self, code: str) -> str: ...


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def person_key(openid: str, hash_key: bytes) -> str:
    return hmac.new(hash_key, openid.encode(), hashlib.sha256).hexdigest()


class SessionStore:
    """The sessions table: one item per token hash, gone after `expires_at` (DynamoDB's TTL, checked on read
    too, since TTL deletion may lag by hours)."""

    def __init__(self, table: Any) -> None:
        self._table = table

    def put(self, session_id: str, key: str, openid: str, created_at: int, expires_at: int) -> None:
        item = {"id": session_id, "person": key, "openid": openid, "created_at": created_at, "expires_at": expires_at}
        self._table.put_item(Item=item)

    def get(self, session_id: str) -> dict[str, Any] | None:
        return self._table.get_item(Key={"id": session_id}, ConsistentRead=True).get("Item")


class Sessions:
    def __init__(
        self,
        store: SessionStore,
        wechat: OpenIdSource,
        hash_key: Callable[[], str | None],
        ttl_seconds: int,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """`hash_key` is read when needed (a secret); it must never change, or every person becomes someone new."""
        self._store = store
        self._wechat = wechat
        self._hash_key = hash_key
        self._ttl_seconds = ttl_seconds
        self._clock = clock

    def sign_in(self, code: str) -> SessionIssued:
        """A new session for the person behind `code`; raises CodeRefused, SignInBlocked or SignInUnavailable."""
        key = self._hash_key()
        if not key:
            raise SignInUnavailable("the openid hash key could not be read")
        openid = self._wechat.openid_for_code(code)
        token = secrets.token_urlsafe(TOKEN_BYTES)
        now = int(self._clock())
        self._store.put(token_hash(token), person_key(openid, key.encode()), openid, now, now + self._ttl_seconds)
        return SessionIssued(token=token, expires_in=self._ttl_seconds)

    def authenticate(self, authorization: str | None) -> Person:
        """The person whose token is in the Authorization header; raises Unauthenticated."""
        matched = _BEARER.match(authorization or "")
        if not matched:
            raise Unauthenticated("请先登录。", token_sent=bool(authorization))
        session_id = token_hash(matched.group(1))
        item = self._live(session_id)
        if item is None:
            raise Unauthenticated("登录已过期，请重新登录。", token_sent=True)
        return Person(key=item["person"], session_id=session_id, openid=item["openid"])

    def openid(self, session_id: str) -> str | None:
        """The openid of a live session (for checking text written for that person), else None."""
        item = self._live(session_id)
        return item["openid"] if item else None

    def _live(self, session_id: str) -> dict[str, Any] | None:
        item = self._store.get(session_id)
        if item is None or int(item["expires_at"]) <= self._clock():
            return None
        return item
