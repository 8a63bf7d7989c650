"""Request and response bodies for docking events and the registrations of enterprises."""

from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, Field, field_validator, model_validator

from app.core.schemas import (
    DateText,
    DateTimeText,
    IdRef,
    InputModel,
    ReadModel,
    RegionCode,
    SafeStr,
    not_null,
)
from app.models.enums import DockingKind, EventStatus, RegistrationRole, RegistrationStatus
from app.postings.schemas import EnterpriseSummary

EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)
MAX_SESSIONS = 20
MAX_WINDOWS = 40
MAX_POSTINGS = 50

Title = Annotated[SafeStr, Field(min_length=1, max_length=200)]
Text = Annotated[SafeStr, Field(max_length=10_000)]
Venue = Annotated[SafeStr, Field(max_length=200)]
SessionName = Annotated[SafeStr, Field(min_length=1, max_length=100)]
EventDate = Annotated[date, Field(ge=EARLIEST, le=LATEST), DateText]
SlotMinutes = Annotated[int, Field(ge=5, le=240, description="Length of one 1:1 meeting slot.")]
Tables = Annotated[int, Field(ge=1, le=1000, description="Meeting tables at the venue.")]
Capacity = Annotated[
    int, Field(ge=1, le=100_000, description="Confirmed registrations at most; more wait.")
]


def _to_utc(value: datetime) -> datetime:
    if not EARLIEST.year <= value.year <= LATEST.year:
        raise ValueError(f"must lie between {EARLIEST.year} and {LATEST.year}")
    return value.astimezone(UTC)


Moment = Annotated[
    AwareDatetime,
    DateTimeText,
    AfterValidator(_to_utc),
    Field(description="With a time zone, e.g. 2026-05-20T09:00:00+08:00; read back in UTC."),
]


def _dedupe(values: list[Any] | None) -> list[Any] | None:
    return None if values is None else list(dict.fromkeys(values))


class TimeWindow(InputModel):
    starts_at: Moment
    ends_at: Moment

    @model_validator(mode="after")
    def _ends_after_start(self) -> "TimeWindow":
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        return self


def _no_overlaps(windows: list[Any] | None, what: str) -> list[Any] | None:
    """Two windows that overlap are a 422 naming both by their position in the list sent."""
    ordered = sorted(enumerate(windows or []), key=lambda pair: pair[1].starts_at)
    for (i, first), (j, second) in zip(ordered, ordered[1:], strict=False):
        if second.starts_at < first.ends_at:
            raise ValueError(f"{what} {min(i, j)} and {max(i, j)} overlap")
    return windows


# --- events -----------------------------------------------------------------------------------


class SessionIn(TimeWindow):
    name: SessionName = Field(description="e.g. 上午场 / morning session.")


class SessionRead(ReadModel):
    id: int
    name: str
    starts_at: datetime
    ends_at: datetime


class EventFields(InputModel):
    title: Title | None = None
    description: Text | None = None
    kinds: Annotated[list[DockingKind], Field(max_length=len(DockingKind))] | None = Field(
        default=None, description="The docking kinds in focus: procurement, technology, ..."
    )
    chain_ids: Annotated[list[IdRef], Field(max_length=20)] | None = Field(
        default=None, description="Chains in focus; replaced whole on update."
    )
    node_ids: Annotated[list[IdRef], Field(max_length=200)] | None = Field(
        default=None,
        description="Chain nodes in focus, each in one of chain_ids. When chain_ids change and "
        "node_ids are not sent, nodes of the chains that stay are kept.",
    )
    venue: Venue | None = None
    region_code: RegionCode | None = None
    starts_on: EventDate | None = None
    ends_on: EventDate | None = Field(
        default=None,
        description="Last day of a multi-day event; null or omitted on create: a one-day event. "
        "Moving starts_on without ends_on keeps the event's length.",
    )
    slot_minutes: SlotMinutes | None = None
    tables: Tables | None = None
    capacity: Capacity | None = None
    sessions: Annotated[list[SessionIn], Field(min_length=1, max_length=MAX_SESSIONS)] | None = (
        Field(
            default=None,
            description="Time windows for meetings, each at least one slot long, not overlapping, "
            "on the event's days (in the service's time zone). Replaced whole on update: a "
            "session keeps its id while its start time stays.",
        )
    )
    status: EventStatus | None = Field(
        default=None,
        description="draft → registration_open → closed → held → reported; closed may reopen.",
    )

    _unique = field_validator("kinds", "chain_ids", "node_ids")(_dedupe)

    @field_validator("sessions")
    @classmethod
    def _sessions_apart(cls, value: list[SessionIn] | None) -> list[SessionIn] | None:
        return _no_overlaps(value, "sessions")


class EventCreate(EventFields):
    title: Title
    region_code: RegionCode
    starts_on: EventDate
    slot_minutes: SlotMinutes = 20
    tables: Tables
    capacity: Capacity
    sessions: Annotated[list[SessionIn], Field(min_length=1, max_length=MAX_SESSIONS)]
    status: EventStatus = EventStatus.draft

    @field_validator("status")
    @classmethod
    def _new_status(cls, value: EventStatus) -> EventStatus:
        if value not in (EventStatus.draft, EventStatus.registration_open):
            raise ValueError("a new event is a draft or opens registration at once")
        return value


class EventUpdate(EventFields):
    """Only the fields sent change; lists are replaced whole, a null list is an empty one."""

    _not_null = not_null(
        "title",
        "region_code",
        "starts_on",
        "slot_minutes",
        "tables",
        "capacity",
        "sessions",
        "status",
    )


class EventRead(ReadModel):
    id: int
    title: str
    description: str
    kinds: list[DockingKind]
    chain_ids: list[int]
    node_ids: list[int]
    venue: str
    region_code: str
    starts_on: date
    ends_on: date
    slot_minutes: int
    tables: int
    capacity: int
    status: EventStatus
    sessions: list[SessionRead]
    confirmed_count: int
    waitlisted_count: int
    places_left: int
    created_by: int | None
    created_at: datetime
    updated_at: datetime
    version: int


# --- registrations ----------------------------------------------------------------------------


class RegistrationFields(InputModel):
    role: RegistrationRole | None = Field(
        default=None,
        description="buyer (brings requirements), supplier (brings capabilities) or both.",
    )
    requirement_ids: Annotated[list[IdRef], Field(max_length=MAX_POSTINGS)] | None = Field(
        default=None, description="The enterprise's own requirements it brings (buyers)."
    )
    capability_ids: Annotated[list[IdRef], Field(max_length=MAX_POSTINGS)] | None = Field(
        default=None, description="The enterprise's own capabilities it brings (suppliers)."
    )
    availability: Annotated[list[TimeWindow], Field(max_length=MAX_WINDOWS)] | None = Field(
        default=None,
        description="When the enterprise can meet, each window inside one session; "
        "empty or omitted: throughout the event.",
    )

    _unique = field_validator("requirement_ids", "capability_ids")(_dedupe)

    @field_validator("availability")
    @classmethod
    def _windows_apart(cls, value: list[TimeWindow] | None) -> list[TimeWindow] | None:
        return _no_overlaps(value, "availability windows")


class RegistrationCreate(RegistrationFields):
    enterprise_id: IdRef | None = Field(
        default=None,
        description="Organisers and admins register this enterprise; members always their own.",
    )
    role: RegistrationRole


class RegistrationUpdate(RegistrationFields):
    """Only the fields sent change; lists are replaced whole, a null list is an empty one."""

    _not_null = not_null("role")


class WindowRead(ReadModel):
    starts_at: datetime
    ends_at: datetime


class RegistrationRead(ReadModel):
    id: int
    event_id: int
    enterprise: EnterpriseSummary
    role: RegistrationRole
    status: RegistrationStatus
    waitlist_position: int | None = Field(
        description="1 for the first in line; null unless waitlisted."
    )
    requirement_ids: list[int]
    capability_ids: list[int]
    availability: list[WindowRead]
    registered_by: int | None
    created_at: datetime
    updated_at: datetime
    version: int
