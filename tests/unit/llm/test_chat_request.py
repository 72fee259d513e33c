"""Which request feature a provider's error refuses, from the bodies real providers send (see chat_request.py)."""

import json

import pytest

from movierec.llm.chat_request import RefusedFeatures, RequestOptions, build_request, error_text, refused_features

ALL = frozenset({"stream", "stream_options", "json_object", "temperature", "max_tokens"})


def named(message, body=None, sent=ALL):
    return set(refused_features(error_text(message, body), sent))


@pytest.mark.parametrize(
    ("message", "body", "feature"),
    [
        # Groq
        ("property 'stream_options' is unsupported, did you mean 'stream'?", None, "stream_options"),
        # one-api / new-api relays
        ("Unknown parameter: 'stream_options'. (request id: 2024)", {"param": "stream_options"}, "stream_options"),
        # Mistral: 422 with pydantic's detail
        (
            "Error code: 422",
            {"detail": [{"type": "extra_forbidden", "loc": ["body", "stream_options", "include_usage"]}]},
            "stream_options",
        ),
        # DashScope and OpenAI: the word json
        (
            "<400> InternalError.Algo.InvalidParameter: 'messages' must contain the word 'json' in some form, "
            "to use 'response_format' of type 'json_object'.",
            {"param": None},
            "json_object",
        ),
        # lmdeploy, vLLM and others
        ("response_format is not supported", None, "json_object"),
        # OpenAI reasoning models
        (
            "Unsupported value: 'temperature' does not support 0.7 with this model. Only the default (1) value is "
            "supported.",
            {"param": "temperature", "code": "unsupported_value"},
            "temperature",
        ),
        (
            "Unsupported parameter: 'max_tokens' is not supported with this model. "
            "Use 'max_completion_tokens' instead.",
            {"param": "max_tokens", "code": "unsupported_parameter"},
            "max_tokens",
        ),
        (
            "Unsupported value: 'stream' does not support true with this model. Supported values are: false.",
            {"param": "stream"},
            "stream",
        ),
    ],
)
def test_the_refused_feature_is_named(message, body, feature):
    assert named(message, body) == {feature}


def test_json_schema_refused_by_deepseek():
    body = {"message": "This response_format type is unavailable now", "param": None}
    assert named("Error code: 400", body, sent=frozenset({"stream", "json_schema"})) == {"json_schema"}
    assert named("response_format.type `json_schema` is unavailable now", None, frozenset({"json_schema"})) == {
        "json_schema"
    }


def test_max_completion_tokens_refused_by_mistral():
    body = {"detail": [{"loc": ["body", "max_completion_tokens"], "msg": "Extra inputs are not permitted"}]}
    assert named("422", body, sent=frozenset({"stream", "max_completion_tokens"})) == {"max_completion_tokens"}


def test_a_400_about_something_else_names_nothing():
    assert named("Content Exists Risk", {"type": "invalid_request_error"}) == set()
    assert named("This model's maximum context length is 8192 tokens.", None) == set()
    assert named("property 'stream_options' is unsupported", None, sent=frozenset({"stream"})) == set()


def test_the_request_asks_for_everything_allowed():
    request = build_request("m", [], RequestOptions(json_mode="schema", max_output_tokens=900))
    arguments = request.arguments
    assert arguments["stream"] is True
    assert arguments["stream_options"] == {"include_usage": True}
    assert arguments["response_format"]["type"] == "json_schema"
    assert arguments["response_format"]["json_schema"]["strict"] is True
    assert (arguments["temperature"], arguments["max_tokens"]) == (0.7, 900)
    assert request.features == {"stream", "stream_options", "json_schema", "temperature", "max_tokens"}
    json.dumps(arguments)  # plain JSON, as the SDK sends it


def test_each_refusal_takes_its_next_best():
    options = RequestOptions(json_mode="schema", max_output_tokens=900)
    request = build_request("m", [], options, refused=frozenset({"json_schema", "max_tokens", "stream_options"}))
    assert request.arguments["response_format"] == {"type": "json_object"}
    assert request.arguments["max_completion_tokens"] == 900
    assert "stream_options" not in request.arguments
    bare = build_request(
        "m",
        [],
        options,
        refused=frozenset(
            {"json_schema", "json_object", "max_tokens", "max_completion_tokens", "temperature", "stream"}
        ),
    )
    assert bare.arguments == {"model": "m", "messages": []}


def test_settings_turn_each_feature_off():
    options = RequestOptions(json_mode="none", stream=False, stream_usage=False, temperature=None)
    assert build_request("m", [], options).arguments == {"model": "m", "messages": []}
    assert "stream_options" not in build_request("m", [], RequestOptions(stream_usage=False)).arguments


def test_refusals_are_remembered_per_endpoint_and_model():
    refused = RefusedFeatures()
    refused.add("https://a/v1", "m", frozenset({"stream_options"}))
    refused.add("https://a/v1", "m", frozenset({"temperature"}))
    assert refused.of("https://a/v1", "m") == {"stream_options", "temperature"}
    assert refused.of("https://a/v1", "other") == set()
    assert refused.of("https://b/v1", "m") == set()
