"""Chunks of every shape providers send, read without an exception (the SDK builds them unvalidated)."""

import pytest
from openai.types.chat import ChatCompletion, ChatCompletionChunk

from movierec.llm.chat_chunks import ChatPart, Usage, chunk_part, response_part

USAGE = {"prompt_tokens": 12, "completion_tokens": 34, "total_tokens": 46}


def sdk_chunk(data):
    """What the openai SDK hands over for a `data:` frame: None for `null`, else an unvalidated object."""
    return None if data is None else ChatCompletionChunk.construct(**data)


@pytest.mark.parametrize(
    ("data", "part"),
    [
        ({"choices": [{"index": 0, "delta": {"content": "你好"}}]}, ChatPart("你好")),
        (None, ChatPart()),  # `data: null` from a relay
        ({"choices": None, "usage": USAGE}, ChatPart(usage=Usage(12, 34))),  # issue input 3
        ({"choices": [], "usage": USAGE}, ChatPart(usage=Usage(12, 34))),
        ({"choices": [{"index": 0, "delta": None, "finish_reason": None}]}, ChatPart()),
        ({"choices": [{"index": 0, "delta": {"content": None, "reasoning_content": "想"}}]}, ChatPart()),
        ({"choices": [{"index": 0, "delta": {"reasoning": "想"}}]}, ChatPart()),
        ({"choices": [{"index": 0, "delta": {}, "finish_reason": "length"}]}, ChatPart(finish_reason="length")),
        (
            {"choices": [{"index": 0, "delta": {"content": ""}, "finish_reason": "stop"}], "usage": USAGE},
            ChatPart(finish_reason="stop", usage=Usage(12, 34)),
        ),  # DeepSeek: usage on the last chunk
        ({"choices": [{"index": 0, "delta": {"content": [{"type": "text", "text": "片"}]}}]}, ChatPart("片")),
        ({"choices": [{"index": 0, "delta": {"content": 7}}]}, ChatPart()),
        ({"choices": [{"index": 1, "delta": {"content": "另一个"}}]}, ChatPart()),  # not the first choice
        ({"choices": [{"delta": {"content": "无序号"}}]}, ChatPart("无序号")),
        ({"choices": [{"index": 0, "delta": {}}], "x_groq": {"usage": USAGE}}, ChatPart(usage=Usage(12, 34))),
        (
            {"choices": [{"index": 0, "delta": {}}], "usage": {"prompt_tokens": None, "completion_tokens": "9"}},
            ChatPart(usage=Usage(0, 9)),
        ),
        (  # Moonshot: the usage inside the last choice
            {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop", "usage": USAGE}]},
            ChatPart(finish_reason="stop", usage=Usage(12, 34)),
        ),
        ({"choices": "oops", "usage": "n/a"}, ChatPart()),
        ({"unknown": True}, ChatPart()),
    ],
)
def test_a_chunk_of_any_shape(data, part):
    assert chunk_part(sdk_chunk(data)) == part


def test_a_plain_dict_reads_the_same():
    assert chunk_part({"choices": [{"index": 0, "delta": {"content": "x"}}], "usage": USAGE}) == ChatPart(
        "x", usage=Usage(12, 34)
    )


def test_a_whole_response():
    response = ChatCompletion.construct(
        choices=[{"index": 0, "message": {"content": "答案", "reasoning_content": "想"}, "finish_reason": "stop"}],
        usage=USAGE,
    )
    assert response_part(response) == ChatPart("答案", "stop", Usage(12, 34))
    assert response_part(ChatCompletion.construct(choices=None)) == ChatPart()
    assert response_part(ChatCompletion.construct(choices=[{"message": None}])) == ChatPart()
