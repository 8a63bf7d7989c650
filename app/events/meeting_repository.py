"""SQL for meetings: loading them with their parties, lists, open pairs, who sits where and when."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from app.models import Enterprise, Meeting, MeetingSeat, Registration, RegistrationWindow
from app.models.enums import MeetingStatus

OPEN = (MeetingStatus.requested, MeetingStatus.accepted)


def _party(attr: Any) -> Any:
    return joinedload(attr).joinedload(Registration.enterprise).selectinload(Enterprise.tier_rows)


MEETING_OPTIONS = (_party(Meeting.requester), _party(Meeting.invitee), selectinload(Meeting.seats))


def get_meeting(session: Session, event_id: int, meeting_id: int) -> Meeting | None:
    stmt = (
        select(Meeting)
        .options(*MEETING_OPTIONS)
        .where(Meeting.id == meeting_id, Meeting.event_id == event_id)
    )
    return session.scalars(stmt).unique().one_or_none()


def find_meeting(session: Session, meeting_id: int) -> Meeting | None:
    stmt = select(Meeting).options(*MEETING_OPTIONS).where(Meeting.id == meeting_id)
    return session.scalars(stmt).unique().one_or_none()


def _involving(registration_id: int) -> Any:
    return or_(Meeting.requester_id == registration_id, Meeting.invitee_id == registration_id)


def meetings_select(
    event_id: int, *, status: MeetingStatus | None, registration_id: int | None
) -> Select[Any]:
    stmt = select(Meeting).options(*MEETING_OPTIONS).where(Meeting.event_id == event_id)
    if status is not None:
        stmt = stmt.where(Meeting.status == status)
    if registration_id is not None:
        stmt = stmt.where(_involving(registration_id))
    return stmt


def open_meeting_between(session: Session, event_id: int, a: int, b: int) -> Meeting | None:
    """A requested or accepted meeting of the two registrations, whoever asked."""
    stmt = select(Meeting).where(
        Meeting.event_id == event_id,
        Meeting.status.in_(OPEN),
        or_(
            and_(Meeting.requester_id == a, Meeting.invitee_id == b),
            and_(Meeting.requester_id == b, Meeting.invitee_id == a),
        ),
    )
    return session.scalars(stmt.limit(1)).first()


def open_meetings_of(session: Session, registration_id: int) -> list[Meeting]:
    stmt = (
        select(Meeting)
        .options(selectinload(Meeting.seats))
        .where(_involving(registration_id), Meeting.status.in_(OPEN))
        .order_by(Meeting.id)
    )
    return list(session.scalars(stmt))


def accepted_meetings(session: Session, event_id: int) -> list[Meeting]:
    stmt = (
        select(Meeting)
        .options(*MEETING_OPTIONS)
        .where(Meeting.event_id == event_id, Meeting.status == MeetingStatus.accepted)
        .order_by(Meeting.id)
    )
    return list(session.scalars(stmt).unique())


def agenda(session: Session, registration_id: int) -> list[Meeting]:
    """A registrant's accepted meetings in time order, those not yet placed last."""
    stmt = (
        select(Meeting)
        .options(*MEETING_OPTIONS)
        .where(_involving(registration_id), Meeting.status == MeetingStatus.accepted)
        .order_by(Meeting.slot_starts_at.is_(None), Meeting.slot_starts_at, Meeting.id)
    )
    return list(session.scalars(stmt).unique())


def placed_meetings(session: Session, event_id: int) -> list[Meeting]:
    """The event's meetings that have a slot and table, by slot then table."""
    stmt = (
        select(Meeting)
        .options(*MEETING_OPTIONS)
        .where(Meeting.event_id == event_id, Meeting.slot_starts_at.is_not(None))
        .order_by(Meeting.slot_starts_at, Meeting.table_no)
    )
    return list(session.scalars(stmt).unique())


def placements(session: Session, event_id: int) -> list[tuple[int, datetime, int]]:
    """(meeting id, slot start, table) of the event's placed meetings."""
    stmt = select(Meeting.id, Meeting.slot_starts_at, Meeting.table_no).where(
        Meeting.event_id == event_id, Meeting.slot_starts_at.is_not(None)
    )
    return [(i, s, t) for i, s, t in session.execute(stmt.order_by(Meeting.id))]


def confirmed_starts(session: Session, registration_id: int) -> list[tuple[int, datetime]]:
    """(meeting id, slot start) of a registrant's confirmed placements."""
    stmt = (
        select(Meeting.id, Meeting.slot_starts_at)
        .where(_involving(registration_id), Meeting.confirmed.is_(True))
        .order_by(Meeting.slot_starts_at)
    )
    return [(i, s) for i, s in session.execute(stmt)]


def at_table(session: Session, event_id: int, starts_at: datetime, table: int) -> int | None:
    """The meeting at the table in the slot starting then."""
    stmt = select(Meeting.id).where(
        Meeting.event_id == event_id, Meeting.slot_starts_at == starts_at, Meeting.table_no == table
    )
    return session.scalar(stmt)


def seated(
    session: Session, event_id: int, starts_at: datetime, registration_ids: Sequence[int]
) -> dict[int, int]:
    """registration id → the meeting it sits in in the slot starting then."""
    stmt = select(MeetingSeat.registration_id, MeetingSeat.meeting_id).where(
        MeetingSeat.event_id == event_id,
        MeetingSeat.slot_starts_at == starts_at,
        MeetingSeat.registration_id.in_(registration_ids),
    )
    return {rid: mid for rid, mid in session.execute(stmt)}


def windows_of(
    session: Session, registration_ids: Sequence[int]
) -> dict[int, list[RegistrationWindow]]:
    """registration id → its availability windows (absent: available throughout)."""
    found: dict[int, list[RegistrationWindow]] = {}
    if not registration_ids:
        return found
    stmt = (
        select(RegistrationWindow)
        .where(RegistrationWindow.registration_id.in_(registration_ids))
        .order_by(RegistrationWindow.starts_at)
    )
    for window in session.scalars(stmt):
        found.setdefault(window.registration_id, []).append(window)
    return found
