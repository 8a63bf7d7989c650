from datetime import datetime

from sqlalchemy import Float, ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base import Base, IdMixin, TimestampMixin, VersionedMixin
from app.db.types import UTCDateTime, enum_column
from app.models.capability import Capability
from app.models.enums import Interest
from app.models.requirement import Requirement


class Match(IdMixin, TimestampMixin, VersionedMixin, Base):
    """A requirement–capability pair that one side has acted on: interest, decline, withdrawal.

    The enterprises are copied from the postings so that an enterprise's matches are one indexed
    lookup; postings never change owner. Contact details are shown to each side only while both
    are interested (``mutual_at`` keeps when that first happened).
    """

    __tablename__ = "matches"
    __table_args__ = (UniqueConstraint("requirement_id", "capability_id"),)

    requirement_id: Mapped[int] = mapped_column(ForeignKey("requirements.id", ondelete="CASCADE"))
    capability_id: Mapped[int] = mapped_column(
        ForeignKey("capabilities.id", ondelete="CASCADE"), index=True
    )
    buyer_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    supplier_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    buyer_interest: Mapped[Interest] = mapped_column(enum_column(Interest))
    supplier_interest: Mapped[Interest] = mapped_column(enum_column(Interest))
    buyer_acted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    supplier_acted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    score: Mapped[float | None] = mapped_column(Float)  # the match score when last acted on
    mutual_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    requirement: Mapped[Requirement] = relationship(lazy="raise")
    capability: Mapped[Capability] = relationship(lazy="raise")

    @property
    def mutual(self) -> bool:
        return self.buyer_interest == self.supplier_interest == Interest.interested
