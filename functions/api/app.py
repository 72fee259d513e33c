"""HTTP API: sign in, create a recommendation request, poll it, a movie by its Douban id, import a Douban
history, sync marks, health, and the OpenAPI document.

With sign-in configured (WECHAT_APP_ID), every route but /health, /openapi.json, /swagger and /sessions needs
`Authorization: Bearer <token>`; without it the API is open, and says so at cold start.
"""

from __future__ import annotations

import math
import os
from functools import cache
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, CORSConfig, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.event_handler.openapi.params import Body, Path, Query
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel

from movierec import runtime
from movierec.content_safety import ContentCheckDown, ContentRejected
from movierec.douban.errors import DoubanUnavailable
from movierec.history_import.models import DoubanUserImportRequest, FileImportRequest, ImportedHistory, ImportView
from movierec.history_import.reading import UnreadableFile
from movierec.intake import UnknownPrevious
from movierec.marks import MarksPage, MarksUpload
from movierec.models import (
    ApiError,
    CreatedResponse,
    Health,
    MovieCard,
    RecommendationRequest,
    RecommendationView,
    RequestStatus,
    SharedResponse,
)
from movierec.movie_cards import movie_card
from movierec.observability import logger, metrics, tracer
from movierec.ratelimit import RateLimited
from movierec.request_body import unreadable_body
from movierec.sessions import (
    CodeRefused,
    Person,
    SessionIssued,
    SignInBlocked,
    SignInRequest,
    SignInUnavailable,
    Unauthenticated,
)
from movierec.usage_limits import Requester
from movierec.validation import problem_details, problems_summary

TITLE = "movierec API"
VERSION = "1.1.0"

# Checked once, at cold start: a missing or malformed setting stops the function here, with one log line.
runtime.settings()
runtime.announce_open_api()

SWAGGER_PATH = "/swagger"
# Routes anyone may call; with sign-in configured, every other one needs a token.
PUBLIC_PATHS = frozenset({"/health", "/openapi.json", SWAGGER_PATH, "/sessions"})
SIGNED_IN: list[dict[str, list[str]]] = [{"bearer": []}]
PUBLIC: list[dict[str, list[str]]] = [{}]

cors = CORSConfig(
    allow_origin=os.environ.get("CORS_ALLOW_ORIGIN", "https://servicewechat.com"),
    allow_headers=["Content-Type", "Authorization"],
    max_age=600,
)
app = APIGatewayRestResolver(enable_validation=True, cors=cors)


def _security() -> dict[str, Any]:
    """The document tells the truth: a bearer token on every route but the public ones where sign-in is on, none
    where it is off (the scheme is described either way)."""
    # Powertools' OpenAPI models serve the document only: imported here, they are no part of a cold start (80 ms).
    from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer

    schemes = {
        "bearer": HTTPBearer(
            description="The token from POST /sessions. Needed on every route but the public ones when the server "
            "has sign-in configured; a 401 means: sign in again (a new wx.login code) and retry."
        )
    }
    if not runtime.settings().sign_in_configured:
        return {"security_schemes": schemes}
    return {"security_schemes": schemes, "security": SIGNED_IN}


@cache
def _enable_swagger() -> None:
    """The Swagger UI's route, added when it is first asked for: enabling it loads the OpenAPI models (above)."""
    app.enable_swagger(path=SWAGGER_PATH, title=TITLE, version=VERSION, **_security())


def _documented(status: int, description: str, model: type[BaseModel] = ApiError) -> dict[int, dict[str, Any]]:
    """One documented answer: a JSON body of `model` (an ApiError unless said otherwise)."""
    return {status: {"description": description, "content": {"application/json": {"model": model}}}}


# --- errors: each one a JSON ApiError a person can read ----------------------------------------------------------


class RequestNotFound(Exception):
    pass


class MovieNotFound(Exception):
    pass


DOUBAN_RETRY_AFTER_SECONDS = 30  # when Douban gave no hint of its own


class SignInNotConfigured(Exception):
    """A route for signed-in people on a server without sign-in."""


def _error(status: int, body: ApiError, headers: dict[str, str] | None = None) -> Response:
    return Response(
        status_code=status, content_type=content_types.APPLICATION_JSON, body=body.model_dump_json(), headers=headers
    )


def _invalid(details: list[dict[str, str]], total: int | None = None) -> Response:
    message = problems_summary(details, total)
    return _error(422, ApiError(code="invalid_request", message=message, details=details))


@app.exception_handler(RequestValidationError)
def invalid_request(error: RequestValidationError) -> Response:
    problems = error.errors()
    return _invalid(problem_details(list(problems)), total=len(problems))


@app.exception_handler(UnknownPrevious)
def unknown_previous(_: UnknownPrevious) -> Response:
    """A rule the models cannot check alone: it needs the store."""
    return _invalid([{"field": "previous", "message": "no such request"}])


@app.exception_handler([RequestNotFound, MovieNotFound])
def not_found(error: Exception) -> Response:
    return _error(404, ApiError(code="not_found", message=str(error)))


@app.exception_handler(DoubanUnavailable)
def douban_unavailable(error: DoubanUnavailable) -> Response:
    seconds = max(1, math.ceil(error.retry_after or DOUBAN_RETRY_AFTER_SECONDS))
    body = ApiError(code="douban_unavailable", message="豆瓣暂时无法访问，请稍后再试。")
    return _error(503, body, headers={"Retry-After": str(seconds)})


@app.exception_handler(RateLimited)
def rate_limited(error: RateLimited) -> Response:
    body = ApiError(code=error.code, message=error.message)
    return _error(429, body, headers={"Retry-After": str(error.retry_after_seconds)})


@app.exception_handler(ContentRejected)
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


for _refused in FIXED_REFUSALS:
    app.exception_handler(_refused)(_fixed_refusal)


@app.exception_handler(UnreadableFile)
def unreadable_file(error: UnreadableFile) -> Response:
    """A history file that cannot be read: the message tells the person what to send instead."""
    body = ApiError(code=error.code, message=error.message, details=[{"field": "content", "message": error.message}])
    return _error(error.status, body)


@app.not_found
def route_not_found(_: NotFoundError) -> Response:
    return _error(404, ApiError(code="not_found", message=f"no such route: {app.current_event.path}"))


# --- routes ------------------------------------------------------------------------------------------------------


@app.get(
    "/health",
    summary="Liveness",
    security=PUBLIC,
    responses={
        **_documented(200, "Up", Health),
        **_documented(422, "Never sent: the route takes no input"),
    },
)
def health() -> Health:
    return Health()


@app.get("/openapi.json", include_in_schema=False)
def openapi_document():
    return Response(
        status_code=200,
        content_type=content_types.APPLICATION_JSON,
        body=app.get_openapi_json_schema(title=TITLE, version=VERSION, **_security()),
    )


def _source_ip() -> str:
    return app.current_event.request_context.identity.source_ip


def _asker_key() -> str | None:
    """The signed-in person's key; None on an open server, where every request is anyone's."""
    person: Person | None = app.context.get("person")
    return person.key if person else None


def _person() -> Person:
    """The signed-in person; routes for people do not exist on a server without sign-in."""
    person = app.context.get("person")
    if person is None:
        raise SignInNotConfigured()
    return person


_UNAUTHORIZED = _documented(401, "No token, or an unknown or expired one: sign in again and retry")
_UNREADABLE_BODY = {
    **_documented(400, "Body is not UTF-8"),
    **_documented(413, "Body too large"),
    **_documented(415, "Body is not JSON"),
}


@app.post(
    "/sessions",
    summary="Sign in with a wx.login code",
    security=PUBLIC,
    responses={
        **_documented(200, "Signed in", SessionIssued),
        **_documented(401, "WeChat refused the code (invalid, expired or used): call wx.login for a new one"),
        **_documented(403, "WeChat blocks this account from signing in (sign_in_blocked): a new code cannot help"),
        **_documented(404, "This server runs without sign-in (code sign_in_not_configured): no token is needed"),
        **_UNREADABLE_BODY,
        **_documented(422, "Invalid body"),
        **_documented(429, "Too many sign-ins from this address; see Retry-After"),
        **_documented(503, "WeChat cannot be reached; see Retry-After"),
    },
)
def sign_in(body: Annotated[SignInRequest, Body()]) -> SessionIssued:
    sessions = runtime.sessions()
    if sessions is None:
        raise SignInNotConfigured()
    verdict = runtime.sign_in_limiter().check(f"sign-in#{_source_ip()}")
    if not verdict.allowed:
        raise RateLimited(verdict.retry_after_seconds)
    issued = sessions.sign_in(body.code)
    metrics.add_metric(name="SignIns", unit="Count", value=1)
    return issued


@app.get(
    "/me/marks",
    summary="The person's marks that changed since a sync",
    responses={
        **_documented(200, "Changed marks, removals too", MarksPage),
        **_UNAUTHORIZED,
        **_documented(404, "This server runs without sign-in (code sign_in_not_configured)"),
        **_documented(422, "`since` is not a whole number of ms"),
    },
)
def get_marks(
    since: Annotated[int | None, Query(ge=0, description="`next_since` of the last sync (ms); omit for all")] = None,
) -> MarksPage:
    marks, next_since = runtime.mark_store().changed_since(_person().key, since)
    return MarksPage(marks=marks, next_since=next_since)


@app.post(
    "/me/marks",
    summary="Merge this phone's marks: per film and status, the newest updated_at wins",
    responses={
        **_documented(200, "Each sent film and status as it now stands (the stored one where it was newer)", MarksPage),
        **_UNAUTHORIZED,
        **_documented(404, "This server runs without sign-in (code sign_in_not_configured)"),
        **_UNREADABLE_BODY,
        **_documented(422, "Invalid marks: each problem names its field"),
    },
)
def post_marks(upload: Annotated[MarksUpload, Body()]) -> MarksPage:
    return MarksPage(marks=runtime.mark_store().merge(_person().key, upload.marks))


@app.post(
    "/recommendations",
    summary="Ask for recommendations",
    responses={
        **_documented(202, "Accepted; poll the id", CreatedResponse),
        **_UNREADABLE_BODY,
        **_UNAUTHORIZED,
        **_documented(422, "Invalid request, each problem naming its field and rule; or content_rejected"),
        **_documented(429, "Too many requests (rate_limited) or today's budget spent (daily_limit_reached)"),
        **_documented(503, "The content check cannot answer now (content_check_unavailable); see Retry-After"),
    },
)
def create_recommendation(request: Annotated[RecommendationRequest, Body()]) -> Response[CreatedResponse]:
    requester = Requester(ip=_source_ip(), person=app.context.get("person"))
    request_id = runtime.intake().create(request, requester)
    logger.append_keys(request_id=str(request_id))
    metrics.add_metric(name="RecommendationRequests", unit="Count", value=1)
    created = CreatedResponse(id=request_id, status=RequestStatus.PENDING)
    return Response(status_code=202, content_type=content_types.APPLICATION_JSON, body=created)


@app.get(
    "/recommendations/<request_id>",
    summary="Poll a request",
    responses={
        **_documented(200, "The request as it stands", RecommendationView),
        **_UNAUTHORIZED,
        **_documented(404, "Unknown or malformed id, or another person's request they have not shared"),
        **_documented(422, "Never sent: any id is accepted and an unknown one is a 404"),
    },
)
def get_recommendation(request_id: Annotated[str, Path()]) -> RecommendationView:
    stored = runtime.intake().poll(request_id, owner=_asker_key())
    if stored is None:
        raise RequestNotFound(f"no recommendation request {request_id!r}")
    return stored.view()


@app.post(
    "/recommendations/<request_id>/share",
    summary="Share a request: anyone with its id may then read it",
    description="The mini-program calls it when the person shares the results to a chat or to Moments, so that "
    "the link opens for others (they see the view only: never what it excluded, nor who asked).",
    responses={
        **_documented(200, "Shared (again: it is idempotent)", SharedResponse),
        **_UNAUTHORIZED,
        **_documented(404, "Unknown or malformed id, or another person's request"),
        **_documented(422, "Never sent: any id is accepted and an unknown one is a 404"),
    },
)
def share_recommendation(request_id: Annotated[str, Path()]) -> SharedResponse:
    if not runtime.intake().share(request_id, owner=_asker_key()):
        raise RequestNotFound(f"no recommendation request {request_id!r}")
    metrics.add_metric(name="RecommendationsShared", unit="Count", value=1)
    return SharedResponse(id=request_id)


@app.post(
    "/imports",
    summary="Read a Douban history file",
    description="The sync tool's CSV or JSON, NeoDB's *_mark.csv or export zip, 豆伴's xlsx (base64), the userscript's "
    "CSV, or the RSS feed: the films in file order, each once.",
    responses={
        **_documented(200, "The films in the file", ImportedHistory),
        **_UNREADABLE_BODY,
        **_documented(413, "Body over 2.5 MB, or a zip that unpacks to too much"),
        **_UNAUTHORIZED,
        **_documented(422, "Invalid request, or a file that cannot be read (the code says why)"),
    },
)
def import_history_file(request: Annotated[FileImportRequest, Body()]) -> ImportedHistory:
    from movierec.history_import.detect import read_history_file  # its readers load only for a file to read

    history = read_history_file(request)
    metrics.add_metric(name="HistoryFilmsImported", unit="Count", value=len(history.entries))
    return history


@app.post(
    "/imports/douban-user",
    summary="Import a Douban user's public 看过 list",
    responses={
        **_documented(202, "Accepted; poll the id", CreatedResponse),
        **_UNREADABLE_BODY,
        **_UNAUTHORIZED,
        **_documented(422, "Not a Douban user id or profile link"),
        **_documented(429, "Too many requests from this person (or, without sign-in, this address); see Retry-After"),
    },
)
def import_douban_user(request: Annotated[DoubanUserImportRequest, Body()]) -> Response[CreatedResponse]:
    requester = Requester(ip=_source_ip(), person=app.context.get("person"))
    import_id = runtime.user_imports().start(request.user, requester)
    logger.append_keys(import_id=str(import_id))
    created = CreatedResponse(id=import_id, status=RequestStatus.PENDING)
    return Response(status_code=202, content_type=content_types.APPLICATION_JSON, body=created)


@app.get(
    "/imports/<import_id>",
    summary="Poll an import by Douban user id",
    responses={
        **_documented(200, "The import as it stands", ImportView),
        **_UNAUTHORIZED,
        **_documented(404, "Unknown or malformed id, or another person's import"),
        **_documented(422, "Never sent: any id is accepted and an unknown one is a 404"),
    },
)
def get_import(import_id: Annotated[str, Path()]) -> ImportView:
    view = runtime.user_imports().poll(import_id, owner=_asker_key())
    if view is None:
        raise RequestNotFound(f"no import {import_id!r}")
    return view


@app.get(
    "/movies/<douban_id>",
    summary="A movie's Douban card by its Douban id",
    responses={
        **_documented(200, "The card, cached or read now", MovieCard),
        **_UNAUTHORIZED,
        **_documented(404, "Not a Douban id, or Douban has no such subject"),
        **_documented(422, "Never sent: any id is accepted and an unknown one is a 404"),
        **_documented(429, "Too many movies read from Douban by this person (or address) this minute; see Retry-After"),
        **_documented(503, "Douban cannot be read right now and the movie is not cached; see Retry-After"),
    },
)
def get_movie(douban_id: Annotated[str, Path()]) -> MovieCard:
    asker = Requester(ip=_source_ip(), person=app.context.get("person")).client
    card = movie_card(runtime.douban_lookup(), douban_id, runtime.movie_read_limiter(), asker)
    if card is None:
        raise MovieNotFound(f"no Douban movie {douban_id!r}")
    return card


def _who_asks(event: APIGatewayProxyEvent) -> Person | None:
    """The signed-in person; None where sign-in is not configured or not needed (public routes, CORS preflights).

    Raises Unauthenticated. Checked before routing, so a caller without a valid token learns that first, and
    routes added later are behind sign-in without having to ask.
    """
    sessions = runtime.sessions()
    if sessions is None or event.http_method == "OPTIONS" or event.path in PUBLIC_PATHS:
        return None
    return sessions.authenticate(event.headers.get("authorization"))


def _raw_error(status: int, error: ApiError, headers: dict[str, str] | None = None) -> dict[str, Any]:
    """An answer given before the resolver runs."""
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json", **(headers or {})},
        "body": error.model_dump_json(),
    }


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST, clear_state=True)
@tracer.capture_lambda_handler(capture_response=False)  # answers may hold a session token
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    try:
        person = _who_asks(APIGatewayProxyEvent(event))
    except Unauthenticated as error:
        # RFC 6750: a bare challenge when no token came, invalid_token for one that is unknown or expired.
        challenge = {"WWW-Authenticate": 'Bearer error="invalid_token"' if error.token_sent else "Bearer"}
        return _raw_error(401, ApiError(code="unauthorized", message=str(error)), challenge)
    refused = unreadable_body(
        event.get("httpMethod", ""),
        event.get("headers") or {},
        event.get("body"),
        bool(event.get("isBase64Encoded")),
        path=event.get("path", ""),
    )
    if refused:
        status, error = refused
        return _raw_error(status, error)
    if event.get("path") == SWAGGER_PATH:
        _enable_swagger()
    app.append_context(person=person)  # the resolver clears its context after each event
    return app.resolve(event, context)
