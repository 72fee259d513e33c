"""HTTP API: create a recommendation request, poll it, health, and the OpenAPI document."""

from __future__ import annotations

import os
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
VERSION = "1.0.0"

cors = CORSConfig(allow_origin=os.environ.get("CORS_ALLOW_ORIGIN", "*"), allow_headers=["Content-Type"], max_age=600)
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
    stored = runtime.request_store().get(parsed_id) if parsed_id else None
    if stored is None:
        raise RequestNotFound(f"no recommendation request {request_id!r}")
    return stored.view()


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return app.resolve(event, context)
