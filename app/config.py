from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, field_validator
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
        description="How long a SQLite writer waits for the lock before the request is a 503.",
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
        default=10, ge=1, le=1000, description="Pooled connections kept open."
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
    timezone: str = Field(
        default="Asia/Shanghai",
        description="The local calendar that decides when a posting expires.",
    )

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
