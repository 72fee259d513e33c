"""/imports: a person's Douban history, from a file they have or by their Douban user id."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Body, Path

from movierec import runtime
from movierec.core.models import CreatedResponse
from movierec.core.observability import logger, metrics
from movierec.history_import.models import DoubanUserImportRequest, FileImportRequest, ImportedHistory, ImportView

from errors import RequestNotFound
from routes.asker import asker_key, requester
from routes.documented import ACCEPTED, ANY_ID, UNAUTHORIZED, UNREADABLE_BODY, accepted, answer

router = Router()


@router.post(
    "/imports",
    summary="Read a Douban history file",
    description="The sync tool's CSV or JSON, NeoDB's *_mark.csv or export zip, 豆伴's xlsx (base64), the userscript's "
    "CSV, or the RSS feed: the films in file order, each once.",
    responses={
        **answer(200, "The films in the file", ImportedHistory),
        **UNREADABLE_BODY,
        **answer(413, "Body over 2.5 MB, or a zip that unpacks to too much"),
        **UNAUTHORIZED,
        **answer(422, "Invalid request, or a file that cannot be read (the code says why)"),
    },
)
def import_history_file(request: Annotated[FileImportRequest, Body()]) -> ImportedHistory:
    from movierec.history_import.detect import read_history_file  # its readers load only for a file to read

    history = read_history_file(request)
    metrics.add_metric(name="HistoryFilmsImported", unit="Count", value=len(history.entries))
    return history


@router.post(
    "/imports/douban-user",
    summary="Import a Douban user's public 看过 list",
    responses={
        **ACCEPTED,
        **UNREADABLE_BODY,
        **UNAUTHORIZED,
        **answer(422, "Not a Douban user id or profile link"),
        **answer(429, "Too many requests from this person (or, without sign-in, this address); see Retry-After"),
    },
)
def import_douban_user(request: Annotated[DoubanUserImportRequest, Body()]) -> Response[CreatedResponse]:
    import_id = runtime.user_imports().start(request.user, requester(router))
    logger.append_keys(import_id=str(import_id))
    return accepted(import_id)


@router.get(
    "/imports/<import_id>",
    summary="Poll an import by Douban user id",
    responses={
        **answer(200, "The import as it stands", ImportView),
        **UNAUTHORIZED,
        **answer(404, "Unknown or malformed id, or another person's import"),
        **ANY_ID,
    },
)
def get_import(import_id: Annotated[str, Path()]) -> ImportView:
    view = runtime.user_imports().poll(import_id, owner=asker_key(router))
    if view is None:
        raise RequestNotFound(f"no import {import_id!r}")
    return view
