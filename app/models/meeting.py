from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base import Base, IdMixin, TimestampMixin, VersionedMixin
from app.db.types import UTCDateTime, enum_column
from app.models.enums import MeetingStatus
from app.models.event import Registration


class Meeting(IdMixin, TimestampMixin, VersionedMixin, Base):
    """A 1:1 meeting at an event between two registrations: asked for, answered, then placed.

    A placed meeting has a slot (kept as the slot's start, so it survives edits to sessions that
    leave that slot where it was) and a table, 1 to the event's ``tables``. No table holds two
    meetings in a slot (the unique key below), and no registration sits in two meetings in a
    slot (``meeting_seats``): the database refuses a double booking whichever process tries it.
    """

    __tablename__ = "meetings"
    __table_args__ = (
        # Both parties are registrations of the meeting's own event.
        ForeignKeyConstraint(
            ["event_id", "requester_id"],
            ["registrations.event_id", "registrations.id"],
            name="fk_meetings_requester_registrations",
        ),
        ForeignKeyConstraint(
            ["event_id", "invitee_id"],
            ["registrations.event_id", "registrations.id"],
            name="fk_meetings_invitee_registrations",
        ),
        UniqueConstraint("event_id", "slot_starts_at", "table_no"),
        CheckConstraint("requester_id <> invitee_id", name="two_parties"),
        CheckConstraint("(slot_starts_at IS NULL) = (table_no IS NULL)", name="placed_whole"),
        CheckConstraint("table_no >= 1", name="table_from_one"),
        CheckConstraint("slot_starts_at IS NOT NULL OR NOT confirmed", name="confirmed_placed"),
    )

    # Indexed by the unique key (event_id, slot_starts_at, table_no).
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    requester_id: Mapped[int] = mapped_column(Integer, index=True)  # a registration
    invitee_id: Mapped[int] = mapped_column(Integer, index=True)  # a registration
    requirement_id: Mapped[int | None] = mapped_column(
        ForeignKey("requirements.id", ondelete="SET NULL"), index=True
    )
    capability_id: Mapped[int | None] = mapped_column(
        ForeignKey("capabilities.id", ondelete="SET NULL"), index=True
    )
    score: Mapped[float | None] = mapped_column(Float)  # the pair's match score when asked
    message: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[MeetingStatus] = mapped_column(enum_column(MeetingStatus))
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    slot_starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    table_no: Mapped[int | None] = mapped_column(Integer)
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False)  # stays on a re-run
    held: Mapped[bool | None] = mapped_column(Boolean)  # attendance, after the event

    requester: Mapped[Registration] = relationship(
        lazy="raise",
        primaryjoin="Meeting.requester_id == Registration.id",
        foreign_keys=[requester_id],
        viewonly=True,
    )
    invitee: Mapped[Registration] = relationship(
        lazy="raise",
        primaryjoin="Meeting.invitee_id == Registration.id",
        foreign_keys=[invitee_id],
        viewonly=True,
    )
    seats: Mapped[list["MeetingSeat"]] = relationship(
        lazy="raise", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def placed(self) -> bool:
        return self.slot_starts_at is not None

    def place(self, starts_at: datetime, table: int) -> None:
        """Put an unplaced meeting at a slot and table, with both parties' seats (load seats)."""
        self.slot_starts_at = starts_at
        self.table_no = table
        self.seats.extend(
            MeetingSeat(registration_id=rid, event_id=self.event_id, slot_starts_at=starts_at)
            for rid in (self.requester_id, self.invitee_id)
        )

    def unplace(self) -> None:
        """Take the meeting off the schedule; its seats go with it (flush before placing again)."""
        self.slot_starts_at = None
        self.table_no = None
        self.confirmed = False
        self.seats.clear()


class MeetingSeat(Base):
    """A registration's seat in a placed meeting: two per meeting, one per registration and slot."""

    __tablename__ = "meeting_seats"
    __table_args__ = (
        ForeignKeyConstraint(
            ["event_id", "registration_id"],
            ["registrations.event_id", "registrations.id"],
            name="fk_meeting_seats_registration_registrations",
        ),
        UniqueConstraint("event_id", "slot_starts_at", "registration_id"),
    )

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True
    )
    registration_id: Mapped[int] = mapped_column(Integer, primary_key=True, index=True)
    event_id: Mapped[int] = mapped_column(Integer)
    slot_starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
