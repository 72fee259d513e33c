"""The recommend step with a scripted model, the real store on moto, and a recording queue."""

import json
import uuid
from datetime import date

import pytest

from movierec.core.models import RequestStatus
from movierec.core.observability import metrics
from movierec.douban.models import DoubanMovie
from movierec.llm.answer import SuggestedMovie
from movierec.llm.answer_stream import StreamedMovie
from movierec.llm.client import LLMError, LLMResult
from movierec.llm.prompts import READING_INSTRUCTION
from movierec.modes.base import ContextSources
from movierec.modes.for_me import ForMeRequest
from movierec.modes.read_filters import read_request
from movierec.modes.star import StarRequest
from movierec.modes.tags import TagsRequest
from movierec.modes.theme import ThemeRequest
from movierec.people.content_safety import ContentSafety, ReasonScreens
from movierec.people.usage_limits import DailyTokenBudget
from movierec.recommendation.grounding import avoid_list
from movierec.recommendation.models import MovieEntry, MovieStatus, RecommendJob
from movierec.recommendation.progress import Progress
from movierec.recommendation.recommend import EXTRA_MOVIES, RecommendService
from movierec.recommendation.storage import RequestStore
from tests.fakes.queues import RecordingQueue
from tests.fakes.text_checker import ScriptedChecker


class ScriptedModel:
    """Hands over movies one by one, recording what had been dispatched when each was handed over.

    A title may be a `SuggestedMovie`; `named_first` hands each over named (no reason) before complete, as a
    streamed answer does, and `cut_reasons` leaves those titles named only (the answer was cut).
    """

    def __init__(self, *titles, error=None, crash_after=None, named_first=False, cut_reasons=(), reading=None):
        self.titles = titles
        self.reading = reading  # the answer's "filters", handed over before the movies
        self.error = error
        self.crash_after = crash_after
        self.named_first = named_first
        self.cut_reasons = set(cut_reasons)
        self.messages = []
        self.dispatched_before_each = []

    def recommend(self, messages, on_movie, on_reading=None):
        self.messages.append(messages)
        if self.error:
            raise self.error
        if self.reading is not None and on_reading is not None:
            on_reading(self.reading)
        result = LLMResult()
        for position, title in enumerate(self.titles):
            if position == self.crash_after:
                raise RuntimeError("the worker died")
            self.dispatched_before_each.append(len(self.scrape_queue.sent))
            if isinstance(title, SuggestedMovie):
                movie = title
            else:
                title, year = title if isinstance(title, tuple) else (title, 2000)
                movie = SuggestedMovie(title=title, year=year, reason="r")
            if self.named_first or movie.title in self.cut_reasons:
                on_movie(StreamedMovie(position, movie.model_copy(update={"reason": ""}), complete=False))
            if movie.title not in self.cut_reasons:
                on_movie(StreamedMovie(position, movie, complete=True))
            result.movies.append(movie)
        result.usage = {"prompt_tokens": 7, "completion_tokens": 9}
        return result


DOUBAN_MOVIE = DoubanMovie(id="3541415", url="https://movie.douban.com/subject/3541415/", title="盗梦空间")


@pytest.fixture
def store(aws):
    return RequestStore(aws.Table("RequestsTable"))


@pytest.fixture
def queues():
    return RecordingQueue(), RecordingQueue()


def service(store, queues, model):
    scrape_queue, recommend_queue = queues
    if model is not None:
        model.scrape_queue = scrape_queue
    return RecommendService(store, scrape_queue, Progress(store, recommend_queue), lambda: model)


def new_request(store, request, avoid=()):
    request_id = uuid.uuid4()
    store.create(request_id, request, avoid=list(avoid))
    return request_id


def test_each_movie_is_dispatched_the_moment_the_model_names_it(store, queues):
    metrics.clear_metrics()
    model = ScriptedModel("甲", "乙", "丙")
    request_id = new_request(store, TagsRequest(mode="tags", tags=["科幻"], count=3))
    service(store, queues, model).run(RecommendJob(request_id=request_id))
    assert model.dispatched_before_each == [0, 1, 2]
    assert [(job.rank, job.title) for job in queues[0].sent] == [(1, "甲"), (2, "乙"), (3, "丙")]
    stored = store.get(request_id)
    assert (stored.status, stored.llm_done, len(stored.movies)) == (RequestStatus.RUNNING, True, 3)
    assert (stored.prompt_tokens, stored.completion_tokens) == (7, 9)
    assert metrics.metric_set["LLMCompletionTokens"]["Value"] == [9.0]
    assert metrics.metric_set["LLMPromptTokens"]["Value"] == [7.0]
    metrics.clear_metrics()


def test_the_model_is_asked_for_spares_and_told_what_to_avoid(store, queues):
    model = ScriptedModel("甲")
    request_id = new_request(store, TagsRequest(mode="tags", tags=["科幻"], count=5), avoid=["看过的", "3541415"])
    service(store, queues, model).run(RecommendJob(request_id=request_id))
    user = model.messages[0][1]["content"]
    assert f"恰好推荐 {5 + EXTRA_MOVIES} 部" in user
    assert '"避免推荐": ["看过的"]' in user  # ids mean nothing to the model; they are enforced after lookup


def test_excluded_and_repeated_titles_are_never_dispatched(store, queues):
    model = ScriptedModel("看过的", "甲", "甲 ", "《甲》", "乙")
    request_id = new_request(store, TagsRequest(mode="tags", tags=["科幻"], count=2), avoid=["看过的"])
    service(store, queues, model).run(RecommendJob(request_id=request_id))
    assert [job.title for job in queues[0].sent] == ["甲", "乙"]


def test_names_are_compared_by_their_keys_across_scripts_marks_and_season_spellings(store, queues):
    model = ScriptedModel(
        "盗梦空间", "盜夢空間", "《盗梦空间》 ", "潜行凶间(港)", "冰血暴 第一季", "冰血暴 第1季", "冰血暴", "Fargo S01"
    )
    request_id = new_request(store, TagsRequest(mode="tags", tags=["美剧"], count=4), avoid=["潜行凶间 (2000)"])
    service(store, queues, model).run(RecommendJob(request_id=request_id))
    # A show and its first season are different names; if they are one Douban entry, the scrape step says so.
    assert [job.title for job in queues[0].sent] == ["盗梦空间", "冰血暴 第一季", "冰血暴", "Fargo S01"]


def test_the_same_name_with_another_year_is_another_title(store, queues):
    model = ScriptedModel(("冰血暴", 2014), ("冰血暴", 1996), ("冰血暴", 2015), ("小妇人", 2019), ("小婦人", None))
    request_id = new_request(store, TagsRequest(mode="tags", tags=["剧情"], count=3))
    service(store, queues, model).run(RecommendJob(request_id=request_id))
    assert [(job.title, job.year) for job in queues[0].sent] == [("冰血暴", 2014), ("冰血暴", 1996), ("小妇人", 2019)]


def test_a_request_without_a_model_fails_clearly(store, queues):
    request_id = new_request(store, StarRequest(mode="star", star="周星驰"))
    service(store, queues, None).run(RecommendJob(request_id=request_id))
    stored = store.get(request_id)
    assert stored.status == RequestStatus.FAILED
    assert stored.error.code == "llm_not_configured"


def test_a_model_error_fails_the_request_with_its_message(store, queues):
    request_id = new_request(store, StarRequest(mode="star", star="周星驰"))
    service(store, queues, ScriptedModel(error=LLMError("llm_timeout", "超时了"))).run(
        RecommendJob(request_id=request_id)
    )
    assert store.get(request_id).error.model_dump() == {"code": "llm_timeout", "message": "超时了"}


def test_a_redelivered_job_after_the_answer_redispatches_only_pending_movies(store, queues):
    request_id = new_request(store, TagsRequest(mode="tags", tags=["科幻"], count=2))
    service(store, queues, ScriptedModel("甲", "乙")).run(RecommendJob(request_id=request_id))
    first = store.get(request_id).movies[0]
    store.record_movie(request_id, first.model_copy(update={"status": MovieStatus.NOT_FOUND}))
    again = ScriptedModel("丙")
    service(store, queues, again).run(RecommendJob(request_id=request_id))
    assert again.messages == []  # the model is not asked twice
    assert [job.title for job in queues[0].sent] == ["甲", "乙", "乙"]


def test_an_interrupted_run_resumes_after_the_stored_movies(store, queues):
    request_id = new_request(store, TagsRequest(mode="tags", tags=["科幻"], count=3))
    with pytest.raises(RuntimeError):
        service(store, queues, ScriptedModel("甲", "乙", crash_after=1)).run(RecommendJob(request_id=request_id))
    assert store.get(request_id).llm_done is False
    service(store, queues, ScriptedModel("甲", "乙")).run(RecommendJob(request_id=request_id))
    stored = store.get(request_id)
    assert [(m.rank, m.title) for m in stored.movies] == [(1, "甲"), (2, "乙")]
    assert [job.title for job in queues[0].sent] == ["甲", "乙"]
    assert stored.llm_done is True


def test_the_top_up_round_asks_for_the_missing_number_avoiding_every_named_title(store, queues):
    request_id = new_request(store, TagsRequest(mode="tags", tags=["科幻"], count=3), avoid=["看过的"])
    service(store, queues, ScriptedModel("甲", "乙")).run(RecommendJob(request_id=request_id))
    for movie, status in zip(store.get(request_id).movies, (MovieStatus.FOUND, MovieStatus.NOT_FOUND), strict=True):
        Progress(store, queues[1]).settle(store.record_movie(request_id, movie.model_copy(update={"status": status})))
    assert [job.top_up for job in queues[1].sent] == [True]

    top_up = ScriptedModel("丙")
    service(store, queues, top_up).run(queues[1].sent[0])
    user = top_up.messages[0][1]["content"]
    assert "恰好推荐 2 部" in user
    assert '"避免推荐": ["看过的", "甲", "乙"]' in user
    assert [(m.rank, m.title) for m in store.get(request_id).movies][-1] == (3, "丙")


def test_a_failing_top_up_keeps_the_first_rounds_cards(store, queues):
    request_id = new_request(store, TagsRequest(mode="tags", tags=["科幻"], count=2))
    service(store, queues, ScriptedModel("甲")).run(RecommendJob(request_id=request_id))
    movie = store.get(request_id).movies[0]
    Progress(store, queues[1]).settle(
        store.record_movie(request_id, movie.model_copy(update={"status": MovieStatus.NOT_FOUND}))
    )
    service(store, queues, ScriptedModel(error=LLMError("llm_empty", "空"))).run(queues[1].sent[0])
    stored = store.get(request_id)
    assert (stored.status, stored.error) == (RequestStatus.DONE, None)


def user_message(model):
    return model.messages[0][1]["content"]


def prompt_data(model):
    content = user_message(model)
    return json.loads(content[content.index("{") :])


INCEPTION = DoubanMovie(
    id="3541415", url="https://movie.douban.com/subject/3541415/", title="盗梦空间", year=2010, genres=["剧情", "科幻"]
)


def with_sources(store, queues, model, **sources):
    scrape_queue, recommend_queue = queues
    model.scrape_queue = scrape_queue
    progress = Progress(store, recommend_queue)
    return RecommendService(
        store, scrape_queue, progress, lambda: model, context_sources=lambda owner: ContextSources(**sources)
    )


def test_the_modes_context_step_runs_before_the_prompt_and_names_ids_by_their_titles(store, queues):
    model = ScriptedModel("甲")
    asked = []

    def movie_by_id(douban_id):
        asked.append(douban_id)
        return INCEPTION if douban_id == INCEPTION.id else None

    request = ForMeRequest(mode="for_me", liked=["3541415", "99999999", "星际穿越"], mood="轻松一点")
    request_id = new_request(store, request)
    with_sources(store, queues, model, movie_by_id=movie_by_id).run(RecommendJob(request_id=request_id))
    data = prompt_data(model)
    assert data["喜欢的影片"] == ["盗梦空间（2010，剧情/科幻）", "星际穿越"]
    assert data["此刻的心情"] == "轻松一点"
    assert asked == ["3541415", "99999999"]
    assert "3541415" not in user_message(model)  # titles only, never ids
    assert "99999999" not in user_message(model)


def test_a_context_step_that_cannot_gather_the_prompt_fails_the_request_with_its_message(store, queues):
    model = ScriptedModel("甲")
    request_id = new_request(store, ThemeRequest(mode="theme", like="3541415"))
    with_sources(store, queues, model).run(RecommendJob(request_id=request_id))
    stored = store.get(request_id)
    assert (stored.status, stored.error.code) == (RequestStatus.FAILED, "like_unavailable")
    assert model.messages == []


def test_liked_and_disliked_titles_are_never_dispatched(store, queues):
    model = ScriptedModel("盗梦空间", "喜欢的片", "甲")
    request_id = new_request(store, ForMeRequest(mode="for_me", liked=["喜欢的片"], disliked=["盜夢空間"], count=1))
    with_sources(store, queues, model).run(RecommendJob(request_id=request_id))
    assert [job.title for job in queues[0].sent] == ["甲"]


def finished_request(store, request, shown, avoid=()):
    """A previous request that showed these films (found) and named one more that Douban did not have."""
    request_id = new_request(store, request, avoid)
    for rank, title in enumerate([*shown, "编造的片"], start=1):
        store.add_movie(request_id, MovieEntry(rank=rank, title=title, year=2000))
        found = title != "编造的片"
        douban = INCEPTION.model_copy(update={"id": str(rank), "title": title}) if found else None
        entry = MovieEntry(
            rank=rank, title=title, year=2000, status=MovieStatus.FOUND if found else MovieStatus.NOT_FOUND
        )
        store.record_movie(request_id, entry.model_copy(update={"douban": douban}))
    return request_id


def test_a_refinement_tells_the_model_the_previous_query_what_it_showed_and_the_change(store, queues):
    earlier = finished_request(store, TagsRequest(mode="tags", tags=["科幻"], count=2), ["盗梦空间", "星际穿越"])
    model = ScriptedModel("甲")
    refined = TagsRequest(mode="tags", tags=["科幻"], previous=earlier, refine="更冷门一点")
    request_id = new_request(store, refined, avoid=avoid_list(refined, store.get_full(earlier)))
    service(store, queues, model).run(RecommendJob(request_id=request_id))
    data = prompt_data(model)
    assert data["上一次的需求"] == "科幻"
    assert data["上一次推荐了"] == ["盗梦空间", "星际穿越"]  # what the person saw, not what Douban lacked
    assert data["这次的调整"] == "更冷门一点"
    assert set(data["避免推荐"]) >= {"盗梦空间", "星际穿越", "编造的片"}


def test_a_second_refinement_carries_the_first_one_as_part_of_what_was_asked(store, queues):
    first = finished_request(store, TagsRequest(mode="tags", tags=["科幻"], count=1), ["盗梦空间"])
    refined = TagsRequest(mode="tags", tags=["科幻"], count=1, previous=first, refine="更冷门一点")
    second = finished_request(store, refined, ["初始者"], avoid=avoid_list(refined, store.get_full(first)))
    again = TagsRequest(mode="tags", tags=["科幻"], previous=second, refine="要2010年以后的")
    request_id = new_request(store, again, avoid=avoid_list(again, store.get_full(second)))
    model = ScriptedModel("甲")
    service(store, queues, model).run(RecommendJob(request_id=request_id))
    data = prompt_data(model)
    assert (data["上一次的需求"], data["上一次推荐了"]) == ("科幻；更冷门一点", ["初始者"])
    assert {"盗梦空间", "初始者"} <= set(data["避免推荐"])  # the whole chain stays out


def test_another_batch_without_refine_asks_as_before(store, queues):
    earlier = finished_request(store, TagsRequest(mode="tags", tags=["科幻"], count=1), ["盗梦空间"])
    model = ScriptedModel("甲")
    again = TagsRequest(mode="tags", tags=["科幻"], previous=earlier)
    request_id = new_request(store, again, avoid=avoid_list(again, store.get_full(earlier)))
    service(store, queues, model).run(RecommendJob(request_id=request_id))
    assert prompt_data(model) == {
        "推荐数量": 8 + EXTRA_MOVIES,
        "兴趣标签": ["科幻"],
        "避免推荐": ["盗梦空间", "编造的片"],
    }


def test_with_two_thousand_seen_titles_the_previous_batchs_titles_still_reach_the_prompt(store, queues):
    earlier = finished_request(store, TagsRequest(mode="tags", tags=["科幻"], count=1), ["盗梦空间"])
    seen = [f"看过的电影第{n}部" for n in range(2000)]
    again = TagsRequest(mode="tags", tags=["科幻"], previous=earlier, exclude=seen)
    request_id = new_request(store, again, avoid=avoid_list(again, store.get_full(earlier)))
    model = ScriptedModel("甲")
    service(store, queues, model).run(RecommendJob(request_id=request_id))
    listed = prompt_data(model)["避免推荐"]
    assert {"盗梦空间", "编造的片", seen[0]} <= set(listed)
    assert len(listed) < 2000
    assert sum(len(message["content"]) for message in model.messages[0]) < 6000


# --- the early start: looked up once named, the reason stored when it arrives -----------------------------------


def test_a_movie_is_dispatched_when_named_and_its_reason_stored_when_it_arrives(store, queues):
    request_id = new_request(store, TagsRequest(mode="tags", tags=["科幻"], count=2))
    model = ScriptedModel("甲", "乙", named_first=True)
    service(store, queues, model).run(RecommendJob(request_id=request_id))
    assert model.dispatched_before_each == [0, 1]
    assert [(job.rank, job.title) for job in queues[0].sent] == [(1, "甲"), (2, "乙")]
    stored = store.get(request_id)
    assert [(m.reason, m.reason_complete) for m in stored.movies] == [("r", True), ("r", True)]


def test_a_reason_that_never_arrives_is_closed_empty_when_the_answer_ends(store, queues):
    request_id = new_request(store, TagsRequest(mode="tags", tags=["科幻"], count=2))
    service(store, queues, ScriptedModel("甲", "乙", cut_reasons={"乙"})).run(RecommendJob(request_id=request_id))
    stored = store.get(request_id)
    assert [(m.title, m.reason, m.reason_complete) for m in stored.movies] == [("甲", "r", True), ("乙", "", True)]


def test_a_found_card_waits_for_its_reason_before_the_request_is_done(store, queues):
    request_id = new_request(store, TagsRequest(mode="tags", tags=["科幻"], count=1))
    progress = Progress(store, queues[1])
    store.mark_running(request_id)
    entry = MovieEntry(rank=1, title="甲", year=2000, reason_complete=False)
    store.add_movie(request_id, entry)
    found = entry.model_copy(update={"status": MovieStatus.FOUND, "douban": DOUBAN_MOVIE, "reason": "stale"})
    progress.settle(store.record_movie(request_id, found))
    stored = store.get(request_id)
    assert (stored.status, stored.view().status) == (RequestStatus.RUNNING, RequestStatus.RUNNING)
    assert stored.movies[0].reason == ""  # the lookup never writes the reason
    progress.settle(store.set_reason(request_id, 1, "梦中梦", "Original"))
    stored = store.get(request_id)
    assert stored.status == RequestStatus.DONE
    assert (stored.movies[0].reason, stored.movies[0].original_title) == ("梦中梦", "Original")
    assert stored.movies[0].douban.id == DOUBAN_MOVIE.id


def test_a_duplicate_or_excluded_title_named_early_is_never_dispatched(store, queues):
    request_id = new_request(store, TagsRequest(mode="tags", tags=["科幻"], count=2), avoid=["看过的"])
    named = ScriptedModel("看过的", "甲", "《甲》", "乙", named_first=True)
    service(store, queues, named).run(RecommendJob(request_id=request_id))
    assert [job.title for job in queues[0].sent] == ["甲", "乙"]
    assert [m.title for m in store.get(request_id).movies] == ["甲", "乙"]


def test_a_resumed_run_gives_a_movie_named_before_the_crash_its_reason(store, queues):
    request_id = new_request(store, TagsRequest(mode="tags", tags=["科幻"], count=2))
    with pytest.raises(RuntimeError):
        service(store, queues, ScriptedModel("甲", "乙", crash_after=1, cut_reasons={"甲"})).run(
            RecommendJob(request_id=request_id)
        )
    assert store.get(request_id).movies[0].reason_complete is False
    service(store, queues, ScriptedModel("甲", "乙")).run(RecommendJob(request_id=request_id))
    stored = store.get(request_id)
    assert [(m.title, m.reason, m.reason_complete) for m in stored.movies] == [("甲", "r", True), ("乙", "r", True)]
    assert [job.title for job in queues[0].sent] == ["甲", "乙"]


def test_a_persons_reasons_are_checked_and_tokens_counted(store, queues, aws):
    checker = ScriptedChecker(risky={"r"})
    budget = DailyTokenBudget(aws.Table("RateLimitTable"), daily_tokens=100)
    scrape_queue, recommend_queue = queues
    model = ScriptedModel("甲", "乙")
    model.scrape_queue = scrape_queue
    recommend = RecommendService(
        store,
        scrape_queue,
        Progress(store, recommend_queue),
        lambda: model,
        reasons=ReasonScreens(ContentSafety(checker), {"s1": "o-alice"}.get),
        token_budget=budget,
    )
    request_id = uuid.uuid4()
    store.create(request_id, StarRequest(mode="star", star="周星驰", count=1), [], owner="alice", session_id="s1")
    recommend.run(RecommendJob(request_id=request_id))
    assert [movie.reason for movie in store.get(request_id).movies] == ["", ""]  # risky: not shown
    assert checker.checked == [("r", "o-alice"), ("r", "o-alice")]
    assert budget.spent_today("alice") == 7 + 9


# --- the model's reading of the person's words (issue 21) ---------------------------------------------------------

READING = [
    {"words": "粤语", "field": "languages", "value": ["粤语"]},
    {"words": "周星驰", "field": "countries", "value": ["中国香港"]},  # not the person's words: dropped
]


def test_the_models_reading_is_stored_before_the_first_movie_and_holds_every_card(store, queues):
    model = ScriptedModel("甲", "乙", reading=READING)
    request_id = uuid.uuid4()
    request = ThemeRequest(mode="theme", theme="90年代的粤语老片")
    read = read_request(request, ("theme",), date(2026, 3, 1))
    store.create(request_id, request, avoid=[], read_filters=read)
    service(store, queues, model).run(RecommendJob(request_id=request_id))
    full = store.get_full(request_id)
    assert [(one.field, one.source) for one in full.stored.read_filters] == [("languages", "model"), ("years", "words")]
    assert full.request.filters.languages == ["粤语"]
    assert full.request.filters.years.from_ == 1990
    assert READING_INSTRUCTION in model.messages[0][1]["content"]


def test_a_reading_is_not_taken_once_movies_are_stored_nor_in_the_top_up(store, queues):
    request_id = uuid.uuid4()
    store.create(request_id, ThemeRequest(mode="theme", theme="粤语老片", count=2), avoid=[])
    store.add_movie(request_id, MovieEntry(rank=1, title="甲", year=2000, reason="r"))
    service(store, queues, ScriptedModel("乙", reading=READING)).run(RecommendJob(request_id=request_id))
    assert store.get(request_id).read_filters == []
