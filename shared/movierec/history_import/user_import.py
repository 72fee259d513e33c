"""Importing a person's 看过 list by their Douban user id: a queued job that the mini-program polls.

Starting stores the import ``pending`` and queues an :class:`ImportJob`. The import worker reads a few pages (50 films
each) through :class:`InterestsReader`, appends them to the import, and queues the next job, until the last page: then
the import is ``done``. Douban refusing this person's list (private, a 403 for it, key or signature errors) ends it
``failed`` at once, with a message that points to the file import, since asking again would not get past it; what
was read before stays in ``entries``. When Douban is down, or blocks us (a challenge, its login wall: every list
alike, so nobody's import is blamed for it), the job is retried later; a job that gives up, or an import past its
deadline, ends ``failed`` with a message about Douban, not the person. Nothing waits for ever.

Every page is a request from the deployment's one Douban budget, at the import's priority (after the cards people
are waiting for, the context step and movie pages; before the warm-up): while others use the budget a job reads
fewer pages (none, at times), keeps them, and the next job goes on after the wait the budget names: waiting its turn
is no failed delivery.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pydantic import UUID4, TypeAdapter, ValidationError

from movierec.core.models import ErrorInfo, RequestStatus
from movierec.core.observability import logger, metrics
from movierec.core.rate_limits import RateLimited
from movierec.douban.errors import OutOfBudget
from movierec.douban.interests import InterestsHost, InterestsReader, InterestsRefused, UserNotFound
from movierec.douban.lookup import DoubanUnavailable
from movierec.history_import import douban_json
from movierec.history_import.models import ImportJob, ImportView
from movierec.history_import.reading import EntryCollector
from movierec.history_import.store import ImportStore, StoredImport

if TYPE_CHECKING:
    from movierec.core.queues import JobQueue
    from movierec.core.rate_limits import RateLimiter
    from movierec.people.usage_limits import Requester

MAX_ENTRIES = 5000  # the most recent 5,000 films are far more than any recommendation can use
PAGES_PER_JOB = 10  # at most; the budget (10 a minute anonymous, and imports' share of it) usually allows fewer
# A job stops starting pages after this long, so that a slow Douban (a page may take two 5 s timeouts) never
# runs it into the function's 60 s timeout.
JOB_BUDGET_SECONDS = 25.0
UNAVAILABLE_RETRY_SECONDS = 10

FILE_IMPORT_HINT = "请在电脑上用豆伴或 doumark 等工具导出观影记录，再用“从文件导入”。"
REFUSED = ErrorInfo(
    code="douban_refused",
    message=f"豆瓣不公开这个用户的观影记录（可能设为了仅自己可见，或需要登录才能查看）。{FILE_IMPORT_HINT}",
)
USER_NOT_FOUND = ErrorInfo(code="user_not_found", message="豆瓣上没有找到这个用户，请检查豆瓣 ID 或个人主页链接。")
NOTHING_PUBLIC = ErrorInfo(
    code="no_public_history", message=f"没有读到这个用户公开的看过记录（可能设为了仅自己可见）。{FILE_IMPORT_HINT}"
)
UNAVAILABLE = ErrorInfo(
    code="douban_unavailable", message=f"豆瓣暂时无法访问（与这个账号无关），请稍后再试。{FILE_IMPORT_HINT}"
)
# How long a job Douban would not answer waits before its next delivery, at most: when Douban blocks us it asks for
# a while (the circuit's time), and the import's ten minutes must still see a few tries.
UNAVAILABLE_MAX_WAIT_SECONDS = 180

_import_id: TypeAdapter[uuid.UUID] = TypeAdapter(UUID4)


class UserImports:
    def __init__(
        self,
        store: ImportStore,
        queue: JobQueue,
        reader: Callable[[], InterestsReader],
        limiter: RateLimiter,
        clock: Callable[[], float] = time.time,
        pages_per_job: int = PAGES_PER_JOB,
        max_entries: int = MAX_ENTRIES,
        budget_seconds: float = JOB_BUDGET_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._store = store
        self._queue = queue
        self._reader = reader
        self._limiter = limiter
        self._clock = clock
        self._pages_per_job = pages_per_job
        self._max_entries = max_entries
        self._budget_seconds = budget_seconds
        self._monotonic = monotonic

    # --- the API's side ---------------------------------------------------------------------------------------

    def start(self, user: str, requester: Requester) -> uuid.UUID:
        """Store the import as pending and queue its first job; raises :class:`RateLimited` for a busy asker."""
        verdict = self._limiter.check(requester.client)
        if not verdict.allowed:
            raise RateLimited(verdict.retry_after_seconds)
        import_id = uuid.uuid4()
        self._store.create(import_id, user, owner=requester.owner)
        self._queue.send(ImportJob(import_id=import_id))
        return import_id

    def poll(self, import_id: str, owner: str | None = None) -> ImportView | None:
        """The import as it stands, if `owner` asked for it (None for an unknown or malformed id, or another person's:
        a Douban history is the person's own); one past its deadline ends failed here."""
        try:
            parsed = _import_id.validate_python(import_id)
        except ValidationError:
            return None
        stored = self._store.get(parsed)
        if stored is None or stored.owner != owner:
            return None
        if stored.is_overdue(self._clock()):
            self._store.time_out(parsed, self._clock())
            stored = self._store.get(parsed)
        return stored.view() if stored else None

    # --- the worker's side ------------------------------------------------------------------------------------

    def run(self, job: ImportJob) -> None:
        """Read the next pages; raises DoubanUnavailable (so the message is retried) when none could be read."""
        stored = self._store.get(job.import_id)
        if stored is None or stored.status in (RequestStatus.DONE, RequestStatus.FAILED):
            return
        if stored.next_start != job.start:
            return  # a redelivery: this part is stored already
        if stored.is_overdue(self._clock()):
            self._store.time_out(job.import_id, self._clock())
            return
        self._store.mark_running(job.import_id)
        self._read_pages(stored, job)

    def give_up(self, job: ImportJob) -> None:
        """The job's last delivery failed: the import ends failed, keeping what was read."""
        self._store.fail(job.import_id, UNAVAILABLE)

    def _read_pages(self, stored: StoredImport, job: ImportJob) -> None:
        read = _PagesRead(next_start=job.start, host=job.host, total=stored.total)
        try:
            self._read_into(read, stored)
        except InterestsRefused as refused:
            logger.warning(
                "douban refused the interests", extra={"import_id": str(job.import_id), "reason": refused.reason}
            )
            metrics.add_metric(name="DoubanImportsRefused", unit="Count", value=1)  # Douban closing up shows here
            self._save(stored, job, read)
            self._store.fail(job.import_id, REFUSED)
            return
        except UserNotFound:
            self._store.fail(job.import_id, USER_NOT_FOUND)
            return
        except DoubanUnavailable as unavailable:
            delay = max(UNAVAILABLE_RETRY_SECONDS, int(unavailable.retry_after or 0))
            if read.next_start == job.start:
                if not isinstance(unavailable, OutOfBudget):
                    raise  # nothing read: SQS brings the job back
                # Waiting for the budget's turn behind the cards is no failed delivery: the job comes back when a
                # token may be free, a job of its own (the import's deadline bounds the waiting).
                self._queue.send(job.model_copy(update={"budget_waits": job.budget_waits + 1}), delay)
                return
            # Keep what this job read and go on later from there (the import's deadline bounds the waiting).
            if self._save(stored, job, read):
                self._queue.send(ImportJob(import_id=job.import_id, start=read.next_start, host=read.host), delay)
            return
        self._conclude(stored, job, read)

    def _read_into(self, read: _PagesRead, stored: StoredImport) -> None:
        """Pages from ``read.next_start`` on, until the last one, this job's share, or its time is up.

        A page that brings no film not read before also ends the list: Douban answering the same page whatever
        ``start`` asks (with no total, or one that is not a number) would otherwise be paged to the deadline.
        """
        reader = self._reader()
        began = self._monotonic()
        known = stored.douban_ids()
        for _ in range(self._pages_per_job):
            page = reader.seen_page(stored.user, read.next_start, read.host)
            before = len(read.collector.entries)
            douban_json.collect(page.interests, read.collector)
            read.advance(page.next_start, page.host, page.total)
            brought = [entry for entry in read.collector.entries[before:] if entry.douban_id not in known]
            if page.is_last or not brought or stored.read + len(read.collector.entries) >= self._max_entries:
                if page.interests and not brought:
                    logger.warning(
                        "a page of interests brought no new film: the list ends here", extra={"start": page.start}
                    )
                read.finished = True
                return
            if self._monotonic() - began > self._budget_seconds:
                return

    def _conclude(self, stored: StoredImport, job: ImportJob, read: _PagesRead) -> None:
        """Store the pages read; then the next job, or the end."""
        if not self._save(stored, job, read):
            return
        if not read.finished:
            self._queue.send(ImportJob(import_id=job.import_id, start=read.next_start, host=read.host))
        elif stored.read + len(read.collector.entries) == 0:
            self._store.fail(job.import_id, NOTHING_PUBLIC)
        else:
            self._store.complete(job.import_id)
            metrics.add_metric(name="DoubanImportsDone", unit="Count", value=1)
            logger.info("douban history imported", extra={"import_id": str(job.import_id), "films": read.next_start})

    def _save(self, stored: StoredImport, job: ImportJob, read: _PagesRead) -> bool:
        """Store what this job read; False when a duplicate delivery stored it first."""
        if read.next_start == job.start or read.host is None:
            return True  # no film was read
        return self._store.append(
            job.import_id,
            job.start,
            read.next_start,
            read.collector.entries,
            read.collector.skipped,
            read.host,
            read.total,
        )


@dataclass
class _PagesRead:
    """What one job has read so far."""

    next_start: int
    host: InterestsHost | None
    total: int | None
    collector: EntryCollector = field(default_factory=EntryCollector)
    finished: bool = False

    def advance(self, next_start: int, host: InterestsHost, total: int | None) -> None:
        self.next_start, self.host = next_start, host
        self.total = total if total is not None else self.total
