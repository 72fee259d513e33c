"""Settings read from the environment, in one place, so every adapter is configured the same way."""

from __future__ import annotations

import os
from dataclasses import dataclass, field


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def _env_float(name: str, default: float) -> float:
    raw = _env(name)
    return float(raw) if raw else default


def _env_int(name: str, default: int) -> int:
    raw = _env(name)
    return int(raw) if raw else default


def _env_bool(name: str, default: bool) -> bool:
    raw = _env(name).lower()
    if raw in ("true", "1", "yes", "on"):
        return True
    if raw in ("false", "0", "no", "off"):
        return False
    if raw:
        raise ValueError(f"{name} must be true or false, not {raw!r}")
    return default


def _env_optional_float(name: str, default: float | None) -> float | None:
    """A number, or "default" for none (the provider's own default)."""
    raw = _env(name)
    if raw.lower() == "default":
        return None
    return float(raw) if raw else default


@dataclass(frozen=True)
class Settings:
    """Everything the functions need from their environment (see template.yaml for the deployed values)."""

    requests_table: str = field(default_factory=lambda: _env("REQUESTS_TABLE", "movierec-requests"))
    movie_cache_table: str = field(default_factory=lambda: _env("MOVIE_CACHE_TABLE", "movierec-movie-cache"))
    rate_limit_table: str = field(default_factory=lambda: _env("RATE_LIMIT_TABLE", "movierec-rate-limits"))
    rate_limit_per_minute: int = field(default_factory=lambda: _env_int("RATE_LIMIT_PER_MINUTE", 10))
    idempotency_table: str = field(default_factory=lambda: _env("IDEMPOTENCY_TABLE", "movierec-idempotency"))
    recommend_queue_url: str = field(default_factory=lambda: _env("RECOMMEND_QUEUE_URL"))
    scrape_queue_url: str = field(default_factory=lambda: _env("SCRAPE_QUEUE_URL"))
    imports_table: str = field(default_factory=lambda: _env("IMPORTS_TABLE", "movierec-imports"))
    import_queue_url: str = field(default_factory=lambda: _env("IMPORT_QUEUE_URL"))

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
    douban_requests_per_second: float = field(default_factory=lambda: _env_float("DOUBAN_REQUESTS_PER_SECOND", 2.0))
    # However long Douban asks us to stay away, a blocked source is tried again within this time.
    douban_circuit_max_open_seconds: float = field(
        default_factory=lambda: _env_float("DOUBAN_CIRCUIT_MAX_OPEN_SECONDS", 3600.0)
    )
    douban_timeout_seconds: float = field(default_factory=lambda: _env_float("DOUBAN_TIMEOUT_SECONDS", 10.0))

    # A card built from the search entry alone (Douban blocking) is completed by later tries.
    partial_refresh_delay_seconds: int = field(default_factory=lambda: _env_int("PARTIAL_REFRESH_DELAY_SECONDS", 30))
    partial_refresh_tries: int = field(default_factory=lambda: _env_int("PARTIAL_REFRESH_TRIES", 6))

    # A failed message comes back after this, doubling each time (capped at 30 s).
    retry_base_seconds: float = field(default_factory=lambda: _env_float("RETRY_BASE_SECONDS", 2.0))

    request_ttl_days: int = field(default_factory=lambda: _env_int("REQUEST_TTL_DAYS", 30))
    request_deadline_seconds: int = field(default_factory=lambda: _env_int("REQUEST_DEADLINE_SECONDS", 90))
