"""Every error the API answers, mapped in one place: a JSON `ApiError` a person can read, with the status and
headers (Retry-After, WWW-Authenticate) a client acts on."""

from __future__ import annotations

import math
from typing import Any

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError

from movierec.core.models import ApiError
from movierec.core.rate_limits import RateLimited
from movierec.douban.errors import DoubanUnavailable
from movierec.feedback.reports import ReportedCardNotFound
from movierec.history_import.reading import UnreadableFile
from movierec.modes.read_filters import NothingCanMatch
from movierec.people.content_safety import ContentCheckDown, ContentRejected
from movierec.people.sessions import CodeRefused, SignInBlocked, SignInUnavailable, Unauthenticated
from movierec.recommendation.intake import UnknownPrevious
from movierec.recommendation.validation import problem_details, problems_summary

router = Router()

DOUBAN_RETRY_AFTER_SECONDS = 30  # when Douban gave no hint of its own


class RequestNotFound(Exception):
    """An unknown id, or another person's request or import (which is unknown to them)."""


class MovieNotFound(Exception):
    """Not a Douban id, or one Douban does not know."""


class SignInNotConfigured(Exception):
    """A route for signed-in people on a server without sign-in."""


def _error(status: int, body: ApiError, headers: dict[str, str] | None = None) -> Response:
    return Response(
        status_code=status, content_type=content_types.APPLICATION_JSON, body=body.model_dump_json(), headers=headers
    )


def _invalid(details: list[dict[str, str]], total: int | None = None) -> Response:
    message = problems_summary(details, total)
    return _error(422, ApiError(code="invalid_request", message=message, details=details))


@router.exception_handler(RequestValidationError)
def invalid_request(error: RequestValidationError) -> Response:
    problems = error.errors()
    return _invalid(problem_details(list(problems)), total=len(problems))


@router.exception_handler(UnknownPrevious)
def unknown_previous(_: UnknownPrevious) -> Response:
    """A rule the models cannot check alone: it needs the store."""
    return _invalid([{"field": "previous", "message": "no such request"}])


@router.exception_handler(NothingCanMatch)
def nothing_can_match(error: NothingCanMatch) -> Response:
    """The filters leave no film (2030年以后): said in words a person reads, naming the field that holds them, rather
    than a request that ends with an empty page."""
    details = [{"field": problem.field, "message": problem.message} for problem in error.problems]
    return _error(422, ApiError(code="nothing_can_match", message=error.problems[0].message, details=details))


@router.exception_handler([RequestNotFound, MovieNotFound, ReportedCardNotFound])
def not_found(error: Exception) -> Response:
    return _error(404, ApiError(code="not_found", message=str(error)))


@router.exception_handler(DoubanUnavailable)
def douban_unavailable(error: DoubanUnavailable) -> Response:
    seconds = max(1, math.ceil(error.retry_after or DOUBAN_RETRY_AFTER_SECONDS))
    body = ApiError(code="douban_unavailable", message="豆瓣暂时无法访问，请稍后再试。")
    return _error(503, body, headers={"Retry-After": str(seconds)})


@router.exception_handler(RateLimited)
def rate_limited(error: RateLimited) -> Response:
    body = ApiError(code=error.code, message=error.message)
    return _error(429, body, headers={"Retry-After": str(error.retry_after_seconds)})


@router.exception_handler(ContentRejected)
def content_rejected(error: ContentRejected) -> Response:
    message = "输入的内容未通过微信内容安全检查，请换个说法再试。"
    details = [{"field": error.field, "message": "未通过内容安全检查"}]
    return _error(422, ApiError(code="content_rejected", message=message, details=details))


# Refusals that read the same every time: (status, code, message for people, Retry-After seconds or None).
FIXED_REFUSALS: dict[type[Exception], tuple[int, str, str, int | None]] = {
    ContentCheckDown: (503, "content_check_unavailable", "暂时无法完成内容安全检查，请稍后再试。", 5),
    CodeRefused: (401, "sign_in_refused", "微信登录凭证无效或已过期，请重新登录。", None),
    # WeChat's errcode 40226: signing in again cannot help, so it is not a 401 (which clients answer by doing so).
    SignInBlocked: (
        403,
        "sign_in_blocked",
        "微信判断这个微信账号存在安全风险，暂时不允许它登录小程序，重新登录也无法解决。账号恢复正常后再来吧。",
        None,
    ),
    SignInUnavailable: (503, "wechat_unavailable", "暂时无法通过微信登录，请稍后再试。", 5),
    SignInNotConfigured: (
        404,
        "sign_in_not_configured",
        "this server runs without sign-in (no WeChat settings): there are no people, sessions or marks",
        None,
    ),
}


def _fixed_refusal(error: Exception) -> Response:
    status, code, message, retry_after = FIXED_REFUSALS[type(error)]
    headers = {"Retry-After": str(retry_after)} if retry_after else None
    return _error(status, ApiError(code=code, message=message), headers=headers)


router.exception_handler(list(FIXED_REFUSALS))(_fixed_refusal)


@router.exception_handler(UnreadableFile)
def unreadable_file(error: UnreadableFile) -> Response:
    """A history file that cannot be read: the message tells the person what to send instead."""
    body = ApiError(code=error.code, message=error.message, details=[{"field": "content", "message": error.message}])
    return _error(error.status, body)


def route_not_found(_: NotFoundError) -> Response:
    """The resolver's answer for a path no route serves (registered with `app.not_found`)."""
    return _error(404, ApiError(code="not_found", message=f"no such route: {router.current_event.path}"))


# --- answers given before the resolver runs -----------------------------------------------------------------------


def raw_error(status: int, error: ApiError, headers: dict[str, str] | None = None) -> dict[str, Any]:
    """An API Gateway proxy answer, for what is refused before routing (an unreadable body, a missing token)."""
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json", **(headers or {})},
        "body": error.model_dump_json(),
    }


def unauthorized(error: Unauthenticated) -> dict[str, Any]:
    """401 with RFC 6750's challenge: a bare one when no token came, invalid_token for an unknown or expired one."""
    challenge = {"WWW-Authenticate": 'Bearer error="invalid_token"' if error.token_sent else "Bearer"}
    return raw_error(401, ApiError(code="unauthorized", message=str(error)), challenge)
