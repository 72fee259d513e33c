"""The composition root: builds each adapter once per Lambda instance from the environment.

Handlers ask here for what they need; tests and the local stack set the environment first and call
`reset()` to start from a clean slate.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

import boto3
import urllib3

from movierec.core import config
from movierec.core.config import InvalidSettings, Settings
from movierec.core.disclosure import ServiceInfo, service_info
from movierec.core.observability import logger
from movierec.core.queues import JobQueue
from movierec.core.rate_limits import RateLimiter
from movierec.core.secrets import read_secret
from movierec.modes.base import ContextSources, Marks
from movierec.people.content_safety import ContentSafety, ReasonScreens
from movierec.people.mark_store import MarkStore
from movierec.people.marks import taste_of
from movierec.people.sessions import Sessions, SessionStore
from movierec.people.usage_limits import DailyTokenBudget, UsageLimits
from movierec.people.wechat import WeChatClient
from movierec.recommendation.intake import Intake
from movierec.recommendation.progress import Progress
from movierec.recommendation.storage import RequestStore

# What only some functions build is imported by its builder, so that a function loads only what it uses: the API
# never calls the model (openai alone is a third of a second of its cold start), and only a Douban read needs the
# HTTP client and the page parser.
if TYPE_CHECKING:
    import openai

    from movierec.douban.budget import DoubanBudget
    from movierec.douban.cache import MovieCache
    from movierec.douban.http import DoubanHttp
    from movierec.douban.interests import InterestsReader
    from movierec.douban.lists import CacheWarmUp
    from movierec.douban.lookup import DoubanLookup
    from movierec.feedback.reports import Reports
    from movierec.feedback.store import FeedbackStore
    from movierec.history_import.user_import import UserImports
    from movierec.llm.chat_request import RefusedFeatures
    from movierec.llm.client import LLMClient
    from movierec.privacy.erasure import PersonalData
    from movierec.recommendation.recommend import RecommendService
    from movierec.recommendation.scrape import ScrapeService


def settings() -> Settings:
    """The checked settings; a handler asks at import, so a wrong one stops the function at cold start."""
    try:
        return config.settings()
    except InvalidSettings as error:
        logger.critical(f"movierec cannot start: {error}")
        raise


@cache
def announce_open_api() -> None:
    """Say at start-up, once per process, that the API is open when sign-in is not configured."""
    if not settings().sign_in_configured:
        logger.warning("sign-in is not configured (no WECHAT_APP_ID): the API is open to anyone, limited per IP")


@cache
def announce_missing_details() -> None:
    """Say at start-up, once per process, which of the operator's details are not set: a launch needs them all."""
    missing = about().missing
    if missing:
        logger.warning(
            f"the operator's details are not set: {', '.join(missing)}. GET /about says 未填写 for them; set them "
            "before a launch (README, Deploy for a launch)"
        )


@cache
def about() -> ServiceInfo:
    """Who runs the service and which filed model writes its text (GET /about), from the settings."""
    return service_info(settings())


@cache
def _dynamodb():
    return boto3.resource("dynamodb")


@cache
def _sqs():
    return boto3.client("sqs")


@cache
def request_store() -> RequestStore:
    config = settings()
    return RequestStore(
        _dynamodb().Table(config.requests_table),
        ttl_days=config.request_ttl_days,
        deadline_seconds=config.request_deadline_seconds,
    )


@cache
def _rate_limit_table():
    return _dynamodb().Table(settings().rate_limit_table)


@cache
def rate_limiter() -> RateLimiter:
    """New requests per source IP, without sign-in."""
    return RateLimiter(_rate_limit_table(), settings().rate_limit_per_minute)


@cache
def movie_read_limiter() -> RateLimiter:
    """GET /movies reads that go to Douban, per person (per IP without sign-in)."""
    return RateLimiter(_rate_limit_table(), settings().movie_reads_per_minute)


@cache
def sign_in_limiter() -> RateLimiter:
    """Sign-ins per source IP."""
    return RateLimiter(_rate_limit_table(), settings().sign_in_per_minute)


@cache
def token_budget() -> DailyTokenBudget:
    return DailyTokenBudget(_rate_limit_table(), settings().user_daily_llm_tokens)


@cache
def usage_limits() -> UsageLimits:
    per_person = RateLimiter(_rate_limit_table(), settings().user_requests_per_minute)
    return UsageLimits(rate_limiter(), per_person, token_budget())


@cache
def mark_store() -> MarkStore:
    return MarkStore(_dynamodb().Table(settings().marks_table))


@cache
def feedback_store() -> FeedbackStore:
    from movierec.feedback.store import FeedbackStore

    config = settings()
    return FeedbackStore(_dynamodb().Table(config.feedback_table), ttl_days=config.feedback_ttl_days)


@cache
def reports() -> Reports:
    """POST /feedback: reports per person (per IP without sign-in) a minute, their words past WeChat's check."""
    from movierec.feedback.reports import Reports

    limiter = RateLimiter(_rate_limit_table(), settings().feedback_per_minute)
    return Reports(feedback_store(), request_store(), limiter, content_safety=content_safety())


@cache
def personal_data() -> PersonalData:
    """DELETE /me: a person's items in every table that holds them."""
    from movierec.core.owned_items import OwnedItems
    from movierec.history_import.store import OWNER_INDEX as IMPORT_OWNER_INDEX
    from movierec.people.sessions import PERSON_INDEX
    from movierec.privacy.erasure import PersonalData
    from movierec.recommendation.storage import OWNER_INDEX as REQUEST_OWNER_INDEX

    config = settings()
    table = _dynamodb().Table
    return PersonalData(
        marks=OwnedItems(table(config.marks_table), "owner", key=("owner", "mark")),
        imports=OwnedItems(table(config.imports_table), "owner", key=("id",), index=IMPORT_OWNER_INDEX),
        requests=OwnedItems(table(config.requests_table), "owner", key=("id",), index=REQUEST_OWNER_INDEX),
        request_store=request_store(),
        reports=feedback_store(),
        sessions=OwnedItems(table(config.sessions_table), "person", key=("id",), index=PERSON_INDEX),
    )


@cache
def intake() -> Intake:
    return Intake(
        request_store(), recommend_queue(), usage_limits(), marks=mark_store(), content_safety=content_safety()
    )


@cache
def wechat() -> WeChatClient | None:
    """WeChat's server API; None without an AppID (the API is then open, and nothing is checked)."""
    config = settings()
    if not config.sign_in_configured:
        return None
    return WeChatClient(
        urllib3.PoolManager(),
        config.wechat_api_base_url,
        config.wechat_app_id,
        lambda: read_secret("WECHAT_APP_SECRET", config.wechat_app_secret_name),
        timeout_seconds=config.wechat_timeout_seconds,
    )


@cache
def sessions() -> Sessions | None:
    """Sign-in and who asks; None without an AppID."""
    client = wechat()
    if client is None:
        return None
    config = settings()
    return Sessions(
        SessionStore(_dynamodb().Table(config.sessions_table)),
        client,
        lambda: read_secret("OPENID_HASH_KEY", config.openid_hash_key_secret_name),
        config.session_ttl_seconds,
    )


@cache
def content_safety() -> ContentSafety | None:
    client = wechat()
    return ContentSafety(client, settings().content_safety_on_error) if client else None


def _reason_screens() -> ReasonScreens | None:
    safety, people = content_safety(), sessions()
    return ReasonScreens(safety, people.openid) if safety and people else None


@cache
def recommend_queue() -> JobQueue:
    return JobQueue(_sqs(), settings().recommend_queue_url)


@cache
def scrape_queue() -> JobQueue:
    return JobQueue(_sqs(), settings().scrape_queue_url)


@cache
def _openai_client(api_key: str, base_url: str) -> openai.OpenAI:
    """One client (and its connection pool) per key: a rotated key gets a new one."""
    import openai

    return openai.OpenAI(api_key=api_key, base_url=base_url, max_retries=0)


@cache
def refused_features() -> RefusedFeatures:
    """What the provider refused, learnt once per Lambda instance."""
    from movierec.llm.chat_request import RefusedFeatures

    return RefusedFeatures()


def llm_client() -> LLMClient | None:
    """None when no API key is configured: the request then fails with a clear message."""
    from movierec.llm.chat_request import RequestOptions
    from movierec.llm.client import LLMClient

    config = settings()
    api_key = read_secret("OPENAI_API_KEY", config.openai_api_key_secret)
    if not api_key:
        return None
    options = RequestOptions(
        json_mode=config.llm_json_mode,  # type: ignore[arg-type]
        stream=config.llm_stream,
        stream_usage=config.llm_stream_usage,
        temperature=config.llm_temperature,
        max_output_tokens=config.llm_max_output_tokens,
    )
    return LLMClient(
        _openai_client(api_key, config.openai_base_url),
        config.openai_model,
        options,
        refused=refused_features(),
        deadline_seconds=config.llm_deadline_seconds,
        read_timeout_seconds=config.llm_read_timeout_seconds,
        max_attempts=config.llm_max_attempts,
    )


@cache
def progress() -> Progress:
    return Progress(request_store(), recommend_queue())


@cache
def recommend_service() -> RecommendService:
    from movierec.recommendation.recommend import RecommendService

    return RecommendService(
        request_store(),
        scrape_queue(),
        progress(),
        llm_client,
        reasons=_reason_screens(),
        token_budget=token_budget(),
        context_sources=context_sources,
    )


def context_sources(owner: str | None) -> ContextSources:
    """What a mode's context step may read for one request: Douban subjects within a fresh budget, and the signed-in
    person's favourites and ratings (their taste, for for_me)."""
    from movierec.douban.subject_budget import SubjectsWithinBudget

    marks = Marks()
    if owner is not None and settings().sign_in_configured:
        liked, disliked = taste_of(mark_store().marks_of(owner))
        marks = Marks(liked=tuple(liked), disliked=tuple(disliked))
    subjects = SubjectsWithinBudget(douban_lookup(), movie_cache())
    return ContextSources(movie_by_id=subjects, douban_has_no=subjects.douban_has_no, marks=marks)


@cache
def movie_cache() -> MovieCache:
    from movierec.douban.cache import MovieCache

    return MovieCache(_dynamodb().Table(settings().movie_cache_table))


@cache
def douban_budget() -> DoubanBudget:
    """The one Douban budget of the deployment: every function's Douban client takes its tokens here."""
    from movierec.douban.budget import BudgetPolicy, DoubanBudget, DynamoBudgetStore

    config = settings()
    policy = BudgetPolicy(
        per_minute=config.douban_requests_per_minute,
        signed_in_per_minute=config.douban_signed_in_requests_per_minute,
        burst=config.douban_burst,
    )
    return DoubanBudget(
        DynamoBudgetStore(_rate_limit_table()), policy, cookie_configured=config.douban_cookie_configured
    )


def _douban_http(cookie: str | None = None) -> DoubanHttp:
    from movierec.douban.http import DoubanHttp

    config = settings()
    return DoubanHttp(
        budget=douban_budget(),
        cookie=cookie,
        timeout_seconds=config.douban_timeout_seconds,
        ban_seconds=config.douban_ban_seconds,
    )


@cache
def _douban_circuit():
    from movierec.douban.circuit import DynamoCircuitBreaker

    config = settings()
    return DynamoCircuitBreaker(
        _dynamodb().Table(config.movie_cache_table), max_open_seconds=config.douban_circuit_max_open_seconds
    )


@cache
def douban_lookup() -> DoubanLookup:
    from movierec.douban.lookup import DoubanLookup

    config = settings()
    http = _douban_http(cookie=read_secret("DOUBAN_COOKIE", config.douban_cookie_secret))
    return DoubanLookup(
        http,
        movie_cache(),
        _douban_circuit(),
        config.douban_base_url,
        config.douban_mobile_base_url,
        challenge_seconds=config.douban_challenge_seconds,
    )


@cache
def cache_warm_up() -> CacheWarmUp:
    """Douban's lists into the movie cache, in the budget's idle share (no cookie: the lists are public)."""
    from movierec.douban.lists import CacheWarmUp, DoubanList

    config = settings()
    lists = DoubanList.parse_all(config.douban_warm_up_lists)
    return CacheWarmUp(_douban_http(), movie_cache(), config.douban_base_url, config.douban_mobile_base_url, lists)


@cache
def scrape_service() -> ScrapeService:
    from movierec.recommendation.scrape import PartialRefresh, ScrapeService

    config = settings()
    refresh = PartialRefresh(scrape_queue(), config.partial_refresh_delay_seconds, config.partial_refresh_tries)
    return ScrapeService(request_store(), douban_lookup(), progress(), refresh, marks=mark_store())


@cache
def import_queue() -> JobQueue:
    return JobQueue(_sqs(), settings().import_queue_url)


@cache
def interests_reader() -> InterestsReader:
    """Its own polite client: a person's list is read without the operator's cookie."""
    from movierec.douban.interests import InterestsReader

    config = settings()
    return InterestsReader(
        _douban_http(),
        _douban_circuit(),
        config.douban_mobile_base_url,
        config.douban_frodo_base_url,
        config.douban_frodo_api_key,
    )


@cache
def user_imports() -> UserImports:
    from movierec.history_import.store import ImportStore
    from movierec.history_import.user_import import UserImports

    store = ImportStore(_dynamodb().Table(settings().imports_table))
    return UserImports(store, import_queue(), interests_reader, rate_limiter())


def reset() -> None:
    """Forget every built adapter (tests and the local stack change the environment between runs)."""
    for built in (
        config.settings,
        progress,
        _openai_client,
        refused_features,
        _dynamodb,
        _sqs,
        request_store,
        rate_limiter,
        _rate_limit_table,
        sign_in_limiter,
        movie_read_limiter,
        token_budget,
        usage_limits,
        mark_store,
        wechat,
        sessions,
        content_safety,
        intake,
        recommend_queue,
        scrape_queue,
        recommend_service,
        movie_cache,
        douban_budget,
        _douban_circuit,
        douban_lookup,
        cache_warm_up,
        scrape_service,
        import_queue,
        interests_reader,
        user_imports,
        about,
        feedback_store,
        reports,
        personal_data,
    ):
        built.cache_clear()
