"""The LLM client against a fake OpenAI-compatible server on 127.0.0.1 (real HTTP, real SDK)."""

import openai
import pytest

from movierec.llm import LLMClient, LLMError
from movierec.prompts import CORRECTIVE_PROMPT
from tests.fakes.llm_server import FakeLLM, Reply, movie

MESSAGES = [{"role": "system", "content": "s"}, {"role": "user", "content": "u"}]
TWO = [movie("盗梦空间", 2010, "Inception"), movie("活着", 1994)]


class Clock:
    """A fake clock that `sleep` advances, so backoff is measured without waiting."""

    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def llm():
    with FakeLLM() as fake:
        yield fake


def client(llm, json_mode="object", clock=None, **options):
    clock = clock or Clock()
    sdk = openai.OpenAI(api_key="sk-test", base_url=llm.base_url, max_retries=0)
    return LLMClient(sdk, "fake", json_mode, sleep=clock.sleep, clock=clock, jitter=lambda: 0.5, **options)


def run(llm_client):
    seen = []
    result = llm_client.recommend(MESSAGES, seen.append)
    return result, [m.title for m in seen]


def test_movies_are_handed_over_in_order_with_usage(llm):
    llm.script(Reply.movies(TWO, chunk_size=3))
    result, seen = run(client(llm))
    assert seen == ["盗梦空间", "活着"]
    assert [m.year for m in result.movies] == [2010, 1994]
    assert result.usage["prompt_tokens"] == 100
    assert result.usage["completion_tokens"] > 0
    assert llm.requests[0]["stream"] is True


@pytest.mark.parametrize(
    ("mode", "expected"),
    [("object", {"type": "json_object"}), ("none", None), ("schema", "json_schema")],
)
def test_json_mode_sets_the_response_format(llm, mode, expected):
    llm.script(Reply.movies(TWO))
    run(client(llm, json_mode=mode))
    response_format = llm.requests[0].get("response_format")
    if expected == "json_schema":
        assert response_format["type"] == "json_schema"
        assert response_format["json_schema"]["strict"] is True
    else:
        assert response_format == expected


def test_429_with_retry_after_then_success(llm):
    clock = Clock()
    llm.script(Reply.error(429, headers={"Retry-After": "2"}), Reply.movies(TWO))
    _, seen = run(client(llm, clock=clock))
    assert seen == ["盗梦空间", "活着"]
    assert clock.sleeps == [2.0]


def test_5xx_backs_off_exponentially_then_gives_up_readably(llm):
    clock = Clock()
    llm.script(*[Reply.error(503)] * 4)
    with pytest.raises(LLMError) as caught:
        run(client(llm, clock=clock, max_attempts=4, backoff_seconds=1.0))
    assert caught.value.code == "llm_unavailable"
    assert "503" in caught.value.message
    assert clock.sleeps == [1.0, 2.0, 4.0]
    assert len(llm.requests) == 4


def test_retries_stop_at_the_total_deadline(llm):
    clock = Clock()
    llm.script(*[Reply.error(500)] * 10)
    with pytest.raises(LLMError):
        run(client(llm, clock=clock, max_attempts=10, backoff_seconds=1.0, deadline_seconds=5.0))
    assert sum(clock.sleeps) < 5.0
    assert len(llm.requests) == 3  # waits of 1 and 2 fit; the next wait of 4 would pass the deadline


def test_an_auth_error_is_not_retried(llm):
    llm.script(Reply.error(401), Reply.movies(TWO))
    with pytest.raises(LLMError) as caught:
        run(client(llm))
    assert caught.value.code == "llm_auth"
    assert len(llm.requests) == 1


def test_a_hung_connection_times_out_and_is_retried(llm):
    llm.script(Reply(stall_seconds=2.0, content="{}"), Reply.movies(TWO))
    _, seen = run(client(llm, read_timeout_seconds=0.3))
    assert seen == ["盗梦空间", "活着"]
    assert len(llm.requests) == 2


def test_a_hung_connection_ends_readably_when_nothing_answers(llm):
    llm.script(*[Reply(stall_seconds=2.0)] * 2)
    with pytest.raises(LLMError) as caught:
        run(client(llm, read_timeout_seconds=0.2, max_attempts=2))
    assert caught.value.code == "llm_timeout"


def test_a_stream_cut_after_some_movies_keeps_them(llm):
    content = Reply.movies(TWO).content
    llm.script(Reply(content=content, cut_after_chars=content.index("活着") - 5))
    _, seen = run(client(llm))
    assert seen == ["盗梦空间"]
    assert len(llm.requests) == 1


def test_a_non_json_answer_gets_one_corrective_retry(llm):
    llm.script(Reply(content="抱歉，我推荐盗梦空间。"), Reply.movies(TWO))
    _, seen = run(client(llm))
    assert seen == ["盗梦空间", "活着"]
    retry = llm.requests[1]["messages"]
    assert retry[-2] == {"role": "assistant", "content": "抱歉，我推荐盗梦空间。"}
    assert retry[-1] == {"role": "user", "content": CORRECTIVE_PROMPT}


def test_still_no_json_after_the_correction_is_a_bad_answer(llm):
    llm.script(Reply(content="不知道"), Reply(content="还是不知道"))
    with pytest.raises(LLMError) as caught:
        run(client(llm))
    assert caught.value.code == "llm_bad_answer"


def test_an_empty_list_is_reported(llm):
    llm.script(Reply.movies([]))
    with pytest.raises(LLMError) as caught:
        run(client(llm))
    assert caught.value.code == "llm_empty"


def test_white_space_around_the_movies_key_is_tolerated(llm):
    llm.script(Reply(content='{"movies": [{"title": "活着", "year": 1994}]}'.replace('"movies": [', '"movies" : \n[')))
    _, seen = run(client(llm))
    assert seen == ["活着"]


def test_a_stream_still_trickling_at_the_deadline_is_cut_there(llm):
    clock = Clock()
    llm.script(Reply.movies(TWO, chunk_size=4))
    chunks_allowed = 35  # clock readings before time runs out: one per chunk, and a few to start

    def ticking():
        nonlocal chunks_allowed
        chunks_allowed -= 1
        return 0.0 if chunks_allowed > 0 else 100.0

    sdk = openai.OpenAI(api_key="sk-test", base_url=llm.base_url, max_retries=0)
    llm_client = LLMClient(sdk, "fake", sleep=clock.sleep, clock=ticking, deadline_seconds=60)
    result, seen = run(llm_client)
    assert seen == ["盗梦空间"]  # the first object closes within those chunks, the second does not
    assert [m.title for m in result.movies] == ["盗梦空间"]
