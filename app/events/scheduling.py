"""The 1:1 meeting schedule of a docking event: accepted meetings onto slots and tables.

Pure: plain data in, plain data out. Meetings are taken in priority order — confirmed ones first
(they keep their slot and table), then mutual interest, then higher match score, then lower id —
and each goes to the earliest slot, and lowest table, where both parties are available and free.
An improvement pass then places what is left when moving ONE placed, unconfirmed meeting to
another slot makes room. Whatever still does not fit is returned with a reason a person can act
on. The same input always gives the same schedule.

Slots are numbered in time order; a party's slots are a Python int used as a bitset, so each
"where can this meeting go" question is a few integer operations.

Home tables: a party with a home table (a chain owner keeping its booth) meets everyone there. A
meeting between two booth holders goes to the first slot where either booth is free, at the
requester's (``parties[0]``) booth when both are. Other meetings use the remaining tables, and a
booth only in slots when none of its holders is available.
"""

from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class SessionWindow:
    id: int
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True, slots=True)
class Slot:
    index: int  # global, in time order
    session_id: int
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True, slots=True)
class Placement:
    meeting_id: int
    slot: int
    table: int  # 0 .. tables - 1


@dataclass(frozen=True, slots=True)
class Request:
    """An accepted meeting request between two enterprises."""

    id: int
    parties: tuple[int, int]  # enterprise ids, distinct; the first is the requester
    mutual: bool = False
    score: float = 0.0  # match score 0–100
    fixed: Placement | None = None  # confirmed at (slot, table): it stays there on a re-run


@dataclass(frozen=True, slots=True)
class Unplaced:
    meeting_id: int
    reason: str


@dataclass(frozen=True, slots=True)
class Schedule:
    placed: list[Placement]  # by slot, then table
    unplaced: list[Unplaced]  # in priority order


def slots_of(sessions: Sequence[SessionWindow], slot_minutes: int) -> list[Slot]:
    """Split each session into whole slots of ``slot_minutes``; a shorter remainder is dropped."""
    if slot_minutes <= 0:
        raise ValueError("the slot length must be a positive number of minutes")
    length = timedelta(minutes=slot_minutes)
    ordered = sorted(sessions, key=lambda session: (session.starts_at, session.id))
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if later.starts_at < earlier.ends_at:
            raise ValueError(f"sessions {earlier.id} and {later.id} overlap")
    slots: list[Slot] = []
    for session in ordered:
        start = session.starts_at
        while start + length <= session.ends_at:
            slots.append(Slot(len(slots), session.id, start, start + length))
            start += length
    return slots


def priority(request: Request) -> tuple[bool, bool, float, int]:
    """Sort key: confirmed first, then mutual, then higher score, then lower id."""
    return (request.fixed is None, not request.mutual, -request.score, request.id)


def schedule(
    slots: Sequence[Slot],
    tables: int,
    requests: Sequence[Request],
    availability: Mapping[int, frozenset[int]] | None = None,
    home_tables: Mapping[int, int] | None = None,
) -> Schedule:
    """Place accepted meetings on slots and tables; ``availability`` maps a party to the slot
    indexes it is available in (a party not in it is available in every slot)."""
    _validate(tables, requests)
    board = _Board(slots, tables, requests, availability or {}, home_tables or {})
    ordered = sorted(requests, key=priority)
    reasons: dict[int, str] = {}
    waiting: list[Request] = []
    for request in ordered:
        if request.fixed is not None:
            reason = board.fix(request)
            if reason is not None:
                reasons[request.id] = reason
        elif not board.place_earliest(request):
            waiting.append(request)
    for _ in range(3):  # each move can make room for another; stop when a pass places nothing
        still = [r for r in waiting if not (board.place_earliest(r) or board.augment(r))]
        if len(still) == len(waiting):
            break
        waiting = still
    for request in waiting:
        reasons[request.id] = board.why(request)
    placed = [Placement(mid, slot, table) for mid, (slot, table) in board.where.items()]
    placed.sort(key=lambda p: (p.slot, p.table))
    unplaced = [Unplaced(r.id, reasons[r.id]) for r in ordered if r.id in reasons]
    return Schedule(placed, unplaced)


def _validate(tables: int, requests: Sequence[Request]) -> None:
    if tables < 1:
        raise ValueError("an event needs at least one table")
    ids = Counter(r.id for r in requests)
    if twice := sorted(mid for mid, n in ids.items() if n > 1):
        raise ValueError(f"meeting ids must be unique: {twice[0]} appears more than once")
    for r in requests:
        if r.parties[0] == r.parties[1]:
            raise ValueError(f"meeting {r.id}: an enterprise cannot meet itself")
        if r.fixed is not None and r.fixed.meeting_id != r.id:
            raise ValueError(
                f"meeting {r.id}: its confirmed placement names meeting {r.fixed.meeting_id}"
            )


def _bits(mask: int) -> Iterator[int]:
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def _lowest(mask: int) -> int:
    return (mask & -mask).bit_length() - 1


class _Board:
    """Who sits where: per party and per table the slots taken, as bitsets, and each seat's meeting."""

    def __init__(
        self,
        slots: Sequence[Slot],
        tables: int,
        requests: Sequence[Request],
        availability: Mapping[int, frozenset[int]],
        home_tables: Mapping[int, int],
    ) -> None:
        self.slots = 0
        for slot in slots:
            self.slots |= 1 << slot.index
        self.tables = tables
        self.requests = {r.id: r for r in requests}
        self.availability = availability
        self.available_cache: dict[int, int] = {}
        self.home = dict(home_tables)
        holders: dict[int, list[int]] = defaultdict(list)
        for party, table in sorted(self.home.items()):
            if not 0 <= table < tables:
                raise ValueError(
                    f"the home table {table} of Enterprise {party} is not one of the event's "
                    f"{tables} tables (0–{tables - 1})"
                )
            holders[table].append(party)
        everyone = (1 << tables) - 1
        self.open: dict[int, int] = {}  # slot -> tables meetings without a booth may use
        for slot in _bits(self.slots):
            self.open[slot] = everyone
            for table, parties in holders.items():
                if any(self.available(p) >> slot & 1 for p in parties):
                    self.open[slot] &= ~(1 << table)
        self.open_slots = sum(1 << s for s, mask in self.open.items() if mask)  # with a free table
        self.busy: dict[int, int] = defaultdict(int)  # party -> slots it is in a meeting
        self.used: dict[int, int] = defaultdict(int)  # slot -> tables taken
        self.table_free = [self.slots] * tables  # table -> slots it is free
        self.who: dict[tuple[int, int], int] = {}  # (party, slot) -> meeting
        self.seat: dict[tuple[int, int], int] = {}  # (slot, table) -> meeting
        self.where: dict[int, tuple[int, int]] = {}  # meeting -> (slot, table)

    def available(self, party: int) -> int:
        mask = self.available_cache.get(party)
        if mask is None:
            given = self.availability.get(party)
            if given is None:
                mask = self.slots
            else:
                mask = sum(1 << s for s in given if s >= 0) & self.slots
            self.available_cache[party] = mask
        return mask

    def homes(self, request: Request) -> list[int]:
        found = [self.home[p] for p in request.parties if p in self.home]
        return found[:1] if len(found) == 2 and found[0] == found[1] else found

    def feasible(self, request: Request) -> int:
        """The slots where the meeting could go now."""
        a, b = request.parties
        free = self.available(a) & self.available(b) & ~(self.busy[a] | self.busy[b])
        homes = self.homes(request)
        if not homes:
            return free & self.open_slots
        booths = 0
        for table in homes:
            booths |= self.table_free[table]
        return free & booths

    def table_at(self, request: Request, slot: int, freed: int | None = None) -> int | None:
        used = self.used[slot]
        if freed is not None:
            used &= ~(1 << freed)
        homes = self.homes(request)
        if homes:
            return next((t for t in homes if not used >> t & 1), None)
        free = self.open[slot] & ~used
        return _lowest(free) if free else None

    def put(self, request: Request, slot: int, table: int) -> None:
        bit = 1 << slot
        for party in request.parties:
            self.busy[party] |= bit
            self.who[party, slot] = request.id
        self.used[slot] |= 1 << table
        self.table_free[table] &= ~bit
        if not self.open[slot] & ~self.used[slot]:
            self.open_slots &= ~bit
        self.seat[slot, table] = request.id
        self.where[request.id] = (slot, table)

    def take(self, request: Request) -> None:
        slot, table = self.where.pop(request.id)
        bit = 1 << slot
        for party in request.parties:
            self.busy[party] &= ~bit
            del self.who[party, slot]
        self.used[slot] &= ~(1 << table)
        self.table_free[table] |= bit
        if self.open[slot] & ~self.used[slot]:
            self.open_slots |= bit
        del self.seat[slot, table]

    def place_earliest(self, request: Request) -> bool:
        slots = self.feasible(request)
        if not slots:
            return False
        slot = _lowest(slots)
        table = self.table_at(request, slot)
        assert table is not None  # feasible() only offers slots with a free table
        self.put(request, slot, table)
        return True

    def fix(self, request: Request) -> str | None:
        """Keep a confirmed meeting where it is, or say why it cannot stay there."""
        assert request.fixed is not None
        slot, table = request.fixed.slot, request.fixed.table
        if slot < 0 or not self.slots >> slot & 1:
            return f"its confirmed slot {slot} is not one of the event's slots"
        if not 0 <= table < self.tables:
            return (
                f"its confirmed table {table} is not one of the event's {self.tables} tables "
                f"(0–{self.tables - 1})"
            )
        for party in request.parties:
            if not self.available(party) >> slot & 1:
                return f"Enterprise {party} is not available in its confirmed slot {slot}"
        for party in request.parties:
            if (other := self.who.get((party, slot))) is not None:
                return (
                    f"its confirmed slot {slot} clashes with meeting {other} "
                    f"(Enterprise {party} is in both)"
                )
        if (other := self.seat.get((slot, table))) is not None:
            return f"its confirmed table {table} in slot {slot} is taken by meeting {other}"
        self.put(request, slot, table)
        return None

    def augment(self, request: Request) -> bool:
        """Place the meeting by moving one placed, unconfirmed meeting to another slot."""
        a, b = request.parties
        for slot in _bits(self.available(a) & self.available(b)):
            in_the_way = {self.who.get((a, slot)), self.who.get((b, slot))} - {None}
            if len(in_the_way) > 1:
                continue
            if in_the_way:
                candidates: list[int | None] = list(in_the_way)
            else:  # both are free: every table they could use is taken
                homes = self.homes(request)
                if homes:
                    candidates = [self.seat.get((slot, t)) for t in homes]
                elif self.open_slots:  # elsewhere a table is free for a meeting to move to
                    candidates = [self.seat.get((slot, t)) for t in _bits(self.open[slot])]
                else:
                    continue
            for moved in candidates:
                if moved is not None and self.move(request, slot, self.requests[moved]):
                    return True
        return False

    def move(self, request: Request, slot: int, moved: Request) -> bool:
        if moved.fixed is not None:
            return False
        elsewhere = self.feasible(moved) & ~(1 << slot)
        if not elsewhere:
            return False
        for party in request.parties:
            if self.who.get((party, slot), moved.id) != moved.id:
                return False
        before = self.where[moved.id][1]
        table = self.table_at(request, slot, freed=before)
        if table is None:
            return False
        self.take(moved)
        self.put(request, slot, table)
        if self.place_earliest(moved):  # always: the slots found elsewhere are untouched here
            return True
        self.take(request)
        self.put(moved, slot, before)
        return False

    def why(self, request: Request) -> str:
        a, b = request.parties
        both = self.available(a) & self.available(b)
        if not both:
            return f"no slot when both Enterprise {a} and Enterprise {b} are available"
        for party in request.parties:
            if not self.available(party) & ~self.busy[party]:
                return f"Enterprise {party} is already in meetings in every slot it is available"
        for party in request.parties:
            if not both & ~self.busy[party]:
                return (
                    f"Enterprise {party} is already in meetings in every slot when both "
                    "are available"
                )
        if not both & ~(self.busy[a] | self.busy[b]):
            return (
                f"in every slot when both are available, Enterprise {a} or Enterprise {b} is "
                "already in a meeting"
            )
        homes = self.homes(request)
        if len(homes) == 1:
            return f"its home table {homes[0]} is taken in every slot when both are free"
        if homes:
            return f"their home tables {homes[0]} and {homes[1]} are taken in every slot when both are free"
        return "every table is taken in the slots when both are free"


def check(
    result: Schedule,
    slots: Sequence[Slot],
    tables: int,
    requests: Sequence[Request],
    availability: Mapping[int, frozenset[int]] | None = None,
    home_tables: Mapping[int, int] | None = None,
) -> list[str]:
    """The conflicts in a schedule, in words; empty when it is valid."""
    problems: list[str] = []
    by_id = {r.id: r for r in requests}
    slot_indexes = {s.index for s in slots}
    seen = Counter(p.meeting_id for p in result.placed)
    seen.update(u.meeting_id for u in result.unplaced)
    for mid, times in sorted(seen.items()):
        if mid not in by_id:
            problems.append(f"meeting {mid} is not one of the requests")
        elif times > 1:
            problems.append(f"meeting {mid} is listed {times} times")
    problems += [
        f"meeting {mid} is neither placed nor unplaced" for mid in by_id if mid not in seen
    ]
    seats: dict[tuple[int, int], int] = {}
    attending: dict[tuple[int, int], int] = {}
    for placement in result.placed:
        mid, slot, table = placement.meeting_id, placement.slot, placement.table
        request = by_id.get(mid)
        if request is None:
            continue
        if slot not in slot_indexes:
            problems.append(f"meeting {mid} is in slot {slot}, which is not one of the slots")
        if not 0 <= table < tables:
            problems.append(f"meeting {mid} is at table {table}, beyond the {tables} tables")
        if (other := seats.setdefault((slot, table), mid)) != mid:
            problems.append(f"table {table} holds meetings {other} and {mid} in slot {slot}")
        for party in request.parties:
            if (other := attending.setdefault((party, slot), mid)) != mid:
                problems.append(
                    f"Enterprise {party} is in meetings {other} and {mid} in slot {slot}"
                )
            given = (availability or {}).get(party)
            if given is not None and slot not in given:
                problems.append(
                    f"Enterprise {party} is not available in slot {slot} (meeting {mid})"
                )
        if request.fixed is not None and (request.fixed.slot, request.fixed.table) != (slot, table):
            problems.append(
                f"meeting {mid} was confirmed at slot {request.fixed.slot}, table "
                f"{request.fixed.table} but is at slot {slot}, table {table}"
            )
        homes = [home_tables[p] for p in request.parties if p in (home_tables or {})]
        if home_tables and homes and request.fixed is None and table not in homes:
            problems.append(f"meeting {mid} is at table {table}, not at its home table {homes[0]}")
    return problems
