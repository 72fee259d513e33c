import pytest
from pydantic import TypeAdapter, ValidationError

from movierec.modes import RecommendationRequest
from movierec.recommendation.models import MovieEntry, MovieStatus, answer_is_complete
from movierec.recommendation.validation import field_name

requests = TypeAdapter(RecommendationRequest)


def problems(payload):
    with pytest.raises(ValidationError) as caught:
        requests.validate_python(payload)
    return {(field_name(error), error["type"]) for error in caught.value.errors()}


def test_valid_requests_are_trimmed_and_defaulted():
    request = requests.validate_python({"mode": "tags", "tags": [" 科幻 ", "悬疑"]})
    assert request.tags == ["科幻", "悬疑"]
    assert request.count == 8
    assert request.exclude == []
    assert request.query == "科幻、悬疑"


@pytest.mark.parametrize(
    ("payload", "problem"),
    [
        ({"mode": "tags", "tags": []}, ("tags", "too_short")),
        ({"mode": "tags", "tags": ["a"] * 9}, ("tags", "too_long")),
        ({"mode": "tags", "tags": ["x" * 21]}, ("tags.0", "string_too_long")),
        ({"mode": "tags", "tags": ["   "]}, ("tags.0", "string_too_short")),
        ({"mode": "theme", "theme": "t" * 201}, ("theme", "string_too_long")),
        ({"mode": "theme", "theme": "时间\x07循环"}, ("theme", "value_error")),
        ({"mode": "star", "star": ""}, ("star", "string_too_short")),
        ({"mode": "star", "star": "周星驰", "count": 0}, ("count", "greater_than_equal")),
        ({"mode": "star", "star": "周星驰", "count": 21}, ("count", "less_than_equal")),
        ({"mode": "star", "star": "周星驰", "count": 1.0}, ("count", "value_error")),
        ({"mode": "star", "star": "周星驰", "count": "3"}, ("count", "value_error")),
        ({"mode": "star", "star": "周星驰", "count": True}, ("count", "value_error")),
        ({"mode": "star", "star": "周星驰", "exclude": ["x"] * 2001}, ("exclude", "too_long")),
        ({"mode": "star", "star": "周星驰", "previous": "nope"}, ("previous", "uuid_parsing")),
        ({"mode": "star", "star": "周星驰", "surprise": 1}, ("surprise", "extra_forbidden")),
        ({"mode": "poem"}, ("body", "union_tag_invalid")),
        ({"tags": ["科幻"]}, ("body", "union_tag_not_found")),
    ],
)
def test_each_rule_is_named(payload, problem):
    assert problem in problems(payload)


def test_an_answer_is_complete_once_its_found_movies_have_their_reasons():
    found = MovieEntry(rank=1, title="甲", status=MovieStatus.FOUND, reason_complete=False)
    missing = MovieEntry(rank=2, title="乙", status=MovieStatus.NOT_FOUND, reason_complete=False)
    assert answer_is_complete([found, missing], 1) is False
    assert answer_is_complete([found.model_copy(update={"reason_complete": True}), missing], 1) is True
    assert MovieEntry(rank=1, title="甲").reason_complete is True  # items stored before the early start
