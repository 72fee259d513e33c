"""Reading the model's answer while it streams: each movie as soon as its title and year are known, then whole. Pure.

What OpenAI-compatible models send is rarely one clean document. The answer is the movies object outside any
thinking (see `movierec.llm.reasoning`), wherever it stands among prose ("好的，以下是推荐："), code fences and
chatter; a JSON value that is not an answer (an echo of the request, an example) is passed over, and the
prompt's own format example is never taken for a movie.

The JSON itself is read with libraries rather than a parser of our own: jiter (pydantic's Rust JSON parser)
re-reads the document so far in partial mode at every chunk, and its strict mode tells a valid prefix (it ends
in "EOF while parsing") from broken JSON. Broken JSON - bare ASCII quotes inside Chinese text, trailing commas,
single or full-width quotes, raw newlines in strings - is read by json-repair from then on, so that one broken
object does not take the well-formed ones with it.

When a field is known: a field is complete once a comma or another key follows it, and an object once its
closing brace arrives (the prefix then closes as a whole answer). So a movie is *named* (title and year known,
the reason still being written: its lookup may start) at the comma after its year, and *complete* when its
object closes. With broken JSON a movie is only read once its object is followed by another, or the answer ends.

The model's reading of the person's words (``"filters": [...]``, asked for before the movies: see
``movierec.llm.prompts.READING_INSTRUCTION``) is `reading`, known once the movies' list opens, and only when it came
before them: a reading written after some movie is named would judge cards differently, and is not taken.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import jiter
import json_repair

from movierec.llm.answer import SuggestedMovie
from movierec.llm.movie_fields import TITLE_KEYS, YEAR_KEYS, has_field, suggested_movie
from movierec.llm.prompts import EXAMPLE_TITLE, READING_KEY
from movierec.llm.reasoning import ThinkingFilter

# Where a JSON document may begin: an object whose first key is quoted (or that is empty), or an array of objects.
_DOCUMENT_START = re.compile(r"""\{\s*["'“‘}]|\[\s*[{\]]""")
_ANSWER_KEYS = ("movies", "Movies", "电影", "推荐", "recommendations", "films")


@dataclass(frozen=True)
class StreamedMovie:
    """A movie of the answer: `position` is its place among every movie read in one call (retries included)."""

    position: int
    movie: SuggestedMovie
    complete: bool  # False: title and year are known and the rest (the reason) is still being written


def _is_movie(item: Any) -> bool:
    return isinstance(item, Mapping) and has_field(item, TITLE_KEYS)


def movie_items(value: Any) -> list[Any] | None:
    """The list of movie objects in a JSON value, or None when it holds no answer.

    `{"movies": [...]}` as asked, or under another name (`{"推荐": [...]}`), a bare list of movies, one movie
    object alone, or several documents (json-repair returns a list) of which one is the answer.
    """
    if isinstance(value, Mapping):
        for key in _ANSWER_KEYS:
            if isinstance(value.get(key), list):
                return value[key]
        lists = [item for item in value.values() if isinstance(item, list) and any(map(_is_movie, item))]
        if lists:
            return lists[0]
        return [value] if _is_movie(value) else None
    if isinstance(value, list):
        answers = [items for item in value if isinstance(item, Mapping) and (items := movie_items(item)) is not None]
        if answers and not all(map(_is_movie, value)):
            return answers[0]
        return value if any(map(_is_movie, value)) else None
    return None


def reading_before_movies(value: Any) -> Any:
    """The model's reading in an answer object, when its key comes before the movies' list; else None."""
    if not isinstance(value, Mapping) or READING_KEY not in value:
        return None
    keys = list(value)
    answer = next((key for key in keys if key in _ANSWER_KEYS and isinstance(value[key], list)), None)
    return value[READING_KEY] if answer is not None and keys.index(READING_KEY) < keys.index(answer) else None


def _strict_state(document: str) -> str:
    """'complete' (possibly followed by other text), 'prefix' (valid so far) or 'broken'."""
    try:
        jiter.from_json(document.encode())
    except ValueError as error:
        message = str(error)
        if message.startswith("trailing characters"):
            return "complete"
        return "prefix" if message.startswith("EOF while parsing") else "broken"
    return "complete"


def _document_length(document: str) -> int:
    """How many characters the complete JSON document at the start of `document` spans."""
    try:
        return json.JSONDecoder().raw_decode(document)[1]
    except ValueError:
        return len(document)


def _closes(document: str, value: Any, ending: str) -> bool:
    """Whether the valid prefix `document` is a whole answer once `ending` and its open brackets are added.

    That holds only where the prefix ends between values: not inside a string, a number still being written
    or a key, so it tells when the last movie object (or its last field) is complete.
    """
    if isinstance(value, list):
        closing = "]"
    elif isinstance(value, Mapping) and value and isinstance(list(value.values())[-1], list):
        closing = "]}"
    else:
        return False
    return _strict_state(document + ending + closing) == "complete"


def _fields_before_last_comma(written: str, value: Any) -> Mapping[str, Any]:
    """The last object's fields that a comma has closed: "…"year": 2010, "rea" has a complete year."""
    comma = written.rfind(",")
    if comma == -1 or not _closes(written[:comma], value, "}"):
        return {}
    before = movie_items(jiter.from_json(written[:comma].encode(), partial_mode="trailing-strings"))
    items = movie_items(value)
    if not before or not items or len(before) != len(items) or not isinstance(before[-1], Mapping):
        return {}
    return before[-1]


def _named_part(item: Mapping[str, Any], known: Mapping[str, Any]) -> dict[str, Any] | None:
    """The fields of an open object known to be complete (all but the last key, and what a comma closed), when
    they hold title and year."""
    fields = dict(list(item.items())[:-1]) | dict(known)
    if has_field(fields, TITLE_KEYS) and has_field(fields, YEAR_KEYS):
        return fields
    return None


class AnswerReader:
    """Feed the content as it streams; get back each movie when it is named and when it is complete.

    `finish()` reads what the end of the answer closes; `truncated` (the provider stopped for length, or the
    connection broke) leaves the last object open. Every movie is handed over complete at most once, and
    named (incomplete) at most once before that; invalid objects are counted in `rejected`.
    """

    def __init__(self, first_position: int = 0) -> None:
        self._thinking = ThinkingFilter()
        self._text = ""  # the answer outside any thinking
        self._document_start: int | None = None
        self._search_from = 0
        self._document = 0  # documents passed over so far
        self._repairing = False
        self._next_position = first_position
        self._positions: dict[tuple[int, int], int] = {}  # (document, index in its list) → position
        self._by_title: dict[str, int] = {}  # title → position, to find a movie again after the switch to repair
        self._complete: set[int] = set()
        self._invalid: set[tuple[int, int] | str] = set()
        self.answered = False  # an answer-shaped document was seen (an empty list is an answer too)
        self.answer_closed = False  # … and it was read to its end
        self.rejected = 0
        self.reading: Any = None  # the model's reading of the person's words, when it came before the movies
        self.reading_known = False  # the movies' list has opened: whatever reading came before it is `reading`

    @property
    def text(self) -> str:
        """The answer outside any thinking, as read so far."""
        return self._text

    def feed(self, chunk: str) -> list[StreamedMovie]:
        piece = self._thinking.feed(chunk)
        if piece.restarted:
            self._restart()
        self._text += piece.text
        return self._read(final=False, truncated=False)

    def finish(self, truncated: bool = False) -> list[StreamedMovie]:
        piece = self._thinking.finish()
        if piece.restarted:
            self._restart()
        self._text += piece.text
        return self._read(final=True, truncated=truncated)

    def _restart(self) -> None:
        """A lone `</think>`: the text so far was thinking; the answer begins after it."""
        self.reading, self.reading_known = None, False
        self._text = ""
        self._document_start = None
        self._search_from = 0
        self._document += 1
        self._repairing = False

    def _read(self, final: bool, truncated: bool) -> list[StreamedMovie]:
        movies: list[StreamedMovie] = []
        while True:
            if self._document_start is None:
                match = _DOCUMENT_START.search(self._text, self._search_from)
                if match is None:
                    return movies
                self._document_start = match.start()
            document = self._text[self._document_start :]
            state = "broken" if self._repairing else _strict_state(document)
            if state == "broken":
                self._repairing = True
                value = json_repair.loads(document, stream_stable=True)
                movies += self._take(value, closed=final and not truncated, strict=False)
                self.answer_closed = self.answer_closed or (self.answered and final and not truncated)
                return movies
            value = jiter.from_json(document.encode(), partial_mode="trailing-strings")
            written = document.rstrip()
            closed = state == "complete" or _closes(written, value, "")
            movies += self._take(value, closed=closed, strict=True, known=_fields_before_last_comma(written, value))
            if state == "prefix":
                return movies
            self.answer_closed = self.answer_closed or movie_items(value) is not None
            # A whole document: the answer, or something else (an echo, an example); either way read on after it.
            self._search_from = self._document_start + _document_length(document)
            self._document_start = None
            self._document += 1

    def _take(
        self, value: Any, closed: bool, strict: bool, known: Mapping[str, Any] | None = None
    ) -> list[StreamedMovie]:
        items = movie_items(value)
        if items is None:
            return []
        self.answered = True
        if not self.reading_known:
            self.reading, self.reading_known = reading_before_movies(value), True
        movies = []
        for index, item in enumerate(items):
            item_closed = closed or index < len(items) - 1
            if item_closed:
                movie = self._complete_movie(index, item, strict)
            elif strict and isinstance(item, Mapping):
                movie = self._named_movie(index, item, known or {})
            else:
                movie = None
            if movie is not None:
                movies.append(movie)
        return movies

    def _complete_movie(self, index: int, item: Any, strict: bool) -> StreamedMovie | None:
        movie = suggested_movie(item)
        key = (self._document, index)
        if movie is None or movie.title == EXAMPLE_TITLE:
            invalid = key if strict else json.dumps(item, ensure_ascii=False, sort_keys=True, default=str)
            if invalid not in self._invalid:
                self._invalid.add(invalid)
                self.rejected += movie is None
            return None
        position = self._positions.get(key) if strict else self._by_title.get(movie.title)
        if position is None:
            position = self._new_position(key, movie)
        if position in self._complete:
            return None
        self._complete.add(position)
        return StreamedMovie(position, movie, complete=True)

    def _named_movie(self, index: int, item: Mapping[str, Any], known: Mapping[str, Any]) -> StreamedMovie | None:
        key = (self._document, index)
        if key in self._positions:
            return None
        known = _named_part(item, known)
        movie = suggested_movie(known) if known is not None else None
        if movie is None or movie.title == EXAMPLE_TITLE:
            return None
        return StreamedMovie(self._new_position(key, movie), movie, complete=False)

    def _new_position(self, key: tuple[int, int], movie: SuggestedMovie) -> int:
        position = self._next_position
        self._next_position += 1
        self._positions[key] = position
        self._by_title.setdefault(movie.title, position)
        return position

    @property
    def next_position(self) -> int:
        return self._next_position


def read_answer(text: str) -> list[SuggestedMovie]:
    """The complete movies of a whole answer read at once, in the model's order."""
    reader = AnswerReader()
    movies = {movie.position: movie.movie for movie in [*reader.feed(text), *reader.finish()] if movie.complete}
    return [movies[position] for position in sorted(movies)]
