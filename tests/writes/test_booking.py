"""Many threads booking meetings at once, through a real server on loopback: whatever the
interleaving, the database never holds a double booking, and every 200 is where it said.

tests/events/test_meetings.py races eight bookings for one table, then for one enterprise; here
every thread places a different meeting into a small grid where tables and parties collide, and
two enterprises ask each other for a meeting from many threads at once.
"""

from collections import Counter, defaultdict
from itertools import combinations

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Meeting, MeetingSeat
from app.models.enums import MeetingStatus, Role
from tests.factories import Factory, at
from tests.live import fire
from tests.writes.helpers import PROBLEM

SLOTS, TABLES, FIRMS = 3, 2, 7  # a 09:00–10:00 session: slots of 20 minutes


def test_a_storm_of_placements_never_double_books(live_url, migrated_engine):
    """Seven registrants, every pair of them with an accepted meeting (21), each meeting sent to
    a cell of a 3 × 2 grid at once: far more meetings than cells, and parties in many."""
    with Session(migrated_engine) as session:
        factory = Factory(session)
        event = factory.event(sessions=(("上午场", at(9), at(10)),), tables=TABLES)
        regs = [
            factory.registration(event, factory.enterprise(f"抢位风暴企业{i}"))
            for i in range(FIRMS)
        ]
        meetings = [factory.meeting(a, b).id for a, b in combinations(regs, 2)]
        organiser = factory.headers(Role.organiser)
        event_id = event.id
    cells = [(slot, table) for slot in range(1, SLOTS + 1) for table in range(1, TABLES + 1)]
    targets = {mid: cells[i % len(cells)] for i, mid in enumerate(meetings)}
    url = f"{live_url}/v1/events/{event_id}/meetings"

    def place(mid: int, slot: int, table: int):  # type: ignore[no-untyped-def]
        return lambda: httpx.patch(
            f"{url}/{mid}", json={"slot": slot, "table": table}, headers=organiser, timeout=60
        )

    responses = dict(
        zip(targets, fire([place(mid, *cell) for mid, cell in targets.items()]), strict=True)
    )

    codes = Counter(r.status_code for r in responses.values())
    print(f"storm: {len(targets)} placements into {len(cells)} cells: {dict(codes)}")
    assert set(codes) == {200, 409} and codes[200] <= len(cells), codes
    assert all(
        r.headers["content-type"] == PROBLEM for r in responses.values() if r.status_code == 409
    )
    with Session(migrated_engine) as session:
        placed = {
            m.id: m
            for m in session.scalars(
                select(Meeting).where(Meeting.event_id == event_id, Meeting.table_no.is_not(None))
            )
        }
        seats = session.execute(
            select(MeetingSeat.meeting_id, MeetingSeat.registration_id, MeetingSeat.slot_starts_at)
        ).all()
    # Exactly the meetings answered 200 are placed, each where it was sent.
    assert set(placed) == {mid for mid, r in responses.items() if r.status_code == 200}
    for mid, meeting in placed.items():
        body = responses[mid].json()
        assert (body["slot"]["number"], body["table"]) == targets[mid]
        assert (meeting.table_no, meeting.confirmed) == (targets[mid][1], True)
    # No table holds two meetings in a slot, nobody sits in two meetings in a slot, and every
    # placed meeting has exactly its two parties' seats at its slot.
    assert len({(m.slot_starts_at, m.table_no) for m in placed.values()}) == len(placed)
    assert len({(reg, slot) for _, reg, slot in seats}) == len(seats)
    by_meeting = defaultdict(set)
    for mid, reg, slot in seats:
        by_meeting[mid].add((reg, slot))
    assert by_meeting == {
        mid: {(m.requester_id, m.slot_starts_at), (m.invitee_id, m.slot_starts_at)}
        for mid, m in placed.items()
    }


def test_two_enterprises_asking_each_other_at_once_get_one_meeting(live_url, migrated_engine):
    """Six requests from each side of one pair at once: one meeting, eleven 409s."""
    with Session(migrated_engine) as session:
        factory = Factory(session)
        event = factory.event()
        a, b = factory.enterprise("互邀企业甲"), factory.enterprise("互邀企业乙")
        factory.registration(event, a)
        factory.registration(event, b)
        pairs = [(factory.member_of(a), b.id), (factory.member_of(b), a.id)] * 6
        event_id = event.id
    url = f"{live_url}/v1/events/{event_id}/meetings"

    def ask(headers: dict[str, str], invitee: int):  # type: ignore[no-untyped-def]
        return lambda: httpx.post(
            url, json={"invitee_enterprise_id": invitee}, headers=headers, timeout=60
        )

    responses = fire([ask(*pair) for pair in pairs])
    assert Counter(r.status_code for r in responses) == {201: 1, 409: len(pairs) - 1}
    assert all(
        "already have meeting" in r.json()["detail"] for r in responses if r.status_code == 409
    )
    with Session(migrated_engine) as session:
        meetings = session.scalars(select(Meeting).where(Meeting.event_id == event_id)).all()
    assert [m.status for m in meetings] == [MeetingStatus.requested]
