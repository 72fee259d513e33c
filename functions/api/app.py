"""HTTP API: create a recommendation request, poll it, a movie by its Douban id, import a Douban history, health,
and the OpenAPI document."""

from __future__ import annotations

import math
import os
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, CORSConfig, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from movierec import runtime
from movierec.douban.lookup import DoubanUnavailable
from movierec.history_import.detect import read_history_file
from movierec.history_import.models import DoubanUserImportRequest, FileImportRequest, ImportedHistory, ImportView
from movierec.history_import.reading import UnreadableFile
from movierec.intake import RateLimited, UnknownPrevious
from movierec.models import (
    ApiError,
    CreatedResponse,
    Health,
    MovieCard,
    RecommendationRequest,
    RecommendationView,
    RequestStatus,
)
from movierec.movie_cards import movie_card
from movierec.observability import logger, metrics
from movierec.request_body import unreadable_body
from movierec.validation import field_name

TITLE = "movierec API"
VERSION = "1.0.0"

cors = CORSConfig(
    allow_origin=os.environ.get("CORS_ALLOW_ORIGIN", "https://servicewechat.com"),
    allow_headers=["Content-Type"],
    max_age=600,
)
app = APIGatewayRestResolver(enable_validation=True, cors=cors)
app.enable_swagger(path="/swagger", title=TITLE, version=VERSION)


def _documented(status: int, description: str) -> dict[int, dict[str, Any]]:
    return {status: {"description": description, "content": {"application/json": {"model": ApiError}}}}


# --- errors: each one a JSON ApiError a person can read ----------------------------------------------------------


class RequestNotFound(Exception):
    pass


class MovieNotFound(Exception):
    pass


DOUBAN_RETRY_AFTER_SECONDS = 30  # when Douban gave no hint of its own


def _error(status: int, body: ApiError, headers: dict[str, str] | None = None) -> Response:
    return Response(
        status_code=status, content_type=content_types.APPLICATION_JSON, body=body.model_dump_json(), headers=headers
    )


def _invalid(details: list[dict[str, str]]) -> Response:
    message = "; ".join(f"{detail['field']}: {detail['message']}" for detail in details)
    return _error(422, ApiError(code="invalid_request", message=message, details=details))


@app.exception_handler(RequestValidationError)
def invalid_request(error: RequestValidationError) -> Response:
    return _invalid([{"field": field_name(problem), "message": problem["msg"]} for problem in error.errors()])


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
    seconds = error.retry_after_seconds
    body = ApiError(code="rate_limited", message=f"请求太频繁了，请 {seconds} 秒后再试。")
    return _error(429, body, headers={"Retry-After": str(seconds)})


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
    responses={
        200: {"description": "Up", "content": {"application/json": {"model": Health}}},
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
        body=app.get_openapi_json_schema(title=TITLE, version=VERSION),
    )


@app.post(
    "/recommendations",
    summary="Ask for recommendations",
    responses={
        202: {"description": "Accepted; poll the id", "content": {"application/json": {"model": CreatedResponse}}},
        **_documented(400, "Body is not UTF-8"),
        **_documented(413, "Body too large"),
        **_documented(415, "Body is not JSON"),
        **_documented(422, "Invalid request: each problem names its field and rule"),
        **_documented(429, "Too many requests from this client; see Retry-After"),
    },
)
def create_recommendation(request: Annotated[RecommendationRequest, Body()]) -> Response[CreatedResponse]:
    client = f"ip#{app.current_event.request_context.identity.source_ip}"  # per user once there are users
    request_id = runtime.intake().create(request, client)
    logger.append_keys(request_id=str(request_id))
    metrics.add_metric(name="RecommendationRequests", unit="Count", value=1)
    created = CreatedResponse(id=request_id, status=RequestStatus.PENDING)
    return Response(status_code=202, content_type=content_types.APPLICATION_JSON, body=created)


@app.get(
    "/recommendations/<request_id>",
    summary="Poll a request",
    responses={
        200: {
            "description": "The request as it stands",
            "content": {"application/json": {"model": RecommendationView}},
        },
        **_documented(404, "Unknown or malformed id"),
        **_documented(422, "Never sent: any id is accepted and an unknown one is a 404"),
    },
)
def get_recommendation(request_id: Annotated[str, Path()]) -> RecommendationView:
    stored = runtime.intake().poll(request_id)
    if stored is None:
        raise RequestNotFound(f"no recommendation request {request_id!r}")
    return stored.view()


@app.post(
    "/imports",
    summary="Read a Douban history file",
    description="The sync tool's CSV or JSON, NeoDB's *_mark.csv or export zip, 豆伴's xlsx (base64), the userscript's "
    "CSV, or the RSS feed: the films in file order, each once.",
    responses={
        200: {"description": "The films in the file", "content": {"application/json": {"model": ImportedHistory}}},
        **_documented(400, "Body is not UTF-8"),
        **_documented(413, "Body over 2.5 MB, or a zip that unpacks to too much"),
        **_documented(415, "Body is not JSON"),
        **_documented(422, "Invalid request, or a file that cannot be read (the code says why)"),
    },
)
def import_history_file(request: Annotated[FileImportRequest, Body()]) -> ImportedHistory:
    history = read_history_file(request)
    metrics.add_metric(name="HistoryFilmsImported", unit="Count", value=len(history.entries))
    return history


@app.post(
    "/imports/douban-user",
    summary="Import a Douban user's public 看过 list",
    responses={
        202: {"description": "Accepted; poll the id", "content": {"application/json": {"model": CreatedResponse}}},
        **_documented(400, "Body is not UTF-8"),
        **_documented(413, "Body too large"),
        **_documented(415, "Body is not JSON"),
        **_documented(422, "Not a Douban user id or profile link"),
        **_documented(429, "Too many requests from this client; see Retry-After"),
    },
)
def import_douban_user(request: Annotated[DoubanUserImportRequest, Body()]) -> Response[CreatedResponse]:
    client = f"ip#{app.current_event.request_context.identity.source_ip}"
    import_id = runtime.user_imports().start(request.user, client)
    logger.append_keys(import_id=str(import_id))
    created = CreatedResponse(id=import_id, status=RequestStatus.PENDING)
    return Response(status_code=202, content_type=content_types.APPLICATION_JSON, body=created)


@app.get(
    "/imports/<import_id>",
    summary="Poll an import by Douban user id",
    responses={
        200: {"description": "The import as it stands", "content": {"application/json": {"model": ImportView}}},
        **_documented(404, "Unknown or malformed id"),
        **_documented(422, "Never sent: any id is accepted and an unknown one is a 404"),
    },
)
def get_import(import_id: Annotated[str, Path()]) -> ImportView:
    view = runtime.user_imports().poll(import_id)
    if view is None:
        raise RequestNotFound(f"no import {import_id!r}")
    return view


@app.get(
    "/movies/<douban_id>",
    summary="A movie's Douban card by its Douban id",
    responses={
        200: {"description": "The card, cached or read now", "content": {"application/json": {"model": MovieCard}}},
        **_documented(404, "Not a Douban id, or Douban has no such subject"),
        **_documented(422, "Never sent: any id is accepted and an unknown one is a 404"),
        **_documented(503, "Douban cannot be read right now and the movie is not cached; see Retry-After"),
    },
)
def get_movie(douban_id: Annotated[str, Path()]) -> MovieCard:
    card = movie_card(runtime.douban_lookup(), douban_id)
    if card is None:
        raise MovieNotFound(f"no Douban movie {douban_id!r}")
    return card


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST, clear_state=True)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    refused = unreadable_body(
        event.get("httpMethod", ""),
        event.get("headers") or {},
        event.get("body"),
        bool(event.get("isBase64Encoded")),
        path=event.get("path", ""),
    )
    if refused:
        status, error = refused
        return {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": error.model_dump_json()}
    return app.resolve(event, context)
