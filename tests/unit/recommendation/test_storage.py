import uuid
from datetime import date

import pytest
from boto3.dynamodb.types import Binary

from movierec.core.models import ErrorInfo, RequestStatus
from movierec.douban.models import DoubanMovie
from movierec.modes.base import MAX_EXCLUDE, MAX_EXCLUDE_CHARACTERS
from movierec.modes.for_me import ForMeRequest
from movierec.modes.read_filters import read_request
from movierec.modes.tags import TagsRequest
from movierec.modes.theme import ThemeRequest
from movierec.recommendation.grounding import MAX_INHERITED_CHARACTERS
from movierec.recommendation.models import MovieEntry, MovieStatus
from movierec.recommendation.storage import CARD_TIMED_OUT_NOTE, SPARE_TIMED_OUT_NOTE, RequestStore


@pytest.fixture
def store(aws):
    return RequestStore(aws.Table("RequestsTable"), ttl_days=30, deadline_seconds=90, clock=lambda: 1_000)


@pytest.fixture
def request_id(store):
    request_id = uuid.uuid4()
    store.create(request_id, TagsRequest(mode="tags", tags=["科幻"], count=2), avoid=["123"])
    return request_id


def entry(rank, title="盗梦空间"):
    return MovieEntry(rank=rank, title=title, year=2010, reason="好看")


def found(rank, douban_id="3541415"):
    movie = DoubanMovie(
        id=douban_id, url=f"https://movie.douban.com/subject/{douban_id}/", title="盗梦空间", rating=9.4
    )
    return entry(rank).model_copy(update={"status": MovieStatus.FOUND, "douban": movie})


def test_a_created_request_reads_back_pending_with_ttl(store, request_id, aws):
    stored = store.get(request_id)
    assert stored.status == RequestStatus.PENDING
    assert stored.deadline_at == 1_090
    assert (stored.view().mode, stored.view().query, stored.count) == ("tags", "科幻", 2)
    assert store.inputs(request_id).avoid == ["123"]
    table = aws.Table("RequestsTable")
    for key in (str(request_id), f"{request_id}#inputs"):
        assert table.get_item(Key={"id": key})["Item"]["expires_at"] == 1_000 + 30 * 86400


def test_the_inputs_live_apart_from_what_a_poll_reads(store, aws):
    """2,000 excluded films and for_me's lists are read by the workers only: the request's item (a poll's read, and
    what every card's write is billed by) is the same size as for a person who excluded nothing."""
    seen = [str(1_000_000 + n) if n % 2 else f"看过的电影{n}" for n in range(MAX_EXCLUDE)]
    heavy, light = uuid.uuid4(), uuid.uuid4()
    store.create(heavy, ForMeRequest(mode="for_me", exclude=seen, liked=["喜欢的"] * 200, mood="轻松"), avoid=seen)
    store.create(light, ForMeRequest(mode="for_me", mood="轻松"), avoid=[])
    table = aws.Table("RequestsTable")
    heavy_item, light_item = (table.get_item(Key={"id": str(key)})["Item"] for key in (heavy, light))
    assert abs(item_bytes(heavy_item) - item_bytes(light_item)) <= 1
    assert "avoid" not in heavy_item
    assert "request" not in heavy_item
    inputs = store.inputs(heavy)
    assert inputs.avoid == seen
    assert inputs.parsed_request.liked == ["喜欢的"] * 200
    packed = table.get_item(Key={"id": f"{heavy}#inputs"})["Item"]["packed"]
    assert len(bytes(packed)) < item_bytes(seen) / 2  # compressed: a worker's read costs half the units or less


def test_a_worker_reads_a_requests_inputs_once(aws, request_id, store):
    """They never change, so an instance keeps them: a scrape worker looks up many movies of one request."""
    reads = []
    table = aws.Table("RequestsTable")

    class CountingTable:
        def get_item(self, **kwargs):
            reads.append(kwargs["Key"]["id"])
            return table.get_item(**kwargs)

        def __getattr__(self, name):
            return getattr(table, name)

    worker = RequestStore(CountingTable())
    assert worker.inputs(request_id) == worker.inputs(request_id) == store.inputs(request_id)
    assert reads == [f"{request_id}#inputs"]


def test_a_request_stored_whole_in_one_item_before_still_polls_and_works(store, aws):
    """Requests made before the inputs moved apart live out their 30 days: reopened from a person's history, they
    poll as before, and a worker still finds what they avoid."""
    request_id = uuid.uuid4()
    aws.Table("RequestsTable").put_item(
        Item={
            "id": str(request_id),
            "request": TagsRequest(mode="tags", tags=["科幻", "悬疑"], count=3).model_dump(
                mode="json", exclude={"exclude"}
            ),
            "avoid": ["看过的"],
            "status": "done",
            "movies": [],
            "deadline_at": 1_090,
            "created_at": 1_000,
        }
    )
    view = store.get(request_id).view()
    assert (view.mode, view.query, view.count, view.status) == ("tags", "科幻、悬疑", 3, "done")
    assert store.inputs(request_id).avoid == ["看过的"]


def test_unknown_request_is_none(store):
    assert store.get(uuid.uuid4()) is None


def test_adding_a_movie_twice_at_the_same_rank_keeps_one(store, request_id):
    assert store.add_movie(request_id, entry(1)) is True
    assert store.add_movie(request_id, entry(1)) is False
    stored = store.get(request_id)
    assert [m.title for m in stored.movies] == ["盗梦空间"]
    assert [m.status for m in stored.movies] == [MovieStatus.PENDING]


def test_recording_a_movie_is_final_once(store, request_id):
    store.add_movie(request_id, entry(1))
    recorded = store.record_movie(request_id, found(1))
    assert recorded.movies[0].douban.rating == 9.4
    assert recorded.movies[0].status == MovieStatus.FOUND
    assert store.record_movie(request_id, found(1)) is None  # redelivered
    assert store.get(request_id).movies[0] == recorded.movies[0]


def test_the_same_douban_id_is_claimed_by_one_rank_only(store, request_id):
    store.add_movie(request_id, entry(1))
    store.add_movie(request_id, entry(2, "Inception"))
    assert store.record_movie(request_id, found(1)) is not None
    assert store.record_movie(request_id, found(2)) is None
    assert store.get(request_id).movies[1].status == MovieStatus.PENDING


def test_a_top_up_round_opens_once_and_only_after_the_model_answered(store, request_id):
    assert store.begin_top_up(request_id) is False  # pending, the model has not answered
    store.mark_running(request_id)
    store.finish_llm(request_id, {"prompt_tokens": 1, "completion_tokens": 2})
    assert store.begin_top_up(request_id) is True
    assert store.begin_top_up(request_id) is False
    stored = store.get(request_id)
    assert (stored.topped_up, stored.llm_done, stored.completion_tokens) == (True, False, 2)
    store.finish_llm(request_id, {"prompt_tokens": 10, "completion_tokens": 20})
    assert (store.get(request_id).prompt_tokens, store.get(request_id).completion_tokens) == (11, 22)


def test_the_first_final_state_wins(store, request_id):
    assert store.fail(request_id, ErrorInfo(code="llm_timeout", message="超时")) is True
    assert store.complete(request_id) is False
    stored = store.get(request_id)
    assert stored.status == RequestStatus.FAILED
    assert stored.view().error.code == "llm_timeout"


def test_past_its_deadline_a_request_with_nothing_found_fails_with_timeout(store, request_id):
    store.add_movie(request_id, entry(1))
    assert store.time_out(request_id, now=1_050) is None  # not overdue yet
    ended = store.time_out(request_id, now=1_091)
    assert (ended.status, ended.error.code) == (RequestStatus.FAILED, "timeout")
    assert store.time_out(request_id, now=1_092) is None  # ended already


def test_past_its_deadline_a_request_shows_what_was_found_and_ends_the_cards_still_looked_up(store, request_id):
    """Douban's budget, shared by everyone asking at once, may not reach every card in time: the person sees the
    cards found, the one the count still needs says why it is missing, the spare beyond it is not shown, and no card
    stays pending in an ended request."""
    for rank, title in ((1, "盗梦空间"), (2, "星际穿越"), (3, "信条")):
        store.add_movie(request_id, entry(rank, title))
    store.mark_running(request_id)
    store.record_movie(request_id, found(1))
    ended = store.time_out(request_id, now=1_091)
    assert ended.status == RequestStatus.DONE
    assert ended.error is None
    assert [m.status for m in ended.movies] == [MovieStatus.FOUND, MovieStatus.FAILED, MovieStatus.NOT_FOUND]
    assert [m.note for m in ended.movies[1:]] == [CARD_TIMED_OUT_NOTE, SPARE_TIMED_OUT_NOTE]
    assert store.get(request_id) == ended
    assert store.record_movie(request_id, found(2, "1889243")) is None  # a lookup landing late changes nothing
    assert store.time_out(request_id, now=1_092) is None
    # The model, still naming films, adds none to the ended request: nothing would look it up.
    assert store.add_movie(request_id, entry(4, "致命魔术")) is False
    assert len(store.get(request_id).movies) == 3


def test_a_request_ends_within_the_second_after_its_deadline(store, request_id):
    """Deadlines are whole seconds and clocks are not: 0.5 s past it is past it, for the check and the write alike."""
    store.add_movie(request_id, entry(1))
    store.record_movie(request_id, found(1))
    assert store.time_out(request_id, now=1_090.0) is None
    assert store.time_out(request_id, now=1_090.5).status == RequestStatus.DONE


def test_a_request_that_ends_at_its_deadline_closes_the_reasons_still_being_written(store, request_id):
    """A poll of a done request stops: a reason still streaming would never be seen, so what was written is final."""
    store.add_movie(request_id, entry(1).model_copy(update={"reason": "", "reason_complete": False}))
    store.record_movie(request_id, found(1))
    ended = store.time_out(request_id, now=1_091)
    assert (ended.status, ended.movies[0].reason_complete) == (RequestStatus.DONE, True)
    assert store.set_reason(request_id, 1, "来晚了的理由", None) is None


def test_a_card_found_while_the_request_times_out_is_kept(store, request_id):
    """The timeout's write holds only while the cards it ends are still pending: one found in between is shown."""
    store.add_movie(request_id, entry(1))
    store.add_movie(request_id, entry(2, "星际穿越"))
    store.record_movie(request_id, found(1))
    table = store._table
    landed = []

    class CardLandsAfterTheRead:
        def __getattr__(self, name):
            return getattr(table, name)

        def get_item(self, **kwargs):
            item = table.get_item(**kwargs)
            if not landed:
                landed.append(store.record_movie(request_id, found(2, "1889243")))
            return item

    store._table = CardLandsAfterTheRead()
    ended = store.time_out(request_id, now=1_091)
    assert landed[0] is not None
    assert (ended.status, [m.status for m in ended.movies]) == (RequestStatus.DONE, [MovieStatus.FOUND] * 2)
    assert ended.movies[1].note is None


def test_a_partial_card_is_completed_once_even_after_the_request_ended(store, request_id):
    store.add_movie(request_id, entry(1))
    partial = found(1).model_copy(update={"partial": True, "source": "suggest"})
    store.record_movie(request_id, partial)
    store.complete(request_id)
    full = found(1).model_copy(update={"source": "desktop"})
    assert store.complete_card(request_id, full) is True
    assert store.complete_card(request_id, full) is False
    movie = store.get(request_id).movies[0]
    assert (movie.partial, movie.source, movie.status) == (False, "desktop", MovieStatus.FOUND)


def test_a_card_that_was_never_partial_is_not_replaced(store, request_id):
    store.add_movie(request_id, entry(1))
    store.record_movie(request_id, found(1))
    assert store.complete_card(request_id, found(1).model_copy(update={"source": "mobile"})) is False


def test_one_movie_is_read_with_its_request_but_not_the_others(store, request_id):
    store.add_movie(request_id, entry(1, "甲"))
    store.add_movie(request_id, entry(2, "乙"))
    found = store.get_movie(request_id, 2)
    assert (found.movie.title, found.status, found.inputs.avoid) == ("乙", "pending", ["123"])
    assert found.inputs.parsed_request.tags == ["科幻"]
    assert store.get_movie(request_id, 3) is None


def item_bytes(value):
    """An item's size as DynamoDB counts it: UTF-8 bytes of names and strings, 3 a list or map, 1 an element."""
    if isinstance(value, str):
        return len(value.encode())
    if isinstance(value, Binary):
        return len(bytes(value))
    if isinstance(value, dict):
        return 3 + sum(len(key.encode()) + 1 + item_bytes(item) for key, item in value.items())
    if isinstance(value, list | set):
        return 3 + sum(1 + item_bytes(item) for item in value)
    return 1 if value is None or isinstance(value, bool) else len(str(value))


def test_a_request_with_every_list_at_its_limit_fits_its_items_with_all_its_cards(store, aws):
    """DynamoDB's 400 KB item: every list at its limit in Chinese (3 bytes a character in UTF-8), a full inheritance
    from the request before, 23 found cards (count and spares) with long Douban data and 20 more not found."""
    request = ForMeRequest(
        mode="for_me",
        exclude=[f"{'影' * 14}{n % 10}" for n in range(MAX_EXCLUDE)],
        liked=["喜" * 30] * 200,
        disliked=["厌" * 30] * 200,
        mood="心" * 100,
    )
    inherited = [f"{'旧' * 24}{n % 10}" for n in range(MAX_INHERITED_CHARACTERS // 25)]
    assert sum(map(len, request.exclude)) == MAX_EXCLUDE_CHARACTERS
    request_id = uuid.uuid4()
    store.create(request_id, request, avoid=[*request.exclude, *inherited])
    stored = store.get(request_id)
    inputs = store.inputs(request_id)
    assert len(inputs.avoid) == MAX_EXCLUDE + len(inherited)
    assert inputs.parsed_request.liked == request.liked
    assert "exclude" not in inputs.request  # held once, in avoid
    assert item_bytes(aws.Table("RequestsTable").get_item(Key={"id": f"{request_id}#inputs"})["Item"]) < 400 * 1024

    # moto counts a list being replaced twice over, so the full item is measured here rather than written.
    long_card = found(1).douban.model_copy(
        update={"summary": "简" * 1000, "cast": ["演员的名字" * 2] * 60, "aka": ["又名" * 10] * 8}
    )
    movies = [entry(rank, title="片" * 60).model_copy(update={"reason": "理" * 40}) for rank in range(1, 44)]
    for movie in movies[:23]:
        movie.status, movie.douban = MovieStatus.FOUND, long_card.model_copy(update={"id": str(movie.rank)})
    for movie in movies[23:]:
        movie.status, movie.note = MovieStatus.NOT_FOUND, "豆瓣上没有找到" + "片" * 60
    full = stored.model_copy(update={"movies": movies, "claimed_ids": {str(rank) for rank in range(1, 24)}})
    assert item_bytes(full.model_dump(mode="json") | {"expires_at": 1}) < 400 * 1024


def test_the_lookup_and_the_reason_written_in_either_order_keep_each_other(store, request_id):
    early = entry(1).model_copy(update={"reason": "", "reason_complete": False})
    store.add_movie(request_id, early)
    assert store.record_movie(request_id, found(1).model_copy(update={"reason": "", "reason_complete": False}))
    store.set_reason(request_id, 1, "梦中梦", "Inception")
    store.add_movie(request_id, entry(2, "乙").model_copy(update={"reason": "", "reason_complete": False}))
    store.set_reason(request_id, 2, "循环", None)
    store.record_movie(request_id, found(2, "1300000").model_copy(update={"reason": "", "reason_complete": False}))
    first, second = store.get(request_id).movies
    assert (first.status, first.reason, first.original_title, first.reason_complete) == (
        MovieStatus.FOUND,
        "梦中梦",
        "Inception",
        True,
    )
    assert (second.status, second.reason, second.douban.id) == (MovieStatus.FOUND, "循环", "1300000")


def test_a_reason_is_written_once(store, request_id):
    store.add_movie(request_id, entry(1).model_copy(update={"reason": "", "reason_complete": False}))
    assert store.set_reason(request_id, 1, "第一次", None) is not None
    assert store.set_reason(request_id, 1, "第二次", None) is None
    assert store.get(request_id).movies[0].reason == "第一次"


def test_completing_a_partial_card_keeps_the_reason_that_arrived_since(store, request_id):
    store.add_movie(request_id, entry(1).model_copy(update={"reason": "", "reason_complete": False}))
    store.record_movie(request_id, found(1).model_copy(update={"partial": True, "reason": ""}))
    store.set_reason(request_id, 1, "梦中梦", None)
    assert store.complete_card(request_id, found(1).model_copy(update={"source": "desktop", "reason": ""}))
    movie = store.get(request_id).movies[0]
    assert (movie.partial, movie.source, movie.reason) == (False, "desktop", "梦中梦")


def test_the_end_of_the_answer_closes_the_reasons_that_never_arrived(store, request_id):
    for rank in (1, 2, 3):
        store.add_movie(request_id, entry(rank, f"片{rank}").model_copy(update={"reason_complete": rank == 2}))
    stored = store.finish_llm(request_id, {"prompt_tokens": 1, "completion_tokens": 1}, close_reasons=[3, 1])
    assert [m.reason_complete for m in stored.movies] == [True, True, True]
    assert stored.llm_done is True


def test_the_filters_read_are_stored_and_hold_the_request_and_each_of_its_movies(store):
    request_id = uuid.uuid4()
    request = ThemeRequest(mode="theme", theme="90年代港片，评分7.5分以上", filters={"min_rating": 8})
    read = read_request(request, ("theme",), date(2026, 3, 1))
    store.create(request_id, request, avoid=[], read_filters=read)
    store.add_movie(request_id, entry(1))
    full, movie = store.get_full(request_id), store.get_movie(request_id, 1)
    assert full.stored.read_filters == movie.read_filters == read
    for held_to in (full.request.filters, movie.request.filters):  # what the prompt and each card's judge hold to
        assert (held_to.min_rating, held_to.countries, held_to.years.to) == (8, ["中国香港"], 1999)  # explicit wins
    assert full.inputs.parsed_request.filters == request.filters  # the request as sent stays as sent
    assert store.get(request_id).view().read_filters == read


def test_filters_read_later_are_stored_only_before_the_first_movie(store, request_id):
    more = read_request(ThemeRequest(mode="theme", theme="日剧"), ("theme",), date(2026, 3, 1))
    assert store.add_read_filters(request_id, more)
    assert store.get(request_id).read_filters == more
    store.add_movie(request_id, entry(1))
    assert not store.add_read_filters(request_id, [])
    assert store.get(request_id).read_filters == more
