"""Each request feature a provider may refuse can also be turned off by a setting, read once through runtime."""

import pytest

from movierec import runtime
from movierec.core import config
from movierec.core.config import InvalidSettings
from tests.fakes.llm_server import FakeLLM, Reply, movie


@pytest.fixture
def llm(monkeypatch):
    with FakeLLM() as fake:
        monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.setenv("OPENAI_MODEL", "fake-model")
        monkeypatch.setenv("RECOMMEND_QUEUE_URL", "https://sqs.invalid/recommend")
        monkeypatch.setenv("SCRAPE_QUEUE_URL", "https://sqs.invalid/scrape")
        runtime.reset()
        yield fake
        runtime.reset()


def ask(llm):
    llm.script(Reply.movies([movie("活着", 1994)]))
    result = runtime.llm_client().recommend([{"role": "user", "content": "json"}], lambda _: None)
    assert [m.title for m in result.movies] == ["活着"]
    return llm.requests[-1]


def test_by_default_the_request_asks_for_everything(llm):
    request = ask(llm)
    assert request["stream"] is True
    assert request["stream_options"] == {"include_usage": True}
    assert request["response_format"] == {"type": "json_object"}
    assert request["temperature"] == 0.7
    assert "max_tokens" not in request


def test_each_feature_turned_off(llm, monkeypatch):
    for name, value in {
        "LLM_STREAM": "false",
        "LLM_STREAM_USAGE": "off",
        "LLM_TEMPERATURE": "default",
        "LLM_JSON_MODE": "none",
        "LLM_MAX_OUTPUT_TOKENS": "300",
    }.items():
        monkeypatch.setenv(name, value)
    runtime.reset()
    request = ask(llm)
    assert {key: value for key, value in request.items() if not key.startswith("_")} == {
        "model": "fake-model",
        "messages": [{"role": "user", "content": "json"}],
        "max_tokens": 300,
    }


def test_stream_usage_alone_and_a_temperature_of_ones_own(llm, monkeypatch):
    monkeypatch.setenv("LLM_STREAM_USAGE", "false")
    monkeypatch.setenv("LLM_TEMPERATURE", "0.2")
    runtime.reset()
    request = ask(llm)
    assert (request["stream"], "stream_options" in request, request["temperature"]) == (True, False, 0.2)


def test_a_setting_that_is_no_yes_or_no_is_named(monkeypatch):
    monkeypatch.setenv("LLM_STREAM", "maybe")
    config.settings.cache_clear()
    with pytest.raises(InvalidSettings, match="LLM_STREAM"):
        config.settings()
    config.settings.cache_clear()
