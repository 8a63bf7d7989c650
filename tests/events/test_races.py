"""Races on PostgreSQL, through a real server on loopback, each interleaved deterministically.

Every write that reads an event's grid (sessions, slot length, tables), its registrants'
availability or its placements takes the event's row lock, so an edit of the sessions and a
placement by hand, or a schedule run and a registrant narrowing its availability, take turns.

The test pauses the first request *inside* its transaction, after its checks and holding the event
lock: it holds a row lock of its own on a row that request is about to write (a session, a
meeting), waits until the server's connection is seen waiting for it, then sends the second
request, and lets go once that one is either done or seen waiting too. Without the event lock the
second request slips through and both commit: a meeting placed in a slot that no longer exists,
or confirmed outside its party's new availability. SQLite runs one writer at a time, so it is not
concerned.
"""

import httpx
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.models import EventSession, Meeting
from app.models.enums import Role
from tests.conftest import is_postgres
from tests.events.conftest import iso
from tests.factories import Factory, at
from tests.live import Call, holding, until_waiting

pytestmark = pytest.mark.skipif(not is_postgres(), reason="row locks: PostgreSQL only")


def _interleave(
    engine: Engine, lock, first: Call, second: Call
) -> tuple[httpx.Response, httpx.Response]:  # type: ignore[no-untyped-def]
    """``first`` runs until it waits on ``lock``; ``second`` runs until it is done or waits
    too; then ``first`` goes on."""
    with holding(engine, lock):
        first.start()
        until_waiting(
            engine, lambda waiting: waiting >= 1, "the first request waits on the test's lock"
        )
        second.start()
        until_waiting(
            engine,
            lambda waiting: waiting >= 2 or not second.is_alive(),
            "the second request is done or waits",
        )
    for call in (first, second):
        call.join(timeout=30)
        assert call.response is not None, "a request did not finish"
    return first.response, second.response  # type: ignore[return-value]


def _arrange(engine: Engine):  # type: ignore[no-untyped-def]
    """One session 09:00–10:00 (slots 1–3 at 09:00, 09:20, 09:40), two tables, two confirmed
    registrants and an accepted meeting between them, not placed."""
    with Session(engine, expire_on_commit=False) as session:
        factory = Factory(session)
        event = factory.event(sessions=(("上午场", at(9), at(10)),), tables=2)
        a, b = factory.enterprise("抢先企业甲"), factory.enterprise("抢先企业乙")
        reg_a, reg_b = factory.registration(event, a), factory.registration(event, b)
        meeting = factory.meeting(reg_a, reg_b)
        organiser = factory.headers(Role.organiser)
        member = factory.member_of(a)
        session_id = session.scalars(
            select(EventSession.id).where(EventSession.event_id == event.id)
        ).one()
    return event.id, meeting.id, reg_a.id, session_id, organiser, member


def test_shortening_a_session_and_placing_a_meeting_in_its_last_slot(live_url, migrated_engine):
    event_id, mid, _, session_id, organiser, _ = _arrange(migrated_engine)
    event_url = f"{live_url}/v1/events/{event_id}"
    shorter = {"sessions": [{"name": "上午场", "starts_at": iso(at(9)), "ends_at": iso(at(9, 40))}]}
    edit = Call(lambda: httpx.patch(event_url, json=shorter, headers=organiser, timeout=30))
    place = Call(
        lambda: httpx.patch(
            f"{event_url}/meetings/{mid}",
            json={"slot": 3, "table": 1},
            headers=organiser,
            timeout=30,
        )
    )
    # The edit checks that no meeting is placed in slot 3, then stops at writing the session.
    lock = select(EventSession.id).where(EventSession.id == session_id).with_for_update(read=True)
    edited, placed = _interleave(migrated_engine, lock, edit, place)

    assert edited.status_code == 200, edited.text
    assert placed.status_code == 422, placed.text
    assert placed.json()["detail"] == f"Event {event_id} has slots 1 to 2; there is no slot 3."
    tables = httpx.get(f"{event_url}/tables", headers=organiser, timeout=30)
    assert tables.status_code == 200, tables.text
    assert all(sheet["meetings"] == [] for sheet in tables.json()["tables"])
    meeting = httpx.get(f"{event_url}/meetings/{mid}", headers=organiser, timeout=30).json()
    assert (meeting["slot"], meeting["table"], meeting["confirmed"]) == (None, None, False)
    with Session(migrated_engine) as session:
        assert session.get(Meeting, mid).slot_starts_at is None


def test_confirming_the_schedule_and_narrowing_availability(live_url, migrated_engine):
    event_id, mid, rid, _, organiser, member = _arrange(migrated_engine)
    event_url = f"{live_url}/v1/events/{event_id}"
    run = Call(
        lambda: httpx.post(
            f"{event_url}/schedule", json={"confirm": True}, headers=organiser, timeout=30
        )
    )
    later = {"availability": [{"starts_at": iso(at(9, 20)), "ends_at": iso(at(10))}]}
    narrow = Call(
        lambda: httpx.patch(
            f"{event_url}/registrations/{rid}", json=later, headers=member, timeout=30
        )
    )
    # The run lays the meeting out at 09:00, confirmed, then stops at writing it.
    lock = select(Meeting.id).where(Meeting.id == mid).with_for_update(read=True)
    scheduled, narrowed = _interleave(migrated_engine, lock, run, narrow)

    assert scheduled.status_code == 200, scheduled.text
    assert [
        (p["meeting_id"], p["slot"]["number"], p["confirmed"]) for p in scheduled.json()["placed"]
    ] == [(mid, 1, True)]
    assert narrowed.status_code == 409, narrowed.text
    assert f"confirmed meeting(s) {mid} outside the new availability" in narrowed.json()["detail"]
    registration = httpx.get(f"{event_url}/registrations/{rid}", headers=member, timeout=30).json()
    assert registration["availability"] == []
    again = httpx.post(f"{event_url}/schedule", headers=organiser, timeout=30).json()
    assert (again["kept"], again["unplaced"]) == (1, [])
    assert [(p["slot"]["number"], p["moved"]) for p in again["placed"]] == [(1, None)]


def test_cancelling_a_meeting_while_the_schedule_places_it(live_url, migrated_engine):
    """Answers and cancellations wait for a schedule run under way, and then act on what it
    wrote, instead of failing on a meeting changed under their feet."""
    event_id, mid, _, _, organiser, member = _arrange(migrated_engine)
    event_url = f"{live_url}/v1/events/{event_id}"
    run = Call(
        lambda: httpx.post(
            f"{event_url}/schedule", json={"confirm": True}, headers=organiser, timeout=30
        )
    )
    cancel = Call(
        lambda: httpx.post(f"{event_url}/meetings/{mid}/cancel", headers=member, timeout=30)
    )
    lock = select(Meeting.id).where(Meeting.id == mid).with_for_update(read=True)
    scheduled, cancelled = _interleave(migrated_engine, lock, run, cancel)

    assert scheduled.status_code == 200, scheduled.text
    assert cancelled.status_code == 200, cancelled.text
    body = cancelled.json()
    assert (body["status"], body["slot"], body["table"], body["confirmed"]) == (
        "cancelled",
        None,
        None,
        False,
    )
    tables = httpx.get(f"{event_url}/tables", headers=organiser, timeout=30).json()
    assert all(sheet["meetings"] == [] for sheet in tables["tables"])
