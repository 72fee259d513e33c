"""GET /about: who runs the service, which filed model writes its text, and how that text is labelled."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.api_gateway import Router

from movierec import runtime
from movierec.core.disclosure import ServiceInfo

from routes.documented import PUBLIC, answer

router = Router()


@router.get(
    "/about",
    summary="The operator, the filed model and the AI label",
    description="From the settings (OPERATOR_NAME, OPERATOR_CONTACT, MODEL_NAME, MODEL_FILING); one not set reads "
    "未填写 and is named in `missing`. Every field a model wrote is marked `x-ai-generated` in this document and "
    "listed in each movie's `ai_generated`.",
    security=PUBLIC,
    responses={
        **answer(200, "The details", ServiceInfo),
        **answer(422, "Never sent: the route takes no input"),
    },
)
def about() -> ServiceInfo:
    return runtime.about()
