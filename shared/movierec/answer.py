"""Reading the model's answer: incrementally while it streams, and whole as a fallback. Pure.

Models wrap JSON in code fences or chat around it, so neither reader insists on a clean document:
the stream reader looks for the `"movies"` array and yields each object the moment it closes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from pydantic import ValidationError

from movierec.models import LLMAnswer, SuggestedMovie

_MOVIES_ARRAY = re.compile(r'"movies"\s*:\s*\[')


class MovieStreamParser:
    """Feed text chunks as they arrive; get back every movie object completed by that chunk."""

    def __init__(self) -> None:
        self._buffer = ""
        self._position = 0  # next character to scan
        self._in_array = False
        self._depth = 0  # nesting inside the movies array: 1 = inside one movie object
        self._in_string = False
        self._escaped = False
        self._object_start = -1
        self._array_closed = False
        self.rejected = 0  # objects that were complete JSON but not a valid movie

    def feed(self, chunk: str) -> list[SuggestedMovie]:
        self._buffer += chunk
        if not self._in_array and not self._find_array():
            return []
        return list(self._scan())

    def _find_array(self) -> bool:
        match = _MOVIES_ARRAY.search(self._buffer)
        if match is None:
            return False
        self._in_array = True
        self._position = match.end()
        return True

    def _scan(self) -> Iterator[SuggestedMovie]:
        buffer = self._buffer
        while self._position < len(buffer) and not self._array_closed:
            char = buffer[self._position]
            if self._in_string:
                if self._escaped:
                    self._escaped = False
                elif char == "\\":
                    self._escaped = True
                elif char == '"':
                    self._in_string = False
            elif char == '"':
                self._in_string = True
            elif char in "{[":
                if self._depth == 0:
                    self._object_start = self._position
                self._depth += 1
            elif char in "}]":
                if self._depth == 0:  # the movies array itself closed
                    self._array_closed = True
                else:
                    self._depth -= 1
                    if self._depth == 0:
                        movie = self._to_movie(buffer[self._object_start : self._position + 1])
                        if movie is not None:
                            yield movie
            self._position += 1

    def _to_movie(self, text: str) -> SuggestedMovie | None:
        try:
            return SuggestedMovie.model_validate_json(text)
        except ValidationError:
            self.rejected += 1
            return None


def parse_answer(text: str) -> list[SuggestedMovie]:
    """The movies in a whole answer, tolerating fences and text around the JSON object.

    Raises ValueError naming the problem when no valid answer can be read from it.
    """
    decoder = json.JSONDecoder()
    problem = "the answer holds no JSON object"
    for start in (index for index, char in enumerate(text) if char == "{"):
        try:
            data, _ = decoder.raw_decode(text, start)
        except json.JSONDecodeError as error:
            problem = f"the answer is not valid JSON: {error.msg}"
            continue
        try:
            return LLMAnswer.model_validate(data).movies
        except ValidationError as error:
            problem = f"the answer does not have the expected shape: {error.errors()[0]['msg']}"
            if isinstance(data, dict) and "movies" in data:
                break  # the answer object itself is wrong; a nested object will not be better
    raise ValueError(problem)
