"""/recommendations: ask for movies, poll the answer, share it."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path

from movierec import runtime
from movierec.core.models import CreatedResponse
from movierec.core.observability import logger, metrics
from movierec.modes import RecommendationRequest
from movierec.recommendation.models import RecommendationView, SharedResponse

from errors import RequestNotFound
from routes.asker import asker_key, requester
from routes.documented import ACCEPTED, ANY_ID, UNAUTHORIZED, UNREADABLE_BODY, accepted, answer

router = Router()


@router.post(
    "/recommendations",
    summary="Ask for recommendations",
    responses={
        **ACCEPTED,
        **UNREADABLE_BODY,
        **UNAUTHORIZED,
        **answer(
            422,
            "Invalid request, each problem naming its field and rule; content_rejected; or nothing_can_match (the "
            "filters, read from the words or explicit, leave no film: 2030年以后), its message for the person",
        ),
        **answer(429, "Too many requests (rate_limited) or today's budget spent (daily_limit_reached)"),
        **answer(503, "The content check cannot answer now (content_check_unavailable); see Retry-After"),
    },
)
def create_recommendation(request: Annotated[RecommendationRequest, Body()]) -> Response[CreatedResponse]:
    request_id = runtime.intake().create(request, requester(router))
    logger.append_keys(request_id=str(request_id))
    metrics.add_metric(name="RecommendationRequests", unit="Count", value=1)
    return accepted(request_id)


@router.get(
    "/recommendations/<request_id>",
    summary="Poll a request",
    responses={
        **answer(200, "The request as it stands", RecommendationView),
        **UNAUTHORIZED,
        **answer(404, "Unknown or malformed id, or another person's request they have not shared"),
        **ANY_ID,
    },
)
def get_recommendation(request_id: Annotated[str, Path()]) -> RecommendationView:
    reader = asker_key(router)
    stored = runtime.intake().poll(request_id, owner=reader)
    if stored is None:
        raise RequestNotFound(f"no recommendation request {request_id!r}")
    return stored.view(reader)


@router.post(
    "/recommendations/<request_id>/share",
    summary="Share a request: anyone with its id may then read it",
    description="The mini-program calls it when the person shares the results to a chat or to Moments, so that "
    "the link opens for others (they see the view only: never what it excluded, nor who asked).",
    responses={
        **answer(200, "Shared (again: it is idempotent)", SharedResponse),
        **UNAUTHORIZED,
        **answer(404, "Unknown or malformed id, or another person's request"),
        **ANY_ID,
    },
)
def share_recommendation(request_id: Annotated[str, Path()]) -> SharedResponse:
    if not runtime.intake().share(request_id, owner=asker_key(router)):
        raise RequestNotFound(f"no recommendation request {request_id!r}")
    metrics.add_metric(name="RecommendationsShared", unit="Count", value=1)
    return SharedResponse(id=request_id)
