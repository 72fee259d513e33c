"""Thinking is never taken for the answer, however the tags arrive."""

import pytest

from movierec.llm.reasoning import ThinkingFilter


def answer_of(chunks):
    thinking = ThinkingFilter()
    text = ""
    for chunk in [*chunks, None]:
        piece = thinking.feed(chunk) if chunk is not None else thinking.finish()
        text = ("" if piece.restarted else text) + piece.text
    return text


TAGGED = '<think>\n格式是 {"movies": []}\n</think>\n\n{"movies": [1]}'


@pytest.mark.parametrize("size", [1, 2, 3, 5, 8, 100])
def test_tags_split_anywhere_across_chunks(size):
    chunks = [TAGGED[start : start + size] for start in range(0, len(TAGGED), size)]
    assert answer_of(chunks).strip() == '{"movies": [1]}'


@pytest.mark.parametrize(
    ("content", "answer"),
    [
        ("<think>x</think>答案", "答案"),
        ("<THINK>x</THINK>答案", "答案"),
        ("<thinking>x</thinking>答案", "答案"),
        ("<think>\n\n</think>\n\n答案", "\n\n答案"),  # an empty block (Qwen3 with /no_think, R1 on short prompts)
        ("前言<think>x</think>答案", "前言答案"),
        ("思考中……</think>答案", "答案"),  # the opening tag was in the prompt (R1's chat template)
        ("<think>一直在想", ""),  # thinking never closed: no answer
        ("评分<8 的电影", "评分<8 的电影"),  # a lone "<" is text
        ("a < b", "a < b"),
        ("<thi", "<thi"),  # a tag never completed is text at the end
    ],
)
def test_what_is_outside_thinking(content, answer):
    assert answer_of([content]) == answer


def test_a_lone_closing_tag_restarts_the_answer():
    thinking = ThinkingFilter()
    assert thinking.feed('想想 {"movies": [').text == '想想 {"movies": ['
    piece = thinking.feed("]}</think>真正的答案")
    assert (piece.restarted, piece.text) == (True, "真正的答案")
