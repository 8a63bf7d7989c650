"""The rules of an event: who sees it, how its status moves, when registrations may change, and
which times, places and postings fit. Plain checks on loaded objects; the service queries."""

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, true

from app.auth.principal import Principal
from app.config import get_settings
from app.errors import Conflict, Unprocessable
from app.events.schemas import LATEST
from app.models import Event, Registration
from app.models.enums import EventStatus, RegistrationRole
from app.postings.access import ensure_transition

EVENT_TRANSITIONS: dict[str, set[str]] = {
    EventStatus.draft: {EventStatus.registration_open},
    EventStatus.registration_open: {EventStatus.closed},
    EventStatus.closed: {EventStatus.registration_open, EventStatus.held},
    EventStatus.held: {EventStatus.reported},
    EventStatus.reported: set(),
}
PAST = (EventStatus.held, EventStatus.reported)
# What the meetings were laid out on: fixed once the event has been held.
FIXED_WHEN_HELD = ("starts_on", "ends_on", "slot_minutes", "tables", "sessions")


class Window(Protocol):
    starts_at: datetime
    ends_at: datetime


class NamedWindow(Window, Protocol):
    name: str


# --- who sees what, and when things may change --------------------------------------------------


def visible_condition(principal: Principal) -> ColumnElement[bool]:
    """Drafts are for organisers and admins; everyone, even anonymous, sees the rest."""
    return true() if principal.is_staff else Event.status != EventStatus.draft


def can_see(event: Event, principal: Principal) -> bool:
    return principal.is_staff or event.status != EventStatus.draft


def can_see_registration(registration: Registration, principal: Principal) -> bool:
    return principal.is_staff or (
        principal.enterprise_id is not None
        and principal.enterprise_id == registration.enterprise_id
    )


def ensure_transition_allowed(current: EventStatus, new: EventStatus) -> None:
    ensure_transition(current.value, new.value, EVENT_TRANSITIONS, "event")


def ensure_not_past(event: Event, changed: list[str]) -> None:
    fixed = [name for name in FIXED_WHEN_HELD if name in changed]
    if fixed and event.status in PAST:
        raise Conflict(
            f"Event {event.id} has been {event.status.value}; its {', '.join(fixed)} can no "
            "longer change."
        )


def ensure_can_register(event: Event, principal: Principal) -> None:
    """Members register while registration is open; organisers and admins also before and after."""
    if event.status in PAST:
        raise Conflict(
            f"Registration is not open: event {event.id} has already been {event.status.value}."
        )
    if not principal.is_staff and event.status != EventStatus.registration_open:
        raise Conflict(
            f"Registration is not open: event {event.id} is {event.status.value}; only "
            "organisers can register enterprises now."
        )


def ensure_registrations_changeable(event: Event) -> None:
    """Registrations (role, postings, availability, withdrawal) change until the event is held."""
    if event.status in PAST:
        raise Conflict(
            f"Event {event.id} has been {event.status.value}; its registrations can no longer "
            "change."
        )


def ensure_capacity(event: Event, capacity: int, confirmed: int) -> None:
    if capacity < confirmed:
        raise Conflict(
            f"Event {event.id} has {confirmed} confirmed registrations; its capacity cannot go "
            f"below {confirmed} (registrations must withdraw first)."
        )


# --- what fits ----------------------------------------------------------------------------------


def zone() -> ZoneInfo:
    """The calendar an event's days are counted in (China Standard Time by default)."""
    return ZoneInfo(get_settings().timezone)


def span(window: Window) -> str:
    local = zone()
    start, end = window.starts_at.astimezone(local), window.ends_at.astimezone(local)
    return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}" + ("" if start.date() == end.date() else " +1d")


def inside(window: Window, sessions: Sequence[Window]) -> bool:
    return any(s.starts_at <= window.starts_at and window.ends_at <= s.ends_at for s in sessions)


def check_days(starts_on: date, ends_on: date) -> None:
    if not starts_on <= ends_on <= LATEST:
        raise Unprocessable(
            f"ends_on ({ends_on}) must lie between starts_on ({starts_on}) and {LATEST}.",
            field="body.ends_on",
        )


def check_sessions(
    sessions: Sequence[NamedWindow],
    days: tuple[date, date],
    slot_minutes: int,
    blame: str | None = None,
) -> None:
    """Each session is at least one slot long and on the event's days (in the service's zone).

    ``blame`` names the field to point at when the sessions were not sent but another field
    (days, slot length) no longer fits them; otherwise the offending session is named.
    """
    local = zone()
    for i, s in enumerate(sessions):
        field = blame or f"body.sessions.{i}"
        minutes = (s.ends_at - s.starts_at) / timedelta(minutes=1)
        if minutes < slot_minutes:
            raise Unprocessable(
                f"Session {i} ({s.name}, {span(s)}) lasts {minutes:g} minutes, less than one "
                f"{slot_minutes}-minute meeting slot.",
                field=field,
            )
        first = s.starts_at.astimezone(local).date()
        last = (s.ends_at - timedelta(microseconds=1)).astimezone(local).date()
        if first < days[0] or last > days[1]:
            shown = str(days[0]) if days[0] == days[1] else f"{days[0]} to {days[1]}"
            raise Unprocessable(
                f"Session {i} ({s.name}, {span(s)}) is not on the event's days ({shown}, "
                f"{local.key} time).",
                field=field,
            )


def check_availability(windows: Sequence[Window], sessions: Sequence[NamedWindow]) -> None:
    for i, window in enumerate(windows):
        if not inside(window, sessions):
            listed = "; ".join(f"{s.name} {span(s)}" for s in sessions)
            raise Unprocessable(
                f"Availability window {i} ({span(window)}) does not lie within one of the "
                f"event's sessions ({listed}, {zone().key} time).",
                field=f"body.availability.{i}",
            )


def check_role(
    role: RegistrationRole, requirement_ids: list[int], capability_ids: list[int]
) -> None:
    """A buyer brings requirements, a supplier capabilities, both either."""
    if role == RegistrationRole.buyer and capability_ids:
        raise Unprocessable(
            "A buyer registration brings requirements, not capabilities: register as `both` or "
            "send capability_ids: [].",
            field="body.capability_ids",
        )
    if role == RegistrationRole.supplier and requirement_ids:
        raise Unprocessable(
            "A supplier registration brings capabilities, not requirements: register as `both` "
            "or send requirement_ids: [].",
            field="body.requirement_ids",
        )
