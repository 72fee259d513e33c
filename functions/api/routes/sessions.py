"""POST /sessions: signing in with a wx.login code."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body

from movierec import runtime
from movierec.core.observability import metrics
from movierec.core.rate_limits import RateLimited
from movierec.people.sessions import SessionIssued, SignInRequest

from errors import SignInNotConfigured
from routes.asker import source_ip
from routes.documented import PUBLIC, UNREADABLE_BODY, answer

router = Router()


@router.post(
    "/sessions",
    summary="Sign in with a wx.login code",
    security=PUBLIC,
    responses={
        **answer(200, "Signed in", SessionIssued),
        **answer(401, "WeChat refused the code (invalid, expired or used): call wx.login for a new one"),
        **answer(403, "WeChat blocks this account from signing in (sign_in_blocked): a new code cannot help"),
        **answer(404, "This server runs without sign-in (code sign_in_not_configured): no token is needed"),
        **UNREADABLE_BODY,
        **answer(422, "Invalid body"),
        **answer(429, "Too many sign-ins from this address; see Retry-After"),
        **answer(503, "WeChat cannot be reached; see Retry-After"),
    },
)
def sign_in(body: Annotated[SignInRequest, Body()]) -> SessionIssued:
    sessions = runtime.sessions()
    if sessions is None:
        raise SignInNotConfigured()
    verdict = runtime.sign_in_limiter().check(f"sign-in#{source_ip(router)}")
    if not verdict.allowed:
        raise RateLimited(verdict.retry_after_seconds)
    issued = sessions.sign_in(body.code)
    metrics.add_metric(name="SignIns", unit="Count", value=1)
    return issued
