"""The rules of an event: who sees it, how its status moves, when registrations and meetings may
change, and which times, places and postings fit. Plain checks on loaded objects; the services
query."""

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, true

from app.auth.principal import Principal
from app.config import get_settings
from app.errors import Conflict, Unprocessable
from app.events.scheduling import SessionWindow, Slot, slots_of
from app.events.schemas import LATEST
from app.models import Event, Meeting, Registration
from app.models.enums import EventStatus, RegistrationRole, RegistrationStatus
from app.postings.access import ensure_transition

EVENT_TRANSITIONS: dict[str, set[str]] = {
    EventStatus.draft: {EventStatus.registration_open},
    EventStatus.registration_open: {EventStatus.closed},
    EventStatus.closed: {EventStatus.registration_open, EventStatus.held},
    EventStatus.held: {EventStatus.reported},
    EventStatus.reported: set(),
}
PAST = (EventStatus.held, EventStatus.reported)
LISTED = 10  # ids named in a message, at most
# What the meetings were laid out on, and who took part: fixed once the event has been held.
FIXED_WHEN_HELD = ("starts_on", "ends_on", "slot_minutes", "tables", "sessions", "capacity")
MAX_DAYS = 31  # an event's days, first and last included
MAX_SLOTS = 10_000  # meeting slots over all sessions


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


def check_days(starts_on: date, ends_on: date, *, length: bool = True) -> None:
    """ends_on is not before starts_on, and (``length``) the event lasts at most MAX_DAYS days."""
    if not starts_on <= ends_on <= LATEST:
        raise Unprocessable(
            f"ends_on ({ends_on}) must lie between starts_on ({starts_on}) and {LATEST}.",
            field="body.ends_on",
        )
    days = (ends_on - starts_on).days + 1
    if length and days > MAX_DAYS:
        raise Unprocessable(
            f"An event lasts at most {MAX_DAYS} days; {starts_on} to {ends_on} is {days} days. "
            f"Set ends_on no later than {starts_on + timedelta(days=MAX_DAYS - 1)}, or announce "
            "separate events.",
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
    total = 0
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
        total += int(minutes // slot_minutes)
    if total > MAX_SLOTS:
        raise Unprocessable(
            f"These sessions hold {total} meeting slots of {slot_minutes} minutes; an event has "
            f"at most {MAX_SLOTS}. Use shorter sessions or longer slots.",
            field=blame or "body.sessions",
        )


def check_availability(
    windows: Sequence[Window], sessions: Sequence[NamedWindow], slot_minutes: int
) -> None:
    """Each window lies within a session and covers at least one whole meeting slot (slots run
    back to back from each session's start), or no meeting could ever be placed in it."""
    bounds = [SessionWindow(i, s.starts_at, s.ends_at) for i, s in enumerate(sessions)]
    slots = slots_of(bounds, slot_minutes)
    for i, window in enumerate(windows):
        if not inside(window, sessions):
            listed = "; ".join(f"{s.name} {span(s)}" for s in sessions)
            raise Unprocessable(
                f"Availability window {i} ({span(window)}) does not lie within one of the "
                f"event's sessions ({listed}, {zone().key} time).",
                field=f"body.availability.{i}",
            )
        if not any(_covers(window, slot) for slot in slots):
            home = next(b.id for b in bounds if inside(window, [b]))
            own = [s for s in slots if s.session_id == home]  # the window's session's slots
            near = [s for s in own if s.starts_at >= window.starts_at][:1] or own[-1:]
            example = f", e.g. {span(near[0])}" if near else ""
            raise Unprocessable(
                f"Availability window {i} ({span(window)}) holds no whole {slot_minutes}-minute "
                "meeting slot (slots run back to back from the start of each session"
                f"{example}; {zone().key} time); widen it to cover at least one slot.",
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


# --- meetings -----------------------------------------------------------------------------------


class Grid:
    """An event's meeting slots, numbered from 1 in time order, and its tables, numbered from 1."""

    def __init__(self, event: Event) -> None:
        windows = [SessionWindow(s.id, s.starts_at, s.ends_at) for s in event.sessions]
        self.event_id = event.id
        self.slots = slots_of(windows, event.slot_minutes)
        self.tables = event.tables
        self.session_names = {s.id: s.name for s in event.sessions}
        self._by_start = {slot.starts_at: slot for slot in self.slots}

    def at(self, starts_at: datetime | None) -> Slot | None:
        """The slot starting then, if the event still has one."""
        return None if starts_at is None else self._by_start.get(starts_at)

    def seat(self, meeting: Meeting) -> Slot | None:
        """The placed meeting's slot, if the event still has that slot and that table."""
        slot = self.at(meeting.slot_starts_at)
        table = meeting.table_no
        return slot if slot is not None and table is not None and table <= self.tables else None

    def slot(self, number: int) -> Slot:
        if not 1 <= number <= len(self.slots):
            raise Unprocessable(
                f"Event {self.event_id} has slots 1 to {len(self.slots)}; there is no slot "
                f"{number}.",
                field="body.slot",
            )
        return self.slots[number - 1]

    def check_table(self, table: int) -> None:
        if not 1 <= table <= self.tables:
            raise Unprocessable(
                f"Event {self.event_id} has tables 1 to {self.tables}; there is no table {table}.",
                field="body.table",
            )

    def available(self, windows: Sequence[Window]) -> frozenset[int] | None:
        """The slot indexes that lie inside one of ``windows``; None (every slot) without any."""
        if not windows:
            return None
        return frozenset(s.index for s in self.slots if any(_covers(w, s) for w in windows))


def _covers(window: Window, slot: Slot) -> bool:
    return window.starts_at <= slot.starts_at and slot.ends_at <= window.ends_at


def free_in(slot: Slot, windows: Sequence[Window]) -> bool:
    """Whether a registrant with these availability windows can meet in the slot."""
    return not windows or any(_covers(w, slot) for w in windows)


def ensure_meetings_changeable(event: Event) -> None:
    """Meetings are asked for, answered, moved and cancelled until the event has been held."""
    if event.status in PAST:
        raise Conflict(
            f"Event {event.id} has been {event.status.value}; its meetings can no longer change."
        )


def ensure_can_request(event: Event, principal: Principal) -> None:
    """Members ask for meetings once registration is open; organisers also add them in a draft."""
    ensure_meetings_changeable(event)
    if not principal.is_staff and event.status == EventStatus.draft:
        raise Conflict(f"Event {event.id} is a draft; meetings open with registration.")


def ensure_attendance_recordable(event: Event) -> None:
    if event.status in (EventStatus.draft, EventStatus.registration_open):
        raise Conflict(
            f"Event {event.id} is {event.status.value}: attendance is recorded once registration "
            "has closed (on the day) or after the event."
        )


def ensure_may_meet(registration: Registration, enterprise_name: str) -> None:
    """Only confirmed registrants meet: the waiting list and those who withdrew do not."""
    if registration.status != RegistrationStatus.confirmed:
        raise Conflict(
            f"{enterprise_name}'s registration {registration.id} is "
            f"{registration.status.value}; only confirmed registrants have meetings."
        )


def meeting_side(meeting: Meeting, principal: Principal) -> str | None:
    """requester or invitee, for a member of either party's enterprise."""
    if principal.enterprise_id is None:
        return None
    if meeting.requester.enterprise_id == principal.enterprise_id:
        return "requester"
    if meeting.invitee.enterprise_id == principal.enterprise_id:
        return "invitee"
    return None


def can_see_meeting(meeting: Meeting, principal: Principal) -> bool:
    return principal.is_staff or meeting_side(meeting, principal) is not None


def _listed(ids: Sequence[int]) -> str:
    shown = ", ".join(str(i) for i in ids[:LISTED])
    return shown + (f" and {len(ids) - LISTED} more" if len(ids) > LISTED else "")


def ensure_grid_keeps_meetings(
    event: Event,
    placements: Sequence[tuple[int, datetime, int]],
    sessions: Sequence[Window],
    slot_minutes: int,
    tables: int,
) -> None:
    """A new grid (days, sessions, slot length, tables) keeps every placed meeting's slot start
    and table; otherwise the organiser takes those meetings off first.

    ``placements`` are (meeting id, slot start, table) of the event's placed meetings.
    """
    if not placements:
        return
    windows = [SessionWindow(i, s.starts_at, s.ends_at) for i, s in enumerate(sessions)]
    starts = {slot.starts_at for slot in slots_of(windows, slot_minutes)}
    lost = [mid for mid, start, table in placements if start not in starts or table > tables]
    if lost:
        raise Conflict(
            f"Meeting(s) {_listed(lost)} are placed at slots or tables this change would remove; "
            f"take them off first (PATCH /v1/events/{event.id}/meetings/{{id}} with slot and "
            "table null), then run the schedule again after the change."
        )


def ensure_availability_keeps_meetings(
    registration: Registration,
    confirmed: Sequence[tuple[int, datetime]],
    windows: Sequence[Window],
    slot_minutes: int,
) -> None:
    """New availability still covers the registrant's confirmed meetings, (meeting id, slot
    start); the schedule moves unconfirmed ones on its next run."""
    if not windows:
        return
    length = timedelta(minutes=slot_minutes)
    outside = [
        mid
        for mid, start in confirmed
        if not any(w.starts_at <= start and start + length <= w.ends_at for w in windows)
    ]
    if outside:
        raise Conflict(
            f"Registration {registration.id} has confirmed meeting(s) {_listed(outside)} outside "
            "the new availability; an organiser moves them or takes them off first."
        )
