"""A fake OpenAI-compatible chat completions server on 127.0.0.1, streaming like the real ones (SSE).

Tests script what the model answers, call by call, and read back every request it received. Under
`base_url_for(profile)` the server behaves like one real provider (tests/fakes/providers.py): what it refuses,
with that provider's error bodies, and how it streams (reasoning, keep-alives, odd chunks, sloppy JSON).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any

from tests.fakes.loopback import LoopbackServer
from tests.fakes.providers import PROFILES, Provider

HOLD_LIMIT_SECONDS = 120.0  # a held stream goes on by itself after this, should a test never release it
KEEP_ALIVE_SECONDS = 0.2  # between the SSE comments a held stream sends
_PROFILE_PATH = re.compile(r"^/p/(?P<profile>[\w-]+)/v1/")


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
    finish_reason: str = "stop"  # "length": the provider's output limit cut the answer
    movie_objects: list[dict[str, Any]] | None = None  # the movies in `content`, for profiles that write their own
    # `content` streamed as exactly these pieces, in place of chunk_size (a provider that sends a whole movie object
    # at once); the plain profile only.
    pieces: list[str] | None = None
    # Stop streaming once this many characters are sent, until `released` is set (a model still writing, for as long
    # as a test needs, however slow the machine): the plain profile only.
    hold_after_chars: int | None = None
    released: threading.Event = field(default_factory=threading.Event)

    @classmethod
    def movies_json(cls, movies: list[dict[str, Any]]) -> str:
        return json.dumps({"movies": movies}, ensure_ascii=False)

    @classmethod
    def movies(cls, movies: list[dict[str, Any]], **kwargs: Any) -> Reply:
        return cls(content=cls.movies_json(movies), movie_objects=movies, **kwargs)

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
        self.requests: list[dict[str, Any]] = []  # every request, refused ones too (with "_refused": status)
        self.streams_finished_at: list[float] = []  # time.monotonic() when each stream's last byte was sent
        self._lock = threading.Lock()
        self._listen(_handler(self))

    @property
    def base_url(self) -> str:
        return f"{self.origin}/v1"

    def base_url_for(self, profile: str) -> str:
        """The endpoint where the server behaves like that provider."""
        return f"{self.origin}/p/{profile}/v1"

    def script(self, *replies: Reply) -> None:
        with self._lock:
            self.replies = list(replies)

    def next_reply(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            self.requests.append(body)
            return self.replies.pop(0) if self.replies else self.default(body)

    def record_refused(self, body: dict[str, Any], status: int) -> None:
        with self._lock:
            self.requests.append(body | {"_refused": status})


def _handler(fake: FakeLLM) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def do_POST(self) -> None:
            try:
                self._answer()
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client hung up (a timeout, or a stream it stopped reading)

        def _answer(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
            body["_authorization"] = self.headers.get("Authorization", "")
            match = _PROFILE_PATH.match(self.path)
            provider = PROFILES[match.group("profile")] if match else PROFILES["plain"]
            if refusal := provider.refusal(body):
                fake.record_refused(body, refusal[0])
                return self._send_json(*refusal)
            reply = fake.next_reply(body)
            if reply.stall_seconds:
                time.sleep(reply.stall_seconds)
            if reply.status != 200:
                error = {"error": {"message": f"fake error {reply.status}", "type": "server_error"}}
                return self._send_json(reply.status, error, reply.headers)
            content = provider.content(reply.content, reply.movie_objects)
            if body.get("stream"):
                return self._stream(provider, reply, content, body)
            return self._whole(provider, reply, content)

        def _send_json(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
            data = json.dumps(payload, ensure_ascii=False).encode()
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _stream(self, provider: Provider, reply: Reply, content: str, body: dict[str, Any]) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Connection", "close")
            self.end_headers()
            if reply.cut_after_chars is not None:
                content = content[: reply.cut_after_chars]
            self.wfile.write(b"".join(provider.opening()))
            pieces = reply.pieces or [
                content[start : start + reply.chunk_size] for start in range(0, len(content), reply.chunk_size)
            ]
            started = time.monotonic()
            sent = 0
            for index, piece in enumerate(pieces):
                # Chunk i leaves at start + i × delay, so a busy machine does not stretch the answer.
                time.sleep(max(0.0, started + index * reply.delay_seconds - time.monotonic()))
                if reply.hold_after_chars is not None and sent >= reply.hold_after_chars:
                    self._hold(reply)
                self.wfile.write(b"".join(provider.piece(piece)))
                self.wfile.flush()
                sent += len(piece)
            time.sleep(max(0.0, started + len(pieces) * reply.delay_seconds - time.monotonic()))
            if reply.cut_after_chars is not None:
                self.close_connection = True
                return  # no finish, no [DONE]: the connection just ends
            self.wfile.write(b"".join(provider.ending(content, reply.finish_reason, body)))
            self.wfile.flush()
            fake.streams_finished_at.append(time.monotonic())
            self.close_connection = True

        def _hold(self, reply: Reply) -> None:
            """Write nothing of the answer until the test releases it, with SSE comments meanwhile, as providers send
            while a model thinks (OpenRouter's ": OPENROUTER PROCESSING"): the client's read timeout sees bytes."""
            held_until = time.monotonic() + HOLD_LIMIT_SECONDS
            while not reply.released.wait(KEEP_ALIVE_SECONDS) and time.monotonic() < held_until:
                self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()

        def _whole(self, provider: Provider, reply: Reply, content: str) -> None:
            completion = {
                "id": "chatcmpl-fake",
                "object": "chat.completion",
                "created": 0,
                "model": "fake",
                "choices": [{"index": 0, "message": provider.message(content), "finish_reason": reply.finish_reason}],
                "usage": {"prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 150},
            }
            self._send_json(200, completion)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler
