"""The HTTP adapter against a fake Douban on 127.0.0.1: headers, verdicts, redirects, retries, pacing, counting."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator

import pytest

from movierec.douban.budget import (
    BudgetPolicy,
    DoubanBudget,
    InMemoryBudgetStore,
    Priority,
    Spend,
    unlimited,
)
from movierec.douban.errors import DoubanBanned, OutOfBudget
from movierec.douban.http import (
    ACCEPT_LANGUAGE,
    DoubanHttp,
    FetchStatus,
    Refusal,
    is_block_redirect,
    parse_retry_after,
    rate_limit_error,
    redirect_refusal,
)
from tests.fakes.clock import SimClock
from tests.fakes.douban_server import ABNORMAL_REQUEST_PAGE, FakeDouban, Reply, local_only_session

COOKIE = "bid=operator-secret-cookie; dbcl2=12345:abc"
PAGE = "<html><head><title>ok</title></head><body>一个页面</body></html>"


class Sleeps:
    """An injected sleep that only records: no test waits for real."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


@pytest.fixture
def douban() -> Iterator[FakeDouban]:
    with FakeDouban() as server:
        yield server


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


ANY = Spend(Priority.CARD, wait_seconds=0.0)


def make_http(sleeps: Sleeps, **options) -> DoubanHttp:
    budget = unlimited(cookie_configured=bool(options.get("cookie", "").strip()))
    defaults = {"budget": budget, "session": local_only_session(), "sleep": sleeps, "jitter": lambda: 1.0}
    return DoubanHttp(**(defaults | options))


# --- headers, cookie, connection reuse ---------------------------------------------------------------------


def test_desktop_request_looks_like_a_browser_and_sends_no_cookie_by_default(douban, sleeps):
    douban.set("/subject/1/", Reply.html(PAGE))

    result = make_http(sleeps).get(f"{douban.base_url}/subject/1/", source="desktop", spend=ANY)

    assert result.ok
    assert result.text == PAGE
    [request] = douban.requests
    assert "Chrome/" in request.header("User-Agent")
    assert "Mobile" not in request.header("User-Agent")
    assert request.header("Accept-Language") == ACCEPT_LANGUAGE == "zh-CN,zh;q=0.9"
    assert request.header("Cookie") is None


def test_cookie_goes_to_desktop_requests_only(douban, sleeps):
    douban.set("/subject/1/", Reply.html(PAGE))
    douban.set("/rexxar/api/v2/movie/1", Reply.json({"title": "x"}))
    http = make_http(sleeps, cookie=COOKIE)

    http.get(f"{douban.base_url}/subject/1/", source="desktop", spend=ANY)
    http.get(
        f"{douban.base_url}/rexxar/api/v2/movie/1",
        source="mobile",
        spend=ANY,
        mobile=True,
        referer="https://m.douban.com/movie/subject/1/",
    )

    desktop, mobile = douban.requests
    assert desktop.header("Cookie") == COOKIE
    assert mobile.header("Cookie") is None
    assert "iPhone" in mobile.header("User-Agent")
    assert mobile.header("Referer") == "https://m.douban.com/movie/subject/1/"


def test_cookies_set_by_douban_are_not_kept(douban, sleeps):
    douban.set("/subject/1/", Reply.html(PAGE, headers={"Set-Cookie": "dbcl2=refreshed-session; Path=/"}))
    douban.set("/rexxar/api/v2/movie/1", Reply.json({"title": "x"}))
    http = make_http(sleeps, cookie=COOKIE)

    http.get(f"{douban.base_url}/subject/1/", source="desktop", spend=ANY)
    http.get(f"{douban.base_url}/subject/1/", source="desktop", spend=ANY)
    http.get(f"{douban.base_url}/rexxar/api/v2/movie/1", source="mobile", spend=ANY, mobile=True)

    assert [request.header("Cookie") for request in douban.requests] == [COOKIE, COOKIE, None]


def test_blank_cookie_counts_as_none(douban, sleeps):
    douban.set("/subject/1/", Reply.html(PAGE))

    make_http(sleeps, cookie="  ").get(f"{douban.base_url}/subject/1/", source="desktop", spend=ANY)

    assert douban.requests[0].header("Cookie") is None


def test_cookie_is_never_logged_nor_shown(douban, sleeps, caplog):
    douban.set("/subject/1/", Reply.status_only(403))
    http = make_http(sleeps, cookie=COOKIE)

    with caplog.at_level(logging.DEBUG):
        result = http.get(f"{douban.base_url}/subject/1/", source="desktop", spend=ANY)

    assert result.status is FetchStatus.BLOCKED
    assert "operator-secret-cookie" not in caplog.text
    assert "operator-secret-cookie" not in repr(http)
    assert "operator-secret-cookie" not in repr(result)


def test_connections_are_reused(douban, sleeps):
    douban.set("/subject/1/", Reply.html(PAGE))
    http = make_http(sleeps)

    for _ in range(3):
        http.get(f"{douban.base_url}/subject/1/", source="desktop", spend=ANY)

    assert len({request.client_port for request in douban.requests}) == 1


def test_query_parameters_are_encoded(douban, sleeps):
    douban.set("/j/subject_suggest", Reply.json([]))

    make_http(sleeps).get(
        f"{douban.base_url}/j/subject_suggest", source="suggest", spend=ANY, params={"q": "无间道 & 2"}
    )

    assert douban.requests[0].param("q") == "无间道 & 2"


def test_a_body_without_charset_is_read_as_utf8(douban, sleeps):
    douban.set("/j/x", Reply(body='{"title": "肖申克的救赎"}'.encode(), content_type="application/json"))

    result = make_http(sleeps).get(f"{douban.base_url}/j/x", source="abstract", spend=ANY)

    assert result.json() == {"title": "肖申克的救赎"}


# --- blocked, not found, unavailable -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "reply",
    [
        Reply.sec_redirect("https://movie.douban.com/subject/1/"),
        Reply.redirect("https://accounts.douban.com/passport/login?redir=https://movie.douban.com/"),
        Reply.redirect("https://www.douban.com/misc/sorry?original-url=https://movie.douban.com/"),
        Reply.redirect("/captcha?next=/subject/1/"),
        Reply.status_only(403),
        Reply.status_only(418),
        Reply.challenge(),
        Reply.html(ABNORMAL_REQUEST_PAGE),
    ],
    ids=["302-sec", "302-login", "302-sorry", "302-captcha-same-host", "403", "418", "challenge", "abnormal"],
)
def test_blocked_answers_are_reported_as_blocked_and_never_followed(douban, sleeps, reply):
    douban.set("/subject/1/", reply)

    result = make_http(sleeps).get(f"{douban.base_url}/subject/1/", source="desktop", spend=ANY)

    assert result.status is FetchStatus.BLOCKED
    assert result.requests == 1
    assert len(douban.requests) == 1  # no retry, no redirect followed (local_only_session refuses other hosts)
    assert sleeps.calls == []


def test_not_found_is_not_blocked(douban, sleeps):
    result = make_http(sleeps).get(f"{douban.base_url}/subject/404/", source="desktop", spend=ANY)

    assert result.status is FetchStatus.NOT_FOUND
    assert result.status_code == 404
    assert result.requests == 1


def test_json_mentioning_login_is_not_a_block(douban, sleeps):
    douban.set("/j/x", Reply.json({"summary": "他登录了系统，检测到有异常请求"}))

    assert make_http(sleeps).get(f"{douban.base_url}/j/x", source="abstract", spend=ANY).ok


# --- redirects ---------------------------------------------------------------------------------------------


def test_redirect_to_another_host_is_refused(douban, sleeps):
    douban.set("/subject/1/", Reply.redirect("https://example.org/subject/1/"))

    result = make_http(sleeps).get(f"{douban.base_url}/subject/1/", source="desktop", spend=ANY)

    assert result.status is FetchStatus.UNAVAILABLE
    assert "another host" in result.reason
    assert result.requests == 1


@pytest.mark.parametrize("absolute", [False, True])
def test_same_host_redirect_is_followed_once(douban, sleeps, absolute):
    location = "/subject/1/?from=redirect"
    douban.set("/subject/1", Reply.redirect(f"{douban.base_url}{location}" if absolute else location, status=301))
    douban.set("/subject/1/", Reply.html(PAGE))

    result = make_http(sleeps).get(f"{douban.base_url}/subject/1", source="desktop", spend=ANY)

    assert result.ok
    assert result.url == f"{douban.base_url}{location}"
    assert result.requests == 2
    assert [request.path for request in douban.requests] == ["/subject/1", "/subject/1/"]
    assert douban.requests[1].param("from") == "redirect"


def test_same_host_redirect_keeps_the_configured_scheme(douban, sleeps):
    # An https Location on our own host is rebuilt on the base we were given (here plain http).
    host = douban.base_url.removeprefix("http://")
    douban.set("/subject/1", Reply.redirect(f"https://{host}/subject/1/"))
    douban.set("/subject/1/", Reply.html(PAGE))

    result = make_http(sleeps).get(f"{douban.base_url}/subject/1", source="desktop", spend=ANY)

    assert result.ok
    assert result.url == f"{douban.base_url}/subject/1/"


def test_a_second_redirect_is_not_followed(douban, sleeps):
    douban.set("/a", Reply.redirect("/b"))
    douban.set("/b", Reply.redirect("/c"))
    douban.set("/c", Reply.html(PAGE))

    result = make_http(sleeps).get(f"{douban.base_url}/a", source="desktop", spend=ANY)

    assert result.status is FetchStatus.UNAVAILABLE
    assert result.requests == 2
    assert [request.path for request in douban.requests] == ["/a", "/b"]


# --- retries, timeouts, Retry-After ------------------------------------------------------------------------


def test_server_errors_are_retried_with_growing_backoff(douban, sleeps):
    douban.set("/subject/1/", [Reply.status_only(502), Reply.status_only(503), Reply.html(PAGE)])

    result = make_http(sleeps, backoff_seconds=0.5).get(f"{douban.base_url}/subject/1/", source="desktop", spend=ANY)

    assert result.ok
    assert result.requests == 3
    assert sleeps.calls == [0.5, 1.0]  # jitter pinned to its maximum


def test_backoff_is_jittered(douban, sleeps):
    douban.set("/subject/1/", [Reply.status_only(500), Reply.html(PAGE)])

    make_http(sleeps, backoff_seconds=0.5, jitter=lambda: 0.0).get(
        f"{douban.base_url}/subject/1/", source="desktop", spend=ANY
    )

    assert sleeps.calls == [0.25]


def test_persistent_server_errors_end_as_unavailable(douban, sleeps):
    douban.set("/subject/1/", Reply.status_only(500))

    result = make_http(sleeps, max_retries=2).get(f"{douban.base_url}/subject/1/", source="desktop", spend=ANY)

    assert result.status is FetchStatus.UNAVAILABLE
    assert result.status_code == 500
    assert result.requests == 3
    assert len(douban.requests) == 3
    assert len(sleeps.calls) == 2


def test_a_timeout_is_retried_once_then_unavailable(douban, sleeps):
    douban.set("/subject/1/", Reply.slow(0.3))

    result = make_http(sleeps, timeout_seconds=0.05, max_retries=3, max_timeout_retries=1).get(
        f"{douban.base_url}/subject/1/", source="desktop", spend=ANY
    )

    assert result.status is FetchStatus.UNAVAILABLE
    assert "timed out" in result.reason
    assert result.requests == 2  # a timeout costs a whole timeout: fewer retries than for a quick error
    assert len(douban.requests) == 2


def test_a_slow_answer_within_the_timeout_is_fine(douban, sleeps):
    douban.set("/subject/1/", Reply.slow(0.02, Reply.html(PAGE)))

    assert make_http(sleeps, timeout_seconds=1).get(f"{douban.base_url}/subject/1/", source="desktop", spend=ANY).ok


def test_connection_errors_are_retried_then_unavailable(sleeps):
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    result = make_http(sleeps, max_retries=2).get(f"http://127.0.0.1:{port}/subject/1/", source="desktop", spend=ANY)

    assert result.status is FetchStatus.UNAVAILABLE
    assert "connection failed" in result.reason
    assert result.requests == 3
    assert len(sleeps.calls) == 2


def test_retry_after_is_waited_out_when_short(douban, sleeps):
    douban.set("/subject/1/", [Reply.status_only(503, {"Retry-After": "3"}), Reply.html(PAGE)])

    result = make_http(sleeps, max_retry_wait_seconds=5).get(
        f"{douban.base_url}/subject/1/", source="desktop", spend=ANY
    )

    assert result.ok
    assert sleeps.calls == [3.0]


def test_too_long_a_retry_after_is_reported_not_waited(douban, sleeps):
    douban.set("/subject/1/", [Reply.status_only(429, {"Retry-After": "120"}), Reply.html(PAGE)])

    result = make_http(sleeps, max_retry_wait_seconds=5).get(
        f"{douban.base_url}/subject/1/", source="desktop", spend=ANY
    )

    assert result.status is FetchStatus.UNAVAILABLE
    assert result.retry_after == 120
    assert result.requests == 1
    assert sleeps.calls == []


def test_retry_after_as_an_http_date(douban, sleeps):
    douban.set("/subject/1/", Reply.status_only(403, {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}))
    now = 1445412480.0 - 90  # 90 s before that date

    result = make_http(sleeps, wall_clock=lambda: now).get(f"{douban.base_url}/subject/1/", source="desktop", spend=ANY)

    assert result.status is FetchStatus.BLOCKED
    assert result.retry_after == pytest.approx(90)


def test_blocked_redirect_carries_retry_after(douban, sleeps):
    douban.set("/subject/1/", Reply(status=302, headers={"Location": "https://sec.douban.com/c", "Retry-After": "60"}))

    result = make_http(sleeps).get(f"{douban.base_url}/subject/1/", source="desktop", spend=ANY)

    assert result.status is FetchStatus.BLOCKED
    assert result.retry_after == 60


@pytest.mark.parametrize(
    ("header", "expected"),
    [(None, None), ("", None), ("  7 ", 7.0), ("soon", None), ("Wed, 21 Oct 2015 07:28:10 GMT", 10.0)],
)
def test_parse_retry_after(header, expected):
    assert parse_retry_after(header, now=1445412480.0) == expected


def test_a_retry_after_date_in_the_past_means_now():
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412480.0 + 60) == 0.0


@pytest.mark.parametrize(
    ("location", "blocked"),
    [
        ("https://sec.douban.com/c?r=https%3A%2F%2Fmovie.douban.com%2F", True),
        ("https://accounts.douban.com/passport/login", True),
        ("https://www.douban.com/misc/sorry?original-url=x", True),
        ("https://movie.douban.com/subject/1/", False),
        ("https://movie.douban.com/subject/1/?from=login-page", False),  # the query is not the page
    ],
)
def test_is_block_redirect(location, blocked):
    assert is_block_redirect(location) is blocked


# --- the budget: every request takes a token -----------------------------------------------------------------


def tight_budget(clock: SimClock, per_minute: int = 10, cookie_configured: bool = False) -> DoubanBudget:
    policy = BudgetPolicy(per_minute=per_minute, signed_in_per_minute=2 * per_minute, burst=1)
    return DoubanBudget(
        InMemoryBudgetStore(),
        policy,
        cookie_configured=cookie_configured,
        clock=clock,
        sleep=clock.sleep,
        jitter=lambda: 0.0,
    )


def test_every_request_takes_a_token_retries_and_redirects_too(douban, sleeps):
    douban.set("/subject/1", Reply.redirect("/subject/1/"))
    douban.set("/subject/1/", [Reply.status_only(500), Reply.html(PAGE)])
    clock = SimClock()
    budget = tight_budget(clock, per_minute=60)  # one a second

    result = make_http(sleeps, budget=budget).get(
        f"{douban.base_url}/subject/1", source="desktop", spend=Spend(Priority.CARD, 10)
    )

    assert result.ok
    assert result.requests == 3
    assert clock.sleeps == [1.0, 1.0]  # three tokens, one a second: the redirect's and the retry's waited theirs


def test_no_token_in_time_sends_nothing(douban, sleeps):
    douban.set("/subject/1/", Reply.html(PAGE))
    clock = SimClock()
    budget = tight_budget(clock)
    http = make_http(sleeps, budget=budget)
    http.get(f"{douban.base_url}/subject/1/", source="desktop", spend=Spend(Priority.CARD, 0))

    with pytest.raises(OutOfBudget) as refused:
        http.get(f"{douban.base_url}/subject/1/", source="desktop", spend=Spend(Priority.CARD, 2))

    assert refused.value.retry_after == pytest.approx(6)
    assert len(douban.requests) == 1


def test_a_retry_without_a_token_ends_the_fetch_with_what_douban_said(douban, sleeps):
    douban.set("/subject/1/", Reply.status_only(503))
    clock = SimClock()

    result = make_http(sleeps, budget=tight_budget(clock), max_retries=2).get(
        f"{douban.base_url}/subject/1/", source="desktop", spend=Spend(Priority.CARD, 0)
    )

    assert (result.status, result.status_code, result.requests) == (FetchStatus.UNAVAILABLE, 503, 1)


def test_a_reserved_token_pays_for_the_first_request(douban, sleeps):
    douban.set("/subject/1/", Reply.html(PAGE))
    clock = SimClock()
    http = make_http(sleeps, budget=tight_budget(clock))
    spend = Spend(Priority.CARD, 0)

    grant = http.reserve(spend)
    assert http.get(f"{douban.base_url}/subject/1/", source="desktop", spend=spend, grant=grant).ok
    with pytest.raises(OutOfBudget):  # the reservation was the minute's pace: nothing more now
        http.get(f"{douban.base_url}/subject/1/", source="desktop", spend=spend)


def test_the_cookie_goes_out_only_while_the_budget_says_it_works(douban, sleeps):
    douban.set("/subject/1/", Reply.html(PAGE))
    clock = SimClock()
    budget = tight_budget(clock, per_minute=600, cookie_configured=True)
    http = make_http(sleeps, budget=budget, cookie=COOKIE)
    spend = Spend(Priority.CARD, 10)

    http.get(f"{douban.base_url}/subject/1/", source="desktop", spend=spend)
    budget.cookie_failed(3600)
    http.get(f"{douban.base_url}/subject/1/", source="desktop", spend=spend)

    assert [request.header("Cookie") for request in douban.requests] == [COOKIE, None]
    assert (http.has_cookie, http.signed_in()) == (True, False)


# --- refusals, told apart ------------------------------------------------------------------------------------------

RATE_LIMIT_1309 = {
    "msg": "subject_ip_rate_limit",
    "code": 1309,
    "request": "GET /v2/movie/36093351",
    "localized_message": "您所在的网络存在异常，请登录后重试。",
}
RATE_LIMIT_1080 = {
    "msg": "search_access_rate_limit",
    "code": 1080,
    "request": "GET /v2/search/weixin",
    "localized_message": "搜索访问太频繁",
}
RATE_LIMIT_112 = {"msg": "rate_limit_exceeded2: 116.231.35.88", "code": 112, "request": "GET /v2/movie/search"}
SIGNATURE_997 = {
    "request": "GET /v2/movie/1",
    "msg": "invalid_request_997",
    "code": 997,
    "localized_message": "签名缺失",
}
NEED_LOGIN_103 = {"msg": "need_login", "code": 103, "request": "GET /v2/user/ahbei/interests"}


@pytest.mark.parametrize(
    "reply",
    [
        Reply.json(RATE_LIMIT_1309, status=400),  # MoviePilot #1206, InfinityPacer/MoviePilot-Plugins #23
        Reply.json(RATE_LIMIT_1309, status=403),
        Reply.json(RATE_LIMIT_1309, status=200),  # an error object with a 200
        Reply.json({"msg": "subject_ip_rate_limit"}, status=400),  # the bare body a rexxar probe recorded
        Reply.json(RATE_LIMIT_1080, status=400),
        Reply.json(RATE_LIMIT_112, status=400),  # the old v2 API's
        Reply.status_only(429, {"Retry-After": "30"}),
    ],
    ids=["1309-400", "1309-403", "1309-200", "bare-msg", "1080", "112", "429"],
)
def test_rate_limit_answers_pause_every_taker_and_are_not_retried(douban, sleeps, reply):
    douban.set("/rexxar/api/v2/movie/1", reply)
    clock = SimClock()
    budget = tight_budget(clock, per_minute=600)
    http = make_http(sleeps, budget=budget)

    result = http.get(f"{douban.base_url}/rexxar/api/v2/movie/1", source="mobile", spend=ANY, mobile=True)

    assert (result.status, result.refusal) == (FetchStatus.UNAVAILABLE, Refusal.RATE_LIMITED)
    assert result.requests == 1
    with pytest.raises(OutOfBudget) as paused:
        budget.take(Priority.CARD, wait_seconds=5)
    assert paused.value.retry_after == pytest.approx(30 if "Retry-After" in reply.headers else 60)


@pytest.mark.parametrize("body", [SIGNATURE_997, NEED_LOGIN_103, {"title": "肖申克的救赎", "code": "x"}, []])
def test_other_errors_and_answers_are_not_rate_limits(body):
    import json

    assert rate_limit_error(json.dumps(body, ensure_ascii=False)) is None


@pytest.mark.parametrize(
    ("body", "status"),
    [(SIGNATURE_997, 400), (NEED_LOGIN_103, 403), (NEED_LOGIN_103, 401), ({"msg": "invalid_request_1287"}, 403)],
    ids=["997-400", "need-login-403", "need-login-401", "msg-only-403"],
)
def test_an_api_error_is_its_answer_to_that_request_not_a_block(douban, sleeps, body, status):
    # Whatever its 4xx: rexxar answers `need_login` with a 403 to about half of a 2026 client's requests, cookie or
    # not; the body says it is the API refusing that request, which the caller reads (a list kept private, a subject
    # shown to signed-in people), not Douban blocking the address.
    douban.set("/api/v2/user/1/interests", Reply.json(body, status=status))

    result = make_http(sleeps).get(f"{douban.base_url}/api/v2/user/1/interests", source="interests_frodo", spend=ANY)

    assert (result.status, result.status_code, result.refusal) == (FetchStatus.UNAVAILABLE, status, None)
    assert result.json() == body
    assert body["msg"] in result.reason
    assert result.requests == 1


@pytest.mark.parametrize(
    ("reply", "refusal"),
    [
        (Reply.ban_redirect("https://movie.douban.com/subject/1/"), Refusal.BANNED),
        (Reply.redirect("https://www.douban.com/misc/sorry?original-url=x"), Refusal.BANNED),
        (Reply.html(ABNORMAL_REQUEST_PAGE, status=403), Refusal.BANNED),
        (Reply.html(ABNORMAL_REQUEST_PAGE), Refusal.BANNED),
    ],
    ids=["302-sec-b", "302-misc-sorry", "abnormal-403", "abnormal-200"],
)
def test_a_ban_stops_every_source_of_every_function(douban, sleeps, reply, refusal):
    douban.set("/subject/1/", reply)
    clock = SimClock()
    budget = tight_budget(clock, per_minute=600)

    result = make_http(sleeps, budget=budget, ban_seconds=6 * 3600).get(
        f"{douban.base_url}/subject/1/", source="desktop", spend=ANY
    )

    assert (result.status, result.refusal) == (FetchStatus.BLOCKED, refusal)
    assert result.retry_after == pytest.approx(6 * 3600)  # how long, for the caller too: no retry within it
    with pytest.raises(DoubanBanned) as banned:
        budget.take(Priority.CARD, wait_seconds=60)
    assert banned.value.retry_after == pytest.approx(6 * 3600)


@pytest.mark.parametrize(
    ("location", "refusal"),
    [
        ("https://sec.douban.com/c?r=https%3A%2F%2Fmovie.douban.com%2Fsubject%2F1%2F", Refusal.CHALLENGED),
        ("https://sec.douban.com/b?r=https%3A%2F%2Fmovie.douban.com%2F", Refusal.BANNED),
        ("https://sec.douban.com/b/", Refusal.BANNED),
        ("https://accounts.douban.com/passport/login?redir=https://movie.douban.com/", Refusal.LOGIN_WALL),
        # The "检测到有异常请求从你的 IP 发出" page (with its captcha), where Douban sends an address it flagged.
        ("https://www.douban.com/misc/sorry?original-url=x", Refusal.BANNED),
        ("/misc/sorry?original-url=https%3A%2F%2Fmovie.douban.com%2F", Refusal.BANNED),
        ("https://movie.douban.com/captcha?next=/", Refusal.BLOCKED),
    ],
)
def test_redirect_refusals(location, refusal):
    assert redirect_refusal(location) is refusal


def test_a_challenge_is_told_apart_and_does_not_touch_the_budget(douban, sleeps):
    douban.set("/subject/1/", Reply.sec_redirect("https://movie.douban.com/subject/1/"))
    clock = SimClock()
    budget = tight_budget(clock, per_minute=600)

    result = make_http(sleeps, budget=budget).get(f"{douban.base_url}/subject/1/", source="desktop", spend=ANY)

    assert (result.status, result.refusal) == (FetchStatus.BLOCKED, Refusal.CHALLENGED)
    # only the pace of 600 a minute: the caller leaves the source alone, the budget is not paused
    assert budget.take(Priority.CARD, wait_seconds=1).waited == pytest.approx(0.1)


def test_every_request_is_counted_per_source(douban, sleeps):
    douban.set("/subject/1/", [Reply.status_only(503), Reply.html(PAGE)])
    douban.set("/j/subject_suggest", Reply.json([]))
    seen: list[str] = []
    http = make_http(sleeps, on_request=seen.append)

    first = http.get(f"{douban.base_url}/subject/1/", source="desktop", spend=ANY)
    second = http.get(f"{douban.base_url}/j/subject_suggest", source="suggest", spend=ANY)

    assert (first.requests, second.requests) == (2, 1)
    assert seen == ["desktop", "desktop", "suggest"]
    assert http.request_counts == {"desktop": 2, "suggest": 1}
