"""SQL for events and registrations: loading with their parts, counts, the waiting list, lists."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, func, null, select
from sqlalchemy.orm import Session, joinedload, selectinload

from app.auth.principal import Principal
from app.events.access import visible_condition
from app.models import (
    Capability,
    Chain,
    ChainNode,
    Enterprise,
    Event,
    EventChain,
    Region,
    Registration,
    RegistrationWindow,
    Requirement,
)
from app.models.enums import EventStatus, RegistrationRole, RegistrationStatus
from app.postings.access import effective_status
from app.regions.scope import within_area

EVENT_OPTIONS = (
    selectinload(Event.sessions),
    selectinload(Event.chain_rows),
    selectinload(Event.node_rows),
)
REGISTRATION_OPTIONS = (
    joinedload(Registration.enterprise).selectinload(Enterprise.tier_rows),
    selectinload(Registration.requirement_rows),
    selectinload(Registration.capability_rows),
    selectinload(Registration.windows),
)
# A role filter asks who buys or who supplies: `both` registrations are on each side.
ROLE_SIDES = {
    RegistrationRole.buyer: (RegistrationRole.buyer, RegistrationRole.both),
    RegistrationRole.supplier: (RegistrationRole.supplier, RegistrationRole.both),
    RegistrationRole.both: (RegistrationRole.both,),
}


def get_event(session: Session, event_id: int, *, lock: bool = False) -> Event | None:
    """``lock`` takes the event's row lock (PostgreSQL; SQLite writers already hold the database):
    registrations, withdrawals and capacity changes of one event queue on it."""
    stmt = select(Event).options(*EVENT_OPTIONS).where(Event.id == event_id)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return session.scalars(stmt).one_or_none()


def events_by_ids(session: Session, ids: Sequence[int]) -> list[Event]:
    if not ids:
        return []
    stmt = select(Event).options(*EVENT_OPTIONS).where(Event.id.in_(ids))
    by_id = {e.id: e for e in session.scalars(stmt)}
    return [by_id[i] for i in ids if i in by_id]


@dataclass(frozen=True)
class EventFilters:
    status: EventStatus | None = None
    chain_id: int | None = None
    region: str | None = None
    from_date: date | None = None
    to_date: date | None = None


def events_select(session: Session, principal: Principal, filters: EventFilters) -> Select[Any]:
    """Events the principal may see that pass the filters; dates select events overlapping them."""
    stmt = select(Event).options(*EVENT_OPTIONS).where(visible_condition(principal))
    if filters.status is not None:
        stmt = stmt.where(Event.status == filters.status)
    if filters.chain_id is not None:
        in_chain = select(EventChain.event_id).where(EventChain.chain_id == filters.chain_id)
        stmt = stmt.where(Event.id.in_(in_chain))
    if filters.region is not None:
        stmt = stmt.where(
            within_area(session, Event.region_code, filters.region, field="query.region")
        )
    if filters.from_date is not None:
        stmt = stmt.where(Event.ends_on >= filters.from_date)
    if filters.to_date is not None:
        stmt = stmt.where(Event.starts_on <= filters.to_date)
    return stmt


def chain_exists(session: Session, chain_id: int) -> bool:
    return session.get(Chain, chain_id) is not None


def region_exists(session: Session, code: str) -> bool:
    return session.get(Region, code) is not None


def existing_chain_ids(session: Session, ids: Sequence[int]) -> set[int]:
    if not ids:
        return set()
    return set(session.scalars(select(Chain.id).where(Chain.id.in_(ids))))


def chains_of_nodes(session: Session, node_ids: Sequence[int]) -> dict[int, int]:
    """node id → chain id, for the nodes that exist."""
    if not node_ids:
        return {}
    rows = session.execute(
        select(ChainNode.id, ChainNode.chain_id).where(ChainNode.id.in_(node_ids))
    )
    return {node_id: chain_id for node_id, chain_id in rows}


def status_counts(session: Session, event_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    """event id → {status: number of registrations}, in one query for a page of events."""
    counts: dict[int, dict[str, int]] = {i: {} for i in event_ids}
    if not event_ids:
        return counts
    stmt = (
        select(Registration.event_id, Registration.status, func.count())
        .where(Registration.event_id.in_(event_ids))
        .group_by(Registration.event_id, Registration.status)
    )
    for event_id, status, count in session.execute(stmt):
        counts[event_id][status.value] = count
    return counts


def confirmed_count(session: Session, event_id: int) -> int:
    stmt = select(func.count()).where(
        Registration.event_id == event_id, Registration.status == RegistrationStatus.confirmed
    )
    return session.scalar(stmt) or 0


def _waitlist(event_id: int) -> Select[Any]:
    return (
        select(Registration)
        .where(
            Registration.event_id == event_id, Registration.status == RegistrationStatus.waitlisted
        )
        .order_by(Registration.queued_at, Registration.id)
    )


def waitlist_ids(session: Session, event_id: int) -> list[int]:
    """The waiting list in order: first registered (or re-registered) first."""
    return list(session.scalars(_waitlist(event_id).with_only_columns(Registration.id)))


def first_waitlisted(session: Session, event_id: int, count: int) -> list[Registration]:
    return list(session.scalars(_waitlist(event_id).limit(count)))


def get_registration(session: Session, event_id: int, registration_id: int) -> Registration | None:
    stmt = (
        select(Registration)
        .options(*REGISTRATION_OPTIONS)
        .where(Registration.id == registration_id, Registration.event_id == event_id)
    )
    return session.scalars(stmt).one_or_none()


def find_registration(session: Session, event_id: int, enterprise_id: int) -> Registration | None:
    stmt = (
        select(Registration)
        .options(*REGISTRATION_OPTIONS)
        .where(Registration.event_id == event_id, Registration.enterprise_id == enterprise_id)
    )
    return session.scalars(stmt).one_or_none()


def registrations_select(
    event_id: int,
    *,
    status: RegistrationStatus | None = None,
    role: RegistrationRole | None = None,
    enterprise_id: int | None = None,
) -> Select[Any]:
    stmt = (
        select(Registration).options(*REGISTRATION_OPTIONS).where(Registration.event_id == event_id)
    )
    if status is not None:
        stmt = stmt.where(Registration.status == status)
    if role is not None:
        stmt = stmt.where(Registration.role.in_(ROLE_SIDES[role]))
    if enterprise_id is not None:
        stmt = stmt.where(Registration.enterprise_id == enterprise_id)
    return stmt


def posting_states(
    session: Session, model: type[Requirement] | type[Capability], ids: Sequence[int], today: date
) -> dict[int, tuple[int, str]]:
    """posting id → (enterprise id, status as readers see it: `expired` for an open requirement
    past valid_until), for the postings that exist."""
    if not ids:
        return {}
    until = model.valid_until if model is Requirement else null()
    rows = session.execute(
        select(model.id, model.enterprise_id, model.status, until).where(model.id.in_(ids))
    )
    return {
        posting_id: (enterprise_id, effective_status(status, valid_until, today))
        for posting_id, enterprise_id, status, valid_until in rows
    }


def active_windows(session: Session, event_id: int) -> list[RegistrationWindow]:
    """The availability windows of the event's registrations that have not withdrawn."""
    stmt = (
        select(RegistrationWindow)
        .join(Registration, Registration.id == RegistrationWindow.registration_id)
        .where(
            Registration.event_id == event_id,
            Registration.status != RegistrationStatus.withdrawn,
        )
        .order_by(RegistrationWindow.registration_id, RegistrationWindow.starts_at)
    )
    return list(session.scalars(stmt))
