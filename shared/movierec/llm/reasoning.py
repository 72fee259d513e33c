"""Separating a reasoning model's thinking from its answer while the content streams in. Pure.

Reasoning models served as plain chat models (DeepSeek-R1 distills on Ollama, vLLM or llama.cpp, QwQ, Qwen3 in
thinking mode) write their thinking into the content between `<think>` and `</think>`, and it often holds
JSON-like drafts and the prompt's own format example. When the chat template already opened the tag in the
prompt, the content has only the closing `</think>` (deepseek-ai/DeepSeek-R1 #352 and #506, open-webui #9808,
llama.cpp #11861): everything before it was thinking. Providers that separate the thinking themselves send it
as `reasoning_content` (DeepSeek, DashScope, vLLM) or `reasoning` (OpenRouter, Ollama), which never reaches the
content at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TAG = re.compile(r"<\s*(/?)\s*(?:think|thinking|reasoning)\s*>", re.IGNORECASE)
# The longest tag, so that a tag split across chunks ("<thi" + "nk>") is held back until it is whole.
_LONGEST_TAG = len("</ reasoning >")


@dataclass(frozen=True)
class AnswerText:
    """What a chunk adds to the answer; `restarted`: the answer so far was thinking after all (a lone `</think>`)."""

    text: str = ""
    restarted: bool = False


class ThinkingFilter:
    """Feed content chunks; get back the text outside any thinking."""

    def __init__(self) -> None:
        self._pending = ""  # text not yet judged: it may end in the start of a tag
        self._thinking = False

    def feed(self, chunk: str) -> AnswerText:
        self._pending += chunk
        held = self._held_back_from()
        text, self._pending = self._pending[:held], self._pending[held:]
        return self._split(text)

    def finish(self) -> AnswerText:
        """The rest: a tag never completed is text; thinking never closed is dropped."""
        text, self._pending = self._pending, ""
        return self._split(text)

    def _held_back_from(self) -> int:
        start = self._pending.rfind("<")
        if start == -1 or ">" in self._pending[start:] or len(self._pending) - start >= _LONGEST_TAG:
            return len(self._pending)
        return start

    def _split(self, text: str) -> AnswerText:
        answer: list[str] = []
        restarted = False
        position = 0
        for tag in _TAG.finditer(text):
            closing = tag.group(1) == "/"
            if not self._thinking:
                answer.append(text[position : tag.start()])
            if closing and not self._thinking:
                answer, restarted = [], True  # no opening tag: what came before was thinking
            self._thinking = not closing
            position = tag.end()
        if not self._thinking:
            answer.append(text[position:])
        return AnswerText("".join(answer), restarted)
