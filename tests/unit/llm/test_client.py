"""The LLM client against a fake OpenAI-compatible server on 127.0.0.1 (real HTTP, real SDK), behaving as each
provider does (tests/fakes/providers.py)."""

import json

import openai
import pytest

from movierec.llm.chat_request import RefusedFeatures, RequestOptions
from movierec.llm.client import LLMClient, LLMError
from movierec.llm.prompts import CORRECTIVE_PROMPT, SYSTEM_PROMPT
from tests.fakes import providers
from tests.fakes.clock import SimClock
from tests.fakes.llm_server import FakeLLM, Reply, movie

MESSAGES = [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": "u"}]
TWO = [movie("盗梦空间", 2010, "Inception"), movie("活着", 1994)]
JSON_MODES = ["schema", "object", "none"]


@pytest.fixture
def llm():
    with FakeLLM() as fake:
        yield fake


def client(llm, profile=None, options=None, clock=None, refused=None, **settings):
    clock = clock or SimClock(now=0.0)
    base_url = llm.base_url_for(profile) if profile else llm.base_url
    sdk = openai.OpenAI(api_key="sk-test", base_url=base_url, max_retries=0)
    return LLMClient(
        sdk,
        "fake",
        options or RequestOptions(),
        refused=refused or RefusedFeatures(),
        sleep=clock.sleep,
        clock=clock,
        jitter=lambda: 0.5,
        **settings,
    )


def run(llm_client, messages=MESSAGES):
    seen = []
    result = llm_client.recommend(messages, seen.append)
    return result, seen


def complete_titles(seen):
    return [streamed.movie.title for streamed in seen if streamed.complete]


def sent(llm, since=0):
    """The requests the provider accepted (a refused one is recorded with "_refused")."""
    return [request for request in llm.requests[since:] if "_refused" not in request]


def test_each_movie_is_handed_over_named_then_complete_in_order_with_usage(llm):
    llm.script(Reply.movies(TWO, chunk_size=3))
    result, seen = run(client(llm))
    assert [(s.position, s.movie.title, s.complete) for s in seen] == [
        (0, "盗梦空间", False),
        (0, "盗梦空间", True),
        (1, "活着", False),
        (1, "活着", True),
    ]
    assert seen[0].movie.reason == ""
    assert [m.year for m in result.movies] == [2010, 1994]
    assert [m.reason for m in result.movies] == ["值得一看", "值得一看"]
    assert result.usage["prompt_tokens"] == 100
    assert result.usage["completion_tokens"] > 0
    assert result.truncated is False
    assert llm.requests[0]["stream"] is True
    assert llm.requests[0]["stream_options"] == {"include_usage": True}


@pytest.mark.parametrize(("mode", "expected"), [("object", "json_object"), ("none", None), ("schema", "json_schema")])
def test_json_mode_sets_the_response_format(llm, mode, expected):
    llm.script(Reply.movies(TWO))
    run(client(llm, options=RequestOptions(json_mode=mode)))
    response_format = llm.requests[0].get("response_format")
    assert (response_format or {}).get("type") == expected
    if expected == "json_schema":
        assert response_format["json_schema"]["strict"] is True


# --- the four inputs of the issue ------------------------------------------------------------------------------


def test_issue_input_1_only_the_answer_after_the_thinking_is_read(llm):
    thinking = (
        '<think>格式是 {"movies": [{"title": "中文片名", "original_title": "原名", "year": 1994, "reason": "x"}]}'
    )
    answer = '{"movies": [{"title": "盗梦空间", "original_title": "Inception", "year": 2010, "reason": "r"}]}'
    llm.script(Reply(content=f"{thinking}</think>{answer}", chunk_size=5))
    result, seen = run(client(llm))
    assert {s.movie.title for s in seen} == {"盗梦空间"}
    assert [(m.title, m.original_title, m.year, m.reason) for m in result.movies] == [
        ("盗梦空间", "Inception", 2010, "r")
    ]


@pytest.mark.parametrize("mode", JSON_MODES)
def test_issue_input_2_a_refused_stream_options_is_dropped_and_remembered(llm, mode):
    refused = RefusedFeatures()
    llm.script(Reply.movies(TWO), Reply.movies(TWO))
    options = RequestOptions(json_mode=mode)
    result, _ = run(client(llm, "refusing", options, refused=refused))
    assert [m.title for m in result.movies] == ["盗梦空间", "活着"]
    assert llm.requests[0]["_refused"] == 400
    assert "stream_options" in llm.requests[0]
    assert "stream_options" not in sent(llm)[0]
    assert "response_format" not in sent(llm)[0]  # refused with a 422, then dropped too
    calls = len(llm.requests)
    run(client(llm, "refusing", options, refused=refused))  # the next job: no refusal asked for again
    assert len(llm.requests) == calls + 1
    assert "stream_options" not in llm.requests[-1]


def test_issue_input_3_a_usage_chunk_with_null_choices_is_read_for_its_usage(llm):
    llm.script(Reply.movies(TWO, chunk_size=4))
    result, _ = run(client(llm, "relay"))  # data: null frames, choices: null, delta: null
    assert [m.title for m in result.movies] == ["盗梦空间", "活着"]
    assert result.usage == {"prompt_tokens": 100, "completion_tokens": len(Reply.movies(TWO).content) // 2}


def test_issue_input_4_a_year_written_as_text(llm):
    for year in ("1994年", "约1994"):
        content = f'{{"movies":[{{"title":"活着","original_title":"活着","year":"{year}","reason":"x"}}]}}'
        llm.script(Reply(content=content))
        result, _ = run(client(llm))
        assert [(m.title, m.year) for m in result.movies] == [("活着", 1994)]


# --- every provider profile ------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", JSON_MODES)
@pytest.mark.parametrize("profile", sorted(providers.PROFILES))
def test_every_provider_gives_the_movies_with_no_setting_beyond_its_json_mode(llm, profile, mode):
    answer = [movie("盗梦空间", 2010, "Inception", "层层梦境"), movie("活着", 1994, reason="余华原著")]
    llm.script(Reply.movies(answer, chunk_size=6))
    result, seen = run(client(llm, profile, RequestOptions(json_mode=mode, max_output_tokens=2000)))
    assert [(m.title, m.original_title, m.year) for m in result.movies] == [
        ("盗梦空间", "Inception", 2010),
        ("活着", "活着", 1994),
    ]
    assert all("余华原著" in m.reason or "层层梦境" in m.reason for m in result.movies)
    assert complete_titles(seen) == ["盗梦空间", "活着"]
    assert "中文片名" not in {s.movie.title for s in seen}


def test_reasoning_content_never_reaches_the_answer(llm):
    llm.script(Reply.movies(TWO))
    result, _ = run(client(llm, "deepseek-reasoner"))
    assert [m.title for m in result.movies] == ["盗梦空间", "活着"]
    assert result.usage["completion_tokens"] > len(Reply.movies(TWO).content) // 2  # the thinking is paid for


def test_json_object_without_the_word_json_in_the_messages_is_dropped(llm):
    llm.script(Reply.movies(TWO))
    messages = [{"role": "user", "content": "推荐两部电影"}]
    result, _ = run(client(llm, "qwen"), messages)
    assert [m.title for m in result.movies] == ["盗梦空间", "活着"]
    assert llm.requests[0]["_refused"] == 400
    assert "response_format" not in sent(llm)[0]


def test_a_schema_refused_falls_back_to_json_object(llm):
    llm.script(Reply.movies(TWO))
    run(client(llm, "deepseek-chat", RequestOptions(json_mode="schema")))
    assert llm.requests[0]["response_format"]["type"] == "json_schema"
    assert sent(llm)[0]["response_format"] == {"type": "json_object"}


def test_a_provider_refusing_to_stream_gets_one_whole_call_and_its_other_refusals_are_dropped(llm):
    refused = RefusedFeatures()
    llm.script(Reply.movies(TWO), Reply.movies(TWO))
    options = RequestOptions(max_output_tokens=2000)
    result, seen = run(client(llm, "openai-reasoning", options, refused=refused))
    assert [m.title for m in result.movies] == ["盗梦空间", "活着"]
    assert [s.complete for s in seen] == [True, True]
    accepted = sent(llm)[0]
    assert "stream" not in accepted
    assert "temperature" not in accepted
    assert accepted["max_completion_tokens"] == 2000
    assert "max_tokens" not in accepted
    assert refused.of(llm.base_url_for("openai-reasoning"), "fake") == {"stream", "temperature", "max_tokens"}


def test_streaming_can_be_turned_off(llm):
    llm.script(Reply.movies(TWO))
    result, _ = run(client(llm, options=RequestOptions(stream=False)))
    assert [m.title for m in result.movies] == ["盗梦空间", "活着"]
    assert "stream" not in llm.requests[0]
    assert result.usage == {"prompt_tokens": 100, "completion_tokens": 50}


def test_an_unexplained_400_on_the_first_try_is_asked_again_plainly_and_remembered(llm, monkeypatch):
    class Picky(providers.Provider):
        def refusal(self, body):
            if "temperature" in body:
                return 400, {"error": {"message": "Bad Request", "type": "invalid_request_error"}}
            return None

    monkeypatch.setitem(providers.PROFILES, "picky", Picky())
    refused = RefusedFeatures()
    llm.script(Reply.movies(TWO), Reply.movies(TWO))
    result, _ = run(client(llm, "picky", refused=refused))
    assert [m.title for m in result.movies] == ["盗梦空间", "活着"]
    plain = sent(llm)[0]
    assert plain["stream"] is True
    assert not {"stream_options", "response_format", "temperature"} & set(plain)
    assert refused.of(llm.base_url_for("picky"), "fake") == {"stream_options", "json_object", "temperature"}


def test_a_400_that_is_no_refusal_of_a_feature_ends_readably(llm, monkeypatch):
    class Moderated(providers.Provider):
        def refusal(self, body):
            return 400, {"error": {"message": "Content Exists Risk", "type": "invalid_request_error"}}

    monkeypatch.setitem(providers.PROFILES, "moderated", Moderated())
    refused = RefusedFeatures()
    with pytest.raises(LLMError) as caught:
        run(client(llm, "moderated", refused=refused))
    assert caught.value.code == "llm_rejected"
    assert len(llm.requests) == 2  # as asked, then plainly, then no more
    assert refused.of(llm.base_url_for("moderated"), "fake") == set()


# --- transport faults ------------------------------------------------------------------------------------------


def test_429_with_retry_after_then_success(llm):
    clock = SimClock(now=0.0)
    llm.script(Reply.error(429, headers={"Retry-After": "2"}), Reply.movies(TWO))
    result, _ = run(client(llm, clock=clock))
    assert [m.title for m in result.movies] == ["盗梦空间", "活着"]
    assert clock.sleeps == [2.0]


def test_5xx_backs_off_exponentially_then_gives_up_readably(llm):
    clock = SimClock(now=0.0)
    llm.script(*[Reply.error(503)] * 4)
    with pytest.raises(LLMError) as caught:
        run(client(llm, clock=clock, max_attempts=4, backoff_seconds=1.0))
    assert caught.value.code == "llm_unavailable"
    assert "503" in caught.value.message
    assert clock.sleeps == [1.0, 2.0, 4.0]
    assert len(llm.requests) == 4


def test_retries_stop_at_the_total_deadline(llm):
    clock = SimClock(now=0.0)
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
    result, _ = run(client(llm, read_timeout_seconds=0.3))
    assert [m.title for m in result.movies] == ["盗梦空间", "活着"]
    assert len(llm.requests) == 2


def test_a_hung_connection_ends_readably_when_nothing_answers(llm):
    llm.script(*[Reply(stall_seconds=2.0)] * 2)
    with pytest.raises(LLMError) as caught:
        run(client(llm, read_timeout_seconds=0.2, max_attempts=2))
    assert caught.value.code == "llm_timeout"


def test_a_stream_cut_after_some_movies_keeps_them(llm):
    content = Reply.movies(TWO).content
    llm.script(Reply(content=content, cut_after_chars=content.index("活着") - 5))
    result, seen = run(client(llm))
    assert complete_titles(seen) == ["盗梦空间"]
    assert result.truncated is True
    assert len(llm.requests) == 1


def test_finish_reason_length_keeps_every_complete_movie_and_the_named_one(llm):
    content = Reply.movies([*TWO, movie("阳光灿烂的日子", 1994, reason="姜文的青春")]).content
    cut = content.index("姜文")
    llm.script(Reply(content=content[:cut], finish_reason="length"))
    result, seen = run(client(llm))
    assert complete_titles(seen) == ["盗梦空间", "活着"]
    assert [(m.title, m.reason) for m in result.movies][-1] == ("阳光灿烂的日子", "")
    assert result.truncated is True


def test_an_answer_cut_before_any_movie_ends_readably(llm):
    llm.script(*[Reply(content='{"movies": [{"title": "盗梦', finish_reason="length")] * 2)
    with pytest.raises(LLMError) as caught:
        run(client(llm))
    assert caught.value.code == "llm_truncated"


def test_an_error_event_mid_stream_after_a_movie_keeps_it(llm, monkeypatch):
    class Failing(providers.Provider):
        def piece(self, text):
            frames = super().piece(text)
            return [b'data: {"error": {"message": "upstream overloaded"}}\n\n'] if "活着" in text else frames

    monkeypatch.setitem(providers.PROFILES, "failing", Failing())
    llm.script(Reply.movies(TWO, chunk_size=8))
    result, seen = run(client(llm, "failing"))
    assert complete_titles(seen) == ["盗梦空间"]
    assert result.truncated is True


def test_a_frame_that_is_not_json_before_any_movie_is_retried(llm, monkeypatch):
    class KeepAlive(providers.Provider):
        def opening(self):
            return [b"data: keep-alive\n\n", *super().opening()]

    monkeypatch.setitem(providers.PROFILES, "keep-alive", KeepAlive())
    llm.script(Reply.movies(TWO), Reply.movies(TWO))
    with pytest.raises(LLMError) as caught:
        run(client(llm, "keep-alive", max_attempts=2))
    assert caught.value.code == "llm_error"  # every try broke the same way: a readable failure, not a crash
    assert len(llm.requests) == 2


def test_a_call_whose_provider_reports_no_usage_is_counted_by_its_characters(llm):
    """Refusing stream_options, the provider never says what the call cost: people's daily budgets must still hold."""
    from movierec.llm.client import CHARACTERS_PER_TOKEN

    llm.script(Reply.movies(TWO))
    result, _ = run(client(llm, "refusing"))
    prompt_characters = sum(len(message["content"]) for message in MESSAGES)
    assert result.usage["prompt_tokens"] >= prompt_characters / CHARACTERS_PER_TOKEN
    assert result.usage["completion_tokens"] >= len(Reply.movies(TWO).content) / CHARACTERS_PER_TOKEN / 2


def test_a_running_total_of_usage_in_every_chunk_is_counted_once(llm, monkeypatch):
    class Cumulative(providers.Provider):
        sent = 0

        def piece(self, text):
            self.sent += len(text)
            return [
                providers.chunk(
                    providers.delta(text) | {"usage": {"prompt_tokens": 100, "completion_tokens": self.sent}}
                )
            ]

    monkeypatch.setitem(providers.PROFILES, "cumulative", Cumulative())
    llm.script(Reply.movies(TWO))
    result, _ = run(client(llm, "cumulative", RequestOptions(stream_usage=False)))
    assert result.usage == {"prompt_tokens": 100, "completion_tokens": len(Reply.movies(TWO).content)}


# --- answers without movies ----------------------------------------------------------------------------------


def test_a_non_json_answer_gets_one_corrective_retry(llm):
    llm.script(Reply(content="抱歉，我推荐盗梦空间。"), Reply.movies(TWO))
    result, _ = run(client(llm))
    assert [m.title for m in result.movies] == ["盗梦空间", "活着"]
    retry = llm.requests[1]["messages"]
    assert retry[-2] == {"role": "assistant", "content": "抱歉，我推荐盗梦空间。"}
    assert retry[-1] == {"role": "user", "content": CORRECTIVE_PROMPT}


def test_thinking_alone_is_not_sent_back_as_the_assistants_answer(llm):
    llm.script(Reply(content="<think>想了很久</think>"), Reply.movies(TWO))
    run(client(llm))
    assert [m["role"] for m in llm.requests[1]["messages"]] == ["system", "user", "user"]


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
    llm.script(Reply(content='{"movies" : \n[{"title": "活着", "year": 1994}]}'))
    result, _ = run(client(llm))
    assert [m.title for m in result.movies] == ["活着"]


def test_a_stream_still_trickling_at_the_deadline_is_cut_there(llm):
    content = Reply.movies(TWO).content
    llm.script(Reply.movies(TWO, chunk_size=4))
    first_object_chunks = content.index("}") // 4 + 1
    readings_allowed = 2 + 1 + first_object_chunks  # the deadline, the timeout, the role chunk, then one per chunk

    def ticking():
        nonlocal readings_allowed
        readings_allowed -= 1
        return 0.0 if readings_allowed >= 0 else 100.0

    sdk = openai.OpenAI(api_key="sk-test", base_url=llm.base_url, max_retries=0)
    result, seen = run(LLMClient(sdk, "fake", sleep=SimClock(now=0.0).sleep, clock=ticking, deadline_seconds=60))
    assert complete_titles(seen) == ["盗梦空间"]  # the first object closes within those chunks, the second does not
    assert result.truncated is True


# --- nothing but LLMError escapes ---------------------------------------------------------------------------


def test_any_other_failure_inside_the_client_becomes_an_llm_error(llm, monkeypatch):
    llm_client = client(llm)
    monkeypatch.setattr(llm_client, "_read", lambda *_: (_ for _ in ()).throw(TypeError("a bug")))
    with pytest.raises(LLMError) as caught:
        run(llm_client)
    assert caught.value.code == "llm_error"
    assert isinstance(caught.value.__cause__, TypeError)


def test_the_callers_own_failure_is_its_own(llm):
    llm.script(Reply.movies(TWO))

    def failing(_):
        raise ConnectionError("the store is down")

    with pytest.raises(ConnectionError, match="the store is down"):
        client(llm).recommend(MESSAGES, failing)
    assert len(llm.requests) == 1  # not retried as if the model had failed


def test_an_empty_list_from_a_relay_that_sends_no_finish_reason_is_still_empty(llm, monkeypatch):
    class NoFinish(providers.Provider):
        def ending(self, content, finish_reason, body):
            return [b"data: [DONE]\n\n"]

    monkeypatch.setitem(providers.PROFILES, "no-finish", NoFinish())
    llm.script(Reply.movies([]))
    with pytest.raises(LLMError) as caught:
        run(client(llm, "no-finish"))
    assert caught.value.code == "llm_empty"
    assert len(llm.requests) == 1


def test_the_models_reading_is_handed_over_once_and_before_its_first_movie(llm):
    reading = [{"words": "粤语", "field": "languages", "value": ["粤语"]}]
    content = Reply.movies_json(TWO).replace('{"movies"', '{"filters": ' + json.dumps(reading) + ', "movies"')
    llm.script(Reply(content=content, chunk_size=5))
    handed = []
    result = client(llm).recommend(
        MESSAGES, lambda movie: handed.append(("movie", movie.movie.title)), lambda raw: handed.append(("reading", raw))
    )
    assert handed[0] == ("reading", reading)
    assert [kind for kind, _ in handed].count("reading") == 1
    assert [m.title for m in result.movies] == ["盗梦空间", "活着"]


def test_an_answer_without_a_reading_hands_none_over(llm):
    llm.script(Reply.movies(TWO))
    readings = []
    client(llm).recommend(MESSAGES, lambda movie: None, readings.append)
    assert readings == []
