"""Settings read from the environment, in one place, so every adapter is configured the same way.

`settings()` reads and checks them once per instance (at cold start, where a handler asks for them at
import): a missing or malformed one stops the function with one log line naming the variable.
"""

from __future__ import annotations

import os
import re
from dataclasses import field
from functools import cache
from typing import Literal

from pydantic import ConfigDict, ValidationError, model_validator
from pydantic.dataclasses import dataclass


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


# The raw text when set: pydantic turns it into the field's type, or names the variable that is wrong.
def _env_float(name: str, default: float) -> float | str:
    return _env(name) or default


def _env_int(name: str, default: int) -> int | str:
    return _env(name) or default


def _env_bool(name: str, default: bool) -> bool | str:
    return _env(name) or default


def _env_optional_float(name: str, default: float | None) -> float | str | None:
    """A number, or "default" for none (the provider's own default)."""
    raw = _env(name)
    if raw.lower() == "default":
        return None
    return raw or default


_DOUBAN_LISTS = re.compile(r"\s*[a-z0-9_]+(:\d{1,2})?\s*(,\s*[a-z0-9_]+(:\d{1,2})?\s*)*")


class InvalidSettings(RuntimeError):
    """A setting is missing or malformed; the message names each variable and what is wrong with it."""


@dataclass(frozen=True, config=ConfigDict(validate_default=True))
class Settings:
    """Everything the functions need from their environment (see template.yaml for the deployed values).

    Each field is read from the variable of the same name in upper case (`llm_json_mode` from `LLM_JSON_MODE`).
    """

    requests_table: str = field(default_factory=lambda: _env("REQUESTS_TABLE", "movierec-requests"))
    movie_cache_table: str = field(default_factory=lambda: _env("MOVIE_CACHE_TABLE", "movierec-movie-cache"))
    rate_limit_table: str = field(default_factory=lambda: _env("RATE_LIMIT_TABLE", "movierec-rate-limits"))
    rate_limit_per_minute: int = field(default_factory=lambda: _env_int("RATE_LIMIT_PER_MINUTE", 10))
    # GET /movies/{id} reads that go to Douban (a cached card costs nothing), per person, or per IP without sign-in.
    movie_reads_per_minute: int = field(default_factory=lambda: _env_int("MOVIE_READS_PER_MINUTE", 10))
    idempotency_table: str = field(default_factory=lambda: _env("IDEMPOTENCY_TABLE", "movierec-idempotency"))
    recommend_queue_url: str = field(default_factory=lambda: _env("RECOMMEND_QUEUE_URL"))
    scrape_queue_url: str = field(default_factory=lambda: _env("SCRAPE_QUEUE_URL"))
    imports_table: str = field(default_factory=lambda: _env("IMPORTS_TABLE", "movierec-imports"))
    import_queue_url: str = field(default_factory=lambda: _env("IMPORT_QUEUE_URL"))
    sessions_table: str = field(default_factory=lambda: _env("SESSIONS_TABLE", "movierec-sessions"))
    marks_table: str = field(default_factory=lambda: _env("MARKS_TABLE", "movierec-marks"))
    feedback_table: str = field(default_factory=lambda: _env("FEEDBACK_TABLE", "movierec-feedback"))
    # Reports (反馈/举报) per person a minute (per IP without sign-in), and how long the operator keeps each one:
    # half a year, as long as China's Cybersecurity Law asks network logs to be kept.
    feedback_per_minute: int = field(default_factory=lambda: _env_int("FEEDBACK_PER_MINUTE", 5))
    feedback_ttl_days: int = field(default_factory=lambda: _env_int("FEEDBACK_TTL_DAYS", 180))

    # Who runs the service and which filed model writes its text: the agreements and GET /about show them, as
    # 《生成式人工智能服务管理暂行办法》 asks. A missing one is said at start-up (a launch needs every one).
    operator_name: str = field(default_factory=lambda: _env("OPERATOR_NAME"))
    operator_contact: str = field(default_factory=lambda: _env("OPERATOR_CONTACT"))
    model_name: str = field(default_factory=lambda: _env("MODEL_NAME"))
    model_filing: str = field(default_factory=lambda: _env("MODEL_FILING"))

    openai_base_url: str = field(default_factory=lambda: _env("OPENAI_BASE_URL", "https://api.openai.com/v1"))
    openai_model: str = field(default_factory=lambda: _env("OPENAI_MODEL", "gpt-4o-mini"))
    # The key itself comes from OPENAI_API_KEY (local) or the secret named here (deployed).
    openai_api_key_secret: str = field(default_factory=lambda: _env("OPENAI_API_KEY_SECRET"))
    llm_json_mode: str = field(default_factory=lambda: _env("LLM_JSON_MODE", "object"))
    # One budget for the whole answer, retries included; a stalled stream times out within it.
    llm_deadline_seconds: float = field(default_factory=lambda: _env_float("LLM_DEADLINE_SECONDS", 60.0))
    llm_read_timeout_seconds: float = field(default_factory=lambda: _env_float("LLM_READ_TIMEOUT_SECONDS", 20.0))
    llm_max_attempts: int = field(default_factory=lambda: _env_int("LLM_MAX_ATTEMPTS", 4))
    # Request features a provider may refuse: each is dropped by itself on refusal, and can be turned off here.
    llm_stream: bool = field(default_factory=lambda: _env_bool("LLM_STREAM", True))
    llm_stream_usage: bool = field(default_factory=lambda: _env_bool("LLM_STREAM_USAGE", True))
    llm_temperature: float | None = field(default_factory=lambda: _env_optional_float("LLM_TEMPERATURE", 0.7))
    llm_max_output_tokens: int = field(default_factory=lambda: _env_int("LLM_MAX_OUTPUT_TOKENS", 0))

    douban_base_url: str = field(default_factory=lambda: _env("DOUBAN_BASE_URL", "https://movie.douban.com"))
    douban_mobile_base_url: str = field(default_factory=lambda: _env("DOUBAN_MOBILE_BASE_URL", "https://m.douban.com"))
    # The app API host of a person's marks; asked only with an apiKey (the operator's choice), after the mobile site's.
    douban_frodo_base_url: str = field(
        default_factory=lambda: _env("DOUBAN_FRODO_BASE_URL", "https://frodo.douban.com")
    )
    douban_frodo_api_key: str = field(default_factory=lambda: _env("DOUBAN_FRODO_API_KEY"))
    douban_cookie_secret: str = field(default_factory=lambda: _env("DOUBAN_COOKIE_SECRET"))
    # Whether DOUBAN_COOKIE is set (locally); the cookie itself is read as a secret, never kept here.
    douban_cookie_in_environment: bool = field(default_factory=lambda: bool(_env("DOUBAN_COOKIE")))
    # The whole deployment's Douban budget, in requests per minute: anonymous, and while the operator's cookie works.
    douban_requests_per_minute: int = field(default_factory=lambda: _env_int("DOUBAN_REQUESTS_PER_MINUTE", 10))
    douban_signed_in_requests_per_minute: int = field(
        default_factory=lambda: _env_int("DOUBAN_SIGNED_IN_REQUESTS_PER_MINUTE", 20)
    )
    # Requests the cards people wait for may run ahead of the budget's pace; nothing else may.
    douban_burst: int = field(default_factory=lambda: _env_int("DOUBAN_BURST", 3))
    # A proof-of-work challenge is remembered this long (give or take a fifth), a ban that names no end this long.
    douban_challenge_seconds: float = field(default_factory=lambda: _env_float("DOUBAN_CHALLENGE_SECONDS", 6 * 3600.0))
    douban_ban_seconds: float = field(default_factory=lambda: _env_float("DOUBAN_BAN_SECONDS", 12 * 3600.0))
    # Douban's lists the warm-up reads into the movie cache, each `name` or `name:pages` (50 films a page).
    douban_warm_up_lists: str = field(
        default_factory=lambda: _env(
            "DOUBAN_WARM_UP_LISTS",
            "movie_top250:5,movie_real_time_hotest,movie_weekly_best,movie_hot_gaia,movie_showing,"
            "tv_hot,tv_real_time_hotest,tv_american,tv_domestic",
        )
    )
    # However long Douban asks us to stay away, a blocked source is tried again within this time.
    douban_circuit_max_open_seconds: float = field(
        default_factory=lambda: _env_float("DOUBAN_CIRCUIT_MAX_OPEN_SECONDS", 3600.0)
    )
    douban_timeout_seconds: float = field(default_factory=lambda: _env_float("DOUBAN_TIMEOUT_SECONDS", 10.0))

    # A card built from the search entry alone (Douban blocking) is completed by later tries.
    partial_refresh_delay_seconds: int = field(default_factory=lambda: _env_int("PARTIAL_REFRESH_DELAY_SECONDS", 10))
    partial_refresh_tries: int = field(default_factory=lambda: _env_int("PARTIAL_REFRESH_TRIES", 12))

    # A failed message comes back after this, doubling each time (capped at 30 s).
    retry_base_seconds: float = field(default_factory=lambda: _env_float("RETRY_BASE_SECONDS", 2.0))

    request_ttl_days: int = field(default_factory=lambda: _env_int("REQUEST_TTL_DAYS", 30))
    request_deadline_seconds: int = field(default_factory=lambda: _env_int("REQUEST_DEADLINE_SECONDS", 90))

    # WeChat sign-in: without an AppID the API is open to anyone (the local stack's default) and says so.
    wechat_api_base_url: str = field(default_factory=lambda: _env("WECHAT_API_BASE_URL", "https://api.weixin.qq.com"))
    wechat_app_id: str = field(default_factory=lambda: _env("WECHAT_APP_ID"))
    # The AppSecret comes from WECHAT_APP_SECRET (local) or the secret named here (deployed).
    wechat_app_secret_name: str = field(default_factory=lambda: _env("WECHAT_APP_SECRET_NAME"))
    # The key of the openid's keyed hash (a person's id in every table): OPENID_HASH_KEY locally, else this secret.
    openid_hash_key_secret_name: str = field(default_factory=lambda: _env("OPENID_HASH_KEY_SECRET_NAME"))
    session_ttl_seconds: int = field(default_factory=lambda: _env_int("SESSION_TTL_SECONDS", 7 * 86400))
    wechat_timeout_seconds: float = field(default_factory=lambda: _env_float("WECHAT_TIMEOUT_SECONDS", 3.0))
    # Sign-ins per source IP and minute (one mobile network's NAT hides many people: keep it generous).
    sign_in_per_minute: int = field(default_factory=lambda: _env_int("SIGN_IN_PER_MINUTE", 30))
    # Per signed-in person: new recommendation requests a minute, and LLM tokens a day (Beijing time); 0 is no limit.
    user_requests_per_minute: int = field(default_factory=lambda: _env_int("USER_REQUESTS_PER_MINUTE", 6))
    user_daily_llm_tokens: int = field(default_factory=lambda: _env_int("USER_DAILY_LLM_TOKENS", 100_000))
    # When WeChat's content check cannot answer: refuse the text (deployed default) or let it pass (local).
    content_safety_on_error: Literal["fail_closed", "pass"] = field(
        default_factory=lambda: _env("CONTENT_SAFETY_ON_ERROR", "fail_closed")
    )

    @property
    def sign_in_configured(self) -> bool:
        return bool(self.wechat_app_id)

    @property
    def douban_cookie_configured(self) -> bool:
        """The operator gave a Douban cookie (a secret's name deployed, DOUBAN_COOKIE locally)."""
        return bool(self.douban_cookie_secret) or self.douban_cookie_in_environment

    @model_validator(mode="after")
    def _required(self) -> Settings:
        missing = [name for name in ("RECOMMEND_QUEUE_URL", "SCRAPE_QUEUE_URL") if not getattr(self, name.lower())]
        if self.sign_in_configured:
            # Secrets are read when used (they may rotate); that they can be found is checked here.
            for value, secret_name in (
                ("WECHAT_APP_SECRET", "WECHAT_APP_SECRET_NAME"),
                ("OPENID_HASH_KEY", "OPENID_HASH_KEY_SECRET_NAME"),
            ):
                if not _env(value) and not getattr(self, secret_name.lower()):
                    missing.append(f"{value} or {secret_name} (WECHAT_APP_ID is set)")
        if missing:
            raise ValueError(f"required: {', '.join(missing)}")
        if not self.wechat_api_base_url.startswith(("https://", "http://")):
            raise ValueError("WECHAT_API_BASE_URL: must be an http(s) URL")
        for name in ("DOUBAN_REQUESTS_PER_MINUTE", "DOUBAN_SIGNED_IN_REQUESTS_PER_MINUTE", "DOUBAN_BURST"):
            if getattr(self, name.lower()) < 1:
                raise ValueError(f"{name}: must be at least 1 (Douban bans an address that asks too often)")
        if not _DOUBAN_LISTS.fullmatch(self.douban_warm_up_lists):
            raise ValueError(
                "DOUBAN_WARM_UP_LISTS: a comma-separated list of Douban list names, each name or name:pages"
            )
        return self


def _describe(error: ValidationError) -> str:
    problems = []
    for problem in error.errors():
        name = ".".join(str(part) for part in problem["loc"]).upper()
        message = problem["msg"].removeprefix("Value error, ")
        problems.append(f"{name}: {message}" if name else message)
    return "; ".join(problems)


@cache
def settings() -> Settings:
    """The settings, read and checked once; raises InvalidSettings naming every wrong or missing variable."""
    try:
        return Settings()
    except ValidationError as error:
        raise InvalidSettings(f"invalid settings: {_describe(error)}") from None
