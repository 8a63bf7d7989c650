"""Outcomes: what came of a meeting or a match, recorded by either side or an organiser.

The buyer and supplier are derived, never sent: the requirement's enterprise buys and the
capability's supplies; for a meeting without postings, the registration roles say who buys
(buyer and supplier, or one registered as `both` facing one that is not), and when they do not,
``buyer_enterprise_id`` names which of the two parties it is.
"""

from datetime import date

from sqlalchemy.orm import Session

from app.auth.principal import Principal
from app.core.etag import check_if_match, touch_if_changed
from app.core.pagination import PageParams, Sort, keyset_page
from app.core.schemas import Page
from app.errors import Conflict, Forbidden, NotFound, Unprocessable
from app.events import access, meeting_repository, outcome_repository, repository
from app.events.outcome_repository import OutcomeFilters
from app.events.outcome_schemas import AMOUNT_KINDS, OutcomeCreate, OutcomeRead, OutcomeUpdate
from app.models import Capability, Event, Meeting, Outcome, Requirement
from app.models.enums import EventStatus, MeetingStatus, OutcomeKind, RegistrationRole
from app.postings.access import can_see
from app.postings.repository import get_posting

NEWEST_FIRST = Sort(key="id", descending=True)
BUYS = (RegistrationRole.buyer, RegistrationRole.both)
SUPPLIES = (RegistrationRole.supplier, RegistrationRole.both)


class OutcomeNotFound(NotFound):
    def __init__(self, outcome_id: int) -> None:
        super().__init__(f"Outcome {outcome_id} does not exist or is not yours to see.")


def _is_party(outcome: Outcome, principal: Principal) -> bool:
    return principal.enterprise_id is not None and principal.enterprise_id in (
        outcome.buyer_id,
        outcome.supplier_id,
    )


def get_outcome(session: Session, principal: Principal, outcome_id: int) -> Outcome:
    outcome = outcome_repository.get_outcome(session, outcome_id)
    if outcome is None or not (principal.is_staff or _is_party(outcome, principal)):
        raise OutcomeNotFound(outcome_id)
    return outcome


def outcome_read(outcome: Outcome) -> OutcomeRead:
    return OutcomeRead.model_validate(outcome)


def list_outcomes(
    session: Session, principal: Principal, filters: OutcomeFilters, page: PageParams
) -> Page[OutcomeRead]:
    """Newest first: organisers see every outcome, members those their enterprise is a side of."""
    if not principal.is_staff and principal.enterprise_id is None:
        return Page[OutcomeRead](items=[], next_cursor=None, limit=page.limit)
    party = None if principal.is_staff else principal.enterprise_id
    rows, next_cursor = keyset_page(
        session,
        outcome_repository.outcomes_select(filters, party),
        sort=NEWEST_FIRST,
        column=Outcome.id,
        id_column=Outcome.id,
        page=page,
    )
    items = [outcome_read(o) for o in rows]
    return Page[OutcomeRead](items=items, next_cursor=next_cursor, limit=page.limit)


def _check_amount(kind: OutcomeKind, amount: object) -> None:
    if kind in AMOUNT_KINDS and amount is None:
        raise Unprocessable(
            f"An outcome of kind {kind.value} needs its amount: send amount_yuan.",
            field="body.amount_yuan",
        )


def _meeting(session: Session, principal: Principal, meeting_id: int) -> Meeting:
    meeting = meeting_repository.find_meeting(session, meeting_id)
    if meeting is None or not access.can_see_meeting(meeting, principal):
        raise Unprocessable(
            f"There is no meeting {meeting_id} that you may see.", field="body.meeting_id"
        )
    if meeting.status != MeetingStatus.accepted:
        raise Conflict(
            f"Meeting {meeting.id} is {meeting.status.value}; outcomes come from accepted meetings."
        )
    return meeting


def _event(session: Session, principal: Principal, event_id: int) -> Event:
    event = repository.get_event(session, event_id)
    if event is None or not access.can_see(event, principal):
        raise Unprocessable(
            f"There is no event {event_id} that you may see.", field="body.event_id"
        )
    if event.status == EventStatus.draft:
        raise Conflict(f"Event {event.id} is still a draft; nothing has come of it yet.")
    return event


def _posting(
    session: Session,
    principal: Principal,
    model: type[Requirement] | type[Capability],
    name: str,
    posting_id: int | None,
    today: date,
) -> Requirement | Capability | None:
    if posting_id is None:
        return None
    posting = get_posting(session, model, posting_id)
    if posting is None or not can_see(posting, principal, today):
        raise Unprocessable(
            f"There is no {name} {posting_id} that you may see.", field=f"body.{name}_id"
        )
    return posting


def _meeting_sides(
    meeting: Meeting, buyer: int | None, supplier: int | None, named: int | None
) -> tuple[int, int]:
    """The buyer and supplier among the meeting's two parties."""
    requester, invitee = meeting.requester, meeting.invitee
    parties = (requester.enterprise_id, invitee.enterprise_id)
    for side, enterprise_id, field in (
        ("buyer", named, "body.buyer_enterprise_id"),
        ("buyer", buyer, "body.requirement_id"),
        ("supplier", supplier, "body.capability_id"),
    ):
        if enterprise_id is not None and enterprise_id not in parties:
            raise Unprocessable(
                f"The {side} (enterprise {enterprise_id}) is not a party to meeting {meeting.id} "
                f"(enterprises {parties[0]} and {parties[1]}).",
                field=field,
            )
    buyer = buyer if buyer is not None else named
    if buyer is None and supplier is not None:
        buyer = parties[1] if supplier == parties[0] else parties[0]
    if buyer is None:
        ways = [
            b
            for b, s in ((requester, invitee), (invitee, requester))
            if b.role in BUYS and s.role in SUPPLIES
        ]
        if len(ways) != 1:
            raise Unprocessable(
                f"Meeting {meeting.id}'s registrations do not say which side buys; send "
                "buyer_enterprise_id (or the requirement and capability).",
                field="body.buyer_enterprise_id",
            )
        buyer = ways[0].enterprise_id
    seller = parties[1] if buyer == parties[0] else parties[0]
    if supplier is not None and supplier != seller:
        raise Unprocessable(
            f"The capability's enterprise {supplier} is the buyer here; a deal has two sides.",
            field="body.capability_id",
        )
    return buyer, seller


def record(session: Session, principal: Principal, data: OutcomeCreate, today: date) -> Outcome:
    """Record an outcome (a side's members, or organisers); the buyer and supplier are derived."""
    _check_amount(data.kind, data.amount_yuan)
    meeting = None if data.meeting_id is None else _meeting(session, principal, data.meeting_id)
    event_id = data.event_id
    if meeting is not None:
        if event_id is not None and event_id != meeting.event_id:
            raise Unprocessable(
                f"Meeting {meeting.id} was at event {meeting.event_id}, not event {event_id}; "
                "leave event_id out.",
                field="body.event_id",
            )
        event_id = meeting.event_id
    event = None if event_id is None else _event(session, principal, event_id)
    requirement_id = data.requirement_id or (meeting.requirement_id if meeting else None)
    capability_id = data.capability_id or (meeting.capability_id if meeting else None)
    requirement = _posting(session, principal, Requirement, "requirement", requirement_id, today)
    capability = _posting(session, principal, Capability, "capability", capability_id, today)
    buyer = None if requirement is None else requirement.enterprise_id
    supplier = None if capability is None else capability.enterprise_id
    if data.buyer_enterprise_id is not None and buyer not in (None, data.buyer_enterprise_id):
        raise Unprocessable(
            f"Requirement {requirement_id} is enterprise {buyer}'s, so it is the buyer.",
            field="body.buyer_enterprise_id",
        )
    if meeting is not None:
        buyer, supplier = _meeting_sides(meeting, buyer, supplier, data.buyer_enterprise_id)
    elif buyer is None or supplier is None:
        raise Unprocessable(
            "Name the meeting the outcome came from, or the requirement and the capability of "
            "the match.",
            field="body.meeting_id",
        )
    if buyer == supplier:
        raise Unprocessable(
            f"Requirement {requirement_id} and capability {capability_id} are both enterprise "
            f"{buyer}'s; a deal has two sides.",
            field="body.capability_id",
        )
    if not principal.is_staff and principal.enterprise_id not in (buyer, supplier):
        raise Forbidden("Only the buyer's or the supplier's members (or organisers) record it.")
    if event is not None and meeting is None:
        absent = {buyer, supplier} - outcome_repository.participates(
            session, event.id, (buyer, supplier)
        )
        if absent:
            raise Unprocessable(
                f"Enterprise(s) {sorted(absent)} did not take part in event {event.id} (no "
                "confirmed registration).",
                field="body.event_id",
            )
    outcome = Outcome(
        kind=data.kind,
        amount_yuan=data.amount_yuan,
        event_id=event_id,
        meeting_id=data.meeting_id,
        requirement_id=requirement_id,
        capability_id=capability_id,
        buyer_id=buyer,
        supplier_id=supplier,
        note=data.note or "",
        recorded_by=principal.account_id,
    )
    session.add(outcome)
    session.flush()
    return _reload(session, outcome)


def _reload(session: Session, outcome: Outcome) -> Outcome:
    outcome_id = outcome.id
    session.expire(outcome)
    found = outcome_repository.get_outcome(session, outcome_id)
    assert found is not None
    return found


def _writable(
    session: Session, principal: Principal, outcome_id: int, if_match: str | None
) -> Outcome:
    """Either side of the deal (a member of the buyer or of the supplier) or an organiser: a side
    can correct or remove what the other recorded about it, since it counts in public figures."""
    outcome = get_outcome(session, principal, outcome_id)  # staff or a side; else 404
    check_if_match(if_match, outcome)
    return outcome


def update(
    session: Session,
    principal: Principal,
    outcome_id: int,
    data: OutcomeUpdate,
    if_match: str | None,
) -> Outcome:
    """Either side or an organiser changes the kind, amount or note; send If-Match."""
    outcome = _writable(session, principal, outcome_id, if_match)
    sent = data.model_fields_set
    kind = data.kind or outcome.kind
    amount = data.amount_yuan if "amount_yuan" in sent else outcome.amount_yuan
    _check_amount(kind, amount)
    outcome.kind, outcome.amount_yuan = kind, amount
    if "note" in sent:
        outcome.note = data.note or ""
    touch_if_changed(session, outcome)
    session.flush()
    return _reload(session, outcome)


def delete(session: Session, principal: Principal, outcome_id: int, if_match: str | None) -> None:
    outcome = _writable(session, principal, outcome_id, if_match)
    session.delete(outcome)
    session.flush()
