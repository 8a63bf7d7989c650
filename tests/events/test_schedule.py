"""The schedule through HTTP: accepted meetings onto slots and tables, availability, priority,
reasons for what does not fit, re-runs that keep confirmed meetings, agendas and table sheets."""

from collections import Counter

import pytest

from app.models import Match, Meeting, MeetingSeat, RegistrationWindow
from app.models.enums import EventStatus, Interest
from tests.events.test_meetings import Meet, problem, url
from tests.factories import at


def run(client, event, headers, expect=200, **body):
    response = client.post(f"/v1/events/{event.id}/schedule", json=body or None, headers=headers)
    assert response.status_code == expect, response.text
    return response.json()


def placed_meetings(client, meet):
    items = client.get(url(meet.event), headers=meet.cast.organiser).json()["items"]
    return {m["id"]: m for m in items if m["slot"] is not None}


def assert_no_double_booking(meetings):
    seats = Counter((m["slot"]["number"], m["table"]) for m in meetings.values())
    assert max(seats.values(), default=0) == 1
    parties = Counter(
        (m["slot"]["number"], side["enterprise"]["id"])
        for m in meetings.values()
        for side in (m["requester"], m["invitee"])
    )
    assert max(parties.values(), default=0) == 1


@pytest.fixture
def meet(cast):
    """Slots 1–3 in the morning, 4–6 in the afternoon; two tables; a fourth firm only there in the
    afternoon."""
    meet = Meet(cast)
    late = cast.factory.enterprise("下午场企业", region_code="330106")
    meet.late = late
    meet.regs["late"] = cast.factory.registration(meet.event, late, windows=((at(14), at(15)),))
    return meet


def test_accepted_meetings_are_placed_without_conflicts(client, cast, meet):
    pairs = [
        (cast.buyer, cast.supplier),
        (cast.buyer, cast.third),
        (cast.supplier, cast.third),
        (meet.late, cast.buyer),
        (meet.late, cast.supplier),
    ]
    ids = [meet.add(client, a, b)["id"] for a, b in pairs]
    asked = meet.ask(client, cast.third_member, meet.late)["id"]  # requested: not scheduled
    result = run(client, meet.event, cast.organiser)
    assert (result["slots"], result["tables"], result["accepted"], result["kept"]) == (6, 2, 5, 0)
    assert sorted(p["meeting_id"] for p in result["placed"]) == ids and result["unplaced"] == []
    assert [(p["slot"]["number"], p["table"]) for p in result["placed"]] == sorted(
        (p["slot"]["number"], p["table"]) for p in result["placed"]
    )
    assert all(not p["confirmed"] for p in result["placed"])
    stored = placed_meetings(client, meet)
    assert sorted(stored) == ids and asked not in stored
    assert_no_double_booking(stored)
    late_slots = [
        m["slot"]["number"]
        for m in stored.values()
        if meet.late.id in (m["requester"]["enterprise"]["id"], m["invitee"]["enterprise"]["id"])
    ]
    assert set(late_slots) <= {4, 5, 6} and len(late_slots) == 2  # available afternoons only
    by_result = {p["meeting_id"]: (p["slot"]["number"], p["table"]) for p in result["placed"]}
    assert by_result == {mid: (m["slot"]["number"], m["table"]) for mid, m in stored.items()}


def test_mutual_and_high_score_meetings_go_first_and_the_rest_say_why(client, cast, factory):
    meet = Meet(cast, tables=1, sessions=(("快场", at(9), at(9, 20)),))
    regs = meet.regs
    morning = factory.enterprise("只有上午的企业")
    afternoon = factory.enterprise("只有下午的企业")
    regs["morning"] = factory.registration(meet.event, morning, windows=((at(9), at(9, 20)),))
    requirement = factory.requirement(cast.buyer, "组件需求")
    capability = factory.capability(cast.supplier, "组件供给")
    factory.session.add(
        Match(
            requirement_id=requirement.id,
            capability_id=capability.id,
            buyer_id=cast.buyer.id,
            supplier_id=cast.supplier.id,
            buyer_interest=Interest.interested,
            supplier_interest=Interest.interested,
        )
    )
    factory.session.commit()
    mutual = factory.meeting(
        regs["buyer"],
        regs["supplier"],
        score=30,
        requirement_id=requirement.id,
        capability_id=capability.id,
    )
    high = factory.meeting(regs["third"], regs["morning"], score=95)
    low = factory.meeting(regs["third"], regs["buyer"], score=10)
    # The afternoon firm is there only from 9:05, so in no whole slot.
    late = factory.registration(meet.event, afternoon, windows=((at(9, 5), at(9, 20)),))
    never = factory.meeting(regs["morning"], late, score=99)
    result = run(client, meet.event, cast.organiser)
    assert [p["meeting_id"] for p in result["placed"]] == [mutual.id]
    assert result["placed"][0]["mutual"] is True and result["placed"][0]["score"] == 30
    reasons = {u["meeting_id"]: u["reason"] for u in result["unplaced"]}
    assert list(reasons) == [never.id, high.id, low.id]  # most wanted first
    assert reasons[never.id] == "no slot when both 只有上午的企业 and 只有下午的企业 are available"
    assert reasons[high.id] == "every table is taken in the slots when both are free"
    assert reasons[low.id] == (
        f"{cast.buyer.name} is already in meetings in every slot it is available"
    )
    names = {(u["requester"]["name"], u["invitee"]["name"]) for u in result["unplaced"]}
    assert (cast.third.name, cast.buyer.name) in names


def test_a_rerun_keeps_confirmed_meetings_and_lays_out_the_rest_again(client, cast, meet):
    first = meet.add(client, cast.buyer, cast.supplier)["id"]
    second = meet.add(client, cast.third, meet.late)["id"]
    by_hand = meet.place(client, first, slot=6, table=2)  # confirmed where the organiser put it
    assert by_hand["confirmed"] is True
    result = run(client, meet.event, cast.organiser)
    assert result["kept"] == 1
    where = {p["meeting_id"]: (p["slot"]["number"], p["table"]) for p in result["placed"]}
    assert where == {first: (6, 2), second: (4, 1)}
    # New meetings arrive; the unconfirmed one may move, the confirmed one never does.
    third = meet.add(client, cast.buyer, meet.late)["id"]
    fourth = meet.add(client, cast.supplier, cast.third)["id"]
    result = run(client, meet.event, cast.organiser, confirm=True)
    where = {p["meeting_id"]: (p["slot"]["number"], p["table"]) for p in result["placed"]}
    assert where[first] == (6, 2) and set(where) == {first, second, third, fourth}
    assert all(p["confirmed"] for p in result["placed"]) and result["kept"] == 1
    assert_no_double_booking(placed_meetings(client, meet))
    # Everything is confirmed now: another run changes nothing, not even versions.
    before = client.get(url(meet.event), headers=cast.organiser).json()
    again = run(client, meet.event, cast.organiser)
    assert again["kept"] == 4 and again["unplaced"] == []
    assert client.get(url(meet.event), headers=cast.organiser).json() == before
    # A cancelled meeting leaves the schedule; a run does not bring it back.
    client.post(url(meet.event, third, "cancel"), headers=cast.organiser)
    assert third not in {p["meeting_id"] for p in run(client, meet.event, cast.organiser)["placed"]}


def test_agendas_and_table_sheets(client, cast, meet):
    a = meet.add(client, cast.buyer, cast.supplier)["id"]
    b = meet.add(client, meet.late, cast.buyer)["id"]
    c = meet.add(client, cast.third, cast.buyer)["id"]
    meet.place(client, a, slot=2, table=1)
    meet.place(client, b, slot=4, table=2)
    agenda_url = f"/v1/events/{meet.event.id}/agenda"
    own = client.get(agenda_url, headers=cast.buyer_member)
    assert own.status_code == 200, own.text
    body = own.json()
    assert body["enterprise"] == {"id": cast.buyer.id, "name": cast.buyer.name}
    assert body["registration_id"] == meet.regs["buyer"].id
    rows = [
        (m["meeting_id"], m["slot"], m["table"], m["counterpart_name"]) for m in body["meetings"]
    ]
    assert rows == [
        (a, 2, 1, cast.supplier.name),
        (b, 4, 2, meet.late.name),
        (c, None, None, cast.third.name),  # not placed yet: last
    ]
    first = body["meetings"][0]
    assert first["starts_at"].startswith("2026-05-20T01:20") and first["session_name"] == "上午场"
    staff = client.get(agenda_url, params={"enterprise_id": cast.buyer.id}, headers=cast.organiser)
    assert staff.json() == body
    other = client.get(
        agenda_url, params={"enterprise_id": cast.buyer.id}, headers=cast.third_member
    )
    problem(other, 403)
    assert problem(client.get(agenda_url, headers=cast.organiser), 422)["errors"][0]["field"] == (
        "query.enterprise_id"
    )
    stranger = cast.factory.enterprise("没报名的企业")
    problem(
        client.get(agenda_url, params={"enterprise_id": stranger.id}, headers=cast.organiser), 404
    )
    problem(client.get(agenda_url), 401)

    tables_url = f"/v1/events/{meet.event.id}/tables"
    problem(client.get(tables_url, headers=cast.buyer_member), 403)
    sheets = client.get(tables_url, headers=cast.organiser).json()
    assert [t["table"] for t in sheets["tables"]] == [1, 2]
    assert [(m["slot"], m["meeting_id"]) for m in sheets["tables"][0]["meetings"]] == [(2, a)]
    second = sheets["tables"][1]["meetings"][0]
    assert (second["meeting_id"], second["requester_name"], second["invitee_name"]) == (
        b,
        meet.late.name,
        cast.buyer.name,
    )
    assert second["session_name"] == "下午场" and second["confirmed"] is True


def test_only_organisers_run_the_schedule_and_not_after_the_event(client, cast, factory):
    meet = Meet(cast, status=EventStatus.closed)
    mid = meet.add(client, cast.buyer, cast.supplier)["id"]
    problem(client.post(f"/v1/events/{meet.event.id}/schedule", headers=cast.buyer_member), 403)
    problem(client.post(f"/v1/events/{meet.event.id}/schedule"), 401)
    problem(client.post("/v1/events/2000000/schedule", headers=cast.organiser), 404)
    for confirm in ("yes please", "yes", "true", 1, "1", "on"):
        bad = client.post(
            f"/v1/events/{meet.event.id}/schedule",
            json={"confirm": confirm},
            headers=cast.organiser,
        )
        assert [e["field"] for e in problem(bad, 422)["errors"]] == ["body.confirm"], confirm
    assert client.get(url(meet.event, mid), headers=cast.organiser).json()["slot"] is None
    assert run(client, meet.event, cast.organiser)["placed"][0]["meeting_id"] == mid
    client.patch(f"/v1/events/{meet.event.id}", json={"status": "held"}, headers=cast.organiser)
    late = client.post(f"/v1/events/{meet.event.id}/schedule", headers=cast.organiser)
    assert "can no longer change" in problem(late, 409)["detail"]


def test_meeting_flags_are_json_booleans(client, cast, meet):
    mid = meet.add(client, cast.buyer, cast.supplier)["id"]
    for body in ({"confirmed": "yes"}, {"confirmed": 1}, {"held": "no"}, {"held": 0}):
        field = f"body.{next(iter(body))}"
        refused = client.patch(url(meet.event, mid), json=body, headers=cast.organiser)
        assert [e["field"] for e in problem(refused, 422)["errors"]] == [field], body
    read = client.get(url(meet.event, mid), headers=cast.organiser).json()
    assert (read["confirmed"], read["held"], read["version"]) == (False, None, 1)


# --- confirmed meetings that can no longer stay where they are -----------------------------------


def _available_only(session, registration, *windows):
    """Arrange a registrant's availability in the database (as a change that raced a placement
    before the event's lock was taken might have left it)."""
    for start, end in windows:
        session.add(
            RegistrationWindow(registration_id=registration.id, starts_at=start, ends_at=end)
        )
    session.commit()


def _seat(session, meeting, starts_at, table):
    """Arrange a confirmed placement directly, whether or not the event has that slot."""
    meeting.slot_starts_at, meeting.table_no, meeting.confirmed = starts_at, table, True
    for rid in (meeting.requester_id, meeting.invitee_id):
        session.add(
            MeetingSeat(
                meeting_id=meeting.id,
                registration_id=rid,
                event_id=meeting.event_id,
                slot_starts_at=starts_at,
            )
        )
    session.commit()


def test_a_confirmed_meeting_a_party_left_is_moved_not_dropped(client, cast, meet, session):
    mid = meet.add(client, cast.buyer, cast.supplier)["id"]
    assert meet.place(client, mid, slot=1, table=1)["confirmed"] is True
    _available_only(session, meet.regs["supplier"], (at(9, 20), at(10)))
    result = run(client, meet.event, cast.organiser)
    assert result["kept"] == 0 and result["unplaced"] == []
    [moved] = result["placed"]
    assert (moved["meeting_id"], moved["slot"]["number"], moved["table"]) == (mid, 2, 1)
    assert moved["moved"] == (
        f"moved from slot 1, table 1, where it was confirmed ({cast.supplier.name} is not "
        "available in its confirmed slot 1)"
    )
    assert moved["confirmed"] is False
    read = client.get(url(meet.event, mid), headers=cast.organiser).json()
    assert (read["slot"]["number"], read["table"], read["confirmed"]) == (2, 1, False)
    # Next time it is where it was put: nothing moves, nothing says it moved.
    again = run(client, meet.event, cast.organiser, confirm=True)
    assert [(p["slot"]["number"], p["moved"], p["confirmed"]) for p in again["placed"]] == [
        (2, None, True)
    ]


def test_a_confirmed_meeting_with_nowhere_else_to_go_says_why(client, cast, meet, session):
    stuck = meet.add(client, cast.buyer, cast.supplier)["id"]
    holder = meet.add(client, cast.third, cast.supplier)["id"]
    meet.place(client, stuck, slot=1, table=1)
    meet.place(client, holder, slot=2, table=1)
    _available_only(session, meet.regs["supplier"], (at(9, 20), at(9, 40)))
    result = run(client, meet.event, cast.organiser)
    assert [(p["meeting_id"], p["moved"]) for p in result["placed"]] == [(holder, None)]
    assert result["kept"] == 1
    [unplaced] = result["unplaced"]
    assert unplaced["meeting_id"] == stuck
    assert unplaced["reason"] == (
        f"taken off slot 1, table 1, where it was confirmed ({cast.supplier.name} is not "
        f"available in its confirmed slot 1), and not placed again: {cast.supplier.name} is "
        "already in meetings in every slot it is available"
    )
    read = client.get(url(meet.event, stuck), headers=cast.organiser).json()
    assert (read["slot"], read["table"], read["confirmed"]) == (None, None, False)


def test_a_meeting_whose_slot_is_gone_reads_as_unplaced_and_is_laid_out_again(
    client, cast, meet, session
):
    """Slots 09:00, 09:20, 09:40 and 14:00, 14:20, 14:40: a confirmed placement at 10:00 (left by
    a session edit that raced it) is on no table sheet, never a 500, until the schedule moves it."""
    gone = meet.add(client, cast.buyer, cast.supplier)["id"]
    beyond = meet.add(client, cast.third, cast.buyer)["id"]
    _seat(session, session.get(Meeting, gone), at(10), 1)
    _seat(session, session.get(Meeting, beyond), at(9), 3)  # the event has two tables
    event_url = f"/v1/events/{meet.event.id}"
    for path in ("/tables", "/tables?format=csv", "/tables?format=xlsx"):
        response = client.get(event_url + path, headers=cast.organiser)
        assert response.status_code == 200, (path, response.text)
    sheets = client.get(f"{event_url}/tables", headers=cast.organiser).json()["tables"]
    assert [t["meetings"] for t in sheets] == [[], []]
    for mid in (gone, beyond):
        read = client.get(url(meet.event, mid), headers=cast.organiser).json()
        assert (read["slot"], read["table"], read["confirmed"]) == (None, None, False)
    agenda = client.get(f"{event_url}/agenda", headers=cast.buyer_member).json()["meetings"]
    assert {(m["meeting_id"], m["slot"], m["table"], m["confirmed"]) for m in agenda} == {
        (gone, None, None, False),
        (beyond, None, None, False),
    }
    assert client.get(f"{event_url}/agenda?format=xlsx", headers=cast.buyer_member).is_success
    refused = client.patch(url(meet.event, gone), json={"confirmed": True}, headers=cast.organiser)
    assert "has no slot yet" in problem(refused, 409)["detail"]

    result = run(client, meet.event, cast.organiser, confirm=True)
    assert result["unplaced"] == [] and result["kept"] == 0
    where = {
        p["meeting_id"]: (p["slot"]["number"], p["table"], p["moved"]) for p in result["placed"]
    }
    assert where == {
        gone: (
            1,
            1,
            "moved from the slot at 2026-05-20 10:00, table 1, where it was confirmed (the event "
            "no longer has that slot)",
        ),
        beyond: (
            2,
            1,
            "moved from slot 1, table 3, where it was confirmed (its confirmed table 3 is not one "
            "of the event's 2 tables (1–2))",
        ),
    }
    sheets = client.get(f"{event_url}/tables", headers=cast.organiser).json()["tables"]
    assert [
        [(m["slot"], m["meeting_id"], m["confirmed"]) for m in t["meetings"]] for t in sheets
    ] == [
        [(1, gone, True), (2, beyond, True)],
        [],
    ]


def test_reasons_keep_enterprise_names_as_they_are(client, cast, factory):
    """Slots and tables are renumbered from 1 before names go in: a firm called "slot 9 table 2
    科技" keeps its name."""
    meet = Meet(cast, tables=1, sessions=(("快场", at(9), at(9, 40)),))
    odd = factory.enterprise("slot 9 table 2 科技 Enterprise 3")
    early = factory.enterprise("早场企业")
    odd_reg = factory.registration(meet.event, odd, windows=((at(9, 20), at(9, 40)),))
    early_reg = factory.registration(meet.event, early, windows=((at(9), at(9, 20)),))
    never = factory.meeting(odd_reg, early_reg)
    result = run(client, meet.event, cast.organiser)
    assert [(u["meeting_id"], u["reason"]) for u in result["unplaced"]] == [
        (never.id, f"no slot when both {odd.name} and {early.name} are available")
    ]
