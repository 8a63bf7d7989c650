from functools import lru_cache
from pathlib import Path
from typing import Literal

from limits import parse_many
from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.matching.scoring import Weights

DEFAULT_SQLITE_PATH = Path("var") / "chaindock.db"


class Settings(BaseSettings):
    """Runtime settings, read from the environment (prefix ``CHAINDOCK_``; ``DATABASE_URL`` too)."""

    model_config = SettingsConfigDict(env_prefix="CHAINDOCK_", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{DEFAULT_SQLITE_PATH}",
        validation_alias=AliasChoices("DATABASE_URL", "CHAINDOCK_DATABASE_URL"),
        description="SQLAlchemy URL; SQLite by default, postgresql+psycopg://... in production.",
    )
    sqlite_busy_timeout_ms: int = Field(
        default=5000,
        ge=0,
        description="How long a SQLite writer waits for the lock (in turn behind its own "
        "process's writers, then for other processes) before the request is a 503.",
    )
    db_connect_timeout_seconds: int = Field(
        default=5,
        ge=2,
        le=300,
        description="PostgreSQL: how long opening a connection may take before the request is a "
        "503; at least 2, libpq's minimum (a `connect_timeout` in DATABASE_URL wins).",
    )
    db_pool_pre_ping: bool = Field(
        default=True,
        description="Test a pooled connection before use, so one broken by a database restart "
        "is replaced instead of failing the request.",
    )
    db_pool_recycle_seconds: int = Field(
        default=1800,
        ge=-1,
        description="Replace pooled connections older than this (-1: never).",
    )
    db_pool_size: int = Field(
        default=20, ge=1, le=1000, description="Pooled connections kept open."
    )
    db_max_overflow: int = Field(
        default=10, ge=0, le=1000, description="Connections opened beyond the pool under load."
    )
    db_pool_timeout_seconds: float = Field(
        default=10,
        gt=0,
        le=300,
        description="How long a request waits for a free connection before it is a 503.",
    )
    idempotency_key_ttl_hours: int = Field(
        default=24,
        ge=1,
        le=24 * 90,
        description="How long an Idempotency-Key and its stored response are kept (then a retry "
        "with the key creates anew; `chaindock purge-idempotency-keys` deletes old ones).",
    )
    idempotency_wait_seconds: float = Field(
        default=10,
        ge=0,
        le=300,
        description="How long a request waits for another one in flight with the same "
        "Idempotency-Key before it is a 409 (PostgreSQL; SQLite runs one writer at a time).",
    )
    token_default_ttl_days: int = Field(
        default=90, ge=1, description="How long a token lives when its creator does not say."
    )
    token_max_ttl_days: int = Field(
        default=730, ge=1, le=36_500, description="The longest a token may live, in days."
    )
    sql_echo: bool = Field(default=False, description="Log every SQL statement.")
    match_weights: dict[str, float] = Field(
        default_factory=dict,
        description="Component weights overriding the built-in ones, as JSON, e.g. "
        '{"text": 40, "locality": 20}; requests may override them again.',
    )
    match_cover_threshold: float = Field(
        default=0.5,
        ge=0.05,
        le=1.0,
        description="Share of a line item's words a capability must match to cover the item.",
    )
    match_refresh_seconds: float = Field(
        default=0.5,
        ge=0,
        le=60,
        description="How long a process may answer match queries from its index before asking "
        "the database what other processes changed (its own writes count at once); 0: before "
        "every match query.",
    )
    timezone: str = Field(
        default="Asia/Shanghai",
        description="The local calendar that decides when a posting expires.",
    )

    # Running in production: see "Running in production" in README.md.
    rate_limit_enabled: bool = Field(
        default=True, description="Whether request rate limits apply at all (false: none)."
    )
    rate_limit_per_token: str = Field(
        default="600/minute",
        description="Requests one API token may make, in `limits` notation: `600/minute`, "
        "`10/second;600/minute`; empty for no per-token limit.",
    )
    rate_limit_per_ip: str = Field(
        default="1200/minute",
        description="Requests one client address may make (tokens or not); empty for no limit.",
    )
    rate_limit_failed_auth: str = Field(
        default="30/minute",
        description="Failed bearer authentications one client address may make; past this its "
        "requests with a token get 429 until the window passes.",
    )
    rate_limit_strategy: Literal["fixed-window", "moving-window", "sliding-window-counter"] = Field(
        default="fixed-window",
        description="How the window is counted (fixed: cheapest; moving: exact, costlier).",
    )
    rate_limit_key_prefix: str = Field(
        default="chaindock", description="Prefix of the rate-limit counters' keys in Redis."
    )
    redis_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("REDIS_URL", "CHAINDOCK_REDIS_URL"),
        description="redis://host:6379/0: rate-limit counters shared by all processes; "
        "without it each process counts in its own memory.",
    )
    max_body_bytes: int = Field(
        default=1 << 20, ge=1, description="The largest request body accepted (413 past it)."
    )
    cors_allow_origins: list[str] = Field(
        default_factory=list,
        description='Origins browsers may call the API from, as JSON: ["https://app.example"]; '
        "none by default.",
    )
    hsts_max_age: int = Field(
        default=0,
        ge=0,
        description="Seconds for Strict-Transport-Security; 0 sends none (set it behind HTTPS).",
    )
    metrics_enabled: bool = Field(default=True, description="Serve Prometheus metrics at /metrics.")
    metrics_token: SecretStr | None = Field(
        default=None,
        description="If set, /metrics wants `Authorization: Bearer <this>`; else it is open.",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", description="The least severe log level written."
    )
    log_format: Literal["json", "console"] = Field(
        default="json", description="JSON lines, or coloured lines for a person at a terminal."
    )
    graceful_shutdown_seconds: int = Field(
        default=30,
        ge=0,
        description="On SIGTERM, how long `chaindock serve` lets requests in flight finish.",
    )

    @field_validator("rate_limit_per_token", "rate_limit_per_ip", "rate_limit_failed_auth")
    @classmethod
    def _rate_limit_notation(cls, value: str) -> str:
        if value.strip():
            parse_many(value)  # raises ValueError naming the bad part
        return value.strip()

    @field_validator("match_weights")
    @classmethod
    def _known_components(cls, value: dict[str, float]) -> dict[str, float]:
        unknown = sorted(set(value) - set(Weights.names()))
        if unknown or any(not 0 <= w <= 1000 for w in value.values()):
            raise ValueError(
                f"weights must be 0-1000 for components among {Weights.names()}; got {value}"
            )
        return value


@lru_cache
def get_settings() -> Settings:
    return Settings()
