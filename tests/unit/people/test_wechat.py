"""The WeChat client against the fake WeChat server: sign-in codes, the cached access token, the text check, and
every failure becoming the domain's error without a secret in it."""

import io
import logging

import pytest
import urllib3

from movierec.people.content_safety import CheckUnavailable
from movierec.people.sessions import CodeRefused, SignInBlocked, SignInUnavailable
from movierec.people.wechat import WeChatClient
from tests.fakes.wechat_server import APP_ID, APP_SECRET, Failure, FakeWeChat


@pytest.fixture
def wechat():
    with FakeWeChat() as fake:
        yield fake


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def client(wechat, clock):
    return WeChatClient(
        urllib3.PoolManager(),
        wechat.base_url,
        APP_ID,
        lambda: APP_SECRET,
        timeout_seconds=0.5,
        clock=clock,
        sleep=lambda _: None,
    )


@pytest.fixture
def log_output():
    from movierec.core.observability import logger

    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    logging.getLogger(logger.name).addHandler(handler)
    yield buffer
    logging.getLogger(logger.name).removeHandler(handler)


# --- sign-in ------------------------------------------------------------------------------------------------------


def test_a_code_becomes_the_persons_openid(client, wechat):
    assert client.openid_for_code(wechat.code_for("o-alice")) == "o-alice"
    (call,) = wechat.calls_to("/sns/jscode2session")
    assert call.query["grant_type"] == "authorization_code"


def test_a_code_works_once(client, wechat):
    code = wechat.code_for("o-alice")
    client.openid_for_code(code)
    with pytest.raises(CodeRefused):
        client.openid_for_code(code)


def test_an_unknown_code_is_refused(client, wechat):
    with pytest.raises(CodeRefused):
        client.openid_for_code("not-a-code")


def test_a_blocked_account_is_told_apart_from_a_bad_code(client, wechat):
    """errcode 40226 ("code blocked": 高风险等级用户，小程序登录拦截): every new code is refused the same way."""
    with pytest.raises(SignInBlocked):
        client.openid_for_code(wechat.code_for("o-risky", blocked=True))
    assert len(wechat.calls_to("/sns/jscode2session")) == 1  # not a failure worth asking again


def test_an_errcode_written_as_a_string_is_still_wechats_refusal(client, wechat):
    wechat.fail("/sns/jscode2session", Failure.raw({"errcode": "40029", "errmsg": "invalid code"}))
    with pytest.raises(CodeRefused):
        client.openid_for_code(wechat.code_for("o-alice"))


def test_a_busy_wechat_is_asked_once_more(client, wechat):
    wechat.fail("/sns/jscode2session", Failure.error(-1))
    assert client.openid_for_code(wechat.code_for("o-alice")) == "o-alice"
    assert len(wechat.calls_to("/sns/jscode2session")) == 2


@pytest.mark.parametrize(
    "failures",
    [
        [Failure.error(-1), Failure.error(-1)],
        [Failure.http(502), Failure.http(502)],
        [Failure.dropped(), Failure.dropped()],
        [Failure.stall(1.0), Failure.stall(1.0)],
        [Failure.error(45011)],  # the per-person minute quota: not worth a second try now
    ],
    ids=["busy", "http-502", "dropped", "stalled", "quota"],
)
def test_wechat_down_is_sign_in_unavailable_without_a_secret_in_the_reason(client, wechat, failures, log_output):
    wechat.fail("/sns/jscode2session", *failures)
    code = wechat.code_for("o-alice")
    with pytest.raises(SignInUnavailable) as unavailable:
        client.openid_for_code(code)
    for secret in (APP_SECRET, code):
        assert secret not in str(unavailable.value)
        assert secret not in log_output.getvalue()


def test_a_wrong_app_secret_is_the_operators_to_fix_and_said_so(wechat, log_output):
    client = WeChatClient(urllib3.PoolManager(), wechat.base_url, APP_ID, lambda: "wrong-secret", sleep=lambda _: None)
    with pytest.raises(SignInUnavailable):
        client.openid_for_code(wechat.code_for("o-alice"))
    assert "WECHAT_APP_ID, the AppSecret" in log_output.getvalue()
    assert "wrong-secret" not in log_output.getvalue()


def test_a_secret_that_cannot_be_read_is_unavailable(wechat):
    client = WeChatClient(urllib3.PoolManager(), wechat.base_url, APP_ID, lambda: None)
    with pytest.raises(SignInUnavailable):
        client.openid_for_code(wechat.code_for("o-alice"))
    assert wechat.requests == []


# --- the text check -----------------------------------------------------------------------------------------------


@pytest.fixture
def alice(wechat):
    wechat.code_for("o-alice")  # a person of this app
    return "o-alice"


def test_texts_get_wechats_suggestion(client, wechat, alice):
    wechat.risky_words.add("违禁")
    wechat.review_words.add("擦边")
    assert client.check_text("时间循环", alice) == "pass"
    assert client.check_text("一部违禁的电影", alice) == "risky"
    assert client.check_text("有点擦边", alice) == "review"
    body = wechat.calls_to("/wxa/msg_sec_check")[0].body
    assert body == {"content": "时间循环", "version": 2, "scene": 2, "openid": alice}


def test_the_access_token_is_fetched_once_and_reused_until_shortly_before_it_expires(client, wechat, alice, clock):
    for _ in range(3):
        client.check_text("时间循环", alice)
    assert len(wechat.calls_to("/cgi-bin/stable_token")) == 1
    assert wechat.calls_to("/cgi-bin/stable_token")[0].body["force_refresh"] is False
    clock.now += 7200 - 300 + 1
    client.check_text("时间循环", alice)
    assert len(wechat.calls_to("/cgi-bin/stable_token")) == 2


def test_a_token_lifetime_written_as_a_string_is_read(client, wechat, alice, clock):
    wechat.fail("/cgi-bin/stable_token", Failure.raw({"access_token": "t" * 40, "expires_in": "7200"}))
    assert client.check_text("时间循环", alice) == "pass"
    # that token was taken and used (the fake, which never issued it, said 40001, and a real one came next)
    assert wechat.calls_to("/wxa/msg_sec_check")[0].query["access_token"] == "t" * 40
    wechat.fail("/cgi-bin/stable_token", Failure.raw({"errcode": 0, "errmsg": "ok"}))
    client._forget_token()
    with pytest.raises(CheckUnavailable, match="no access token"):
        client.check_text("时间循环", alice)


def test_a_token_that_died_early_is_fetched_again_once(client, wechat, alice):
    client.check_text("时间循环", alice)
    wechat.expire_token()
    assert client.check_text("时间循环", alice) == "pass"
    assert len(wechat.calls_to("/cgi-bin/stable_token")) == 2


@pytest.mark.parametrize(
    ("path", "failure"),
    [
        ("/wxa/msg_sec_check", Failure.error(-1)),
        ("/wxa/msg_sec_check", Failure.error(61010)),  # the person has not used the mini-program for 2 hours
        ("/wxa/msg_sec_check", Failure.http(503)),
        ("/cgi-bin/stable_token", Failure.error(40164)),  # this server's IP is not on the API whitelist
    ],
    ids=["busy", "visit-expired", "http-503", "ip-whitelist"],
)
def test_a_check_that_cannot_answer_is_unavailable(client, wechat, alice, path, failure):
    wechat.fail(path, failure, failure)
    with pytest.raises(CheckUnavailable) as unavailable:
        client.check_text("时间循环", alice)
    assert APP_SECRET not in str(unavailable.value)


def test_a_stranger_openid_cannot_be_checked(client):
    with pytest.raises(CheckUnavailable, match="40003"):
        client.check_text("时间循环", "o-not-of-this-app")


def test_the_access_token_never_reaches_the_logs(client, wechat, alice, log_output):
    client.check_text("时间循环", alice)
    token = wechat.calls_to("/wxa/msg_sec_check")[0].query["access_token"]
    wechat.fail("/wxa/msg_sec_check", Failure.dropped(), Failure.dropped())
    with pytest.raises(CheckUnavailable) as unavailable:
        client.check_text("时间循环", alice)
    assert token not in str(unavailable.value)
    assert token not in log_output.getvalue()
