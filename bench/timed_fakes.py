"""The test fakes, with the arrival time of every request: the stage timings come from these logs."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from tests.fakes.douban_server import FakeDouban, Profile, RecordedRequest, Reply
from tests.fakes.llm_server import FakeLLM
from tests.fakes.llm_server import Reply as LLMReply


class TimedLLM(FakeLLM):
    """FakeLLM (which streams on a fixed clock), recording when each chat completion request arrived."""

    def __init__(self) -> None:
        super().__init__()
        self.called_at: list[float] = []  # time.monotonic() when each chat completion request arrived

    def next_reply(self, body: dict[str, Any]) -> LLMReply:
        self.called_at.append(time.monotonic())
        return super().next_reply(body)


@dataclass(frozen=True)
class TimedRequest:
    at: float  # time.monotonic() on arrival, before the fake's latency
    request: RecordedRequest


class TimedDouban(FakeDouban):
    def __init__(self, *, latency: float, profile: Profile | None = None) -> None:
        super().__init__(latency=latency, profile=profile)
        self._log_lock = threading.Lock()
        self._timed: list[TimedRequest] = []

    def _answer(self, request: RecordedRequest) -> tuple[Reply, float]:
        # The one place every request passes on arrival; FakeDouban's own log keeps no time.
        with self._log_lock:
            self._timed.append(TimedRequest(time.monotonic(), request))
        return super()._answer(request)

    @property
    def timed_requests(self) -> list[TimedRequest]:
        with self._log_lock:
            return list(self._timed)

    def clear_timed_requests(self) -> None:
        with self._log_lock:
            self._timed.clear()
        self.clear_requests()

    def first_search_for(self, title: str) -> float | None:
        return next((t.at for t in self.timed_requests if _searches(t.request, title)), None)

    def first_subject_read(self, subject_id: str) -> float | None:
        return next((t.at for t in self.timed_requests if _reads(t.request, subject_id)), None)

    def requests_for(self, title: str, subject_id: str) -> int:
        """Requests a lookup of this film sent: its searches and its subject read."""
        return sum(_searches(t.request, title) or _reads(t.request, subject_id) for t in self.timed_requests)


def _searches(request: RecordedRequest, title: str) -> bool:
    return request.path == "/j/subject_suggest" and request.param("q") == title


def _reads(request: RecordedRequest, subject_id: str) -> bool:
    """A read of the subject from any of its sources: the desktop page, the mobile API, the abstract."""
    return request.path in (
        f"/subject/{subject_id}/",
        f"/rexxar/api/v2/movie/{subject_id}",
        f"/rexxar/api/v2/tv/{subject_id}",
    ) or (request.path == "/j/subject_abstract" and request.param("subject_id") == subject_id)
