from datetime import datetime
from typing import Any

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.db.base import Base, IdMixin
from app.db.types import JSONType, UTCDateTime, enum_column, utcnow
from app.models.enums import AuditAction, AuditObject


class AuditEntry(IdMixin, Base):
    """Who changed what: one row per audited object a request created, changed or deleted,
    written in the request's own transaction (app/audit/recorder.py).

    The account and enterprise are plain ids, not foreign keys: the trail outlives what it names.
    """

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_object", "object_type", "object_id"),)

    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    account_id: Mapped[int | None] = mapped_column(Integer, index=True)
    enterprise_id: Mapped[int | None] = mapped_column(Integer)  # the acting member's enterprise
    action: Mapped[AuditAction] = mapped_column(enum_column(AuditAction))
    object_type: Mapped[AuditObject] = mapped_column(enum_column(AuditObject))
    object_id: Mapped[int] = mapped_column(Integer)
    # {field: {"before": ..., "after": ...}}, JSON values (decimals as strings, times in ISO 8601)
    changes: Mapped[dict[str, Any]] = mapped_column(JSONType)
    request_id: Mapped[str | None] = mapped_column(String(128))
