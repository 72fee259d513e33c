"""The requests table: two items per recommendation request.

- The request's item (``id`` = the request id) holds what a poll shows and what the workers settle on: what was
  asked in a few words, the status, the movies (so a poll is one small read) and the round's state. Progress is
  derived from the movies' statuses, each written once by a conditional write, because scrape workers for the same
  request run in parallel and SQS may deliver a message twice.
- Its inputs (``id`` = ``<request id>#inputs``) hold what only the workers read: the request as sent (for_me's lists
  of liked and disliked films among it) and what to avoid (up to 2,000 entries of the person's, their marks' and
  the previous request's). Written once with the request, never changed: a worker may keep them.

The filters read from the person's words are the request item's (``read_filters``, a few hundred bytes): a poll shows
them, and the model's reading joins them before the first movie; the workers hold the request as sent to them.

Apart, the inputs cost a poll nothing, and a card's write (billed by the item's size, one write unit per KB) costs
the same for a person who excluded 2,000 films as for one who excluded none.
"""

from __future__ import annotations

import json
import math
import threading
import time
import zlib
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from uuid import UUID

from botocore.exceptions import ClientError
from pydantic import BaseModel, Field, TypeAdapter, field_validator, model_validator

from movierec.core.conditional_writes import is_condition_failure
from movierec.core.models import ErrorInfo, RequestStatus
from movierec.modes import ModeName, RecommendationRequest
from movierec.modes.read_filters import ReadFilter, effective_filters
from movierec.recommendation.models import (
    MovieEntry,
    MovieStatus,
    RecommendationView,
    ShownMovie,
    answer_is_complete,
    shown_movies,
)

REQUEST_TIMED_OUT = ErrorInfo(code="timeout", message="这次推荐用时太久，没能完成，请再推荐一次。")
# A card still looked up when its request's time ran out (Douban's budget is shared by everyone asking at once).
CARD_TIMED_OUT_NOTE = "豆瓣这会儿太忙，没来得及查到这部，请稍后再推荐一次。"
# A spare candidate nobody needs to see, not looked up before the request ended (a client hides `not_found` cards).
SPARE_TIMED_OUT_NOTE = "备选，请求结束前没来得及在豆瓣查找"
# Tries of a timeout's read-and-write, which a card landing in between sends round again.
TIME_OUT_TRIES = 3
INPUTS_SUFFIX = "#inputs"
# Requests whose inputs a worker instance keeps: the movies of one request reach the same instances again and again.
KEPT_INPUTS = 64
# The global secondary index (KEYS_ONLY) that lists a person's items, for erasing them (template.yaml).
OWNER_INDEX = "by_owner"
# Whose reported cards are hidden, on a server without sign-in: everyone's alike, as every request is anyone's.
ANYONE = "*"


def _what_was_asked(data: Any) -> Any:
    """A request stored before its inputs had an item of their own kept the whole request in its item: what was asked
    (mode, query, count) is read from it, so that an old request, reopened from a person's history, still answers."""
    if isinstance(data, dict) and "request" in data and "mode" not in data:
        request = _request_adapter.validate_python(data["request"] | {"exclude": []})
        data = data | {"mode": request.mode, "query": request.query, "count": request.count}
    return data


def reader_key(reader: str | None) -> str:
    """The key a reader's hidden cards are kept under: the person's key, or ANYONE without sign-in."""
    return reader if reader is not None else ANYONE


_request_adapter: TypeAdapter[RecommendationRequest] = TypeAdapter(RecommendationRequest)


class RequestInputs(BaseModel):
    """What the workers read and a poll never does: the request as sent (minus `exclude`, which heads `avoid`) and
    what to avoid: the exclude list, then the previous request's movies, then the person's marks."""

    request: dict[str, Any]
    avoid: list[str] = Field(default_factory=list, description="Exclude list plus the previous request's movies")

    @property
    def parsed_request(self) -> RecommendationRequest:
        return _request_adapter.validate_python(self.request)


class _RequestState(BaseModel):
    """Where a request stands: what every reader of its item needs."""

    status: RequestStatus
    deadline_at: int
    owner: str | None = Field(default=None, description="The key of the person who asked; None without sign-in")

    def is_overdue(self, now: float) -> bool:
        return self.status in (RequestStatus.PENDING, RequestStatus.RUNNING) and now > self.deadline_at


class StoredRequest(_RequestState):
    """The request's item as stored; `view()` is what a poll shows."""

    id: UUID
    mode: ModeName
    query: str = Field(description="What was asked, in a few words, as the person sees it")
    count: int
    movies: list[MovieEntry] = Field(default_factory=list)
    error: ErrorInfo | None = None
    llm_done: bool = False
    topped_up: bool = False
    claimed_ids: set[str] = Field(default_factory=set, description="Douban ids already shown in this request")
    prompt_tokens: int = 0
    completion_tokens: int = 0
    created_at: int
    session_id: str | None = Field(default=None, description="Their session, whose openid WeChat's check needs")
    shared: bool = Field(default=False, description="The owner shared it: anyone with its id may read it")
    hidden: dict[str, set[int]] = Field(
        default_factory=dict, description="Per reader's key, the ranks they reported: hidden from them (only them)"
    )
    read_filters: list[ReadFilter] = Field(default_factory=list, description="Filters read from the person's words")

    @model_validator(mode="before")
    @classmethod
    def _from_one_item(cls, data: Any) -> Any:
        return _what_was_asked(data)

    @field_validator("movies", mode="before")
    @classmethod
    def _movies_from_item(cls, movies: Any) -> Any:
        return [_movie_from_item(movie) for movie in movies] if isinstance(movies, list) else movies

    def readable_by(self, reader: str | None) -> bool:
        """Its owner may read it, and anyone once the owner shared it (a shared link opens by the id alone)."""
        return self.owner == reader or self.shared

    def view(self, reader: str | None = None) -> RecommendationView:
        """What a poll by ``reader`` (a person's key; None without sign-in) shows: the cards they reported are gone.
        A hidden card still counts towards the request's count, so the request ends as it would have."""
        hidden = self.hidden.get(reader_key(reader), set())
        # The worker that recorded the last needed card marks the request done a moment later; the person
        # need not wait for that write to see it.
        complete = self.status == RequestStatus.RUNNING and answer_is_complete(self.movies, self.count)
        return RecommendationView(
            id=self.id,
            mode=self.mode,
            query=self.query,
            count=self.count,
            status=RequestStatus.DONE if complete else self.status,
            movies=[
                ShownMovie.model_construct(**dict(movie))
                for movie in shown_movies(self.movies, self.count)
                if movie.rank not in hidden
            ],
            error=self.error,
            read_filters=self.read_filters,
        )


def held_request(inputs: RequestInputs, read_filters: list[ReadFilter]) -> RecommendationRequest:
    """The request as sent, held to its explicit filters and to those read from its words."""
    request = inputs.parsed_request
    if not read_filters:
        return request
    return request.model_copy(update={"filters": effective_filters(request.filters, read_filters)})


@dataclass(frozen=True)
class FullRequest:
    """A request's item and its inputs: what a later request that follows it (换一批) inherits."""

    stored: StoredRequest
    inputs: RequestInputs

    @property
    def request(self) -> RecommendationRequest:
        """The request as sent, held to the filters its words state."""
        return held_request(self.inputs, self.stored.read_filters)


def new_request(
    request_id: UUID,
    request: RecommendationRequest,
    avoid: list[str],
    *,
    created_at: int,
    deadline_at: int,
    owner: str | None = None,
    session_id: str | None = None,
    read_filters: list[ReadFilter] | None = None,
) -> FullRequest:
    """A request as it is stored when taken: pending, with no movie yet."""
    stored = StoredRequest(
        id=request_id,
        mode=request.mode,
        query=request.query,
        count=request.count,
        status=RequestStatus.PENDING,
        created_at=created_at,
        deadline_at=deadline_at,
        owner=owner,
        session_id=session_id,
        read_filters=read_filters or [],
    )
    # `exclude` is stored once, at the head of `avoid` (it may be 2,000 entries long).
    inputs = RequestInputs(request=request.model_dump(mode="json", exclude={"exclude"}), avoid=avoid)
    return FullRequest(stored, inputs)


class MovieInRequest(_RequestState):
    """One movie with what judging it needs from its request: a small read, where the whole item may be large."""

    request_id: UUID
    movie: MovieEntry
    inputs: RequestInputs
    read_filters: list[ReadFilter] = Field(default_factory=list)

    @property
    def request(self) -> RecommendationRequest:
        """The request as sent, held to the filters its words state: what the movie is judged by."""
        return held_request(self.inputs, self.read_filters)


class ReportedMovie(BaseModel):
    """One movie of a request, with what a report on it records: who may read it, and what was asked."""

    request_id: UUID
    mode: ModeName
    query: str
    count: int = 0
    owner: str | None = None
    shared: bool = False
    movie: MovieEntry

    @model_validator(mode="before")
    @classmethod
    def _from_one_item(cls, data: Any) -> Any:
        return _what_was_asked(data)

    def readable_by(self, reader: str | None) -> bool:
        return self.owner == reader or self.shared


def _to_item(value: Any) -> Any:
    """DynamoDB takes no floats: route plain JSON through Decimal (sets pass through as they are)."""
    if isinstance(value, set):
        return value
    if isinstance(value, dict):
        return {key: _to_item(item) for key, item in value.items()}
    return json.loads(json.dumps(value, ensure_ascii=False), parse_float=Decimal)


# What a lookup decides about a movie, and what completing a partial card replaces. The reason is the model's and
# is written apart (set_reason), so that neither write undoes the other.
_LOOKUP_FIELDS = ("status", "year", "douban", "source", "partial", "note")
_CARD_FIELDS = ("douban", "source", "partial")


def _field_name(name: str) -> str:
    return f"#movie_{name}"  # a placeholder: several of these names are DynamoDB reserved words


def _movie_item(entry: MovieEntry, fields: set[str] | None = None) -> dict[str, Any]:
    """A movie as its request's item holds it: Douban's record as one JSON string, not a map of some forty values.

    The record is written whole and never updated in parts, and a string is what reads and writes of the item cost
    least to encode and decode (a map's every value is typed and parsed one by one, in the handlers and in the
    local stack's moto alike); DynamoDB bills the same bytes either way.
    """
    data = entry.model_dump(mode="json", include=fields)
    if "douban" in data and data["douban"] is not None:
        data["douban"] = entry.douban.model_dump_json() if entry.douban else None
    return data


def _movie_from_item(value: Any) -> Any:
    """A stored movie read back (its Douban record a JSON string; a map in a request stored before)."""
    if isinstance(value, dict) and isinstance(value.get("douban"), str):
        return value | {"douban": json.loads(value["douban"])}
    return value


def _set_movie_fields(entry: MovieEntry, fields: tuple[str, ...]) -> tuple[str, dict[str, Any], dict[str, str]]:
    """`SET movies[i].f = :f, …` for `fields` of the entry, with its values and attribute names."""
    data = _movie_item(entry, set(fields))
    index = entry.rank - 1
    expression = "SET " + ", ".join(f"movies[{index}].{_field_name(name)} = :{name}" for name in fields)
    values = {f":{name}": data[name] for name in fields}
    return expression, values, {_field_name(name): name for name in fields}


def _overdue_mark(now: float) -> int:
    """``deadline_at < mark`` exactly when ``now > deadline_at``, deadlines being whole seconds (`is_overdue`)."""
    return math.ceil(now)


def _inputs_key(request_id: UUID) -> str:
    return f"{request_id}{INPUTS_SUFFIX}"


def is_request_key(key: dict[str, Any]) -> bool:
    """Whether a key of the requests table is a request's own item (not its inputs')."""
    return not str(key["id"]).endswith(INPUTS_SUFFIX)


def _pack(inputs: RequestInputs) -> bytes:
    """The inputs as compressed JSON: a read costs a unit per 4 KB of the item, and 2,000 titles and ids compress to
    less than half (AWS's advice for large attribute values: compress them into a Binary)."""
    return zlib.compress(inputs.model_dump_json().encode(), level=6)


def _unpack(packed: Any) -> RequestInputs:
    return RequestInputs.model_validate_json(zlib.decompress(bytes(packed)))


class RequestStore:
    def __init__(self, table: Any, ttl_days: int = 30, deadline_seconds: int = 90, clock=time.time) -> None:
        self._table = table
        self._ttl_seconds = ttl_days * 86400
        self._deadline_seconds = deadline_seconds
        self._clock = clock
        self._kept_inputs: OrderedDict[UUID, RequestInputs] = OrderedDict()
        self._inputs_lock = threading.Lock()  # locally, one store serves several threads

    def create(
        self,
        request_id: UUID,
        request: RecommendationRequest,
        avoid: list[str],
        owner: str | None = None,
        session_id: str | None = None,
        read_filters: list[ReadFilter] | None = None,
    ) -> StoredRequest:
        """Store the request's inputs, then its item (a worker reading the item finds its inputs written)."""
        now = int(self._clock())
        expires_at = now + self._ttl_seconds
        full = new_request(
            request_id,
            request,
            avoid,
            created_at=now,
            deadline_at=now + self._deadline_seconds,
            owner=owner,
            session_id=session_id,
            read_filters=read_filters,
        )
        self._table.put_item(
            Item={"id": _inputs_key(request_id), "packed": _pack(full.inputs), "expires_at": expires_at}
            | ({"owner": owner} if owner is not None else {}),
            ConditionExpression="attribute_not_exists(id)",
        )
        stored = full.stored
        # DynamoDB cannot store an empty set; claimed_ids appears with the first found movie.
        item = _to_item(stored.model_dump(mode="json", exclude={"claimed_ids", "hidden"})) | {"expires_at": expires_at}
        if owner is None:
            del item["owner"]  # a key of the owner index must be a string, or absent
        self._table.put_item(Item=item, ConditionExpression="attribute_not_exists(id)")
        return stored

    def get(self, request_id: UUID) -> StoredRequest | None:
        """The request's item: what a poll shows (its inputs are not read)."""
        item = self._table.get_item(Key={"id": str(request_id)}, ConsistentRead=True).get("Item")
        return StoredRequest.model_validate(item) if item else None

    def get_full(self, request_id: UUID) -> FullRequest | None:
        stored = self.get(request_id)
        inputs = self.inputs(request_id) if stored else None
        return FullRequest(stored, inputs) if stored and inputs else None

    def inputs(self, request_id: UUID) -> RequestInputs | None:
        """The request's inputs, from this instance's memory when it read them before (they never change)."""
        with self._inputs_lock:
            kept = self._kept_inputs.get(request_id)
            if kept is not None:
                self._kept_inputs.move_to_end(request_id)
                return kept
        # Written once, before the request's first job was sent: an eventually consistent read (half the units)
        # almost always finds them; only one in the moment after the write needs the strongly consistent one.
        item = self._table.get_item(Key={"id": _inputs_key(request_id)}).get("Item") or self._table.get_item(
            Key={"id": _inputs_key(request_id)}, ConsistentRead=True
        ).get("Item")
        if item is None:
            # A request stored before its inputs had an item of their own keeps them in its item.
            item = self._table.get_item(
                Key={"id": str(request_id)},
                ConsistentRead=True,
                ProjectionExpression="#request, #avoid",
                ExpressionAttributeNames={"#request": "request", "#avoid": "avoid"},
            ).get("Item")
            if not item or "request" not in item:
                return None
        inputs = _unpack(item["packed"]) if "packed" in item else RequestInputs.model_validate(item)
        with self._inputs_lock:
            self._put_kept(request_id, inputs)
        return inputs

    def _put_kept(self, request_id: UUID, inputs: RequestInputs) -> None:
        self._kept_inputs[request_id] = inputs
        self._kept_inputs.move_to_end(request_id)
        while len(self._kept_inputs) > KEPT_INPUTS:
            self._kept_inputs.popitem(last=False)

    def get_movie(self, request_id: UUID, rank: int) -> MovieInRequest | None:
        inputs = self.inputs(request_id)
        if inputs is None:
            return None
        item = self._table.get_item(
            Key={"id": str(request_id)},
            ConsistentRead=True,
            # Only this movie of the list: the request's item grows with every card.
            ProjectionExpression=f"#status, deadline_at, #owner, read_filters, movies[{rank - 1}]",
            ExpressionAttributeNames={"#status": "status", "#owner": "owner"},
        ).get("Item")
        if not item or not item.get("movies"):
            return None
        return MovieInRequest(
            request_id=request_id,
            status=item["status"],
            deadline_at=item["deadline_at"],
            movie=_movie_from_item(item["movies"][0]),
            owner=item.get("owner"),
            inputs=inputs,
            read_filters=item.get("read_filters", []),
        )

    def reported_movie(self, request_id: UUID, rank: int) -> ReportedMovie | None:
        """The movie at ``rank`` for a report on it (one small read: this movie of the list alone); None when there
        is no such request or rank."""
        item = self._table.get_item(
            Key={"id": str(request_id)},
            ConsistentRead=True,
            ProjectionExpression=f"#mode, #query, #request, #owner, #shared, movies[{rank - 1}]",
            ExpressionAttributeNames={
                "#mode": "mode",
                "#query": "query",
                "#request": "request",  # a request stored before its inputs had an item of their own
                "#owner": "owner",
                "#shared": "shared",
            },
        ).get("Item")
        if not item or not item.get("movies"):
            return None
        return ReportedMovie.model_validate(
            item | {"request_id": request_id, "movie": _movie_from_item(item["movies"][0])}
        )

    def hide(self, request_id: UUID, rank: int, reader: str | None) -> bool:
        """Hide the movie at ``rank`` from ``reader``'s polls (they reported it); False when there is no such request.

        Kept in the request's own item, so that a poll reads nothing more; the map of readers is made with the first
        card hidden in the request (a nested path can be set only in a map that exists).
        """
        names = {"#hidden": "hidden", "#reader": reader_key(reader)}
        for _ in range(2):
            added = self._update(
                request_id,
                "SET #hidden.#reader = list_append(if_not_exists(#hidden.#reader, :none), :rank)",
                condition="attribute_exists(#hidden)",
                values={":none": [], ":rank": [rank]},
                names=names,
                return_item=False,
            )
            if added:
                return True
            made = self._update(
                request_id,
                "SET #hidden = if_not_exists(#hidden, :empty)",
                values={":empty": {}},
                names={"#hidden": "hidden"},
                return_item=False,
            )
            if not made:
                return False  # no such request
        return False

    def unhide(self, request_id: UUID, reader: str | None) -> None:
        """Forget what ``reader`` hid in the request (their data, erased with them); nothing when there is none."""
        self._update(
            request_id,
            "REMOVE #hidden.#reader",
            condition="attribute_exists(#hidden.#reader)",
            values={},
            names={"#hidden": "hidden", "#reader": reader_key(reader)},
            return_item=False,
        )

    def share(self, request_id: UUID, owner: str | None) -> bool:
        """Let anyone with the id read the request; False when there is no such request of `owner`'s."""
        shared = self._update(
            request_id,
            "SET #shared = :true",
            condition="#owner = :owner" if owner is not None else "attribute_not_exists(#owner) OR #owner = :none",
            values={":true": True, ":owner": owner} if owner is not None else {":true": True, ":none": None},
            names={"#owner": "owner", "#shared": "shared"},
            return_item=False,
        )
        return shared is not None

    def add_read_filters(self, request_id: UUID, read_filters: list[ReadFilter]) -> bool:
        """Store the filters read for a request, the model's reading among them, before its first movie is named (so
        that every card is judged by the same filters); False once a movie is there."""
        stored = self._update(
            request_id,
            "SET read_filters = :read",
            condition="size(movies) = :none",
            values={":read": [reading.model_dump(mode="json") for reading in read_filters], ":none": 0},
            return_item=False,
        )
        return stored is not None

    def mark_running(self, request_id: UUID) -> None:
        self._update(
            request_id,
            "SET #status = :running",
            condition="#status IN (:pending, :running)",
            values={":running": RequestStatus.RUNNING.value, ":pending": RequestStatus.PENDING.value},
            return_item=False,
        )

    def add_movie(self, request_id: UUID, entry: MovieEntry) -> bool:
        """Append the movie at its rank; False when it is already there (a redelivered message) or the request ended
        (its deadline passed while the model was still naming films: nothing would look the movie up)."""
        added = self._update(
            request_id,
            "SET movies = list_append(movies, :entry)",
            condition="size(movies) = :before AND #status IN (:pending, :running)",
            values={
                ":entry": [_movie_item(entry)],
                ":before": entry.rank - 1,
                ":pending": RequestStatus.PENDING.value,
                ":running": RequestStatus.RUNNING.value,
            },
            return_item=False,
        )
        return added is not None

    def finish_llm(
        self, request_id: UUID, usage: dict[str, int], close_reasons: Iterable[int] = ()
    ) -> StoredRequest | None:
        """The model's round is over; its token usage adds to the request's (a top-up is a second round).

        `close_reasons`: ranks whose reason never arrived (the answer was cut): they stay as they are.
        None when the request is gone (its owner erased their data while the model answered).
        """
        closed = "".join(f", movies[{rank - 1}].reason_complete = :true" for rank in sorted(set(close_reasons)))
        return self._update(
            request_id,
            f"SET llm_done = :true{closed} ADD prompt_tokens :prompt, completion_tokens :completion",
            values={
                ":true": True,
                ":prompt": usage.get("prompt_tokens", 0),
                ":completion": usage.get("completion_tokens", 0),
            },
        )

    def set_reason(self, request_id: UUID, rank: int, reason: str, original_title: str | None) -> StoredRequest | None:
        """The rest of a movie named early: its reason (and an original title written after the year).

        None when its reason was complete already (a second run of the job). It touches no field the lookup
        writes, so that the two writes, in either order, keep each other's fields.
        """
        index = rank - 1
        expression = f"SET movies[{index}].reason = :reason, movies[{index}].reason_complete = :true"
        values: dict[str, Any] = {":reason": reason, ":true": True, ":false": False}
        if original_title:
            expression += f", movies[{index}].original_title = :original_title"
            values[":original_title"] = original_title
        return self._update(
            request_id, expression, condition=f"movies[{index}].reason_complete = :false", values=values
        )

    def begin_top_up(self, request_id: UUID) -> bool:
        """Open the one top-up round: the model is asked again, so its answer is no longer complete."""
        stored = self._update(
            request_id,
            "SET topped_up = :true, llm_done = :false",
            condition="topped_up = :false AND llm_done = :true AND #status = :running",
            values={":true": True, ":false": False, ":running": RequestStatus.RUNNING.value},
            return_item=False,
        )
        return stored is not None

    def record_movie(self, request_id: UUID, entry: MovieEntry) -> StoredRequest | None:
        """Give a pending movie its final state (the lookup's fields only: the model's reason may still arrive).

        A found movie also claims its Douban id, so that two ranks naming the same film show it once.
        None when the movie was final already (a redelivered message) or its id was claimed by another rank.
        """
        index = entry.rank - 1
        expression, values, names = _set_movie_fields(entry, _LOOKUP_FIELDS)
        condition = f"movies[{index}].#status = :pending"
        values[":pending"] = MovieStatus.PENDING.value
        if entry.status == MovieStatus.FOUND and entry.douban:
            expression += " ADD claimed_ids :claimed"
            condition += " AND NOT contains(claimed_ids, :douban_id)"
            values |= {":claimed": {entry.douban.id}, ":douban_id": entry.douban.id}
        return self._update(request_id, expression, condition=condition, values=values, names=names)

    def complete_card(self, request_id: UUID, entry: MovieEntry) -> bool:
        """Replace a partial card with the full one (the request may have ended since: the card still improves)."""
        index = entry.rank - 1
        expression, values, names = _set_movie_fields(entry, _CARD_FIELDS)
        return (
            self._update(
                request_id,
                expression,
                condition=f"movies[{index}].{_field_name('partial')} = :was_partial",
                values=values | {":was_partial": True},
                names=names,
                return_item=False,
            )
            is not None
        )

    def complete(self, request_id: UUID) -> bool:
        return self._set_final_status(request_id, RequestStatus.DONE, None, return_item=False) is not None

    def fail(self, request_id: UUID, error: ErrorInfo) -> bool:
        return self._set_final_status(request_id, RequestStatus.FAILED, error, return_item=False) is not None

    def time_out(self, request_id: UUID, now: float) -> StoredRequest | None:
        """End a request still in flight after its deadline; the request as it ended (a poll shows it), None when it
        had ended already (or kept changing under three tries: the next poll tries again).

        A worker may have died silently, or Douban's budget, shared by everyone asking at once, was too slow for
        every card. With a found card among those shown the request ends ``done``: the person sees what was found,
        the cards still being looked up that the count needs end ``failed`` with `CARD_TIMED_OUT_NOTE`, the spares
        beyond them ``not_found`` (a client hides those), and every reason shown is final as it stands. With none it
        ends ``failed`` (code timeout). One conditional write, which holds only while no card was added or settled
        since the read; no card is added to an ended request (`add_movie`).
        """
        for _ in range(TIME_OUT_TRIES):
            stored = self.get(request_id)
            if stored is None or not stored.is_overdue(now):
                return None
            shown = shown_movies(stored.movies, stored.count)
            if not any(movie.status == MovieStatus.FOUND for movie in shown):
                return self._set_final_status(request_id, RequestStatus.FAILED, REQUEST_TIMED_OUT, overdue_at=now)
            ended = self._end_with_found_cards(stored, shown, now)
            if ended is not None:
                return ended
        return None

    def _end_with_found_cards(self, stored: StoredRequest, shown: list[MovieEntry], now: float) -> StoredRequest | None:
        """Done as `time_out` says, on the request as read; None when it ended or a card moved on since."""
        pending = [movie.rank for movie in shown if movie.status == MovieStatus.PENDING]
        missing = stored.count - sum(movie.status == MovieStatus.FOUND for movie in shown)
        open_reasons = [movie.rank for movie in shown if not movie.reason_complete]
        note = _field_name("note")
        expression = "SET #status = :final, #error = :error"
        expression += "".join(
            f", movies[{rank - 1}].#status = {':card_failed' if n < missing else ':spare_skipped'}"
            f", movies[{rank - 1}].{note} = {':card_note' if n < missing else ':spare_note'}"
            for n, rank in enumerate(pending)
        )
        expression += "".join(f", movies[{rank - 1}].reason_complete = :true" for rank in open_reasons)
        condition = "#status IN (:pending, :running) AND deadline_at < :now AND size(movies) = :movies"
        condition += "".join(f" AND movies[{rank - 1}].#status = :card_pending" for rank in pending)
        values: dict[str, Any] = {
            ":final": RequestStatus.DONE.value,
            ":error": None,
            ":pending": RequestStatus.PENDING.value,
            ":running": RequestStatus.RUNNING.value,
            ":now": _overdue_mark(now),
            ":movies": len(stored.movies),
            ":card_failed": MovieStatus.FAILED.value,
            ":card_note": CARD_TIMED_OUT_NOTE,
            ":spare_skipped": MovieStatus.NOT_FOUND.value,
            ":spare_note": SPARE_TIMED_OUT_NOTE,
            ":card_pending": MovieStatus.PENDING.value,
            ":true": True,
        }
        used = {name: value for name, value in values.items() if name in expression or name in condition}
        return self._update(
            stored.id, expression, condition=condition, values=used, names={"#error": "error", note: "note"}
        )

    def _set_final_status(
        self,
        request_id: UUID,
        status: RequestStatus,
        error: ErrorInfo | None,
        overdue_at: float | None = None,
        return_item: bool = True,
    ) -> Any:
        """Only a request still in flight moves to a final state, so the first outcome wins."""
        condition = "#status IN (:pending, :running)"
        values: dict[str, Any] = {
            ":final": status.value,
            ":error": error.model_dump() if error else None,
            ":pending": RequestStatus.PENDING.value,
            ":running": RequestStatus.RUNNING.value,
        }
        if overdue_at is not None:
            condition += " AND deadline_at < :now"
            values[":now"] = _overdue_mark(overdue_at)
        return self._update(
            request_id,
            "SET #status = :final, #error = :error",
            condition=condition,
            values=values,
            names={"#error": "error"},
            return_item=return_item,
        )

    def _update(
        self,
        request_id: UUID,
        expression: str,
        *,
        values: dict[str, Any],
        condition: str | None = None,
        names: dict[str, str] | None = None,
        return_item: bool = True,
    ) -> Any:
        """The item as updated (or True when `return_item` is off), None when the condition failed."""
        condition = f"attribute_exists(id) AND ({condition})" if condition else "attribute_exists(id)"
        all_names = {"#status": "status"} | (names or {})
        kwargs: dict[str, Any] = {
            "Key": {"id": str(request_id)},
            "UpdateExpression": expression,
            "ConditionExpression": condition,
            "ReturnValues": "ALL_NEW" if return_item else "NONE",
        }
        if values:
            kwargs["ExpressionAttributeValues"] = _to_item(values)
        used_names = {k: v for k, v in all_names.items() if k in expression or k in condition}
        if used_names:
            kwargs["ExpressionAttributeNames"] = used_names
        try:
            response = self._table.update_item(**kwargs)
        except ClientError as error:
            if is_condition_failure(error):
                return None
            raise
        return StoredRequest.model_validate(response["Attributes"]) if return_item else True
