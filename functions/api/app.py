"""HTTP API: sign in, create a recommendation request, poll it, a movie by its Douban id, import a Douban
history, sync marks, report a card, erase one's data, the operator's details, health, and the OpenAPI document.

The routes live in `routes/`, one Router per resource; every error's answer in `errors`. With sign-in configured
(WECHAT_APP_ID), every route but /health, /openapi.json, /swagger, /sessions and /about needs `Authorization:
Bearer <token>`; without it the API is open, and says so at cold start (and names any operator detail not set).
"""

from __future__ import annotations

import os
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, CORSConfig
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent
from aws_lambda_powertools.utilities.typing import LambdaContext

from movierec import runtime
from movierec.core.observability import logger, metrics, tracer
from movierec.core.request_body import parse_json_body, unreadable_body
from movierec.people.sessions import Unauthenticated

import errors
from routes import about, document, feedback, imports, marks, me, movies, recommendations, sessions
from routes.asker import who_asks

# Checked once, at cold start: a missing or malformed setting stops the function here, with one log line.
runtime.settings()
runtime.announce_open_api()
runtime.announce_missing_details()

cors = CORSConfig(
    allow_origin=os.environ.get("CORS_ALLOW_ORIGIN", "https://servicewechat.com"),
    allow_headers=["Content-Type", "Authorization"],
    max_age=600,
)
app = APIGatewayRestResolver(enable_validation=True, cors=cors, json_body_deserializer=parse_json_body)
for resource in (errors, document, about, sessions, marks, me, recommendations, imports, movies, feedback):
    app.include_router(resource.router)
app.not_found(errors.route_not_found)


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST, clear_state=True)
@tracer.capture_lambda_handler(capture_response=False)  # answers may hold a session token
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    try:
        person = who_asks(APIGatewayProxyEvent(event))
    except Unauthenticated as error:
        return errors.unauthorized(error)
    refused = unreadable_body(
        event.get("httpMethod", ""),
        event.get("headers") or {},
        event.get("body"),
        bool(event.get("isBase64Encoded")),
        path=event.get("path", ""),
    )
    if refused:
        return errors.raw_error(*refused)
    if event.get("path") == document.SWAGGER_PATH:
        document.enable_swagger(app)
    app.append_context(person=person)  # the resolver clears its context after each event
    return app.resolve(event, context)
