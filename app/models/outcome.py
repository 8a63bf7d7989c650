from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Numeric, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base import Base, IdMixin, TimestampMixin, VersionedMixin
from app.db.types import UTCDateTime, enum_column, utcnow
from app.models.enterprise import Enterprise
from app.models.enums import OutcomeKind


class Outcome(IdMixin, TimestampMixin, VersionedMixin, Base):
    """What came of a meeting or a match: an intended or signed order, a project, a cooperation,
    financing. The buyer and supplier are fixed when it is recorded (from the meeting's parties
    or the postings), so figures group by enterprise without joins through postings."""

    __tablename__ = "outcomes"

    kind: Mapped[OutcomeKind] = mapped_column(enum_column(OutcomeKind), index=True)
    amount_yuan: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id"), index=True)
    requirement_id: Mapped[int | None] = mapped_column(
        ForeignKey("requirements.id", ondelete="SET NULL"), index=True
    )
    capability_id: Mapped[int | None] = mapped_column(
        ForeignKey("capabilities.id", ondelete="SET NULL"), index=True
    )
    buyer_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)

    buyer: Mapped[Enterprise] = relationship(lazy="raise", foreign_keys=[buyer_id])
    supplier: Mapped[Enterprise] = relationship(lazy="raise", foreign_keys=[supplier_id])
