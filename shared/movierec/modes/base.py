"""What every mode shares: the fields any request may carry, and the contract a mode module fulfils.

A mode module (``tags.py``, ``star.py`` ...) defines its request model (a subclass of :class:`RequestBase` with a
``mode: Literal["<name>"]`` field and a ``query`` property) and one ``MODE = Mode(...)`` naming its prompt fragment,
its optional context step and its optional post-lookup rule. The package's registry finds it by that ``MODE``.
Pure, apart from what a context step does through the :class:`ContextSources` it is handed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, get_args
from uuid import UUID

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, field_validator

from movierec.douban.models import DoubanMovie
from movierec.modes.fields import WholeNumber, characters_in_all, user_text
from movierec.modes.filters import FilterField, Filters

ExcludeEntry = user_text(100)
RefineText = user_text(100)

# A seen list of this size is every film a keen viewer has marked; the characters keep one stored request, with its
# cards, within DynamoDB's 400 KB item (an average of 15 a title: a Douban id is 7-8 digits, a Douban title mostly
# under 10 characters).
MAX_EXCLUDE = 2000
MAX_EXCLUDE_CHARACTERS = 30_000


def _null_is_no_filters(value: object) -> object:
    """`"filters": null` means no filters, as null means none for `previous`, `refine` and the modes' own fields."""
    return Filters() if value is None else value


# Documented as taking null too: the value is always a Filters once read.
OptionalFilters = Annotated[Filters, BeforeValidator(_null_is_no_filters, json_schema_input_type=Filters | None)]


class RequestBase(BaseModel):
    """The fields every mode takes. A mode adds ``mode: Literal[...]``, its own fields and ``query``."""

    model_config = ConfigDict(extra="forbid")

    count: WholeNumber = Field(default=8, ge=1, le=20, description="How many movies to show")
    exclude: Annotated[list[ExcludeEntry], characters_in_all(MAX_EXCLUDE_CHARACTERS)] = Field(
        default_factory=list,
        max_length=MAX_EXCLUDE,
        description=f"Douban ids or titles the person has seen or does not want, most recent first: never shown "
        f"(at most {MAX_EXCLUDE} entries of 100 characters, {MAX_EXCLUDE_CHARACTERS} characters in all)",
    )
    previous: UUID | None = Field(default=None, description="An earlier request (换一批): its movies are excluded too")
    refine: RefineText | None = Field(
        default=None,
        description="With `previous`: how to change that request's answer, in words (更冷门一点, 不要恐怖片)",
    )
    filters: OptionalFilters = Field(
        default_factory=Filters,
        description="Hard filters, checked on Douban's own data (null or absent: none). The person's own words are "
        "read for more (2015年以后, 韩国, 8分以上: the poll's `read_filters`); a field set here wins over them",
    )
    dismissed_filters: list[FilterField] = Field(
        default_factory=list,
        max_length=9,
        description="Filters the person removed from what was read from their words (a chip's ✕): these fields are "
        "not read from the words this time, nor taken from `previous`",
    )

    @field_validator("refine")
    @classmethod
    def _refines_a_previous_request(cls, refine: str | None, info: ValidationInfo) -> str | None:
        # `previous` is validated first; when it failed, its own error says enough.
        if refine is not None and "previous" in info.data and info.data["previous"] is None:
            raise ValueError("needs `previous`: the request whose answer it refines")
        return refine

    @property
    def query(self) -> str:
        """What was asked, in a few words, as the person sees it on their results."""
        raise NotImplementedError


class ContextUnavailable(Exception):
    """A context step cannot gather what the prompt needs: the round ends with this code and message (Chinese)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Marks:
    """Douban ids or titles a person liked or disliked, kept outside the request (e.g. their favourites and ratings
    in the app), most telling first."""

    liked: tuple[str, ...] = ()
    disliked: tuple[str, ...] = ()


def _no_movie(douban_id: str) -> DoubanMovie | None:
    return None


def _not_known_missing(douban_id: str) -> bool:
    return False


@dataclass(frozen=True)
class ContextSources:
    """What a context step may read (it runs in the recommend worker, before the prompt is built), for one request.

    - ``movie_by_id(douban_id)``: the movie cache first, then Douban, politely and within a budget; None when the id
      is unknown, Douban refuses, or the budget is spent: the step then leaves that movie out.
    - ``douban_has_no(douban_id)``: whether that None was Douban saying it has no such subject (it never was, or
      it was deleted), rather than Douban refusing for now or the budget running out.
    - ``marks``: the person's marks kept elsewhere, added after the request's own.
    """

    movie_by_id: Callable[[str], DoubanMovie | None] = _no_movie
    douban_has_no: Callable[[str], bool] = _not_known_missing
    marks: Marks = field(default_factory=Marks)


def _no_rule(request: Any, movie: DoubanMovie) -> str | None:
    return None


def _nothing_seen(request: Any) -> list[str]:
    return []


@dataclass(frozen=True)
class Mode[RequestT: RequestBase, ContextT]:
    """One way of asking for movies.

    - ``request``: the request model; its ``mode`` literal is the mode's name in the API.
    - ``instruction``: the prompt fragment saying what to recommend (Chinese, one or two sentences).
    - ``prompt_input(request, context)``: the person's input as JSON data for the prompt (never instructions).
    - ``gather(request, sources)``: the optional context step (may do I/O); its result is ``context`` above,
      None when the mode has no such step. It raises :class:`ContextUnavailable` when the prompt cannot do
      without what it could not read: the round then ends with that error.
    - ``rejection(request, movie)``: the post-lookup rule on Douban's own data: why a found entry must not be
      shown (Chinese, for the card's note), or None.
    - ``seen(request)``: Douban ids or titles in the request, besides ``exclude``, that the person has seen or
      declined: never shown, like ``exclude``.
    - ``free_text``: the request fields that hold the person's own words (a string or a list of strings), which
      WeChat's content check reads before the model does; ``refine`` is checked in every mode.
    - ``prompt_entries``: for a list field of ``free_text`` of which only some entries can reach the prompt (for_me's
      typed titles, not its Douban ids), those entries; the rest is never checked, since the model never sees it.
    - ``constraint_fields``: the request fields (a string or a list of strings) whose words are read for filters
      (2015年以后, 韩国, 不要恐怖片: :mod:`movierec.modes.read_filters`); ``refine`` is read in every mode. A name (a
      star's) is not: "周星驰" states no filter.
    """

    request: type[RequestT]
    instruction: str
    prompt_input: Callable[[RequestT, ContextT | None], dict[str, object]]
    gather: Callable[[RequestT, ContextSources], ContextT] | None = None
    rejection: Callable[[RequestT, DoubanMovie], str | None] = _no_rule
    seen: Callable[[RequestT], list[str]] = _nothing_seen
    free_text: tuple[str, ...] = ()
    prompt_entries: Mapping[str, Callable[[RequestT], list[str]]] = field(default_factory=dict)
    constraint_fields: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        (name,) = get_args(self.request.model_fields["mode"].annotation)
        return name

    def context(self, request: RequestT, sources: ContextSources) -> ContextT | None:
        return self.gather(request, sources) if self.gather else None

    def own_words(self, request: RequestT, name: str) -> object:
        """What field ``name`` of ``request`` can put before the model: the field, or its ``prompt_entries``."""
        entries = self.prompt_entries.get(name)
        return entries(request) if entries else getattr(request, name, None)
