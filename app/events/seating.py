"""Where meetings sit: organisers place a meeting by hand, confirm it or record attendance, and
edits to an event or a registration may not pull the ground from under placed meetings."""

from sqlalchemy.orm import Session

from app.auth.principal import Principal
from app.core.etag import check_if_match, touch_if_changed
from app.errors import Conflict, conflict_on_integrity
from app.events import access, meeting_repository
from app.events.access import Grid
from app.events.meeting_schemas import MeetingRead, MeetingUpdate
from app.events.meeting_service import reread, visible_meeting
from app.events.scheduling import Slot
from app.events.service import get_event
from app.models import Event, Meeting
from app.models.enums import MeetingStatus

DOUBLE_BOOKED = (
    "Another request has just booked that table, or one of the two enterprises, in that slot; "
    "GET the event's table sheets and choose again."
)


def _check_free(session: Session, event: Event, meeting: Meeting, slot: Slot, table: int) -> None:
    """The slot suits both parties and neither they nor the table are taken then."""
    number = slot.index + 1
    windows = meeting_repository.windows_of(session, [meeting.requester_id, meeting.invitee_id])
    for registration in (meeting.requester, meeting.invitee):
        if not access.free_in(slot, windows.get(registration.id, [])):
            raise Conflict(
                f"{registration.enterprise.name} is not available in slot {number} "
                f"({access.span(slot)}); see its registration's availability."
            )
    other = meeting_repository.at_table(session, event.id, slot.starts_at, table)
    if other is not None and other != meeting.id:
        raise Conflict(f"Table {table} is taken in slot {number} by meeting {other}.")
    seated = meeting_repository.seated(
        session, event.id, slot.starts_at, [meeting.requester_id, meeting.invitee_id]
    )
    for registration in (meeting.requester, meeting.invitee):
        other = seated.get(registration.id)
        if other is not None and other != meeting.id:
            raise Conflict(
                f"{registration.enterprise.name} is already in meeting {other} in slot {number}."
            )


def _check_acceptable(event: Event, meeting: Meeting, data: MeetingUpdate) -> None:
    sent = data.model_fields_set
    if "slot" in sent or "confirmed" in sent:
        access.ensure_meetings_changeable(event)
    if "slot" in sent or data.confirmed or "held" in sent:
        if meeting.status != MeetingStatus.accepted:
            raise Conflict(
                f"Meeting {meeting.id} is {meeting.status.value}; only accepted meetings are "
                "placed, confirmed or attended."
            )
    if "held" in sent:
        access.ensure_attendance_recordable(event)


def update_meeting(
    session: Session,
    principal: Principal,
    event_id: int,
    meeting_id: int,
    data: MeetingUpdate,
    if_match: str | None,
) -> MeetingRead:
    """Organisers place a meeting by hand (or take it off), confirm it, or record attendance.

    The checks name what is in the way; two requests racing for the same table, or for the same
    enterprise, in one slot meet the database's unique keys, and the loser gets a 409. The event's
    lock keeps a placement apart from edits of the event's sessions and of the parties'
    availability, which check placed and confirmed meetings under the same lock.
    """
    event = get_event(session, principal, event_id, lock=True)
    meeting = visible_meeting(session, principal, event, meeting_id)
    check_if_match(if_match, meeting)
    _check_acceptable(event, meeting, data)
    sent = data.model_fields_set
    if "slot" in sent:
        target = None
        if data.slot is not None and data.table is not None:
            grid = Grid(event)
            target = (grid.slot(data.slot), data.table)
            grid.check_table(data.table)
            _check_free(session, event, meeting, *target)
        where = None if target is None else (target[0].starts_at, target[1])
        if (meeting.slot_starts_at, meeting.table_no) != (where or (None, None)):
            if meeting.placed:
                meeting.unplace()
                session.flush()  # give up the old seats before taking new ones
            if where is not None:
                meeting.place(*where)
                meeting.confirmed = True  # placed by hand: a re-run keeps it, unless told not to
    if data.confirmed is not None:
        if data.confirmed and Grid(event).seat(meeting) is None:
            raise Conflict(f"Meeting {meeting.id} has no slot yet; place it before confirming.")
        meeting.confirmed = data.confirmed
    if "held" in sent:
        meeting.held = data.held
    touch_if_changed(session, meeting)
    with conflict_on_integrity(DOUBLE_BOOKED):
        session.flush()
    return reread(session, event, meeting)
