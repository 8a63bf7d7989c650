"""The event's schedule: accepted meetings laid out on slots and tables by the pure scheduler,
per-enterprise agendas and per-table sheets.

A meeting counts as mutual for the scheduler's priority when both sides have said `interested`
in the match between its requirement and capability (the matching engine's interest records);
an accepted request alone is not enough, since every accepted meeting has one. Its score is the
match score the meeting was asked with (none: 0). Agendas and table sheets are built as plain rows
(``AgendaRow``, ``TableRow``); ``schedule_exports`` turns the same rows into CSV and XLSX files.
"""

import re
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy.orm import Session

from app.auth.principal import Principal
from app.errors import Forbidden, NotFound, Unprocessable, conflict_on_integrity
from app.events import access, meeting_repository, repository
from app.events.access import Grid
from app.events.meeting_schemas import (
    AgendaItem,
    AgendaRead,
    EnterpriseName,
    PlacedRead,
    ScheduleRead,
    TableMeeting,
    TableSheet,
    TablesRead,
    UnplacedRead,
)
from app.events.meeting_service import slot_read
from app.events.scheduling import Placement, Request, schedule
from app.events.service import get_event
from app.matching.interest import find_pairs
from app.models import Event, Meeting, Registration
from app.models.enums import RegistrationStatus

RESCHEDULED = (
    "A meeting was booked by hand while the schedule was being made; run the schedule again."
)


def _name(registration: Registration) -> EnterpriseName:
    return EnterpriseName(id=registration.enterprise_id, name=registration.enterprise.name)


def _in_words(reason: str, names: dict[int, str], tables: int) -> str:
    """The scheduler speaks of enterprise ids and counts slots and tables from 0; people read
    names and count from 1. Numbers are renumbered before names go in, so a firm called
    "slot 9 科技" keeps its name."""
    reason = re.sub(r"\b(slot|table) (\d+)", lambda m: f"{m[1]} {int(m[2]) + 1}", reason)
    reason = reason.replace(f"(0–{tables - 1})", f"(1–{tables})")
    return re.sub(r"Enterprise (\d+)", lambda m: names.get(int(m[1]), m[0]), reason)


def _mutual(session: Session, meetings: list[Meeting]) -> set[int]:
    pairs = {
        (m.requirement_id, m.capability_id): m.id
        for m in meetings
        if m.requirement_id is not None and m.capability_id is not None
    }
    found = find_pairs(session, list(pairs))
    return {pairs[key] for key, match in found.items() if match.mutual}


def _fixed(meeting: Meeting, grid: Grid) -> Placement | None:
    slot = grid.at(meeting.slot_starts_at)
    if not meeting.confirmed or slot is None or meeting.table_no is None:
        return None
    return Placement(meeting.id, slot.index, meeting.table_no - 1)


def _was_at(meeting: Meeting, grid: Grid) -> str:
    """Where a confirmed meeting was, in words; its slot may be gone from the event."""
    slot = grid.at(meeting.slot_starts_at)
    if slot is not None:
        return f"slot {slot.index + 1}, table {meeting.table_no}"
    assert meeting.slot_starts_at is not None
    start = meeting.slot_starts_at.astimezone(access.zone())
    return f"the slot at {start:%Y-%m-%d %H:%M}, table {meeting.table_no}"


def _dislodged(meetings: list[Meeting], grid: Grid) -> dict[int, str]:
    """Confirmed meetings whose slot the event no longer has, and why they cannot stay."""
    return {
        m.id: "the event no longer has that slot"
        for m in meetings
        if m.confirmed and m.placed and grid.at(m.slot_starts_at) is None
    }


def run_schedule(
    session: Session, principal: Principal, event_id: int, confirm: bool
) -> ScheduleRead:
    """Place the accepted meetings: confirmed ones stay, the others are laid out afresh.

    Nobody is in two meetings at once, no table holds two, each party is available in its slot;
    mutual-interest and higher-score meetings go first. A confirmed meeting that can no longer
    stay where it is (its slot gone, a party no longer available then) is unconfirmed and laid
    out afresh with the rest, and the answer says it moved. The event's lock keeps two runs, and
    the edits they read (sessions, availability, placements by hand), apart.
    """
    event = get_event(session, principal, event_id, lock=True)
    access.ensure_meetings_changeable(event)
    grid = Grid(event)
    accepted = meeting_repository.accepted_meetings(session, event.id)
    names = {r.enterprise_id: r.enterprise.name for m in accepted for r in (m.requester, m.invitee)}
    absent = {
        m.id: f"{r.enterprise.name}'s registration is {r.status.value}"
        for m in accepted
        for r in (m.requester, m.invitee)
        if r.status != RegistrationStatus.confirmed
    }
    meetings = [m for m in accepted if m.id not in absent]
    windows = meeting_repository.windows_of(
        session, sorted({rid for m in meetings for rid in (m.requester_id, m.invitee_id)})
    )
    availability = {}
    for m in meetings:
        for registration in (m.requester, m.invitee):
            slots = grid.available(windows.get(registration.id, []))
            if slots is not None:
                availability[registration.enterprise_id] = slots
    mutual = _mutual(session, meetings)
    requests = [
        Request(
            id=m.id,
            parties=(m.requester.enterprise_id, m.invitee.enterprise_id),
            mutual=m.id in mutual,
            score=m.score or 0.0,
            fixed=_fixed(m, grid),
        )
        for m in meetings
    ]
    result = schedule(grid.slots, event.tables, requests, availability)
    moved = _dislodged(meetings, grid)
    refused = {u.meeting_id: u.reason for u in result.unplaced}
    stuck = {r.id for r in requests if r.fixed is not None and r.id in refused}
    if stuck:  # confirmed where they cannot stay: lay them out again with the others
        moved.update({mid: _in_words(refused[mid], names, event.tables) for mid in stuck})
        requests = [replace(r, fixed=None) if r.id in stuck else r for r in requests]
        result = schedule(grid.slots, event.tables, requests, availability)

    # Where each moved meeting was, in words, before its seats change below.
    moves = {
        m.id: f"{_was_at(m, grid)}, where it was confirmed ({moved[m.id]})"
        for m in meetings
        if m.id in moved
    }
    where = {p.meeting_id: (grid.slots[p.slot].starts_at, p.table + 1) for p in result.placed}
    for m in accepted:  # first free every seat that changes, then take the new ones
        if m.placed and (m.slot_starts_at, m.table_no) != where.get(m.id):
            m.unplace()
    session.flush()
    for m in meetings:
        if m.id in where and not m.placed:
            m.place(*where[m.id])
        if m.id in moved:
            m.confirmed = False  # wherever it landed, nobody confirmed it there
        if confirm and m.id in where:
            m.confirmed = True
    with conflict_on_integrity(RESCHEDULED):
        session.flush()

    by_id = {m.id: m for m in accepted}
    fixed = {r.id for r in requests if r.fixed is not None}
    placed = [
        PlacedRead(
            meeting_id=p.meeting_id,
            slot=slot_read(grid, grid.slots[p.slot]),
            table=p.table + 1,
            requester=_name(by_id[p.meeting_id].requester),
            invitee=_name(by_id[p.meeting_id].invitee),
            mutual=p.meeting_id in mutual,
            score=by_id[p.meeting_id].score,
            confirmed=by_id[p.meeting_id].confirmed,
            moved=f"moved from {moves[p.meeting_id]}" if p.meeting_id in moves else None,
        )
        for p in result.placed
    ]
    reasons = []
    for u in result.unplaced:
        reason = _in_words(u.reason, names, event.tables)
        if u.meeting_id in moves:
            reason = f"taken off {moves[u.meeting_id]}, and not placed again: {reason}"
        reasons.append((u.meeting_id, reason))
    unplaced = [
        UnplacedRead(
            meeting_id=mid,
            requester=_name(by_id[mid].requester),
            invitee=_name(by_id[mid].invitee),
            reason=reason,
        )
        for mid, reason in [*absent.items(), *reasons]
    ]
    return ScheduleRead(
        event_id=event.id,
        slots=len(grid.slots),
        tables=event.tables,
        accepted=len(accepted),
        kept=len(fixed & set(where)),
        placed=placed,
        unplaced=unplaced,
    )


# --- agendas and table sheets -------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaRow:
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


@dataclass(frozen=True)
class Agenda:
    event: Event
    registration: Registration
    rows: list[AgendaRow]


def agenda(
    session: Session, principal: Principal, event_id: int, enterprise_id: int | None
) -> Agenda:
    """An enterprise's accepted meetings in time order (members: their own; staff: anyone's)."""
    event = get_event(session, principal, event_id)
    if not principal.is_staff:
        if principal.enterprise_id is None:
            raise Forbidden("This account does not belong to an enterprise, so it has no agenda.")
        if enterprise_id is not None and enterprise_id != principal.enterprise_id:
            raise Forbidden("Members see their own enterprise's agenda; leave enterprise_id out.")
        enterprise_id = principal.enterprise_id
    if enterprise_id is None:
        raise Unprocessable(
            "Organisers and admins name the enterprise: send enterprise_id (or ask for "
            "format=csv or xlsx for every enterprise's agenda in one file).",
            field="query.enterprise_id",
        )
    registration = repository.find_registration(session, event.id, enterprise_id)
    if registration is None:
        raise NotFound(f"Enterprise {enterprise_id} is not registered for event {event.id}.")
    grid = Grid(event)
    rows = [
        _agenda_row(m, registration.id, grid)
        for m in meeting_repository.agenda(session, registration.id)
    ]
    return Agenda(event, registration, rows)


def _agenda_row(meeting: Meeting, registration_id: int, grid: Grid) -> AgendaRow:
    """The meeting as a line of the agenda of the registration ``registration_id`` (a party);
    one whose slot the event no longer has is listed as not placed."""
    slot = grid.seat(meeting)
    other = meeting.invitee if meeting.requester_id == registration_id else meeting.requester
    return AgendaRow(
        meeting_id=meeting.id,
        slot=None if slot is None else slot.index + 1,
        starts_at=None if slot is None else slot.starts_at,
        ends_at=None if slot is None else slot.ends_at,
        session_name=None if slot is None else grid.session_names[slot.session_id],
        table=None if slot is None else meeting.table_no,
        counterpart_id=other.enterprise_id,
        counterpart_name=other.enterprise.name,
        requirement_id=meeting.requirement_id,
        capability_id=meeting.capability_id,
        confirmed=slot is not None and meeting.confirmed,
    )


def event_agendas(
    session: Session, principal: Principal, event_id: int
) -> tuple[Event, list[tuple[Registration, AgendaRow]]]:
    """Every registrant's agenda, one after another: by enterprise name, then in time order."""
    event = get_event(session, principal, event_id)
    grid = Grid(event)
    rows = [
        (side, _agenda_row(m, side.id, grid))
        for m in meeting_repository.accepted_meetings(session, event.id)
        for side in (m.requester, m.invitee)
    ]
    rows.sort(
        key=lambda r: (
            r[0].enterprise.name,
            r[0].enterprise_id,
            r[1].slot or 1 << 30,
            r[1].meeting_id,
        )
    )
    return event, rows


def agenda_read(found: Agenda) -> AgendaRead:
    return AgendaRead(
        event_id=found.event.id,
        event_title=found.event.title,
        enterprise=_name(found.registration),
        registration_id=found.registration.id,
        meetings=[AgendaItem.model_validate(row) for row in found.rows],
    )


@dataclass(frozen=True)
class TableRow:
    table: int
    slot: int
    starts_at: datetime
    ends_at: datetime
    session_name: str
    meeting_id: int
    requester_name: str
    invitee_name: str
    requirement_id: int | None
    capability_id: int | None
    confirmed: bool


def table_rows(
    session: Session, principal: Principal, event_id: int
) -> tuple[Event, list[TableRow]]:
    """Every placed meeting as a row of its table's sheet, by table then slot (organisers)."""
    event = get_event(session, principal, event_id)
    grid = Grid(event)
    rows = []
    for m in meeting_repository.placed_meetings(session, event.id):
        slot = grid.seat(m)
        if slot is None or m.table_no is None:  # its slot is gone: not on any table sheet
            continue
        rows.append(
            TableRow(
                table=m.table_no,
                slot=slot.index + 1,
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                session_name=grid.session_names[slot.session_id],
                meeting_id=m.id,
                requester_name=m.requester.enterprise.name,
                invitee_name=m.invitee.enterprise.name,
                requirement_id=m.requirement_id,
                capability_id=m.capability_id,
                confirmed=m.confirmed,
            )
        )
    rows.sort(key=lambda r: (r.table, r.slot))
    return event, rows


def tables_read(event: Event, rows: list[TableRow]) -> TablesRead:
    """One sheet per table, empty tables included."""
    sheets = [TableSheet(table=t, meetings=[]) for t in range(1, event.tables + 1)]
    for row in rows:
        sheets[row.table - 1].meetings.append(TableMeeting.model_validate(row))
    return TablesRead(event_id=event.id, event_title=event.title, tables=sheets)
