"""Request and response bodies for meetings, the schedule, agendas and table sheets."""

from datetime import datetime
from typing import Annotated

from pydantic import Field, model_validator

from app.core.schemas import IdRef, InputModel, ReadModel, SafeStr, not_null
from app.models.enums import MeetingStatus
from app.postings.schemas import EnterpriseSummary

Message = Annotated[SafeStr, Field(max_length=500)]
SlotNumber = Annotated[int, Field(ge=1, le=10_000, description="1 for the event's first slot.")]
TableNumber = Annotated[int, Field(ge=1, le=1000, description="1 to the event's tables.")]


class MeetingCreate(InputModel):
    invitee_enterprise_id: IdRef = Field(description="The registered enterprise to meet.")
    requester_enterprise_id: IdRef | None = Field(
        default=None,
        description="Organisers and admins name both sides; members always ask for their own.",
    )
    requirement_id: IdRef | None = Field(
        default=None, description="The buyer's requirement the meeting is about (match list)."
    )
    capability_id: IdRef | None = Field(
        default=None, description="The supplier's capability the meeting is about."
    )
    message: Message = ""


class MeetingUpdate(InputModel):
    """Organisers place a meeting by hand, confirm it, or record whether it was held."""

    slot: SlotNumber | None = Field(
        default=None, description="Send with `table`; null (both) takes the meeting off."
    )
    table: TableNumber | None = None
    confirmed: bool | None = Field(
        default=None,
        strict=True,
        description="A confirmed meeting stays where it is when the schedule is run again. A "
        "meeting placed by hand is confirmed unless this says false.",
    )
    held: bool | None = Field(
        default=None,
        strict=True,
        description="Attendance, once registration has closed: true held, false not.",
    )

    _not_null = not_null("confirmed")

    @model_validator(mode="after")
    def _slot_with_table(self) -> "MeetingUpdate":
        sent = self.model_fields_set
        if ("slot" in sent) != ("table" in sent) or (self.slot is None) != (self.table is None):
            raise ValueError("send `slot` and `table` together: both numbers, or both null")
        return self


class Party(ReadModel):
    registration_id: int
    enterprise: EnterpriseSummary


class SlotRead(ReadModel):
    number: int = Field(description="1 for the event's first slot, in time order.")
    starts_at: datetime
    ends_at: datetime
    session_id: int
    session_name: str


class MeetingRead(ReadModel):
    id: int
    event_id: int
    requester: Party
    invitee: Party
    requirement_id: int | None
    capability_id: int | None
    score: float | None = Field(description="The pair's match score (0–100) when asked for.")
    message: str
    status: MeetingStatus
    requested_by: int | None
    answered_at: datetime | None
    slot: SlotRead | None
    table: int | None
    confirmed: bool
    held: bool | None
    created_at: datetime
    updated_at: datetime
    version: int


# --- the schedule -------------------------------------------------------------------------------


class ScheduleRun(InputModel):
    confirm: bool = Field(
        default=False,
        strict=True,
        description="true or false (JSON booleans only): confirm every placement, so a later run "
        "keeps it.",
    )


class EnterpriseName(ReadModel):
    id: int
    name: str


class PlacedRead(ReadModel):
    meeting_id: int
    slot: SlotRead
    table: int
    requester: EnterpriseName
    invitee: EnterpriseName
    mutual: bool
    score: float | None
    confirmed: bool
    moved: str | None = Field(
        default=None,
        description="For a meeting confirmed where it can no longer stay (its slot gone, a party "
        "no longer available then): where it was and why it moved. Null otherwise.",
    )


class UnplacedRead(ReadModel):
    meeting_id: int
    requester: EnterpriseName
    invitee: EnterpriseName
    reason: str


class ScheduleRead(ReadModel):
    event_id: int
    slots: int
    tables: int
    accepted: int = Field(description="Accepted meetings the run considered.")
    kept: int = Field(description="Confirmed meetings that stayed where they were.")
    placed: list[PlacedRead] = Field(description="By slot, then table.")
    unplaced: list[UnplacedRead] = Field(description="Most wanted first, with the reason.")


class AgendaItem(ReadModel):
    meeting_id: int
    slot: int | None
    starts_at: datetime | None
    ends_at: datetime | None
    session_name: str | None
    table: int | None
    counterpart_id: int
    counterpart_name: str
    requirement_id: int | None
    capability_id: int | None
    confirmed: bool


class AgendaRead(ReadModel):
    event_id: int
    event_title: str
    enterprise: EnterpriseName
    registration_id: int
    meetings: list[AgendaItem] = Field(
        description="Accepted meetings in time order; those not yet placed come last."
    )


class TableMeeting(ReadModel):
    slot: int
    starts_at: datetime
    ends_at: datetime
    session_name: str
    meeting_id: int
    requester_name: str
    invitee_name: str
    confirmed: bool


class TableSheet(ReadModel):
    table: int
    meetings: list[TableMeeting]


class TablesRead(ReadModel):
    event_id: int
    event_title: str
    tables: list[TableSheet]
