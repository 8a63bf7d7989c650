from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SQLITE_PATH = Path("var") / "chaindock.db"


class Settings(BaseSettings):
    """Runtime settings, read from the environment (prefix ``CHAINDOCK_``; ``DATABASE_URL`` too)."""

    model_config = SettingsConfigDict(env_prefix="CHAINDOCK_", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{DEFAULT_SQLITE_PATH}",
        validation_alias=AliasChoices("DATABASE_URL", "CHAINDOCK_DATABASE_URL"),
        description="SQLAlchemy URL; SQLite by default, postgresql+psycopg://... in production.",
    )
    sqlite_busy_timeout_ms: int = 5000
    page_size_default: int = 50
    page_size_max: int = 200
    token_default_ttl_days: int = 90
    token_max_ttl_days: int = 730
    sql_echo: bool = False
    timezone: str = Field(
        default="Asia/Shanghai",
        description="The local calendar that decides when a posting expires.",
    )


@lru_cache
def get_settings() -> Settings:
    return Settings()
