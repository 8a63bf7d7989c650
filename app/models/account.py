from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base import Base, IdMixin, TimestampMixin
from app.db.types import JSONType, UTCDateTime, enum_column, utcnow
from app.models.enums import ALL_SCOPES, Role


class Account(IdMixin, TimestampMixin, Base):
    """A person or system using the API; a member acts for exactly one enterprise."""

    __tablename__ = "accounts"

    name: Mapped[str] = mapped_column(String(128))
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    role: Mapped[Role] = mapped_column(enum_column(Role))
    enterprise_id: Mapped[int | None] = mapped_column(
        ForeignKey("enterprises.id", ondelete="RESTRICT"), index=True
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ApiToken(IdMixin, Base):
    """A bearer token; only its SHA-256 is stored, the secret is shown once at creation."""

    __tablename__ = "api_tokens"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(128))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # TokenScope values; tokens made before scopes existed were given all of them.
    scopes: Mapped[list[str]] = mapped_column(
        JSONType, default=lambda: [scope.value for scope in ALL_SCOPES]
    )

    account: Mapped[Account] = relationship(lazy="raise")
