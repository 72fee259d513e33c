"""The ways of asking for movies, one module each, and the registry that builds the API from them.

Every module of this package that defines ``MODE`` (a :class:`~movierec.modes.base.Mode`) is a mode: its request
model joins the API's request union (and so the OpenAPI document), its name joins :data:`ModeName`, and the
recommend and scrape steps find its prompt fragment, context step and post-lookup rule through :func:`mode_of`.
Adding a mode is adding one module here.
"""

from __future__ import annotations

import importlib
import operator
import pkgutil
from collections.abc import Mapping
from enum import StrEnum
from functools import reduce
from typing import Annotated, Any

from pydantic import Field

from movierec.modes.base import Mode, RequestBase


def _discover() -> dict[str, Mode[Any, Any]]:
    modes: dict[str, Mode[Any, Any]] = {}
    for module_info in pkgutil.iter_modules(__path__):  # sorted by module name
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        mode = getattr(module, "MODE", None)
        if isinstance(mode, Mode):
            if mode.name in modes:
                raise RuntimeError(f"two modes are named {mode.name!r}")
            modes[mode.name] = mode
    return modes


MODES: Mapping[str, Mode[Any, Any]] = _discover()

ModeName = StrEnum("ModeName", {name.upper(): name for name in MODES})  # type: ignore[misc]
ModeName.__doc__ = "A mode's name, as a request's `mode` field says it."

# The API's request body: one model per mode, told apart by `mode`.
RecommendationRequest = Annotated[
    reduce(operator.or_, (mode.request for mode in MODES.values())),  # type: ignore[valid-type]
    Field(discriminator="mode"),
]


def mode_of(request: RequestBase) -> Mode[Any, Any]:
    """The mode a request was made in."""
    return MODES[request.mode]  # type: ignore[attr-defined]
