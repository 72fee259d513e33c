"""The fields every mode takes: a long exclude list, refine with previous, filters; each rule named by its field."""

import uuid

import pytest
from pydantic import TypeAdapter, ValidationError

from movierec.modes import MODES, RecommendationRequest
from movierec.modes.base import MAX_EXCLUDE, MAX_EXCLUDE_CHARACTERS
from movierec.modes.fields import is_douban_id, split_ids_and_titles
from movierec.recommendation.validation import field_name

requests = TypeAdapter(RecommendationRequest)
ONE_OF_EACH = [
    {"mode": "tags", "tags": ["科幻"]},
    {"mode": "theme", "theme": "时间循环"},
    {"mode": "star", "star": "周星驰"},
    {"mode": "for_me", "liked": ["盗梦空间"]},
]


def problems(payload):
    with pytest.raises(ValidationError) as caught:
        requests.validate_python(payload)
    return {(field_name(error), error["type"]) for error in caught.value.errors()}


def test_every_mode_is_exercised_here():
    assert {payload["mode"] for payload in ONE_OF_EACH} == set(MODES)


@pytest.mark.parametrize("payload", ONE_OF_EACH, ids=lambda p: p["mode"])
def test_every_mode_takes_two_thousand_excluded_entries(payload):
    seen = [str(1_000_000 + n) if n % 2 else f"看过的电影{n}" for n in range(MAX_EXCLUDE)]
    request = requests.validate_python(payload | {"exclude": seen})
    assert request.exclude == seen
    assert ("exclude", "too_long") in problems(payload | {"exclude": [*seen, "one more"]})


def test_the_exclude_list_is_bounded_in_characters_too():
    long_titles = ["片" * 25] * (MAX_EXCLUDE_CHARACTERS // 25 + 1)
    assert ("exclude", "value_error") in problems({"mode": "star", "star": "周星驰", "exclude": long_titles})


@pytest.mark.parametrize("payload", ONE_OF_EACH, ids=lambda p: p["mode"])
def test_every_mode_takes_refine_with_previous_and_filters(payload):
    previous = str(uuid.uuid4())
    request = requests.validate_python(
        payload | {"previous": previous, "refine": " 更冷门一点 ", "filters": {"min_rating": 7, "kind": "movie"}}
    )
    assert (str(request.previous), request.refine) == (previous, "更冷门一点")
    assert (request.filters.min_rating, request.filters.kind) == (7, "movie")


def test_previous_alone_still_asks_for_another_batch():
    request = requests.validate_python({"mode": "star", "star": "周星驰", "previous": str(uuid.uuid4())})
    assert request.refine is None
    assert request.filters.is_empty()


@pytest.mark.parametrize(
    ("extra", "problem"),
    [
        ({"refine": "更冷门一点"}, ("refine", "value_error")),
        ({"refine": "更冷门", "previous": None}, ("refine", "value_error")),
        ({"refine": "冷" * 101, "previous": str(uuid.uuid4())}, ("refine", "string_too_long")),
        ({"refine": "  ", "previous": str(uuid.uuid4())}, ("refine", "string_too_short")),
        ({"filters": {"min_rating": 11}}, ("filters.min_rating", "less_than_equal")),
        ({"filters": {"kind": "anime"}}, ("filters.kind", "literal_error")),
        ({"filters": {"years": {"from": 2020, "to": 2000}}}, ("filters.years", "value_error")),
        ({"filters": "高分"}, ("filters", "model_type")),
    ],
)
def test_each_rule_is_named(extra, problem):
    assert problem in problems({"mode": "tags", "tags": ["科幻"], **extra})


def test_refine_with_a_malformed_previous_is_told_only_about_previous():
    assert problems({"mode": "tags", "tags": ["科幻"], "refine": "更新", "previous": "nope"}) == {
        ("previous", "uuid_parsing")
    }


def test_a_douban_id_is_ascii_digits_and_anything_else_a_title():
    assert is_douban_id("1292052")
    assert not is_douban_id("１２９２０５２")  # full-width digits: a title as typed
    assert not is_douban_id("1292052 ")
    assert split_ids_and_titles(["1292052", "肖申克的救赎", "２０１２"]) == (["1292052"], ["肖申克的救赎", "２０１２"])
