"""Each upstream fault, injected, and the final state a person sees when polling."""

import pytest

from tests.fakes.catalog import Film, serve
from tests.fakes.douban_server import Reply as DoubanReply
from tests.fakes.llm_server import Reply, movie

ALIVE = Film("1292064", "活着", "活着", 1994, directors=["张艺谋"], cast=["葛优", "巩俐"])
GOOD_ANSWER = Reply.movies([movie(ALIVE.title, ALIVE.year)])


@pytest.fixture(autouse=True)
def fresh(stack):
    stack.llm.script()
    serve(stack.douban, [ALIVE])


def ask(stack, count=1):
    return stack.api.recommend({"mode": "tags", "tags": ["剧情"], "count": count})


@pytest.mark.parametrize(
    ("replies", "code"),
    [
        ([Reply.error(429)] * 3, "llm_rate_limited"),
        ([Reply.error(500)] * 3, "llm_unavailable"),
        ([Reply(stall_seconds=2, content="{}")] * 3, "llm_timeout"),
        ([Reply(content="我觉得《活着》不错。"), Reply(content="还是《活着》。")], "llm_bad_answer"),
        ([Reply.movies([])], "llm_empty"),
        ([Reply.error(401)], "llm_auth"),
    ],
    ids=["429", "500", "hung", "not-json", "empty-list", "bad-key"],
)
def test_a_failing_model_ends_the_request_failed_with_a_readable_reason(stack, replies, code):
    stack.llm.script(*replies, GOOD_ANSWER)
    result = ask(stack)
    assert (result["status"], result["error"]["code"]) == ("failed", code)
    assert result["error"]["message"]  # a sentence for the person, in Chinese
    assert result["movies"] == []


@pytest.mark.parametrize(
    "replies",
    [
        [Reply.error(429, headers={"Retry-After": "0"}), GOOD_ANSWER],
        [Reply.error(503), GOOD_ANSWER],
        [Reply(stall_seconds=2, content="{}"), GOOD_ANSWER],
        [Reply(content="好的：", cut_after_chars=4), GOOD_ANSWER],  # cut before any movie: corrected and asked again
    ],
    ids=["429-then-ok", "503-then-ok", "hung-then-ok", "truncated-then-ok"],
)
def test_a_passing_model_fault_is_retried_and_the_request_ends_done(stack, replies):
    stack.llm.script(*replies)
    result = ask(stack)
    assert result["status"] == "done"
    assert [m["douban"]["title"] for m in result["movies"]] == ["活着"]


def test_a_stream_cut_after_a_movie_keeps_that_movie(stack):
    content = Reply.movies([movie("活着", 1994), movie("红高粱", 1988)]).content
    stack.llm.script(Reply(content=content, cut_after_chars=content.index("红高粱") - 5))
    result = ask(stack)
    assert result["status"] == "done"
    assert [m["title"] for m in result["movies"]] == ["活着"]


def test_a_subject_that_is_gone_ends_not_found(stack):
    film = Film("1300001", "消失的条目", "消失的条目", 2001)
    serve(stack.douban, [film])
    gone = DoubanReply.json({"msg": "not_found", "code": 404, "request": f"GET /v2/movie/{film.id}"}, status=404)
    stack.douban.set(f"/rexxar/api/v2/movie/{film.id}", gone)
    stack.llm.script(Reply.movies([movie(film.title, film.year)]))
    card = ask(stack)["movies"][0]
    assert (card["status"], card["douban"]) == ("not_found", None)
    assert "已不存在" in card["note"]


UNREADABLE_ANSWERS = {
    "403": DoubanReply.status_only(403),
    "418": DoubanReply.status_only(418),
    "anti-bot-redirect": DoubanReply.sec_redirect("https://m.douban.com/rexxar/api/v2/movie/1"),
    "challenge-page": DoubanReply.challenge(),
    "login-redirect": DoubanReply.redirect("https://accounts.douban.com/passport/login"),
    "empty-answer": DoubanReply.json({}),
    "changed-answer": DoubanReply.json({"subject": {"name": "改版了"}}),
    "an-error-of-its-own": DoubanReply.json({"msg": "invalid_request_1287", "code": 1287}, status=400),
}


@pytest.mark.parametrize("fault", list(UNREADABLE_ANSWERS))
def test_an_unreadable_mobile_answer_falls_back_to_the_abstract(stack, fault):
    # a film of its own per case: a cached card would hide the fallback
    film = Film(str(1310000 + list(UNREADABLE_ANSWERS).index(fault)), f"替身{fault}", f"替身{fault}", 2002)
    serve(stack.douban, [film])
    stack.douban.set(f"/rexxar/api/v2/movie/{film.id}", UNREADABLE_ANSWERS[fault])
    stack.llm.script(Reply.movies([movie(film.title, film.year)]))
    card = ask(stack)["movies"][0]
    assert (card["status"], card["source"], card["partial"]) == ("found", "abstract", False)
    assert card["douban"]["directors"] == ["导演甲"]
    assert stack.douban.requests_to(f"/subject/{film.id}/") == []  # anonymous: never the challenged desktop page


def test_a_search_that_keeps_timing_out_ends_the_movie_failed_and_the_request_done(stack):
    stack.douban.set("/j/subject_suggest?q=慢", DoubanReply.slow(2, DoubanReply.json([])))
    stack.llm.script(Reply.movies([movie("慢", 2000)]))
    result = ask(stack)
    card = result["movies"][0]
    assert (result["status"], card["status"]) == ("done", "failed")
    assert "豆瓣暂时无法访问" in card["note"]
