"""Docking events: organisers announce them, edit their sessions and focus, and move them on."""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from app.auth.principal import Principal
from app.core.etag import check_if_match, touch_if_changed
from app.core.pagination import PageParams, Sort, keyset_page
from app.core.schemas import Page
from app.db.collections import sync_rows
from app.errors import Conflict, NotFound, Unprocessable
from app.events import access, meeting_repository, repository
from app.events.repository import EventFilters
from app.events.schemas import EventCreate, EventRead, EventUpdate, SessionIn
from app.models import Event, EventChain, EventNode, EventSession
from app.models.enums import RegistrationStatus

SORT_COLUMNS = {"starts_on": Event.starts_on, "created_at": Event.created_at}
DEFAULT_SORT = "-starts_on"


class EventNotFound(NotFound):
    def __init__(self, event_id: int) -> None:
        super().__init__(f"Event {event_id} does not exist or is not visible to you.")


def get_event(
    session: Session, principal: Principal, event_id: int, *, lock: bool = False
) -> Event:
    event = repository.get_event(session, event_id, lock=lock)
    if event is None or not access.can_see(event, principal):
        raise EventNotFound(event_id)
    return event


def event_read(event: Event, counts: dict[str, int]) -> EventRead:
    confirmed = counts.get(RegistrationStatus.confirmed, 0)
    values = {
        name: getattr(event, name)
        for name in EventRead.model_fields
        if name not in ("confirmed_count", "waitlisted_count", "places_left")
    }
    return EventRead.model_validate(
        {
            **values,
            "confirmed_count": confirmed,
            "waitlisted_count": counts.get(RegistrationStatus.waitlisted, 0),
            "places_left": max(event.capacity - confirmed, 0),
        }
    )


def read_event(session: Session, event: Event) -> EventRead:
    return event_read(event, repository.status_counts(session, [event.id])[event.id])


def list_events(
    session: Session,
    principal: Principal,
    filters: EventFilters,
    sort: str | None,
    page: PageParams,
) -> Page[EventRead]:
    order = Sort.parse(sort or DEFAULT_SORT, SORT_COLUMNS)
    if filters.chain_id is not None and not repository.chain_exists(session, filters.chain_id):
        raise Unprocessable(f"No chain with id {filters.chain_id} exists.", field="query.chain")
    if filters.from_date and filters.to_date and filters.to_date < filters.from_date:
        raise Unprocessable(
            f"`to` ({filters.to_date}) is before `from` ({filters.from_date}).", field="query.to"
        )
    rows, next_cursor = keyset_page(
        session,
        repository.events_select(session, principal, filters),
        sort=order,
        column=SORT_COLUMNS[order.key],
        id_column=Event.id,
        page=page,
    )
    counts = repository.status_counts(session, [e.id for e in rows])
    items = [event_read(e, counts[e.id]) for e in rows]
    return Page[EventRead](items=items, next_cursor=next_cursor, limit=page.limit)


def _check_region(session: Session, code: str) -> None:
    if not repository.region_exists(session, code):
        raise Unprocessable(f"There is no region with code {code}.", field="body.region_code")


def _focus(
    session: Session, chain_ids: list[int], node_ids: list[int] | None, kept: list[int]
) -> list[int]:
    """The nodes in focus: each exists and lies in one of the chains (which must exist).

    ``node_ids`` None (not sent) keeps those of ``kept`` whose chain is still in focus.
    """
    known = repository.existing_chain_ids(session, chain_ids)
    missing = [c for c in chain_ids if c not in known]
    if missing:
        raise Unprocessable(f"Chain(s) {missing} do not exist.", field="body.chain_ids")
    chain_of = repository.chains_of_nodes(session, kept if node_ids is None else node_ids)
    if node_ids is None:
        return [n for n in kept if chain_of.get(n) in known]
    unknown = [n for n in node_ids if n not in chain_of]
    if unknown:
        raise Unprocessable(f"Chain node(s) {unknown} do not exist.", field="body.node_ids")
    outside = [n for n in node_ids if chain_of[n] not in known]
    if outside:
        raise Unprocessable(
            f"Chain node(s) {outside} are not in the event's chains {chain_ids}; add their "
            "chains to chain_ids.",
            field="body.node_ids",
        )
    return node_ids


def _set_focus(event: Event, chain_ids: list[int], node_ids: list[int]) -> None:
    sync_rows(event.chain_rows, chain_ids, lambda r: r.chain_id, lambda c: EventChain(chain_id=c))
    sync_rows(event.node_rows, node_ids, lambda r: r.node_id, lambda n: EventNode(node_id=n))


def _session_keys(sessions: Sequence[Any]) -> set[tuple[datetime, datetime, str]]:
    return {(s.starts_at, s.ends_at, s.name) for s in sessions}


def _sync_sessions(event: Event, wanted: list[SessionIn]) -> None:
    """Make the event's sessions those sent; a session keeps its row (and id) while its start
    stays, and is edited in place (so the event's version counts its sessions as children)."""
    current = {s.starts_at: s for s in event.sessions}
    starts = {w.starts_at for w in wanted}
    for row in [s for s in event.sessions if s.starts_at not in starts]:
        event.sessions.remove(row)
    for w in sorted(wanted, key=lambda w: w.starts_at):
        row = current.get(w.starts_at)
        if row is None:
            event.sessions.append(
                EventSession(name=w.name, starts_at=w.starts_at, ends_at=w.ends_at)
            )
        else:
            row.name, row.ends_at = w.name, w.ends_at


def create_event(session: Session, principal: Principal, data: EventCreate) -> Event:
    _check_region(session, data.region_code)
    ends_on = data.ends_on or data.starts_on
    access.check_days(data.starts_on, ends_on)
    access.check_sessions(data.sessions, (data.starts_on, ends_on), data.slot_minutes)
    chain_ids = data.chain_ids or []
    node_ids = _focus(session, chain_ids, data.node_ids or [], [])
    event = Event(
        title=data.title,
        description=data.description or "",
        kinds=[k.value for k in data.kinds or []],
        venue=data.venue or "",
        region_code=data.region_code,
        starts_on=data.starts_on,
        ends_on=ends_on,
        slot_minutes=data.slot_minutes,
        tables=data.tables,
        capacity=data.capacity,
        status=data.status,
        created_by=principal.account_id,
        sessions=[],
        chain_rows=[],
        node_rows=[],
    )
    _sync_sessions(event, data.sessions)
    _set_focus(event, chain_ids, node_ids)
    session.add(event)
    session.flush()
    event_id = event.id
    session.expire(event)  # reload the sessions in time order
    return get_event(session, principal, event_id)


def _moved_fields(event: Event, data: EventUpdate, days: tuple[date, date]) -> list[str]:
    """The meeting-grid fields (days, slot length, tables, sessions) this update really changes."""
    sent = data.model_fields_set
    new = {
        "starts_on": days[0],
        "ends_on": days[1],
        "slot_minutes": data.slot_minutes if "slot_minutes" in sent else event.slot_minutes,
        "tables": data.tables if "tables" in sent else event.tables,
    }
    moved = [name for name, value in new.items() if value != getattr(event, name)]
    if "sessions" in sent and _session_keys(data.sessions or []) != _session_keys(event.sessions):
        moved.append("sessions")
    return moved


def update_event(
    session: Session, principal: Principal, event_id: int, data: EventUpdate, if_match: str | None
) -> Event:
    """Organisers change an event; a PATCH that changes nothing keeps the version and ETag."""
    event = get_event(session, principal, event_id, lock=True)
    check_if_match(if_match, event)
    sent = data.model_fields_set
    if data.status is not None:
        access.ensure_transition_allowed(event.status, data.status)
    starts_on = data.starts_on or event.starts_on
    if "ends_on" in sent:
        ends_on = data.ends_on or starts_on
    else:  # moving the start keeps the event's length
        ends_on = event.ends_on + (starts_on - event.starts_on)
    moved = _moved_fields(event, data, (starts_on, ends_on))
    recounted = data.capacity is not None and data.capacity != event.capacity
    access.ensure_not_past(event, [*moved, *(["capacity"] if recounted else [])])
    if data.region_code is not None:
        _check_region(session, data.region_code)
    # An event already longer than the cap still takes edits that leave its days alone.
    days_moved = "starts_on" in moved or "ends_on" in moved
    access.check_days(starts_on, ends_on, length=days_moved)
    sessions = data.sessions if data.sessions is not None else event.sessions
    slot_minutes = data.slot_minutes or event.slot_minutes
    if "sessions" in moved:
        access.check_sessions(sessions, (starts_on, ends_on), slot_minutes)
        _check_windows_fit(session, event, sessions)
    elif grid := [m for m in moved if m in ("starts_on", "ends_on", "slot_minutes")]:
        access.check_sessions(sessions, (starts_on, ends_on), slot_minutes, f"body.{grid[0]}")
    if moved:
        placements = meeting_repository.placements(session, event.id)
        tables = data.tables or event.tables
        access.ensure_grid_keeps_meetings(event, placements, sessions, slot_minutes, tables)
    raised = _check_capacity(session, event, data.capacity)
    chain_ids = (data.chain_ids or []) if "chain_ids" in sent else event.chain_ids
    node_ids = _focus(
        session, chain_ids, (data.node_ids or []) if "node_ids" in sent else None, event.node_ids
    )

    for name in ("title", "status", "region_code", "slot_minutes", "tables", "capacity"):
        if getattr(data, name) is not None:
            setattr(event, name, getattr(data, name))
    for name in ("description", "venue"):
        if name in sent:
            setattr(event, name, getattr(data, name) or "")
    if "kinds" in sent:
        event.kinds = [k.value for k in data.kinds or []]
    event.starts_on, event.ends_on = starts_on, ends_on
    _set_focus(event, chain_ids, node_ids)
    if data.sessions is not None:
        _sync_sessions(event, data.sessions)
    touch_if_changed(session, event, event.sessions)
    session.flush()
    if raised:
        fill_places(session, event)
    session.expire(event)
    return get_event(session, principal, event_id)


def _check_windows_fit(session: Session, event: Event, sessions: Sequence[access.Window]) -> None:
    stranded = sorted(
        {
            w.registration_id
            for w in repository.active_windows(session, event.id)
            if not access.inside(w, sessions)
        }
    )
    if stranded:
        raise Conflict(
            f"Registration(s) {stranded} give availability outside the new sessions; change "
            "their availability first, or keep sessions that cover it."
        )


def _check_capacity(session: Session, event: Event, capacity: int | None) -> bool:
    """Whether the capacity goes up (then waitlisted registrations move up); it may not go below
    the confirmed registrations."""
    if capacity is None or capacity == event.capacity:
        return False
    access.ensure_capacity(event, capacity, repository.confirmed_count(session, event.id))
    return capacity > event.capacity


def fill_places(session: Session, event: Event) -> None:
    """Confirm waitlisted registrations, first in line first, while places are free.

    The caller holds the event's lock, so no concurrent registration takes the same place.
    """
    free = event.capacity - repository.confirmed_count(session, event.id)
    if free <= 0:
        return
    for registration in repository.first_waitlisted(session, event.id, free):
        registration.status = RegistrationStatus.confirmed
    session.flush()
