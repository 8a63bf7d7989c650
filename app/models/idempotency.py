from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, IdMixin
from app.db.types import JSONType, UTCDateTime, utcnow


class IdempotencyKey(IdMixin, Base):
    """A client's ``Idempotency-Key`` and the response its creating request got.

    The row is written in the transaction of the creation itself, so it exists exactly when the
    creation was committed; a failed request leaves neither. Keys belong to one account (the
    unique key below); ``request_hash`` tells a retry from another request sent with the same key.
    """

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("account_id", "key"),)

    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(255))
    request_method: Mapped[str] = mapped_column(String(8))
    request_path: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of method, path and body
    response_status: Mapped[int | None] = mapped_column(Integer)  # null only while in flight
    response_headers: Mapped[dict[str, str] | None] = mapped_column(JSONType)
    response_body: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
