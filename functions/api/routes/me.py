"""DELETE /me: erase everything movierec keeps of the signed-in person."""

from __future__ import annotations

from aws_lambda_powertools.event_handler.api_gateway import Router

from movierec import runtime
from movierec.privacy.erasure import ErasedData

from routes.asker import signed_in_person
from routes.documented import NO_SIGN_IN, UNAUTHORIZED, answer

router = Router()


@router.delete(
    "/me",
    summary="Erase the person's data: marks, imports, requests, reports and sessions",
    description="Everything kept of the signed-in person, in every table; their shared links stop opening and "
    "their token stops working (sign in again to go on). Usage counters (a number per minute or day, no content) "
    "stay until they expire, within two days. Idempotent.",
    responses={
        **answer(200, "Erased: how many items of each kind", ErasedData),
        **UNAUTHORIZED,
        **NO_SIGN_IN,
        **answer(422, "Never sent: the route takes no input"),
    },
)
def erase_me() -> ErasedData:
    return runtime.personal_data().erase(signed_in_person(router).key)
