import uuid

import pytest

from movierec.core.models import RequestStatus
from movierec.douban.models import DoubanMovie
from movierec.modes.tags import TagsRequest
from movierec.recommendation.models import MovieEntry, MovieStatus, shown_movies
from movierec.recommendation.progress import Outcome, Progress, outcome
from movierec.recommendation.storage import RequestStore, StoredRequest
from tests.fakes.queues import RecordingQueue


def entry(rank, status=MovieStatus.PENDING):
    douban = DoubanMovie(id=str(rank), url=f"https://movie.douban.com/subject/{rank}/", title=f"片{rank}")
    return MovieEntry(rank=rank, title=f"片{rank}", status=status, douban=douban if status == "found" else None)


def stored(statuses, llm_done=True, topped_up=False):
    movies = [entry(rank, status) for rank, status in enumerate(statuses, start=1)]
    return StoredRequest(
        id=uuid.uuid4(),
        request={"mode": "tags", "tags": ["科幻"], "count": 2},
        status=RequestStatus.RUNNING,
        movies=movies,
        llm_done=llm_done,
        topped_up=topped_up,
        created_at=0,
        deadline_at=90,
    )


F, N, P, X = MovieStatus.FOUND, MovieStatus.NOT_FOUND, MovieStatus.PENDING, MovieStatus.FAILED


@pytest.mark.parametrize(
    ("statuses", "llm_done", "expected"),
    [
        ([F, F, P], True, Outcome.COMPLETE),  # the spare need not be waited for
        ([F, N, F], False, Outcome.COMPLETE),  # the model may still be writing spares
        ([F, P, F], True, Outcome.WAITING),  # rank 2 may yet be found and shown
        ([F, N], False, Outcome.WAITING),  # the model may still name more
        ([F, N, X], True, Outcome.SHORT),
        ([], True, Outcome.SHORT),
    ],
)
def test_outcome(statuses, llm_done, expected):
    assert outcome(stored(statuses, llm_done), count=2) == expected


def test_shown_movies_stop_at_the_count_th_found_one():
    movies = [entry(1, F), entry(2, N), entry(3, F), entry(4, F)]
    assert [m.rank for m in shown_movies(movies, 2)] == [1, 2, 3]
    assert [m.rank for m in shown_movies(movies, 5)] == [1, 2, 3, 4]


@pytest.fixture
def store(aws):
    return RequestStore(aws.Table("RequestsTable"))


def test_a_short_request_gets_one_top_up_round_then_completes(store):
    queue = RecordingQueue()
    progress = Progress(store, queue)
    request_id = uuid.uuid4()
    store.create(request_id, TagsRequest(mode="tags", tags=["科幻"], count=2), avoid=[])
    store.mark_running(request_id)
    store.add_movie(request_id, entry(1))
    store.finish_llm(request_id, {})
    after_lookup = store.record_movie(request_id, entry(1, F))

    assert progress.settle(after_lookup) is False
    assert [(job.request_id, job.top_up) for job in queue.sent] == [(request_id, True)]
    assert progress.settle(after_lookup) is False  # a second worker seeing the same state
    assert len(queue.sent) == 1

    store.add_movie(request_id, entry(2))
    store.finish_llm(request_id, {})
    assert progress.settle(store.record_movie(request_id, entry(2, N))) is True
    assert store.get(request_id).status == RequestStatus.DONE
    assert len(queue.sent) == 1


def test_a_poll_shows_done_as_soon_as_the_needed_cards_are_known():
    assert stored([F, F, P], llm_done=False).view().status == RequestStatus.DONE
    assert stored([F, P], llm_done=True).view().status == RequestStatus.RUNNING
    failed = stored([F, F]).model_copy(update={"status": RequestStatus.FAILED})
    assert failed.view().status == RequestStatus.FAILED
