"""1:1 meetings at an event: asked for by a registrant (or added by organisers), answered by the
other side, placed on a slot and table by hand or by the schedule, attended or not."""

from datetime import date

from sqlalchemy.orm import Session

from app.auth.principal import Principal
from app.core.etag import check_if_match
from app.core.pagination import PageParams, Sort, keyset_page
from app.core.schemas import Page
from app.db.types import utcnow
from app.errors import Conflict, Forbidden, NotFound, Unprocessable
from app.events import access, meeting_repository, repository
from app.events.access import Grid
from app.events.meeting_schemas import MeetingCreate, MeetingRead, Party, SlotRead
from app.events.scheduling import Slot
from app.events.service import get_event
from app.matching.dependencies import default_options
from app.matching.keeper import MatchKeeper
from app.models import Capability, Event, Meeting, Registration, Requirement
from app.models.enums import MeetingStatus
from app.postings.access import OPEN, can_see, effective_status
from app.postings.repository import get_posting
from app.postings.schemas import EnterpriseSummary

MEETING_ORDER = Sort(key="id", descending=False)
DOUBLE_BOOKED = (
    "Another request has just booked that slot and table, or one of the two enterprises in that "
    "slot; GET the event's table sheets and choose again."
)


class MeetingNotFound(NotFound):
    def __init__(self, event_id: int, meeting_id: int) -> None:
        super().__init__(f"Event {event_id} has no meeting {meeting_id} that you may see.")


# --- reading ------------------------------------------------------------------------------------


def slot_read(grid: Grid, slot: Slot) -> SlotRead:
    return SlotRead(
        number=slot.index + 1,
        starts_at=slot.starts_at,
        ends_at=slot.ends_at,
        session_id=slot.session_id,
        session_name=grid.session_names[slot.session_id],
    )


def _party(registration: Registration) -> Party:
    return Party(
        registration_id=registration.id,
        enterprise=EnterpriseSummary.model_validate(registration.enterprise),
    )


def meeting_read(meeting: Meeting, grid: Grid) -> MeetingRead:
    """A meeting whose slot the event no longer has (a placement older than the event's locks)
    reads as not placed; the next schedule run lays it out again."""
    slot = grid.seat(meeting)
    return MeetingRead(
        id=meeting.id,
        event_id=meeting.event_id,
        requester=_party(meeting.requester),
        invitee=_party(meeting.invitee),
        requirement_id=meeting.requirement_id,
        capability_id=meeting.capability_id,
        score=meeting.score,
        message=meeting.message,
        status=meeting.status,
        requested_by=meeting.requested_by,
        answered_at=meeting.answered_at,
        slot=None if slot is None else slot_read(grid, slot),
        table=None if slot is None else meeting.table_no,
        confirmed=slot is not None and meeting.confirmed,
        held=meeting.held,
        created_at=meeting.created_at,
        updated_at=meeting.updated_at,
        version=meeting.version,
    )


def visible_meeting(
    session: Session, principal: Principal, event: Event, meeting_id: int
) -> Meeting:
    meeting = meeting_repository.get_meeting(session, event.id, meeting_id)
    if meeting is None or not access.can_see_meeting(meeting, principal):
        raise MeetingNotFound(event.id, meeting_id)
    return meeting


def reread(session: Session, event: Event, meeting: Meeting) -> MeetingRead:
    meeting_id = meeting.id
    session.expire(meeting)
    found = meeting_repository.get_meeting(session, event.id, meeting_id)
    assert found is not None
    return meeting_read(found, Grid(event))


def get_meeting(
    session: Session, principal: Principal, event_id: int, meeting_id: int
) -> MeetingRead:
    event = get_event(session, principal, event_id)
    return meeting_read(visible_meeting(session, principal, event, meeting_id), Grid(event))


def list_meetings(
    session: Session,
    principal: Principal,
    event_id: int,
    *,
    status: MeetingStatus | None,
    enterprise_id: int | None,
    page: PageParams,
) -> Page[MeetingRead]:
    """Organisers see every meeting (or one enterprise's); members their own enterprise's."""
    event = get_event(session, principal, event_id)
    empty = Page[MeetingRead](items=[], next_cursor=None, limit=page.limit)
    if not principal.is_staff:
        if principal.enterprise_id is None:
            return empty
        if enterprise_id is not None and enterprise_id != principal.enterprise_id:
            raise Forbidden("Members see their own enterprise's meetings; leave `enterprise` out.")
        enterprise_id = principal.enterprise_id
    registration_id = None
    if enterprise_id is not None:
        registration = repository.find_registration(session, event.id, enterprise_id)
        if registration is None:
            return empty
        registration_id = registration.id
    stmt = meeting_repository.meetings_select(
        event.id, status=status, registration_id=registration_id
    )
    rows, next_cursor = keyset_page(
        session, stmt, sort=MEETING_ORDER, column=Meeting.id, id_column=Meeting.id, page=page
    )
    grid = Grid(event)
    items = [meeting_read(m, grid) for m in rows]
    return Page[MeetingRead](items=items, next_cursor=next_cursor, limit=page.limit)


# --- asking -------------------------------------------------------------------------------------


def _registrant(session: Session, event: Event, enterprise_id: int, field: str) -> Registration:
    registration = repository.find_registration(session, event.id, enterprise_id)
    if registration is None:
        raise Unprocessable(
            f"Enterprise {enterprise_id} is not registered for event {event.id}.", field=field
        )
    access.ensure_may_meet(registration, registration.enterprise.name)
    return registration


def _requester_id(principal: Principal, enterprise_id: int | None) -> int:
    """Members ask for their own enterprise; organisers and admins name the requester."""
    if not principal.is_staff:
        if principal.enterprise_id is None:
            raise Forbidden("This account does not belong to an enterprise, so it cannot meet.")
        if enterprise_id is not None and enterprise_id != principal.enterprise_id:
            raise Forbidden(
                "Members ask for meetings for their own enterprise; leave "
                "requester_enterprise_id out."
            )
        return principal.enterprise_id
    if enterprise_id is None:
        raise Unprocessable(
            "Organisers and admins name both sides: send requester_enterprise_id.",
            field="body.requester_enterprise_id",
        )
    return enterprise_id


POSTINGS = ((Requirement, "requirement"), (Capability, "capability"))


def _posting(
    session: Session,
    principal: Principal,
    model: type[Requirement] | type[Capability],
    posting_id: int,
    today: date,
) -> Requirement | Capability:
    posting = get_posting(session, model, posting_id)
    name = dict(POSTINGS)[model]
    if posting is None or not can_see(posting, principal, today):
        raise Unprocessable(
            f"There is no {name} {posting_id} that you may see.", field=f"body.{name}_id"
        )
    status = effective_status(posting.status, getattr(posting, "valid_until", None), today)
    if status != OPEN:
        raise Unprocessable(
            f"{name.capitalize()} {posting_id} is {status}; a meeting is about an open posting. "
            "Ask its enterprise to open it, or leave it out.",
            field=f"body.{name}_id",
        )
    return posting


def _check_postings(
    session: Session,
    keeper: MatchKeeper,
    principal: Principal,
    data: MeetingCreate,
    parties: tuple[int, int],
    today: date,
) -> float | None:
    """The postings belong to the two parties, the requirement's and capability's to different
    ones; with both, the meeting carries the pair's match score."""
    found: list[Requirement | Capability] = []
    for model, name in POSTINGS:
        posting_id = getattr(data, f"{name}_id")
        if posting_id is None:
            continue
        posting = _posting(session, principal, model, posting_id, today)
        if posting.enterprise_id not in parties:
            raise Unprocessable(
                f"{name.capitalize()} {posting_id} belongs to neither side of the meeting "
                f"(enterprises {parties[0]} and {parties[1]}).",
                field=f"body.{name}_id",
            )
        found.append(posting)
    if len(found) < 2:
        return None
    requirement, capability = found
    assert isinstance(requirement, Requirement) and isinstance(capability, Capability)
    if requirement.enterprise_id == capability.enterprise_id:
        raise Unprocessable(
            f"Requirement {requirement.id} and capability {capability.id} are the same "
            "enterprise's; a meeting is about one side's requirement and the other's capability.",
            field="body.capability_id",
        )
    engine = keeper.current(session, today)
    builder = keeper.builder
    demand, supply = builder.demand(requirement), builder.supply(capability)
    return round(engine.score(demand, supply, default_options(), utcnow()).score, 2)


def request_meeting(
    session: Session,
    keeper: MatchKeeper,
    principal: Principal,
    event_id: int,
    data: MeetingCreate,
    today: date,
) -> MeetingRead:
    """A registrant asks another for a meeting; organisers add one, accepted at once. The event's
    lock makes two requests for the same pair take turns, so only one stays open."""
    event = get_event(session, principal, event_id, lock=True)
    access.ensure_can_request(event, principal)
    requester_enterprise = _requester_id(principal, data.requester_enterprise_id)
    if requester_enterprise == data.invitee_enterprise_id:
        raise Unprocessable(
            "An enterprise cannot meet itself; invite another registrant.",
            field="body.invitee_enterprise_id",
        )
    requester = repository.find_registration(session, event.id, requester_enterprise)
    if requester is None:
        if not principal.is_staff:
            raise Conflict(
                f"Your enterprise is not registered for event {event.id}; register first."
            )
        raise Unprocessable(
            f"Enterprise {requester_enterprise} is not registered for event {event.id}.",
            field="body.requester_enterprise_id",
        )
    access.ensure_may_meet(requester, requester.enterprise.name)
    invitee = _registrant(session, event, data.invitee_enterprise_id, "body.invitee_enterprise_id")
    same = meeting_repository.open_meeting_between(session, event.id, requester.id, invitee.id)
    if same is not None:
        raise Conflict(
            f"{requester.enterprise.name} and {invitee.enterprise.name} already have meeting "
            f"{same.id} ({same.status.value}) at event {event.id}; answer or cancel that one."
        )
    parties = (requester.enterprise_id, invitee.enterprise_id)
    score = _check_postings(session, keeper, principal, data, parties, today)
    staff = principal.is_staff
    meeting = Meeting(
        event_id=event.id,
        requester_id=requester.id,
        invitee_id=invitee.id,
        requirement_id=data.requirement_id,
        capability_id=data.capability_id,
        score=score,
        message=data.message,
        status=MeetingStatus.accepted if staff else MeetingStatus.requested,
        requested_by=principal.account_id,
        answered_at=utcnow() if staff else None,
        confirmed=False,
        seats=[],
    )
    session.add(meeting)
    session.flush()
    return reread(session, event, meeting)


# --- answering and cancelling -------------------------------------------------------------------


def _acting(
    session: Session, principal: Principal, event_id: int, meeting_id: int, if_match: str | None
) -> tuple[Event, Meeting]:
    """The event, locked: an answer or a cancellation waits for a schedule run or an edit of the
    event that is under way, so that neither acts on a meeting the other just changed."""
    event = get_event(session, principal, event_id, lock=True)
    meeting = visible_meeting(session, principal, event, meeting_id)
    access.ensure_meetings_changeable(event)
    check_if_match(if_match, meeting)
    return event, meeting


def answer(
    session: Session,
    principal: Principal,
    event_id: int,
    meeting_id: int,
    accept: bool,
    if_match: str | None,
) -> MeetingRead:
    """The invitee (or an organiser) accepts or declines; answering the same again changes nothing."""
    event, meeting = _acting(session, principal, event_id, meeting_id, if_match)
    if not principal.is_staff and access.meeting_side(meeting, principal) != "invitee":
        raise Forbidden(
            f"Only {meeting.invitee.enterprise.name}, the invitee, (or an organiser) answers "
            f"meeting {meeting.id}."
        )
    wanted = MeetingStatus.accepted if accept else MeetingStatus.declined
    if meeting.status == wanted:
        return meeting_read(meeting, Grid(event))
    if meeting.status != MeetingStatus.requested:
        raise Conflict(
            f"Meeting {meeting.id} is {meeting.status.value}; only a requested meeting is "
            "accepted or declined."
        )
    if accept:
        for registration in (meeting.requester, meeting.invitee):
            access.ensure_may_meet(registration, registration.enterprise.name)
    meeting.status = wanted
    meeting.answered_at = utcnow()
    session.flush()
    return reread(session, event, meeting)


def cancel(
    session: Session, principal: Principal, event_id: int, meeting_id: int, if_match: str | None
) -> MeetingRead:
    """Either side (or an organiser) calls a meeting off; its slot and table become free."""
    event, meeting = _acting(session, principal, event_id, meeting_id, if_match)
    if meeting.status == MeetingStatus.cancelled:
        return meeting_read(meeting, Grid(event))
    if meeting.status == MeetingStatus.declined:
        raise Conflict(f"Meeting {meeting.id} was declined; there is nothing to cancel.")
    meeting.status = MeetingStatus.cancelled
    meeting.unplace()
    session.flush()
    return reread(session, event, meeting)


def cancel_all_of(session: Session, registration: Registration) -> None:
    """A registration withdrew: its open meetings are cancelled and their places freed."""
    for meeting in meeting_repository.open_meetings_of(session, registration.id):
        meeting.status = MeetingStatus.cancelled
        meeting.unplace()
    session.flush()
