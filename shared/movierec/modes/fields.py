"""The fields people type, bounded and checked the same way in every request. Pure."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, StringConstraints


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
MovieTitle = user_text(100)  # a film's title as a person types or marks it


def characters_in_all(limit: int) -> AfterValidator:
    """A list of strings whose lengths add up to at most ``limit`` (a request is stored whole, in one item)."""

    def check(entries: list[str]) -> list[str]:
        if sum(map(len, entries)) > limit:
            raise ValueError(f"must hold at most {limit} characters in all")
        return entries

    return AfterValidator(check)


def is_douban_id(entry: str) -> bool:
    """A Douban subject id is ASCII digits (it goes into URLs); anything else a person sends is a title."""
    return entry.isascii() and entry.isdigit()


def split_ids_and_titles(entries: Sequence[str]) -> tuple[list[str], list[str]]:
    """The Douban ids among ``entries``, and the titles, each in order."""
    return [e for e in entries if is_douban_id(e)], [e for e in entries if not is_douban_id(e)]
