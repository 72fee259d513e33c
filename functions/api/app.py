"""HTTP API: create a recommendation request, poll it, health, and the OpenAPI document."""

from __future__ import annotations

import os
import time
import uuid
from typing import Annotated, Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, CORSConfig, Response, content_types
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError
from aws_lambda_powertools.event_handler.openapi.params import Body, Path
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from movierec import runtime
from movierec.grounding import avoid_list
from movierec.models import (
    ApiError,
    CreatedResponse,
    Health,
    RecommendationRequest,
    RecommendationView,
    RecommendJob,
    RequestStatus,
)
from movierec.observability import logger, metrics
from movierec.validation import field_name

TITLE = "movierec API"
# 200 exclude entries of 100 Chinese characters fit with room to spare.
MAX_BODY_CHARACTERS = 64 * 1024
VERSION = "1.0.0"

cors = CORSConfig(
    allow_origin=os.environ.get("CORS_ALLOW_ORIGIN", "https://servicewechat.com"),
    allow_headers=["Content-Type"],
    max_age=600,
)
app = APIGatewayRestResolver(enable_validation=True, cors=cors)
app.enable_swagger(path="/swagger", title=TITLE, version=VERSION)


def _error(status: int, body: ApiError) -> Response:
    return Response(status_code=status, content_type=content_types.APPLICATION_JSON, body=body.model_dump_json())


class InvalidField(Exception):
    """A rule the models cannot check alone (it needs the store), broken by one field."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _invalid(details: list[dict[str, str]]) -> Response:
    message = "; ".join(f"{detail['field']}: {detail['message']}" for detail in details)
    return _error(422, ApiError(code="invalid_request", message=message, details=details))


@app.exception_handler(RequestValidationError)
def invalid_request(error: RequestValidationError) -> Response:
    return _invalid([{"field": field_name(problem), "message": problem["msg"]} for problem in error.errors()])


@app.exception_handler(InvalidField)
def invalid_field(error: InvalidField) -> Response:
    return _invalid([{"field": error.field, "message": error.message}])


class RequestNotFound(Exception):
    pass


class RateLimited(Exception):
    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(f"retry after {retry_after_seconds}s")
        self.retry_after_seconds = retry_after_seconds


@app.exception_handler(RateLimited)
def rate_limited(error: RateLimited) -> Response:
    body = ApiError(code="rate_limited", message=f"请求太频繁了，请 {error.retry_after_seconds} 秒后再试。")
    return Response(
        status_code=429,
        content_type=content_types.APPLICATION_JSON,
        body=body.model_dump_json(),
        headers={"Retry-After": str(error.retry_after_seconds)},
    )


def _client_key() -> str:
    """Per source IP for now; per user once there are users."""
    return f"ip#{app.current_event.request_context.identity.source_ip}"


@app.exception_handler(RequestNotFound)
def request_not_found(error: RequestNotFound) -> Response:
    return _error(404, ApiError(code="not_found", message=str(error)))


@app.not_found
def route_not_found(_: NotFoundError) -> Response:
    return _error(404, ApiError(code="not_found", message=f"no such route: {app.current_event.path}"))


@app.get("/health", summary="Liveness")
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
        202: {
            "description": "Accepted; poll the returned id",
            "content": {"application/json": {"model": CreatedResponse}},
        },
        422: {"description": "Invalid request", "content": {"application/json": {"model": ApiError}}},
    },
)
def create_recommendation(request: Annotated[RecommendationRequest, Body()]) -> Response[CreatedResponse]:
    verdict = runtime.rate_limiter().check(_client_key())
    if not verdict.allowed:
        raise RateLimited(verdict.retry_after_seconds)
    store = runtime.request_store()
    previous = store.get(request.previous) if request.previous else None
    if request.previous and previous is None:
        raise InvalidField("previous", "no such request")
    request_id = uuid.uuid4()
    logger.append_keys(request_id=str(request_id))
    store.create(request_id, request, avoid_list(request, previous))
    runtime.recommend_queue().send(RecommendJob(request_id=request_id))
    metrics.add_metric(name="RecommendationRequests", unit="Count", value=1)
    created = CreatedResponse(id=request_id, status=RequestStatus.PENDING)
    return Response(status_code=202, content_type=content_types.APPLICATION_JSON, body=created)


@app.get(
    "/recommendations/<request_id>",
    summary="Poll a request",
    responses={404: {"description": "Unknown id", "content": {"application/json": {"model": ApiError}}}},
)
def get_recommendation(request_id: Annotated[str, Path()]) -> RecommendationView:
    try:
        parsed_id = uuid.UUID(request_id, version=4)
    except ValueError:
        parsed_id = None
    store = runtime.request_store()
    stored = store.get(parsed_id) if parsed_id else None
    if stored is None:
        raise RequestNotFound(f"no recommendation request {request_id!r}")
    now = time.time()
    if stored.is_overdue(now):
        stored = store.time_out(stored.id, now) or store.get(stored.id)  # None: a worker finished it just now
    return stored.view()


def _proxy_response(status: int, error: ApiError) -> dict[str, Any]:
    return {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": error.model_dump_json()}


def _unreadable_body(event: dict[str, Any]) -> dict[str, Any] | None:
    """Refuse bodies that are not JSON or too large before any parsing: validation would only say "invalid"."""
    body = event.get("body") or ""
    if not body or event.get("httpMethod") not in ("POST", "PUT", "PATCH"):
        return None
    headers = {name.lower(): value for name, value in (event.get("headers") or {}).items()}
    content_type = headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        error = ApiError(
            code="unsupported_media_type", message="the body must be JSON (Content-Type: application/json)"
        )
        return _proxy_response(415, error)
    if len(body) > MAX_BODY_CHARACTERS:
        error = ApiError(code="payload_too_large", message=f"the body must be at most {MAX_BODY_CHARACTERS} characters")
        return _proxy_response(413, error)
    return None


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST, clear_state=True)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return _unreadable_body(event) or app.resolve(event, context)
