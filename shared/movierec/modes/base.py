"""What every mode shares: the fields any request may carry, and the contract a mode module fulfils.

A mode module (``tags.py``, ``star.py`` ...) defines its request model (a subclass of :class:`RequestBase` with a
``mode: Literal["<name>"]`` field and a ``query`` property) and one ``MODE = Mode(...)`` naming its prompt fragment,
its optional context step and its optional post-lookup rule. The package's registry finds it by that ``MODE``.
Pure, apart from what a context step does through the :class:`ContextSources` it is handed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, get_args
from uuid import UUID

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from movierec.douban.models import DoubanMovie


def _reject_control_characters(value: str) -> str:
    if any(unicodedata.category(char) == "Cc" for char in value):
        raise ValueError("must not contain control characters")
    return value


def user_text(max_length: int) -> type[str]:
    """A user-typed string: trimmed, not blank, bounded, printable."""
    return Annotated[  # type: ignore[return-value]
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length),
        AfterValidator(_reject_control_characters),
    ]


def _no_fractions_or_text(value: object) -> object:
    """`8.0`, `"8"` and `true` are not counts; stored Decimals (DynamoDB's numbers) still are."""
    if isinstance(value, bool | float | str):
        raise ValueError("must be a whole number")
    return value


WholeNumber = Annotated[int, BeforeValidator(_no_fractions_or_text)]

ExcludeEntry = user_text(100)

MAX_EXCLUDE = 200


def split_ids_and_titles(entries: Sequence[str]) -> tuple[list[str], list[str]]:
    """An entry made of digits is a Douban id; anything else is a title."""
    return [e for e in entries if e.isdigit()], [e for e in entries if not e.isdigit()]


class RequestBase(BaseModel):
    """The fields every mode takes. A mode adds ``mode: Literal[...]``, its own fields and ``query``."""

    model_config = ConfigDict(extra="forbid")

    count: WholeNumber = Field(default=8, ge=1, le=20, description="How many movies to show")
    exclude: list[ExcludeEntry] = Field(
        default_factory=list, max_length=MAX_EXCLUDE, description="Douban ids or titles the person has already seen"
    )
    previous: UUID | None = Field(default=None, description="An earlier request (换一批): its movies are excluded too")

    @property
    def query(self) -> str:
        """What was asked, in a few words, as the person sees it on their results."""
        raise NotImplementedError


@dataclass(frozen=True)
class ContextSources:
    """What a context step may read (it runs in the recommend worker, before the prompt is built).

    ``movie_by_id(douban_id)`` is the movie cache first, then Douban, politely and within a budget; None when the
    id is unknown, Douban refuses, or the budget is spent: the step then leaves that movie out.
    """

    movie_by_id: Callable[[str], DoubanMovie | None] = field(default=lambda _: None)


def _no_rule(request: Any, movie: DoubanMovie) -> str | None:
    return None


@dataclass(frozen=True)
class Mode[RequestT: RequestBase, ContextT]:
    """One way of asking for movies.

    - ``request``: the request model; its ``mode`` literal is the mode's name in the API.
    - ``instruction``: the prompt fragment saying what to recommend (Chinese, one or two sentences).
    - ``prompt_input(request, context)``: the person's input as JSON data for the prompt (never instructions).
    - ``gather(request, sources)``: the optional context step (may do I/O); its result is ``context`` above,
      None when the mode has no such step.
    - ``rejection(request, movie)``: the post-lookup rule on Douban's own data: why a found entry must not be
      shown (Chinese, for the card's note), or None.
    """

    request: type[RequestT]
    instruction: str
    prompt_input: Callable[[RequestT, ContextT | None], dict[str, object]]
    gather: Callable[[RequestT, ContextSources], ContextT] | None = None
    rejection: Callable[[RequestT, DoubanMovie], str | None] = _no_rule

    @property
    def name(self) -> str:
        (name,) = get_args(self.request.model_fields["mode"].annotation)
        return name

    def context(self, request: RequestT, sources: ContextSources) -> ContextT | None:
        return self.gather(request, sources) if self.gather else None
