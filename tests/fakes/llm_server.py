"""A fake OpenAI-compatible chat completions server on 127.0.0.1, streaming like the real ones (SSE).

Tests script what it answers, call by call, and read back every request it received.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.fakes.loopback import LoopbackServer


@dataclass
class Reply:
    """One scripted answer: an HTTP error, or content streamed in chunks with a delay between them."""

    status: int = 200
    content: str = ""
    chunk_size: int = 12
    delay_seconds: float = 0.0  # between chunks
    stall_seconds: float = 0.0  # before anything is sent (a hung upstream)
    cut_after_chars: int | None = None  # close the stream early (a truncated answer)
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def movies(cls, movies: list[dict[str, Any]], **kwargs: Any) -> Reply:
        return cls(content=json.dumps({"movies": movies}, ensure_ascii=False), **kwargs)

    @classmethod
    def error(cls, status: int, **kwargs: Any) -> Reply:
        return cls(status=status, **kwargs)


def movie(title: str, year: int, original_title: str | None = None, reason: str = "值得一看") -> dict[str, Any]:
    return {"title": title, "original_title": original_title or title, "year": year, "reason": reason}


class FakeLLM(LoopbackServer):
    def __init__(self) -> None:
        self.replies: list[Reply] = []
        # Unscripted calls (e.g. a top-up round) get a model with nothing more to say.
        self.default: Callable[[dict[str, Any]], Reply] = lambda _: Reply.movies([])
        self.requests: list[dict[str, Any]] = []
        self.streams_finished_at: list[float] = []  # time.monotonic() when each stream's last byte was sent
        self._lock = threading.Lock()
        self._listen(_handler(self))

    @property
    def base_url(self) -> str:
        return f"{self.origin}/v1"

    def script(self, *replies: Reply) -> None:
        with self._lock:
            self.replies = list(replies)

    def next_reply(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            self.requests.append(body)
            return self.replies.pop(0) if self.replies else self.default(body)


def _chunk(payload: dict[str, Any]) -> bytes:
    base = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0, "model": "fake"}
    return f"data: {json.dumps(base | payload, ensure_ascii=False)}\n\n".encode()


def _handler(fake: FakeLLM) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
            body["_authorization"] = self.headers.get("Authorization", "")
            reply = fake.next_reply(body)
            if reply.stall_seconds:
                time.sleep(reply.stall_seconds)
            if reply.status != 200:
                return self._send_error(reply)
            if body.get("stream"):
                return self._stream(reply)
            return self._whole(reply)

        def _send_error(self, reply: Reply) -> None:
            data = json.dumps({"error": {"message": f"fake error {reply.status}", "type": "server_error"}}).encode()
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _stream(self, reply: Reply) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Connection", "close")
            self.end_headers()
            content = reply.content if reply.cut_after_chars is None else reply.content[: reply.cut_after_chars]
            self.wfile.write(_chunk({"choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}}]}))
            pieces = [content[start : start + reply.chunk_size] for start in range(0, len(content), reply.chunk_size)]
            started = time.monotonic()
            for index, piece in enumerate(pieces):
                # Chunk i leaves at start + i × delay, so a busy machine does not stretch the answer.
                time.sleep(max(0.0, started + index * reply.delay_seconds - time.monotonic()))
                delta = {"index": 0, "delta": {"content": piece}, "finish_reason": None}
                self.wfile.write(_chunk({"choices": [delta]}))
                self.wfile.flush()
            time.sleep(max(0.0, started + len(pieces) * reply.delay_seconds - time.monotonic()))
            if reply.cut_after_chars is not None:
                self.close_connection = True
                return  # no finish, no [DONE]: the connection just ends
            self.wfile.write(_chunk({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}))
            usage = {"prompt_tokens": 100, "completion_tokens": max(1, len(content) // 2)}
            self.wfile.write(_chunk({"choices": [], "usage": usage | {"total_tokens": sum(usage.values())}}))
            self.wfile.write(b"data: [DONE]\n\n")
            self.wfile.flush()
            fake.streams_finished_at.append(time.monotonic())
            self.close_connection = True

        def _whole(self, reply: Reply) -> None:
            message = {"role": "assistant", "content": reply.content}
            data = json.dumps(
                {
                    "id": "chatcmpl-fake",
                    "object": "chat.completion",
                    "created": 0,
                    "model": "fake",
                    "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
                    "usage": {"prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 150},
                },
                ensure_ascii=False,
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler
