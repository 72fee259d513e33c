import pytest

from movierec import runtime
from tests.fakes.wechat_server import APP_ID, APP_SECRET, FakeWeChat


@pytest.fixture
def wechat(handlers, monkeypatch):
    """Sign-in configured, against a fake WeChat on 127.0.0.1 (jscode2session, the access token, msgSecCheck)."""
    with FakeWeChat() as fake:
        monkeypatch.setenv("WECHAT_APP_ID", APP_ID)
        monkeypatch.setenv("WECHAT_APP_SECRET", APP_SECRET)
        monkeypatch.setenv("WECHAT_API_BASE_URL", fake.base_url)
        monkeypatch.setenv("OPENID_HASH_KEY", "unit-test-hash-key")
        monkeypatch.setenv("SESSIONS_TABLE", "SessionsTable")
        monkeypatch.setenv("MARKS_TABLE", "MarksTable")
        runtime.reset()
        yield fake
        runtime.reset()
