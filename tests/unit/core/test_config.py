"""Settings are read and checked once; a missing or malformed one stops the function with one clear line."""

import io
import logging

import pytest

from movierec import runtime
from movierec.core import config

QUEUES = {"RECOMMEND_QUEUE_URL": "https://sqs.example/recommend", "SCRAPE_QUEUE_URL": "https://sqs.example/scrape"}
WECHAT = (
    "WECHAT_APP_ID",
    "WECHAT_APP_SECRET",
    "WECHAT_APP_SECRET_NAME",
    "OPENID_HASH_KEY",
    "OPENID_HASH_KEY_SECRET_NAME",
)


@pytest.fixture
def environment(monkeypatch):
    for name in (*WECHAT, "CONTENT_SAFETY_ON_ERROR", "USER_DAILY_LLM_TOKENS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in QUEUES.items():
        monkeypatch.setenv(name, value)
    config.settings.cache_clear()
    yield monkeypatch
    config.settings.cache_clear()


def test_defaults_are_an_open_api_that_fails_closed(environment):
    settings = config.settings()
    assert not settings.sign_in_configured
    assert settings.content_safety_on_error == "fail_closed"
    assert settings.wechat_api_base_url == "https://api.weixin.qq.com"


def test_settings_are_read_once(environment):
    first = config.settings()
    environment.setenv("USER_DAILY_LLM_TOKENS", "5")
    assert config.settings() is first


@pytest.mark.parametrize(
    ("variables", "named"),
    [
        ({"USER_DAILY_LLM_TOKENS": "lots"}, "USER_DAILY_LLM_TOKENS"),
        ({"CONTENT_SAFETY_ON_ERROR": "ignore"}, "CONTENT_SAFETY_ON_ERROR"),
        ({"SCRAPE_QUEUE_URL": ""}, "SCRAPE_QUEUE_URL"),
        ({"WECHAT_APP_ID": "wx0123456789abcdef"}, "WECHAT_APP_SECRET or WECHAT_APP_SECRET_NAME"),
        (
            {"WECHAT_APP_ID": "wx0123456789abcdef", "WECHAT_APP_SECRET": "s"},
            "OPENID_HASH_KEY or OPENID_HASH_KEY_SECRET",
        ),
        ({"WECHAT_API_BASE_URL": "api.weixin.qq.com"}, "WECHAT_API_BASE_URL"),
    ],
)
def test_a_wrong_setting_is_named(environment, variables, named):
    for name, value in variables.items():
        environment.setenv(name, value)
    with pytest.raises(config.InvalidSettings, match=named):
        config.settings()


def test_sign_in_is_configured_with_its_secrets_from_either_place(environment):
    environment.setenv("WECHAT_APP_ID", "wx0123456789abcdef")
    environment.setenv("WECHAT_APP_SECRET_NAME", "movierec/wechat-app-secret")
    environment.setenv("OPENID_HASH_KEY", "local-key")
    assert config.settings().sign_in_configured


def test_the_function_says_why_it_cannot_start(environment):
    from movierec.core.observability import logger

    environment.setenv("USER_DAILY_LLM_TOKENS", "lots")
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    logging.getLogger(logger.name).addHandler(handler)
    try:
        with pytest.raises(config.InvalidSettings):
            runtime.settings()
    finally:
        logging.getLogger(logger.name).removeHandler(handler)
    assert "movierec cannot start" in buffer.getvalue()
    assert "USER_DAILY_LLM_TOKENS" in buffer.getvalue()
