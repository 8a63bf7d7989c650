"""Request and response bodies for outcomes and the figures built from them."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from pydantic import Field, PlainSerializer

from app.core.schemas import IdRef, InputModel, ReadModel, SafeStr, Yuan, not_null
from app.models.enums import OutcomeKind
from app.postings.schemas import EnterpriseSummary

Note = Annotated[SafeStr, Field(max_length=2000)]
# A sum of amounts: exact in, a JSON number out (no upper bound, unlike an amount sent).
Total = Annotated[Decimal, PlainSerializer(float, return_type=float, when_used="json")]
AMOUNT_KINDS = (OutcomeKind.intention, OutcomeKind.signed_order, OutcomeKind.financing)


class OutcomeFields(InputModel):
    kind: OutcomeKind | None = Field(
        default=None,
        description="intention (an intended order), signed_order, project_landing, "
        "technology_cooperation or financing.",
    )
    amount_yuan: Yuan | None = Field(
        default=None,
        description="In yuan; required for intentions, signed orders and financing, optional "
        "(e.g. the investment) for the others.",
    )
    note: Note | None = None


class OutcomeCreate(OutcomeFields):
    kind: OutcomeKind
    meeting_id: IdRef | None = Field(
        default=None, description="The meeting it came from; its event and parties follow."
    )
    event_id: IdRef | None = Field(
        default=None,
        description="The event it came from without a meeting (e.g. signed on stage); both "
        "sides must have taken part. Leave out for a match outside any event.",
    )
    requirement_id: IdRef | None = Field(
        default=None, description="The buyer's requirement; the meeting's when left out."
    )
    capability_id: IdRef | None = Field(
        default=None, description="The supplier's capability; the meeting's when left out."
    )
    buyer_enterprise_id: IdRef | None = Field(
        default=None,
        description="Which of the meeting's two parties buys, when neither postings nor "
        "registration roles say.",
    )


class OutcomeUpdate(OutcomeFields):
    """Only the fields sent change (an intention that became a signed order, a corrected sum)."""

    _not_null = not_null("kind")


class OutcomeRead(ReadModel):
    id: int
    kind: OutcomeKind
    amount_yuan: Yuan | None
    event_id: int | None
    meeting_id: int | None
    requirement_id: int | None
    capability_id: int | None
    buyer: EnterpriseSummary
    supplier: EnterpriseSummary
    note: str
    recorded_by: int | None
    recorded_at: datetime
    updated_at: datetime
    version: int


# --- figures --------------------------------------------------------------------------------------


class Tally(ReadModel):
    count: int
    amount_yuan: Total


class Share(ReadModel):
    count: int
    amount_yuan: Total
    count_share: float = Field(description="Of all deals, 0–1 (4 decimals).")
    amount_share: float = Field(description="Of the amount of all deals, 0–1 (4 decimals).")


class LocalShare(ReadModel):
    """Deals whose supplier lies in the buyer's city, province or cluster (each counted alone:
    a same-city deal also counts as same-province)."""

    deals: int
    amount_yuan: Total
    same_city: Share
    same_province: Share
    same_cluster: Share


class OutcomeFigures(ReadModel):
    count: int
    amount_yuan: Total
    by_kind: dict[OutcomeKind, Tally]
    intended_orders: Tally
    signed_orders: Tally
    projects: int = Field(description="Projects landed.")
    local: LocalShare


class Participants(ReadModel):
    registrations: dict[str, int] = Field(description="confirmed, waitlisted, withdrawn.")
    enterprises: int = Field(description="Distinct enterprises with a confirmed registration.")
    by_kind: dict[str, int] = Field(description="Those enterprises by kind.")
    by_tier: dict[str, int] = Field(
        description="Those enterprises by tier; a firm with two tiers counts under both."
    )


class MeetingFigures(ReadModel):
    requested: int = Field(description="Every meeting asked for or added, whatever became of it.")
    pending: int
    accepted: int
    declined: int
    cancelled: int
    scheduled: int = Field(description="Accepted and placed at a slot and table.")
    confirmed: int
    held: int
    not_held: int


class EventStats(ReadModel):
    event_id: int
    title: str
    participants: Participants
    meetings: MeetingFigures
    outcomes: OutcomeFigures


class SeasonStats(ReadModel):
    from_date: date | None
    to_date: date | None
    region: str | None
    events: int = Field(description="Events (not drafts) starting in the period, in the region.")
    participants: Participants
    meetings: MeetingFigures
    outcomes: OutcomeFigures = Field(
        description="Outcomes of those events, and outcomes outside any event recorded in the "
        "period whose buyer lies in the region."
    )
    outside_events: int = Field(description="Of the outcomes, those outside any event.")
