"""The registry: every module that defines MODE is a mode of the API, and nothing else is."""

import json

import pytest
from pydantic import TypeAdapter, ValidationError

from movierec.modes import MODES, ModeName, RecommendationRequest, mode_of
from movierec.modes.base import ContextSources, Mode, RequestBase
from movierec.modes.for_me import ForMeRequest
from movierec.modes.star import StarRequest
from movierec.modes.tags import TagsRequest
from movierec.modes.theme import ThemeRequest

requests = TypeAdapter(RecommendationRequest)


def test_every_mode_module_is_registered_under_its_literal_name():
    assert set(MODES) == {"tags", "theme", "star", "for_me"}  # base, fields and filters are no modes
    for name, mode in MODES.items():
        assert isinstance(mode, Mode)
        assert mode.name == name
        assert issubclass(mode.request, RequestBase)
        assert ModeName(name) == name


@pytest.mark.parametrize(
    ("payload", "model"),
    [
        ({"mode": "tags", "tags": ["科幻"]}, TagsRequest),
        ({"mode": "theme", "theme": "时间循环"}, ThemeRequest),
        ({"mode": "star", "star": "周星驰"}, StarRequest),
        ({"mode": "for_me", "liked": ["3541415"]}, ForMeRequest),
    ],
)
def test_the_union_parses_each_mode_into_its_own_model(payload, model):
    request = requests.validate_python(payload)
    assert type(request) is model
    assert mode_of(request) is MODES[payload["mode"]]


def test_an_unknown_mode_is_refused():
    with pytest.raises(ValidationError) as caught:
        requests.validate_python({"mode": "poem"})
    assert caught.value.errors()[0]["type"] == "union_tag_invalid"


def test_the_json_schema_offers_every_mode():
    schema = requests.json_schema()
    offered = {ref.rsplit("/", 1)[-1] for ref in schema["discriminator"]["mapping"].values()}
    assert offered == {mode.request.__name__ for mode in MODES.values()}
    assert set(schema["discriminator"]["mapping"]) == set(MODES)


def test_every_mode_builds_a_prompt_fragment_from_its_request():
    examples = {
        "tags": {"tags": ["科幻"]},
        "theme": {"theme": "时间循环"},
        "star": {"star": "周星驰"},
        "for_me": {"mood": "时间循环"},
    }
    for name, fields in examples.items():
        mode = MODES[name]
        request = mode.request.model_validate({"mode": name, **fields})
        data = mode.prompt_input(request, mode.context(request, ContextSources()))
        assert json.dumps(data, ensure_ascii=False)  # JSON data, nothing else
        assert any(value in json.dumps(data, ensure_ascii=False) for value in ("科幻", "时间循环", "周星驰"))
        assert "推荐" in mode.instruction
