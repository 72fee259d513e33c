"""GET /movies/{douban_id}: one movie's Douban card by its id alone (a shared movie link)."""

from __future__ import annotations

from typing import Annotated

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path

from movierec import runtime
from movierec.recommendation.models import MovieCard
from movierec.recommendation.movie_cards import movie_card

from errors import MovieNotFound
from routes.asker import requester
from routes.documented import ANY_ID, UNAUTHORIZED, answer

router = Router()


@router.get(
    "/movies/<douban_id>",
    summary="A movie's Douban card by its Douban id",
    responses={
        **answer(200, "The card, cached or read now", MovieCard),
        **UNAUTHORIZED,
        **answer(404, "Not a Douban id, or Douban has no such subject"),
        **ANY_ID,
        **answer(429, "Too many movies read from Douban by this person (or address) this minute; see Retry-After"),
        **answer(
            503,
            "Douban cannot be read right now (it refuses, or the Douban budget has no request to spare) and the movie "
            "is not cached; see Retry-After",
        ),
    },
)
def get_movie(douban_id: Annotated[str, Path()]) -> MovieCard:
    asker = requester(router).client
    card = movie_card(runtime.douban_lookup(), douban_id, runtime.movie_read_limiter(), asker)
    if card is None:
        raise MovieNotFound(f"no Douban movie {douban_id!r}")
    return card
