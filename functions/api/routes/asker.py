"""Who asks: the signed-in person (checked before routing) or, on an open server, an address."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent

from movierec import runtime
from movierec.people.sessions import Person
from movierec.people.usage_limits import Requester

from errors import SignInNotConfigured
from routes.document import SWAGGER_PATH

# Routes anyone may call; with sign-in configured, every other one needs a token.
PUBLIC_PATHS = frozenset({"/health", "/openapi.json", SWAGGER_PATH, "/sessions", "/about"})


def who_asks(event: APIGatewayProxyEvent) -> Person | None:
    """The signed-in person; None where sign-in is not configured or not needed (public routes, CORS preflights).

    Raises Unauthenticated. Checked before routing, so a caller without a valid token learns that first, and
    routes added later are behind sign-in without having to ask.
    """
    sessions = runtime.sessions()
    if sessions is None or event.http_method == "OPTIONS" or event.path in PUBLIC_PATHS:
        return None
    return sessions.authenticate(event.headers.get("authorization"))


def source_ip(router: Router) -> str:
    return router.current_event.request_context.identity.source_ip


def requester(router: Router) -> Requester:
    """Whom a new request, import or read counts against: the person, or the address on an open server."""
    return Requester(ip=source_ip(router), person=router.context.get("person"))


def asker_key(router: Router) -> str | None:
    """The signed-in person's key; None on an open server, where every request is anyone's."""
    person: Person | None = router.context.get("person")
    return person.key if person else None


def signed_in_person(router: Router) -> Person:
    """The signed-in person; routes for people do not exist on a server without sign-in."""
    person = router.context.get("person")
    if person is None:
        raise SignInNotConfigured()
    return person
