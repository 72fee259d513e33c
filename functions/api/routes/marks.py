"""/me/marks: a signed-in person's marks (看过, 收藏, 不感兴趣), synced between their phones."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Query

from movierec import runtime
from movierec.people.marks import MarksPage, MarksUpload

from routes.asker import signed_in_person
from routes.documented import NO_SIGN_IN, UNAUTHORIZED, UNREADABLE_BODY, answer

router = Router()


@router.get(
    "/me/marks",
    summary="The person's marks that changed since a sync",
    responses={
        **answer(200, "Changed marks, removals too", MarksPage),
        **UNAUTHORIZED,
        **NO_SIGN_IN,
        **answer(422, "`since` is not a whole number of ms"),
    },
)
def get_marks(
    since: Annotated[int | None, Query(ge=0, description="`next_since` of the last sync (ms); omit for all")] = None,
) -> MarksPage:
    marks, next_since = runtime.mark_store().changed_since(signed_in_person(router).key, since)
    return MarksPage(marks=marks, next_since=next_since)


@router.post(
    "/me/marks",
    summary="Merge this phone's marks: per film and status, the newest updated_at wins",
    responses={
        **answer(200, "Each sent film and status as it now stands (the stored one where it was newer)", MarksPage),
        **UNAUTHORIZED,
        **NO_SIGN_IN,
        **UNREADABLE_BODY,
        **answer(422, "Invalid marks: each problem names its field"),
    },
)
def post_marks(upload: Annotated[MarksUpload, Body()]) -> MarksPage:
    return MarksPage(marks=runtime.mark_store().merge(signed_in_person(router).key, upload.marks))
