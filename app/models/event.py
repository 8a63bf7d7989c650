from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.db.base import Base, IdMixin, TimestampMixin, VersionedMixin
from app.db.types import JSONType, UTCDateTime, enum_column
from app.models.enterprise import Enterprise
from app.models.enums import EventStatus, RegistrationRole, RegistrationStatus


class Event(IdMixin, TimestampMixin, VersionedMixin, Base):
    """A docking event (对接会): sessions of 1:1 meetings at tables among registered enterprises."""

    __tablename__ = "events"

    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    kinds: Mapped[list[str]] = mapped_column(JSONType, default=list)  # docking kinds in focus
    venue: Mapped[str] = mapped_column(String(200), default="")
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    starts_on: Mapped[date] = mapped_column(Date, index=True)
    ends_on: Mapped[date] = mapped_column(Date)  # the same day for a one-day event
    slot_minutes: Mapped[int] = mapped_column(Integer)
    tables: Mapped[int] = mapped_column(Integer)
    capacity: Mapped[int] = mapped_column(Integer)  # confirmed registrations at most
    status: Mapped[EventStatus] = mapped_column(enum_column(EventStatus), index=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))

    sessions: Mapped[list["EventSession"]] = relationship(
        lazy="raise",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="EventSession.starts_at",
    )
    chain_rows: Mapped[list["EventChain"]] = relationship(
        lazy="raise", cascade="all, delete-orphan", passive_deletes=True
    )
    node_rows: Mapped[list["EventNode"]] = relationship(
        lazy="raise", cascade="all, delete-orphan", passive_deletes=True
    )

    @property
    def chain_ids(self) -> list[int]:
        return sorted(row.chain_id for row in self.chain_rows)

    @property
    def node_ids(self) -> list[int]:
        return sorted(row.node_id for row in self.node_rows)


class EventSession(IdMixin, Base):
    """A time window of an event in which meetings are held, cut into slots of ``slot_minutes``."""

    __tablename__ = "event_sessions"
    # (event_id, id) lets a meeting's composite foreign key pin its session to its event.
    __table_args__ = (UniqueConstraint("event_id", "starts_at"), UniqueConstraint("event_id", "id"))

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())


class EventChain(Base):
    __tablename__ = "event_chains"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    chain_id: Mapped[int] = mapped_column(ForeignKey("chains.id"), primary_key=True, index=True)


class EventNode(Base):
    __tablename__ = "event_nodes"

    event_id: Mapped[int] = mapped_column(
        ForeignKey("events.id", ondelete="CASCADE"), primary_key=True
    )
    node_id: Mapped[int] = mapped_column(ForeignKey("chain_nodes.id"), primary_key=True, index=True)


class Registration(IdMixin, TimestampMixin, VersionedMixin, Base):
    """An enterprise taking part in an event as buyer, supplier or both; one per enterprise.

    A withdrawn registration stays (the same enterprise registering again re-activates it);
    ``queued_at`` orders the waiting list and moves to the back when it is re-activated.
    """

    __tablename__ = "registrations"
    # (event_id, id) lets a meeting's composite foreign keys pin both registrations to one event.
    __table_args__ = (
        UniqueConstraint("event_id", "enterprise_id"),
        UniqueConstraint("event_id", "id"),
    )

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id"), index=True)
    role: Mapped[RegistrationRole] = mapped_column(enum_column(RegistrationRole))
    status: Mapped[RegistrationStatus] = mapped_column(enum_column(RegistrationStatus))
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime())
    registered_by: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))

    enterprise: Mapped[Enterprise] = relationship(lazy="raise")
    requirement_rows: Mapped[list["RegistrationRequirement"]] = relationship(
        lazy="raise", cascade="all, delete-orphan", passive_deletes=True
    )
    capability_rows: Mapped[list["RegistrationCapability"]] = relationship(
        lazy="raise", cascade="all, delete-orphan", passive_deletes=True
    )
    windows: Mapped[list["RegistrationWindow"]] = relationship(
        lazy="raise",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="RegistrationWindow.starts_at",
    )

    @property
    def requirement_ids(self) -> list[int]:
        return sorted(row.requirement_id for row in self.requirement_rows)

    @property
    def capability_ids(self) -> list[int]:
        return sorted(row.capability_id for row in self.capability_rows)


class RegistrationRequirement(Base):
    __tablename__ = "registration_requirements"

    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), primary_key=True
    )
    requirement_id: Mapped[int] = mapped_column(
        ForeignKey("requirements.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class RegistrationCapability(Base):
    __tablename__ = "registration_capabilities"

    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), primary_key=True
    )
    capability_id: Mapped[int] = mapped_column(
        ForeignKey("capabilities.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class RegistrationWindow(IdMixin, Base):
    """A time the registrant is available, inside one of the event's sessions."""

    __tablename__ = "registration_windows"

    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
