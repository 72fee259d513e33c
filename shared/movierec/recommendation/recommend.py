"""The recommend step: ask the model, and dispatch each movie to the scrape queue the moment it is named."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from movierec.core.models import ErrorInfo, RequestStatus
from movierec.core.observability import logger, metrics
from movierec.core.queues import JobQueue
from movierec.douban.matching import same_title
from movierec.douban.title_keys import TitleName
from movierec.llm.answer_stream import StreamedMovie
from movierec.llm.client import LLMClient, LLMError
from movierec.llm.prompts import Refinement, build_messages
from movierec.modes import RecommendationRequest, mode_of
from movierec.modes.base import ContextSources, ContextUnavailable
from movierec.modes.read_filters import in_chip_order, model_reading, own_words, today_in_beijing
from movierec.people.content_safety import ReasonScreens
from movierec.people.usage_limits import DailyTokenBudget
from movierec.recommendation.grounding import exclusions_for, names_of, split_ids_and_titles
from movierec.recommendation.models import MovieEntry, MovieStatus, RecommendJob, ScrapeJob, shown_movies
from movierec.recommendation.progress import Progress
from movierec.recommendation.storage import FullRequest, RequestInputs, RequestStore, StoredRequest

# Some named films will not be on Douban or will be excluded; asking for a few more keeps the count full.
EXTRA_MOVIES = 3

GAVE_UP = ErrorInfo(code="internal_error", message="推荐服务内部出错，已重试多次仍未成功，请稍后再试。")
LLM_NOT_CONFIGURED = ErrorInfo(code="llm_not_configured", message="推荐服务暂时无法使用，我们会尽快修好，请稍后再来。")


class RecommendService:
    def __init__(
        self,
        store: RequestStore,
        scrape_queue: JobQueue,
        progress: Progress,
        llm_factory: Callable[[], LLMClient | None],
        *,
        reasons: ReasonScreens | None = None,
        token_budget: DailyTokenBudget | None = None,
        context_sources: Callable[[str | None], ContextSources] = lambda owner: ContextSources(),
    ) -> None:
        """`reasons` checks each reason before it is stored (sign-in); `token_budget` adds up the person's tokens;
        `context_sources(owner)` gives what a mode's context step may read for one request."""
        self._store = store
        self._scrape_queue = scrape_queue
        self._progress = progress
        self._llm_factory = llm_factory  # built per job: the API key may rotate in Secrets Manager
        self._reasons = reasons
        self._token_budget = token_budget
        # Per job: each request has its own budget of Douban reads, and its owner's marks.
        self._context_sources = context_sources

    def run(self, job: RecommendJob) -> None:
        stored = self._store.get(job.request_id)
        if stored is None:
            logger.warning("recommend job for an unknown request", extra={"request_id": str(job.request_id)})
            return
        if stored.status in (RequestStatus.DONE, RequestStatus.FAILED):
            return  # a redelivered message: the request already ended
        if stored.is_overdue(time.time()):
            self._store.time_out(stored.id, time.time())  # nobody is waiting for a model call any more
            return
        if stored.llm_done:
            self._redispatch_pending(stored)  # the model answered before a crash; finish the dispatch
            return
        inputs = self._store.inputs(stored.id)
        if inputs is None:
            logger.warning("recommend job for a request without its inputs", extra={"request_id": str(stored.id)})
            return
        llm = self._llm_factory()
        if llm is None:
            self._end_round(stored, LLM_NOT_CONFIGURED)
            return
        self._store.mark_running(stored.id)
        self._ask(llm, FullRequest(stored, inputs))

    def give_up(self, job: RecommendJob) -> None:
        """Every delivery of the job failed: the request ends rather than waiting for ever."""
        stored = self._store.get(job.request_id)
        if stored is not None:
            logger.error("recommend job abandoned", extra={"request_id": str(job.request_id)})
            self._end_round(stored, GAVE_UP)

    def _end_round(self, stored: StoredRequest, error: ErrorInfo, close_reasons: Iterable[int] = ()) -> None:
        """No (more) answer from the model: a top-up round ends with the first round's cards; a first round fails."""
        if stored.topped_up:
            unfinished = {movie.rank for movie in stored.movies if not movie.reason_complete} | set(close_reasons)
            self._progress.settle(self._store.finish_llm(stored.id, {}, unfinished))
        else:
            self._store.fail(stored.id, error)

    def _ask(self, llm: LLMClient, full: FullRequest) -> None:
        stored = full.stored
        request = full.inputs.parsed_request
        try:
            context = mode_of(request).context(request, self._context_sources(stored.owner))
        except ContextUnavailable as error:
            logger.warning("the context step could not gather the prompt's context", extra={"code": error.code})
            self._end_round(stored, ErrorInfo(code=error.code, message=error.message))
            return
        previous = self._store.get_full(request.previous) if request.previous else None
        messages = prompt_messages(full, context, previous)
        screen_reason = self._reasons.for_session(stored.session_id) if self._reasons else str
        dispatch = _Dispatch(self._store, self._scrape_queue, self._progress, full, screen_reason)
        try:
            result = llm.recommend(messages, dispatch, on_reading=dispatch.take_reading)
        except LLMError as error:
            logger.warning("the model gave no answer", extra={"code": error.code, "top_up": stored.topped_up})
            self._end_round(stored, ErrorInfo(code=error.code, message=error.message), dispatch.open_reasons)
            return
        metrics.add_metric(name="LLMPromptTokens", unit="Count", value=result.usage["prompt_tokens"])
        metrics.add_metric(name="LLMCompletionTokens", unit="Count", value=result.usage["completion_tokens"])
        if dispatch.open_reasons:
            logger.info("reasons the answer never finished", extra={"ranks": sorted(dispatch.open_reasons)})
        self._progress.settle(self._store.finish_llm(stored.id, result.usage, dispatch.open_reasons))
        self._count_tokens(stored, result.usage)

    def _count_tokens(self, stored: StoredRequest, usage: dict[str, int]) -> None:
        """Add the round's tokens to the person's day. After the answer is stored: a failed count must not cost
        the person a second model call (a retried job would ask the model again)."""
        if self._token_budget is None or not stored.owner:
            return
        try:
            self._token_budget.record(stored.owner, usage["prompt_tokens"] + usage["completion_tokens"])
        except Exception:
            logger.exception("token usage could not be counted", extra={"request_id": str(stored.id)})

    def _redispatch_pending(self, stored: StoredRequest) -> None:
        for entry in stored.movies:
            if entry.status == MovieStatus.PENDING:
                self._scrape_queue.send(_scrape_job(stored, entry))
        self._progress.settle(stored)


def prompt_messages(full: FullRequest, context: object, previous: FullRequest | None) -> list[dict[str, str]]:
    """This round's messages for a stored request, given what its mode's context step gathered and the request it
    follows (`previous`, when it names one). Pure."""
    request = full.request  # held to the filters its words state
    return build_messages(
        request,
        _how_many_to_ask(full.stored),
        _titles_to_avoid(full.stored, full.inputs),
        context,
        refinement=_refinement(request, previous),
        # What this request and the one before named: the model would name those again first.
        avoid_first=[*_named_titles(full.stored), *(_named_titles(previous.stored) if previous else [])],
        # The first round's answer may read the person's words for more filters; the top-up's is held to them.
        ask_reading=not full.stored.topped_up,
    )


class _Dispatch:
    """What happens to each movie of the answer: looked up as soon as it is named, its reason stored when it arrives.

    A title already named in this request, or one the person has seen, is never dispatched. Movies already
    stored come from the first round, or from an interrupted run of this job: they keep their ranks, new ones
    follow, and one named again can still receive the reason it was missing.
    """

    def __init__(
        self,
        store: RequestStore,
        scrape_queue: JobQueue,
        progress: Progress,
        full: FullRequest,
        screen_reason: Callable[[str], str],
    ) -> None:
        """`screen_reason` gives the reason as it may be shown (blank where the content check refuses it)."""
        self._store = store
        self._screen_reason = screen_reason
        self._scrape_queue = scrape_queue
        self._progress = progress
        self._stored = stored = full.stored
        self._inputs = full.inputs
        self._exclusions = exclusions_for(full.inputs.parsed_request, full.inputs.avoid)
        # A name is the same title again when its key is and its year fits: 冰血暴 (1996, the film) and 冰血暴
        # (2014, the series) are two.
        self._named = [
            (TitleName.parse(title), movie.year, movie.rank) for movie in stored.movies for title in names_of(movie)
        ]
        self._rank_by_position: dict[int, int | None] = {}  # None: passed over (seen, or a repeat)
        self._next_rank = len(stored.movies) + 1
        self.open_reasons = {movie.rank for movie in stored.movies if not movie.reason_complete}

    def take_reading(self, answer: object) -> None:
        """The model's reading of the person's words: the filters it adds where it agrees with the schema, stored
        before the first movie is dispatched, so that every card of the request is judged by them. Only in the first
        round, and only before any movie was stored (a job run again after some were keeps what they were judged by).
        """
        stored = self._stored
        if stored.topped_up or stored.movies:
            return
        request = self._inputs.parsed_request  # as sent: its filters are the explicit ones
        texts = [text for _, text in own_words(request, mode_of(request).constraint_fields)]
        today = today_in_beijing(time.time())
        added = model_reading(answer, texts, request.dismissed_filters, request.filters, stored.read_filters, today)
        if added and self._store.add_read_filters(stored.id, in_chip_order([*stored.read_filters, *added])):
            logger.info("the model read filters from the words", extra={"fields": [one.field for one in added]})

    def __call__(self, streamed: StreamedMovie) -> None:
        if streamed.position not in self._rank_by_position:
            self._rank_by_position[streamed.position] = self._place(streamed)
        rank = self._rank_by_position[streamed.position]
        if streamed.complete and rank in self.open_reasons:
            self.open_reasons.discard(rank)
            movie = streamed.movie
            reason = self._screen_reason(movie.reason)
            updated = self._store.set_reason(self._stored.id, rank, reason, movie.original_title)
            if updated is not None:
                self._progress.settle(updated)

    def _place(self, streamed: StreamedMovie) -> int | None:
        """The rank of a movie seen for the first time (dispatching it), or None when it is passed over."""
        movie = streamed.movie
        names = [TitleName.parse(title) for title in names_of(movie)]
        known = next(
            (rank for name in names for old, year, rank in self._named if same_title(name, movie.year, old, year)),
            None,
        )
        if known is not None:
            return known if known in self.open_reasons else None
        if any(self._exclusions.excludes_title(title, movie.year) for title in names_of(movie)):
            return None
        entry = MovieEntry(
            rank=self._next_rank,
            title=movie.title,
            original_title=movie.original_title,
            year=movie.year,
            reason=self._screen_reason(movie.reason) if streamed.complete else "",
            reason_complete=streamed.complete,
        )
        self._next_rank += 1
        self._named.extend((name, movie.year, entry.rank) for name in names)
        if not self._store.add_movie(self._stored.id, entry):
            return None  # another run of this job holds that rank, or the request ended
        if not streamed.complete:
            self.open_reasons.add(entry.rank)
        self._scrape_queue.send(_scrape_job(self._stored, entry))
        return entry.rank


def _how_many_to_ask(stored: StoredRequest) -> int:
    """The first round asks for a few spares; the top-up round for exactly the movies still missing."""
    count = stored.count
    if not stored.topped_up:
        return count + EXTRA_MOVIES
    found = sum(movie.status == MovieStatus.FOUND for movie in stored.movies)
    return max(1, count - found)


def _named_titles(stored: StoredRequest) -> list[str]:
    return [title for movie in stored.movies for title in names_of(movie)]


def _titles_to_avoid(stored: StoredRequest, inputs: RequestInputs) -> list[str]:
    """What the person has seen (never their ids: they mean nothing to the model), and every title this request has
    named already."""
    request = inputs.parsed_request
    _, seen_titles = split_ids_and_titles([*inputs.avoid, *mode_of(request).seen(request)])
    return list(dict.fromkeys([*seen_titles, *_named_titles(stored)]))


def _refinement(request: RecommendationRequest, previous: FullRequest | None) -> Refinement | None:
    """The earlier request's query and shown films, with the change asked for in words."""
    if request.refine is None or previous is None:
        return None
    earlier = previous.inputs.parsed_request
    shown = [movie.douban.title for movie in shown_movies(previous.stored.movies, earlier.count) if movie.douban]
    # A refinement of a refinement: the conversation so far is the query and the change it asked for.
    asked = "；".join(filter(None, (earlier.query, earlier.refine)))
    return Refinement(previous_query=asked, shown=shown, refine=request.refine)


def _scrape_job(stored: StoredRequest, entry: MovieEntry) -> ScrapeJob:
    return ScrapeJob(
        request_id=stored.id,
        rank=entry.rank,
        title=entry.title,
        original_title=entry.original_title,
        year=entry.year,
        top_up=stored.topped_up,  # the Douban budget looks the top-up round's movies up after the first round's
    )
