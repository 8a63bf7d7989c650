"""Registrations: enterprises register for an event, queue for a place, change and withdraw."""

from datetime import date

from sqlalchemy.orm import Session

from app.auth.principal import Principal
from app.core.etag import check_if_match, touch_if_changed
from app.core.pagination import PageParams, Sort, keyset_page
from app.core.schemas import Page
from app.db.collections import sync_rows
from app.db.types import utcnow
from app.errors import Conflict, NotFound, Unprocessable, conflict_on_integrity
from app.events import access, meeting_repository, repository
from app.events.meeting_service import cancel_all_of
from app.events.schemas import RegistrationCreate, RegistrationRead, RegistrationUpdate, TimeWindow
from app.events.service import fill_places, get_event
from app.models import (
    Capability,
    Enterprise,
    Event,
    Registration,
    RegistrationCapability,
    RegistrationRequirement,
    RegistrationWindow,
    Requirement,
)
from app.models.enums import RegistrationRole, RegistrationStatus
from app.postings.access import OPEN
from app.postings.references import resolve_owner
from app.postings.schemas import EnterpriseSummary

REGISTRATION_ORDER = Sort(key="id", descending=False)  # the order enterprises registered in


class RegistrationNotFound(NotFound):
    def __init__(self, event_id: int, registration_id: int) -> None:
        super().__init__(
            f"Event {event_id} has no registration {registration_id} that you may see."
        )


def _positions(session: Session, event_id: int) -> dict[int, int]:
    """registration id → place on the event's waiting list, 1 for the first in line."""
    return {rid: i for i, rid in enumerate(repository.waitlist_ids(session, event_id), start=1)}


def registration_read(registration: Registration, positions: dict[int, int]) -> RegistrationRead:
    return RegistrationRead(
        id=registration.id,
        event_id=registration.event_id,
        enterprise=EnterpriseSummary.model_validate(registration.enterprise),
        role=registration.role,
        status=registration.status,
        waitlist_position=positions.get(registration.id),
        requirement_ids=registration.requirement_ids,
        capability_ids=registration.capability_ids,
        availability=registration.windows,  # type: ignore[arg-type]
        registered_by=registration.registered_by,
        created_at=registration.created_at,
        updated_at=registration.updated_at,
        version=registration.version,
    )


def read_registration(session: Session, registration: Registration) -> RegistrationRead:
    return registration_read(registration, _positions(session, registration.event_id))


def _get_registration(
    session: Session, principal: Principal, event: Event, registration_id: int
) -> Registration:
    registration = repository.get_registration(session, event.id, registration_id)
    if registration is None or not access.can_see_registration(registration, principal):
        raise RegistrationNotFound(event.id, registration_id)
    return registration


def get_registration(
    session: Session, principal: Principal, event_id: int, registration_id: int
) -> Registration:
    return _get_registration(
        session, principal, get_event(session, principal, event_id), registration_id
    )


def list_registrations(
    session: Session,
    principal: Principal,
    event_id: int,
    *,
    status: RegistrationStatus | None,
    role: RegistrationRole | None,
    page: PageParams,
) -> Page[RegistrationRead]:
    """Organisers see every registration; members their own enterprise's."""
    event = get_event(session, principal, event_id)
    if not principal.is_staff and principal.enterprise_id is None:
        return Page[RegistrationRead](items=[], next_cursor=None, limit=page.limit)
    stmt = repository.registrations_select(
        event.id,
        status=status,
        role=role,
        enterprise_id=None if principal.is_staff else principal.enterprise_id,
    )
    rows, next_cursor = keyset_page(
        session,
        stmt,
        sort=REGISTRATION_ORDER,
        column=Registration.id,
        id_column=Registration.id,
        page=page,
    )
    positions = _positions(session, event.id)
    items = [registration_read(r, positions) for r in rows]
    return Page[RegistrationRead](items=items, next_cursor=next_cursor, limit=page.limit)


def _registrant(session: Session, principal: Principal, enterprise_id: int | None) -> Enterprise:
    """Members register their own enterprise; organisers and admins name the enterprise."""
    return resolve_owner(session, principal, enterprise_id, doing="register", doing_for="register")


def _check_postings(
    session: Session,
    enterprise_id: int,
    role: RegistrationRole,
    postings: tuple[list[int], list[int]],
    brought: tuple[list[int], list[int]],
    today: date,
) -> None:
    """The postings, (requirement ids, capability ids), exist, are the enterprise's own and fit
    its role; those not ``brought`` already must be open, since only open postings are matched
    (one brought before and paused since may stay)."""
    access.check_role(role, *postings)
    for model, ids, kept, name, path in (
        (Requirement, postings[0], brought[0], "requirement", "requirements"),
        (Capability, postings[1], brought[1], "capability", "capabilities"),
    ):
        states = repository.posting_states(session, model, ids, today)
        foreign = [i for i in ids if i not in states or states[i][0] != enterprise_id]
        if foreign:
            raise Unprocessable(
                f"The {name} id(s) {foreign} do not exist or are not enterprise {enterprise_id}'s; "
                "a registration brings only its own enterprise's postings.",
                field=f"body.{name}_ids",
            )
        closed = [f"{i} ({states[i][1]})" for i in ids if i not in kept and states[i][1] != OPEN]
        if closed:
            raise Unprocessable(
                f"The {name}(s) {', '.join(closed)} are not open, so they take no part in the "
                f"event's matching; open them first (PATCH /v1/{path}/{{id}} with status open, "
                "and a valid_until not past) or leave them out.",
                field=f"body.{name}_ids",
            )


def _brought(registration: Registration) -> tuple[list[int], list[int]]:
    """The postings a registration brings now, (requirement ids, capability ids)."""
    return registration.requirement_ids, registration.capability_ids


def _set_parts(
    registration: Registration,
    requirement_ids: list[int],
    capability_ids: list[int],
    windows: list[TimeWindow] | None,
) -> None:
    sync_rows(
        registration.requirement_rows,
        requirement_ids,
        lambda r: r.requirement_id,
        lambda i: RegistrationRequirement(requirement_id=i),
    )
    sync_rows(
        registration.capability_rows,
        capability_ids,
        lambda r: r.capability_id,
        lambda i: RegistrationCapability(capability_id=i),
    )
    if windows is not None:
        sync_rows(
            registration.windows,
            [(w.starts_at, w.ends_at) for w in windows],
            lambda r: (r.starts_at, r.ends_at),
            lambda key: RegistrationWindow(starts_at=key[0], ends_at=key[1]),
        )


def _reload(session: Session, registration: Registration) -> Registration:
    event_id, registration_id = registration.event_id, registration.id
    session.expire(registration)
    found = repository.get_registration(session, event_id, registration_id)
    assert found is not None
    return found


def register(
    session: Session, principal: Principal, event_id: int, data: RegistrationCreate, today: date
) -> Registration:
    """Register an enterprise: confirmed while places are free, else at the end of the waiting
    list. A withdrawn registration of the same enterprise is re-activated, at the back of the
    queue. The event's lock makes concurrent registrations take places one at a time."""
    event = get_event(session, principal, event_id, lock=True)
    enterprise = _registrant(session, principal, data.enterprise_id)
    access.ensure_can_register(event, principal)
    registration = repository.find_registration(session, event.id, enterprise.id)
    if registration is not None and registration.status != RegistrationStatus.withdrawn:
        raise Conflict(
            f"Enterprise {enterprise.id} is already registered for event {event.id} "
            f"(registration {registration.id}, {registration.status.value}); change that one."
        )
    requirement_ids, capability_ids = data.requirement_ids or [], data.capability_ids or []
    postings = (requirement_ids, capability_ids)
    _check_postings(session, enterprise.id, data.role, postings, ([], []), today)
    access.check_availability(data.availability or [], event.sessions, event.slot_minutes)
    full = repository.confirmed_count(session, event.id) >= event.capacity
    if registration is None:
        registration = Registration(
            event_id=event.id,
            enterprise_id=enterprise.id,
            requirement_rows=[],
            capability_rows=[],
            windows=[],
        )
    registration.role = data.role
    registration.status = RegistrationStatus.waitlisted if full else RegistrationStatus.confirmed
    registration.queued_at = utcnow()
    registration.registered_by = principal.account_id
    _set_parts(registration, requirement_ids, capability_ids, data.availability or [])
    session.add(registration)
    with conflict_on_integrity(
        f"Enterprise {enterprise.id} was just registered for event {event.id} by another request."
    ):
        session.flush()
    return _reload(session, registration)


def update_registration(
    session: Session,
    principal: Principal,
    event_id: int,
    registration_id: int,
    data: RegistrationUpdate,
    if_match: str | None,
    today: date,
) -> Registration:
    """Change a registration's role, postings or availability. The event's lock keeps this apart
    from edits of its sessions and from placing or confirming its meetings (the schedule, by
    hand), which read the availability checked here."""
    event = get_event(session, principal, event_id, lock=True)
    registration = _get_registration(session, principal, event, registration_id)
    access.ensure_registrations_changeable(event)
    check_if_match(if_match, registration)
    if registration.status == RegistrationStatus.withdrawn:
        raise Conflict(
            f"Registration {registration.id} was withdrawn; register again (POST) to take part."
        )
    sent = data.model_fields_set
    role = data.role or registration.role
    requirement_ids = (
        (data.requirement_ids or []) if "requirement_ids" in sent else registration.requirement_ids
    )
    capability_ids = (
        (data.capability_ids or []) if "capability_ids" in sent else registration.capability_ids
    )
    postings = (requirement_ids, capability_ids)
    _check_postings(
        session, registration.enterprise_id, role, postings, _brought(registration), today
    )
    windows = (data.availability or []) if "availability" in sent else None
    if windows is not None:
        access.check_availability(windows, event.sessions, event.slot_minutes)
        confirmed = meeting_repository.confirmed_starts(session, registration.id)
        access.ensure_availability_keeps_meetings(
            registration, confirmed, windows, event.slot_minutes
        )
    registration.role = role
    _set_parts(registration, requirement_ids, capability_ids, windows)
    touch_if_changed(session, registration)
    session.flush()
    return _reload(session, registration)


def withdraw(
    session: Session,
    principal: Principal,
    event_id: int,
    registration_id: int,
    if_match: str | None,
) -> Registration:
    """Withdraw a registration; a confirmed one's place goes to the first on the waiting list, and
    its open meetings are cancelled."""
    event = get_event(session, principal, event_id, lock=True)
    registration = _get_registration(session, principal, event, registration_id)
    access.ensure_registrations_changeable(event)
    check_if_match(if_match, registration)
    if registration.status == RegistrationStatus.withdrawn:
        return registration
    was_confirmed = registration.status == RegistrationStatus.confirmed
    registration.status = RegistrationStatus.withdrawn
    session.flush()
    cancel_all_of(session, registration)
    if was_confirmed:
        fill_places(session, event)
    return _reload(session, registration)
