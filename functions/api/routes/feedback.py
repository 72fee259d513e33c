"""POST /feedback: 反馈/举报 on a recommendation's card or a movie page, kept for the operator."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body

from movierec import runtime
from movierec.feedback.models import FeedbackReceipt, FeedbackRequest

from routes.asker import requester
from routes.documented import UNAUTHORIZED, UNREADABLE_BODY, answer

router = Router()


@router.post(
    "/feedback",
    summary="Report a card: a wrong or offensive reason, or a film that does not fit",
    description="Kept for the operator (with the film and the model's reason as they were shown). A reported card "
    "is hidden from the reporter's polls of its request at once; others still see it. The words in `text` pass "
    "WeChat's content check.",
    responses={
        **answer(201, "Kept", FeedbackReceipt),
        **UNREADABLE_BODY,
        **UNAUTHORIZED,
        **answer(404, "No such card: an unknown request or rank, or another person's request they have not shared"),
        **answer(422, "Invalid report, each problem naming its field; or content_rejected (field text)"),
        **answer(429, "Too many reports from this person (or, without sign-in, this address); see Retry-After"),
        **answer(503, "The content check cannot answer now (content_check_unavailable); see Retry-After"),
    },
)
def report(feedback: Annotated[FeedbackRequest, Body()]) -> Response[FeedbackReceipt]:
    receipt = runtime.reports().receive(feedback, requester(router))
    return Response(status_code=201, content_type=content_types.APPLICATION_JSON, body=receipt)
