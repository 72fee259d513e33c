"""Health and the API's own description: `/openapi.json` and the Swagger UI at `/swagger`."""

from __future__ import annotations

from functools import cache
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response, content_types
from aws_lambda_powertools.event_handler.api_gateway import Router

from movierec import runtime
from movierec.core.models import Health

from routes.documented import PUBLIC, SIGNED_IN, answer

router = Router()

TITLE = "movierec API"
VERSION = "1.1.0"
SWAGGER_PATH = "/swagger"


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
def enable_swagger(app: APIGatewayRestResolver) -> None:
    """The Swagger UI's route, added when it is first asked for: enabling it loads the OpenAPI models (above)."""
    app.enable_swagger(path=SWAGGER_PATH, title=TITLE, version=VERSION, **_security())


@router.get(
    "/health",
    summary="Liveness",
    security=PUBLIC,
    responses={
        **answer(200, "Up", Health),
        **answer(422, "Never sent: the route takes no input"),
    },
)
def health() -> Health:
    return Health()


@router.get("/openapi.json", include_in_schema=False)
def openapi_document():  # no return annotation: Powertools would document a Response type
    resolver = router.api_resolver
    assert isinstance(resolver, APIGatewayRestResolver), "the router is included in the API's resolver"
    return Response(
        status_code=200,
        content_type=content_types.APPLICATION_JSON,
        body=resolver.get_openapi_json_schema(title=TITLE, version=VERSION, **_security()),
    )
