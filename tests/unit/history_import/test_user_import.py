"""Importing by Douban user id, job by job, against a fake Douban and the imports table in moto."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from movierec.core.rate_limits import RateLimiter
from movierec.douban.budget import BudgetPolicy, BudgetState, DoubanBudget, InMemoryBudgetStore, unlimited
from movierec.douban.circuit import InMemoryCircuitBreaker
from movierec.douban.http import DoubanHttp
from movierec.douban.interests import InterestsReader
from movierec.douban.lookup import DoubanUnavailable
from movierec.history_import.models import ImportJob
from movierec.history_import.store import ImportStore
from movierec.history_import.user_import import UserImports
from movierec.people.sessions import Person
from movierec.people.usage_limits import Requester
from tests.fakes.clock import START as NOW
from tests.fakes.clock import SimClock
from tests.fakes.douban_history import (
    CHALLENGE,
    FORBIDDEN,
    REXXAR_PATH,
    expected_entries,
    interest,
    marks,
    refuse_interests,
    serve_interests,
)
from tests.fakes.douban_server import FakeDouban, Reply, local_only_session
from tests.fakes.queues import RecordingQueue

UID = "someone"


class Ticker:
    """Monotonic seconds that advance by ``step`` at every reading: how long each Douban page seems to take."""

    def __init__(self) -> None:
        self.now = 0.0
        self.step = 0.0

    def __call__(self) -> float:
        self.now += self.step
        return self.now


@dataclass
class World:
    imports: UserImports
    queue: RecordingQueue
    douban: FakeDouban
    clock: SimClock
    ticker: Ticker

    def start(self, user: str = UID, person: Person | None = None) -> str:
        return str(self.imports.start(user, Requester(ip="198.51.100.7", person=person)))

    def next_job(self) -> ImportJob:
        self.queue.delays.pop(0)
        return self.queue.sent.pop(0)

    def run_queued(self) -> None:
        """Run every queued job, and the jobs they queue, as the import worker would."""
        while self.queue.sent:
            self.imports.run(self.next_job())

    def poll(self, import_id: str) -> dict:
        view = self.imports.poll(import_id)
        assert view is not None
        return view.model_dump(mode="json")


@pytest.fixture
def options() -> dict:
    """UserImports options beyond the fixture's; a test parametrizes it to change them."""
    return {}


@pytest.fixture
def budget_clock() -> SimClock:
    return SimClock()


@pytest.fixture
def budget(request, budget_clock) -> DoubanBudget:
    """The deployment's Douban budget the imports take from: unlimited, or (parametrized indirectly) ``"busy"``: ten a
    minute, and the cards took five of the last minute's ten, so that the imports' share (half) is spent for 50 s."""
    if getattr(request, "param", None) != "busy":
        return unlimited()
    busy = BudgetState(sent=tuple(NOW - 10 + n for n in range(5)))
    return DoubanBudget(
        InMemoryBudgetStore(busy),
        BudgetPolicy(per_minute=10),
        clock=budget_clock,
        sleep=budget_clock.sleep,
        jitter=lambda: 0.0,
    )


@pytest.fixture
def world(aws, options, budget) -> Iterator[World]:
    clock, queue, ticker = SimClock(), RecordingQueue(), Ticker()
    with FakeDouban() as douban:
        http = DoubanHttp(budget=budget, session=local_only_session(), sleep=lambda _: None, jitter=lambda: 0)
        reader = InterestsReader(http, InMemoryCircuitBreaker(), douban.base_url, douban.base_url)
        imports = UserImports(
            ImportStore(aws.Table("ImportsTable"), clock=clock),
            queue,
            lambda: reader,
            RateLimiter(aws.Table("RateLimitTable"), per_minute=0),
            clock=clock,
            pages_per_job=2,
            monotonic=ticker,
            **options,
        )
        yield World(imports, queue, douban, clock, ticker)


def test_a_list_is_read_a_few_pages_per_job_to_done_in_order(world):
    films = marks(120)
    serve_interests(world.douban, UID, films)
    import_id = world.start()
    assert world.poll(import_id)["status"] == "pending"

    world.imports.run(world.next_job())  # pages 0 and 50
    (next_job,) = world.queue.sent
    assert (next_job.start, next_job.host) == (100, "rexxar")
    halfway = world.poll(import_id)
    assert (halfway["status"], len(halfway["entries"]), halfway["total"]) == ("running", 100, 120)

    world.run_queued()
    view = world.poll(import_id)
    assert (view["status"], view["format"], view["user"], view["error"]) == ("done", "douban_user", UID, None)
    assert view["entries"] == expected_entries(films)
    assert view["skipped"] == 0


def test_a_redelivered_job_reads_nothing_again(world):
    serve_interests(world.douban, UID, marks(120))
    import_id = world.start()
    first = world.queue.sent[0]
    world.run_queued()
    world.douban.clear_requests()

    world.imports.run(first)

    assert world.douban.requests == []
    assert len(world.poll(import_id)["entries"]) == 120


def test_a_refusal_of_the_persons_list_ends_failed_at_once_pointing_to_the_file_import(world):
    refuse_interests(world.douban, UID, FORBIDDEN)
    import_id = world.start()
    world.run_queued()
    view = world.poll(import_id)
    assert (view["status"], view["error"]["code"]) == ("failed", "douban_refused")
    assert "导出" in view["error"]["message"]
    assert "文件" in view["error"]["message"]
    assert len(world.douban.requests) == 1


def test_one_persons_refused_list_leaves_the_next_import_alone(world):
    refuse_interests(world.douban, "private", FORBIDDEN)
    films = marks(20)
    serve_interests(world.douban, UID, films)
    refused = world.start("private")
    world.run_queued()
    following = world.start()
    world.run_queued()
    assert world.poll(refused)["error"]["code"] == "douban_refused"
    assert (world.poll(following)["status"], world.poll(following)["entries"]) == ("done", expected_entries(films))


def test_douban_blocking_us_is_tried_again_later_and_never_blamed_on_the_person(world):
    refuse_interests(world.douban, UID, CHALLENGE)
    import_id = world.start()
    job = world.next_job()
    with pytest.raises(DoubanUnavailable) as blocked:  # SQS brings the job back, after the hinted wait
        world.imports.run(job)
    assert blocked.value.retry_after == pytest.approx(120)
    assert world.poll(import_id)["status"] == "running"

    world.imports.give_up(job)  # still blocked on its last delivery
    view = world.poll(import_id)
    assert (view["status"], view["error"]["code"]) == ("failed", "douban_unavailable")
    assert "无关" in view["error"]["message"]
    assert "不公开" not in view["error"]["message"]


def test_a_refusal_part_way_keeps_what_was_read(world):
    films = marks(120)
    serve_interests(world.douban, UID, films)
    world.douban.set(f"{REXXAR_PATH.format(uid=UID)}?start=100", Reply.status_only(403))
    import_id = world.start()
    world.run_queued()
    view = world.poll(import_id)
    assert (view["status"], view["error"]["code"]) == ("failed", "douban_refused")
    assert view["entries"] == expected_entries(films[:100])


def test_an_unknown_user_ends_failed_saying_so(world):
    import_id = world.start("nobody")
    world.run_queued()
    assert world.poll(import_id)["error"]["code"] == "user_not_found"


def test_an_empty_or_hidden_list_ends_failed_pointing_to_the_file_import(world):
    serve_interests(world.douban, UID, [])
    import_id = world.start()
    world.run_queued()
    view = world.poll(import_id)
    assert (view["status"], view["error"]["code"], view["entries"]) == ("failed", "no_public_history", [])


@pytest.mark.parametrize("budget", ["busy"], indirect=True)
def test_an_import_the_budget_cannot_serve_now_waits_its_turn_as_a_job_of_its_own(world, budget_clock):
    # Waiting its turn behind the cards is no failed delivery: SQS would bring it back only after its visibility
    # timeout (6 minutes), and three of those end the import failed while the budget was free again within a minute.
    films = marks(30)
    serve_interests(world.douban, UID, films)
    import_id = world.start()
    job = world.next_job()

    world.imports.run(job)

    (again,) = world.queue.sent
    assert (again.start, again.budget_waits, world.douban.requests) == (job.start, 1, [])
    assert 50 <= world.queue.delays[0] <= 60  # when the budget says a token may be free
    assert world.poll(import_id)["status"] == "running"
    budget_clock.now += world.queue.delays[0]
    world.run_queued()
    assert (world.poll(import_id)["status"], world.poll(import_id)["entries"]) == ("done", expected_entries(films))


def test_douban_down_on_the_first_page_is_retried_then_given_up(world):
    refuse_interests(world.douban, UID, Reply.status_only(503))
    import_id = world.start()
    job = world.next_job()
    with pytest.raises(DoubanUnavailable):
        world.imports.run(job)
    assert world.poll(import_id)["status"] == "running"

    world.imports.give_up(job)
    view = world.poll(import_id)
    assert (view["status"], view["error"]["code"]) == ("failed", "douban_unavailable")


def test_douban_down_part_way_keeps_the_pages_read_and_goes_on_later(world):
    films = marks(80)
    serve_interests(world.douban, UID, films)
    world.douban.set(f"{REXXAR_PATH.format(uid=UID)}?start=50", Reply.status_only(503))
    import_id = world.start()
    world.imports.run(world.next_job())

    (later,) = world.queue.sent
    assert (later.start, world.queue.delays[0] >= 10) == (50, True)
    assert len(world.poll(import_id)["entries"]) == 50

    serve_interests(world.douban, UID, films)  # Douban is back
    world.run_queued()
    assert world.poll(import_id)["entries"] == expected_entries(films)


def test_a_slow_douban_ends_the_job_early_and_the_next_job_goes_on(world):
    films = marks(120)
    serve_interests(world.douban, UID, films)
    import_id = world.start()
    world.ticker.step = 30
    world.imports.run(world.next_job())

    assert [job.start for job in world.queue.sent] == [50]
    world.ticker.step = 0
    world.run_queued()
    assert world.poll(import_id)["entries"] == expected_entries(films)


def test_a_film_seen_twice_as_the_list_shifts_while_paged_is_listed_once(world):
    films = marks(60)
    route = REXXAR_PATH.format(uid=UID)
    # the person marked a film meanwhile: the second page starts with the first page's last film again
    world.douban.set(f"{route}?start=0", Reply.json({"total": 61, "interests": [interest(f) for f in films[:50]]}))
    world.douban.set(f"{route}?start=50", Reply.json({"total": 61, "interests": [interest(f) for f in films[49:]]}))
    import_id = world.start()
    world.run_queued()
    view = world.poll(import_id)
    assert view["entries"] == expected_entries(films)
    assert view["skipped"] == 1


@pytest.mark.parametrize("total", [None, "1,234", "many", 12.5, -1], ids=repr)
def test_douban_answering_the_same_page_whatever_start_asks_ends_the_import_at_once(world, total):
    """Without a usable total, a page that brings no new film is where the list ends; it used to be paged until
    the import's 10-minute deadline."""
    films = marks(50)
    page = {"interests": [interest(film) for film in films]} | ({} if total is None else {"total": total})
    world.douban.set(REXXAR_PATH.format(uid=UID), Reply.json(page))  # every start gets the first page
    import_id = world.start()

    world.run_queued()

    view = world.poll(import_id)
    assert (view["status"], view["entries"]) == ("done", expected_entries(films))
    assert len(world.douban.requests) == 2  # the page, and the same page again: nothing new, so no third


def test_a_page_that_brings_nothing_new_ends_the_list_across_jobs_too(world):
    films = marks(100)
    route = REXXAR_PATH.format(uid=UID)
    first, second = ([interest(film) for film in films[at : at + 50]] for at in (0, 50))
    world.douban.set(f"{route}?start=0", Reply.json({"total": 5000, "interests": first}))
    world.douban.set(f"{route}?start=50", Reply.json({"total": 5000, "interests": second}))
    world.douban.set(route, Reply.json({"total": 5000, "interests": second}))  # the total lies, the list repeats
    import_id = world.start()

    world.run_queued()  # two pages a job: the repeated page comes in the second job

    view = world.poll(import_id)
    assert (view["status"], view["entries"]) == ("done", expected_entries(films))
    assert len(world.douban.requests) == 3


def test_without_a_total_a_short_page_is_the_last(world):
    films = marks(30)
    route = REXXAR_PATH.format(uid=UID)
    world.douban.set(f"{route}?start=0", Reply.json({"interests": [interest(film) for film in films]}))
    import_id = world.start()

    world.run_queued()

    assert world.poll(import_id)["entries"] == expected_entries(films)
    assert [request.param("start") for request in world.douban.requests] == ["0"]


def test_with_a_total_a_short_page_is_not_the_last(world):
    """The API may hand out fewer than asked (hidden marks); the total says there is more."""
    films = marks(90)
    route = REXXAR_PATH.format(uid=UID)
    world.douban.set(f"{route}?start=0", Reply.json({"total": 90, "interests": [interest(f) for f in films[:45]]}))
    world.douban.set(f"{route}?start=45", Reply.json({"total": 90, "interests": [interest(f) for f in films[45:]]}))
    import_id = world.start()
    world.run_queued()
    assert world.poll(import_id)["entries"] == expected_entries(films)


def test_an_import_past_its_deadline_polls_as_failed_and_its_job_does_nothing(world):
    serve_interests(world.douban, UID, marks(10))
    import_id = world.start()
    world.clock.now += 3600
    view = world.poll(import_id)
    assert (view["status"], view["error"]["code"]) == ("failed", "timeout")
    world.run_queued()
    assert world.douban.requests == []
    assert world.poll(import_id)["status"] == "failed"


def test_a_long_list_read_at_the_budget_s_pace_goes_on_past_ten_minutes_while_each_part_comes_in_time(world):
    """The deadline is ten minutes from the last part stored: 5,000 films at the import's share of the budget take
    twenty minutes, and a person's whole history is what keeps a seen film from being recommended."""
    films = marks(150)
    serve_interests(world.douban, UID, films)
    import_id = world.start()
    while world.queue.sent:
        world.clock.now += 400  # each job comes back well within ten minutes of the last, long after the first
        world.imports.run(world.next_job())
        assert world.poll(import_id)["status"] in ("pending", "running", "done")

    view = world.poll(import_id)
    assert (view["status"], view["entries"]) == ("done", expected_entries(films))
    assert world.clock.now - NOW > 600


@pytest.mark.parametrize(
    "import_id", ["not-an-id", "6f1c1d7e-2a4b-1c8e-9a57-0f6b8f7e1a2b", "3f0b9d62-5c1a-4e7b-8d2f-9a6c1e4b7d30"]
)
def test_malformed_or_unknown_ids_poll_as_nothing(world, import_id):
    assert world.imports.poll(import_id) is None


@pytest.mark.parametrize("options", [{"max_entries": 100}])
def test_a_very_long_list_stops_at_the_most_recent_films(world):
    films = marks(250)
    serve_interests(world.douban, UID, films)
    import_id = world.start()
    world.run_queued()
    view = world.poll(import_id)
    assert view["status"] == "done"
    assert view["entries"] == expected_entries(films[:100])


def test_an_import_is_the_persons_own_and_unknown_to_anyone_else(world):
    alice = Person(key="alice", session_id="s-alice", openid="o-alice")
    import_id = world.start(person=alice)
    assert world.imports.poll(import_id, owner="alice") is not None
    assert world.imports.poll(import_id, owner="bob") is None
    assert world.imports.poll(import_id) is None  # nor to an open server's anonymous caller
