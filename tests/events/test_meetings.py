"""1:1 meetings through HTTP: asking, answering, cancelling, placing by hand, and the race for a
slot; plus what meetings do to registrations, event edits and deletions."""

from collections import Counter
from datetime import date

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models import Meeting, MeetingSeat
from app.models.enums import (
    CapabilityStatus,
    EventStatus,
    MeetingStatus,
    RegistrationStatus,
    RequirementStatus,
    Role,
)
from tests.events.conftest import iso
from tests.factories import Factory, at
from tests.live import fire

PROBLEM = "application/problem+json"
THREADS = 8


def url(event, mid=None, action=None):
    parts = [f"/v1/events/{event.id}/meetings"]
    if mid is not None:
        parts.append(str(mid))
    if action:
        parts.append(action)
    return "/".join(parts)


def problem(response, status):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    return response.json()


class Meet:
    """An open event with two one-hour sessions (3 slots of 20 minutes each, slots 1–6) and two
    tables; the cast's buyer, supplier and third firm registered and confirmed."""

    def __init__(self, cast, **event_fields):
        self.cast = cast
        factory = cast.factory
        self.event = factory.event(
            sessions=event_fields.pop(
                "sessions", (("上午场", at(9), at(10)), ("下午场", at(14), at(15)))
            ),
            tables=event_fields.pop("tables", 2),
            **event_fields,
        )
        self.regs = {
            name: factory.registration(self.event, getattr(cast, name))
            for name in ("buyer", "supplier", "third")
        }

    def ask(self, client, headers, invitee, expect=201, **body):
        response = client.post(
            url(self.event),
            json={"invitee_enterprise_id": invitee.id, **body},
            headers=headers,
        )
        assert response.status_code == expect, response.text
        return response.json()

    def add(self, client, requester, invitee, **body):
        """An organiser adds a meeting (accepted)."""
        return self.ask(
            client, self.cast.organiser, invitee, requester_enterprise_id=requester.id, **body
        )

    def place(self, client, mid, slot, table, expect=200, headers=None, **body):
        response = client.patch(
            url(self.event, mid),
            json={"slot": slot, "table": table, **body},
            headers=headers or self.cast.organiser,
        )
        assert response.status_code == expect, response.text
        return response.json()


@pytest.fixture
def meet(cast):
    return Meet(cast)


def test_member_asks_and_the_invitee_accepts(client, cast, meet, session):
    requirement = cast.factory.requirement(cast.buyer, "光伏接线盒采购 junction box")
    capability = cast.factory.capability(cast.supplier, "光伏接线盒 junction box")
    response = client.post(
        url(meet.event),
        json={
            "invitee_enterprise_id": cast.supplier.id,
            "requirement_id": requirement.id,
            "capability_id": capability.id,
            "message": "想谈谈接线盒 / about junction boxes",
        },
        headers=cast.buyer_member,
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["location"] == url(meet.event, body["id"])
    assert response.headers["etag"] == f'"{body["id"]}.1"'
    assert body["status"] == "requested" and body["answered_at"] is None
    assert body["requester"]["enterprise"]["id"] == cast.buyer.id
    assert body["requester"]["registration_id"] == meet.regs["buyer"].id
    assert body["invitee"]["enterprise"]["name"] == cast.supplier.name
    assert (body["requirement_id"], body["capability_id"]) == (requirement.id, capability.id)
    assert 0 < body["score"] <= 100
    assert (body["slot"], body["table"], body["confirmed"], body["held"]) == (
        None,
        None,
        False,
        None,
    )
    mid = body["id"]

    assert client.get(url(meet.event, mid), headers=cast.supplier_member).json() == body
    problem(client.get(url(meet.event, mid), headers=cast.third_member), 404)
    problem(client.post(url(meet.event, mid, "accept"), headers=cast.third_member), 404)
    own = problem(client.post(url(meet.event, mid, "accept"), headers=cast.buyer_member), 403)
    assert "the invitee" in own["detail"]
    stale = client.post(
        url(meet.event, mid, "accept"), headers={**cast.supplier_member, "If-Match": '"1.99"'}
    )
    problem(stale, 412)
    accepted = client.post(url(meet.event, mid, "accept"), headers=cast.supplier_member)
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted" and accepted.json()["answered_at"]
    again = client.post(url(meet.event, mid, "accept"), headers=cast.supplier_member)
    assert again.json() == accepted.json()
    late = problem(client.post(url(meet.event, mid, "decline"), headers=cast.supplier_member), 409)
    assert "only a requested meeting" in late["detail"]
    assert session.get(Meeting, mid).status == MeetingStatus.accepted


def test_organisers_add_meetings_accepted_and_bad_requests_are_refused(client, cast, meet, session):
    factory = cast.factory
    added = meet.add(client, cast.buyer, cast.third)
    assert added["status"] == "accepted" and added["answered_at"] is not None
    missing = problem(
        client.post(
            url(meet.event), json={"invitee_enterprise_id": cast.buyer.id}, headers=cast.organiser
        ),
        422,
    )
    assert missing["errors"][0]["field"] == "body.requester_enterprise_id"
    outsider = factory.enterprise("未报名企业")
    waiting = factory.enterprise("候补企业")
    factory.registration(meet.event, waiting, status=RegistrationStatus.waitlisted)
    foreign_req = factory.requirement(cast.third, "第三方需求")
    own_req, own_cap = factory.requirement(cast.buyer), factory.capability(cast.buyer, "组件代工")
    before = session.scalar(select(func.count()).select_from(Meeting))
    for body, status, words in (
        ({"invitee_enterprise_id": cast.buyer.id}, 422, "cannot meet itself"),
        ({"invitee_enterprise_id": outsider.id}, 422, "is not registered for event"),
        ({"invitee_enterprise_id": waiting.id}, 409, "is waitlisted; only confirmed registrants"),
        ({"invitee_enterprise_id": cast.third.id}, 409, f"already have meeting {added['id']}"),
        (
            {"invitee_enterprise_id": cast.supplier.id, "requirement_id": foreign_req.id},
            422,
            "belongs to neither side",
        ),
        (
            {
                "invitee_enterprise_id": cast.supplier.id,
                "requirement_id": own_req.id,
                "capability_id": own_cap.id,
            },
            422,
            "are the same enterprise's",
        ),
        ({"invitee_enterprise_id": cast.supplier.id, "capability_id": 2_000_000}, 422, "no cap"),
        (
            {"invitee_enterprise_id": cast.supplier.id, "requester_enterprise_id": cast.third.id},
            403,
            "their own enterprise",
        ),
        ({"invitee_enterprise_id": cast.supplier.id, "status": "accepted"}, 422, None),
    ):
        response = client.post(url(meet.event), json=body, headers=cast.buyer_member)
        found = problem(response, status)
        assert words is None or words in found["detail"], (body, found)
    # The invitee asking back is the same pair: still one open meeting.
    back = client.post(
        url(meet.event), json={"invitee_enterprise_id": cast.buyer.id}, headers=cast.third_member
    )
    assert f"already have meeting {added['id']}" in problem(back, 409)["detail"]
    assert session.scalar(select(func.count()).select_from(Meeting)) == before
    # A registrant on the waiting list cannot ask either; nor can an enterprise not registered.
    problem(
        client.post(
            url(meet.event),
            json={"invitee_enterprise_id": cast.buyer.id},
            headers=factory.member_of(waiting),
        ),
        409,
    )
    problem(
        client.post(
            url(meet.event),
            json={"invitee_enterprise_id": cast.buyer.id},
            headers=factory.member_of(outsider),
        ),
        409,
    )
    # Once declined or cancelled, the pair may meet again.
    client.post(url(meet.event, added["id"], "cancel"), headers=cast.third_member)
    assert meet.ask(client, cast.buyer_member, cast.third)["status"] == "requested"


def test_a_meeting_is_about_open_postings(client, cast, meet, session):
    factory = cast.factory
    draft = factory.requirement(cast.buyer, "草稿需求", status=RequirementStatus.draft)
    expired = factory.requirement(cast.buyer, "过期需求", valid_until=date(2020, 1, 1))
    paused = factory.capability(cast.supplier, "暂停能力", status=CapabilityStatus.paused)
    closed = factory.capability(cast.supplier, "关闭能力", status=CapabilityStatus.closed)
    before = session.scalar(select(func.count()).select_from(Meeting))
    for headers, body, field, words in (
        (cast.buyer_member, {"requirement_id": draft.id}, "body.requirement_id", "is draft"),
        (cast.buyer_member, {"requirement_id": expired.id}, "body.requirement_id", "is expired"),
        (cast.buyer_member, {"capability_id": paused.id}, "body.capability_id", "is paused"),
        (
            cast.organiser,
            {"requester_enterprise_id": cast.buyer.id, "capability_id": closed.id},
            "body.capability_id",
            "is closed",
        ),
    ):
        response = client.post(
            url(meet.event),
            json={"invitee_enterprise_id": cast.supplier.id, **body},
            headers=headers,
        )
        found = problem(response, 422)
        assert [e["field"] for e in found["errors"]] == [field], found
        assert words in found["detail"] and "a meeting is about an open posting" in found["detail"]
    assert session.scalar(select(func.count()).select_from(Meeting)) == before


def test_lists_show_staff_everything_and_members_their_own(client, cast, meet):
    first = meet.add(client, cast.buyer, cast.supplier)
    second = meet.ask(client, cast.third_member, cast.supplier)
    third = meet.ask(client, cast.third_member, cast.buyer)
    client.post(url(meet.event, third["id"], "decline"), headers=cast.buyer_member)

    def ids(headers, **params):
        response = client.get(url(meet.event), params=params, headers=headers)
        assert response.status_code == 200, response.text
        return [m["id"] for m in response.json()["items"]]

    assert ids(cast.organiser) == [first["id"], second["id"], third["id"]]
    assert ids(cast.organiser, status="declined") == [third["id"]]
    assert ids(cast.organiser, enterprise=cast.supplier.id) == [first["id"], second["id"]]
    assert ids(cast.organiser, enterprise=cast.supplier.id, limit=1) == [first["id"]]
    assert ids(cast.supplier_member) == [first["id"], second["id"]]
    assert ids(cast.buyer_member, status="requested") == []
    problem(
        client.get(
            url(meet.event), params={"enterprise": cast.buyer.id}, headers=cast.third_member
        ),
        403,
    )
    problem(client.get(url(meet.event)), 401)
    problem(client.get(url(meet.event), params={"status": "maybe"}, headers=cast.organiser), 422)


def test_event_status_decides_when_meetings_change(client, cast, factory):
    draft = Meet(cast, status=EventStatus.draft)
    problem(
        client.post(
            url(draft.event),
            json={"invitee_enterprise_id": cast.supplier.id},
            headers=cast.buyer_member,
        ),
        404,
    )
    early = draft.add(client, cast.buyer, cast.supplier)
    held = Meet(cast, status=EventStatus.closed)
    mid = held.add(client, cast.buyer, cast.supplier)["id"]
    requested = held.ask(client, cast.third_member, cast.buyer)["id"]
    client.patch(f"/v1/events/{held.event.id}", json={"status": "held"}, headers=cast.organiser)
    for response in (
        client.post(
            url(held.event),
            json={"invitee_enterprise_id": cast.third.id},
            headers=cast.buyer_member,
        ),
        client.post(url(held.event, requested, "accept"), headers=cast.buyer_member),
        client.post(url(held.event, mid, "cancel"), headers=cast.buyer_member),
        client.patch(url(held.event, mid), json={"slot": 1, "table": 1}, headers=cast.organiser),
    ):
        assert "can no longer change" in problem(response, 409)["detail"]
    # Attendance is recorded after the event, not before it.
    attended = client.patch(url(held.event, mid), json={"held": True}, headers=cast.organiser)
    assert attended.status_code == 200 and attended.json()["held"] is True
    too_early = client.patch(
        url(draft.event, early["id"]), json={"held": True}, headers=cast.organiser
    )
    assert "attendance is recorded" in problem(too_early, 409)["detail"]
    not_accepted = client.patch(
        url(held.event, requested), json={"held": False}, headers=cast.organiser
    )
    assert "only accepted meetings" in problem(not_accepted, 409)["detail"]


def test_placing_by_hand(client, cast, meet, session):
    a = meet.add(client, cast.buyer, cast.supplier)["id"]
    b = meet.add(client, cast.third, cast.supplier)["id"]
    c = meet.add(client, cast.buyer, cast.third)["id"]
    placed = meet.place(client, a, slot=4, table=2)
    assert placed["slot"]["number"] == 4 and placed["table"] == 2 and placed["confirmed"] is True
    assert placed["slot"]["session_name"] == "下午场"
    assert placed["slot"]["starts_at"].startswith("2026-05-20T06:00")  # 14:00 CST
    assert placed["slot"]["ends_at"].startswith("2026-05-20T06:20")

    def refused(mid, status, words, **body):
        before = client.get(url(meet.event, mid), headers=cast.organiser).json()
        response = client.patch(url(meet.event, mid), json=body, headers=cast.organiser)
        found = problem(response, status)
        assert words in found["detail"] or words in str(found.get("errors")), found
        assert client.get(url(meet.event, mid), headers=cast.organiser).json() == before

    refused(c, 409, f"Table 2 is taken in slot 4 by meeting {a}", slot=4, table=2)
    refused(b, 409, f"{cast.supplier.name} is already in meeting {a} in slot 4", slot=4, table=1)
    refused(b, 422, "there is no slot 7", slot=7, table=1)
    refused(b, 422, "there is no table 3", slot=1, table=3)
    refused(b, 422, "together", slot=1)
    refused(b, 422, "together", slot=1, table=None)
    refused(b, 422, "greater than or equal to 1", slot=0, table=1)
    refused(b, 409, "has no slot yet", confirmed=True)
    member = client.patch(
        url(meet.event, b), json={"slot": 1, "table": 1}, headers=cast.buyer_member
    )
    problem(member, 403)
    # Moving a placed meeting frees its old seats; an unchanged PATCH keeps the version.
    etag = client.get(url(meet.event, a), headers=cast.organiser).headers["etag"]
    moved = client.patch(
        url(meet.event, a),
        json={"slot": 1, "table": 1},
        headers={**cast.organiser, "If-Match": etag},
    )
    assert moved.status_code == 200 and moved.json()["slot"]["number"] == 1
    problem(
        client.patch(
            url(meet.event, a),
            json={"slot": 2, "table": 1},
            headers={**cast.organiser, "If-Match": etag},
        ),
        412,
    )
    same = client.patch(url(meet.event, a), json={"slot": 1, "table": 1}, headers=cast.organiser)
    assert same.headers["etag"] == moved.headers["etag"]
    assert meet.place(client, b, slot=4, table=2)["slot"]["number"] == 4
    unconfirmed = meet.place(client, c, slot=2, table=1, confirmed=False)
    assert unconfirmed["confirmed"] is False
    off = client.patch(
        url(meet.event, b), json={"slot": None, "table": None}, headers=cast.organiser
    )
    assert (off.json()["slot"], off.json()["table"], off.json()["confirmed"]) == (None, None, False)
    seats = session.execute(
        select(MeetingSeat.meeting_id, func.count()).group_by(MeetingSeat.meeting_id)
    ).all()
    assert dict(seats) == {a: 2, c: 2}


def test_placing_respects_availability_and_status(client, cast, meet, factory):
    late = factory.enterprise("下午才到企业")
    factory.registration(meet.event, late, windows=((at(14), at(15)),))
    mid = meet.add(client, cast.buyer, late)["id"]
    away = client.patch(url(meet.event, mid), json={"slot": 1, "table": 1}, headers=cast.organiser)
    assert "下午才到企业 is not available in slot 1" in problem(away, 409)["detail"]
    assert meet.place(client, mid, slot=5, table=1)["slot"]["number"] == 5
    asked = meet.ask(client, cast.third_member, cast.supplier)["id"]
    requested = client.patch(
        url(meet.event, asked), json={"slot": 1, "table": 1}, headers=cast.organiser
    )
    assert "only accepted meetings" in problem(requested, 409)["detail"]


def test_cancelling_frees_the_place(client, cast, meet):
    mid = meet.add(client, cast.buyer, cast.supplier)["id"]
    meet.place(client, mid, slot=1, table=1)
    problem(client.post(url(meet.event, mid, "cancel"), headers=cast.third_member), 404)
    cancelled = client.post(url(meet.event, mid, "cancel"), headers=cast.supplier_member)
    assert cancelled.json()["status"] == "cancelled" and cancelled.json()["slot"] is None
    assert client.post(url(meet.event, mid, "cancel"), headers=cast.buyer_member).status_code == 200
    other = meet.add(client, cast.third, cast.supplier)["id"]
    assert meet.place(client, other, slot=1, table=1)["table"] == 1
    asked = meet.ask(client, cast.third_member, cast.buyer)["id"]
    client.post(url(meet.event, asked, "decline"), headers=cast.buyer_member)
    declined = client.post(url(meet.event, asked, "cancel"), headers=cast.third_member)
    assert "was declined" in problem(declined, 409)["detail"]


def test_withdrawing_cancels_the_registrants_meetings(client, cast, meet):
    placed = meet.add(client, cast.buyer, cast.supplier)["id"]
    meet.place(client, placed, slot=1, table=1)
    asked = meet.ask(client, cast.third_member, cast.supplier)["id"]
    kept = meet.add(client, cast.buyer, cast.third)["id"]
    rid = meet.regs["supplier"].id
    withdrawn = client.post(
        f"/v1/events/{meet.event.id}/registrations/{rid}/withdraw", headers=cast.supplier_member
    )
    assert withdrawn.status_code == 200, withdrawn.text
    statuses = {
        m["id"]: (m["status"], m["slot"])
        for m in client.get(url(meet.event), headers=cast.organiser).json()["items"]
    }
    assert statuses == {
        placed: ("cancelled", None),
        asked: ("cancelled", None),
        kept: ("accepted", None),
    }


def test_event_and_availability_edits_keep_placed_meetings(client, cast, meet):
    mid = meet.add(client, cast.buyer, cast.supplier)["id"]
    meet.place(client, mid, slot=5, table=2)
    event_url = f"/v1/events/{meet.event.id}"
    for body in (
        {"tables": 1},
        {"slot_minutes": 30},
        {"sessions": [{"name": "上午场", "starts_at": iso(at(9)), "ends_at": iso(at(10))}]},
    ):
        refused = client.patch(event_url, json=body, headers=cast.organiser)
        assert f"Meeting(s) {mid} are placed at slots or tables" in problem(refused, 409)["detail"]
    longer = [
        {"name": "上午场", "starts_at": iso(at(9)), "ends_at": iso(at(11))},
        {"name": "下午场", "starts_at": iso(at(14)), "ends_at": iso(at(16))},
    ]
    grown = client.patch(event_url, json={"sessions": longer, "tables": 5}, headers=cast.organiser)
    assert grown.status_code == 200, grown.text
    after = client.get(url(meet.event, mid), headers=cast.organiser).json()
    assert after["slot"]["number"] == 8 and after["slot"]["starts_at"].startswith(
        "2026-05-20T06:20"
    )
    # The supplier cannot make itself unavailable when its confirmed meeting is.
    rid = meet.regs["supplier"].id
    morning = {"availability": [{"starts_at": iso(at(9)), "ends_at": iso(at(11))}]}
    moved_away = client.patch(
        f"{event_url}/registrations/{rid}", json=morning, headers=cast.supplier_member
    )
    assert f"confirmed meeting(s) {mid} outside" in problem(moved_away, 409)["detail"]


# --- the race for a slot, on a database that really commits -------------------------------------


def test_concurrent_bookings_of_one_slot(live_url, migrated_engine):
    """Eight meetings booked at once into one slot and table, then eight meetings of one
    enterprise into one slot at different tables: each time exactly one wins."""
    with Session(migrated_engine) as session:
        factory = Factory(session)
        event = factory.event(tables=THREADS)
        hub = factory.registration(event, factory.enterprise("抢位链主"))
        others = [
            factory.registration(event, factory.enterprise(f"抢位企业{i}"))
            for i in range(2 * THREADS)
        ]
        apart = [factory.meeting(a, b).id for a, b in zip(others[::2], others[1::2], strict=True)]
        with_hub = [factory.meeting(hub, other).id for other in others[:THREADS]]
        headers = factory.headers(Role.organiser)
        event_id, hub_id = event.id, hub.id
    endpoint = f"{live_url}/v1/events/{event_id}/meetings"

    def book(mid, slot, table):
        return lambda: httpx.patch(
            f"{endpoint}/{mid}", json={"slot": slot, "table": table}, headers=headers, timeout=30
        )

    same_table = fire([book(mid, 1, 1) for mid in apart])
    same_party = fire([book(mid, 2, table) for table, mid in enumerate(with_hub, start=1)])
    for responses in (same_table, same_party):
        assert Counter(r.status_code for r in responses) == {200: 1, 409: THREADS - 1}
        assert all(
            r.headers["content-type"].startswith(PROBLEM) for r in responses if r.status_code == 409
        )
    with Session(migrated_engine) as session:
        placed = session.execute(
            select(Meeting.id, Meeting.slot_starts_at, Meeting.table_no).where(
                Meeting.event_id == event_id, Meeting.slot_starts_at.is_not(None)
            )
        ).all()
        seats = session.execute(
            select(MeetingSeat.slot_starts_at, MeetingSeat.registration_id).where(
                MeetingSeat.event_id == event_id
            )
        ).all()
    assert len(placed) == 2 and len({(s, t) for _, s, t in placed}) == 2
    assert len(seats) == 4 and len(set(seats)) == 4
    winner = next(r.json() for r in same_party if r.status_code == 200)
    assert winner["requester"]["registration_id"] == hub_id


def test_the_database_refuses_a_double_booking_whoever_writes_it(cast, meet, session):
    """The unique keys hold without the service's checks: a table twice in a slot, or a
    registrant in two meetings in one slot."""
    factory = cast.factory
    regs = meet.regs
    one = factory.meeting(regs["buyer"], regs["supplier"])
    two = factory.meeting(regs["third"], regs["supplier"])
    three = factory.meeting(regs["third"], regs["buyer"])

    event_id = meet.event.id

    def place(meeting, table):
        parties = (meeting.requester_id, meeting.invitee_id)
        meeting.slot_starts_at, meeting.table_no = at(9), table
        for rid in parties:
            session.add(
                MeetingSeat(
                    meeting_id=meeting.id,
                    registration_id=rid,
                    event_id=event_id,
                    slot_starts_at=at(9),
                )
            )

    place(one, 1)
    session.commit()
    for meeting, table in ((three, 1), (two, 2)):
        place(meeting, table)
        with pytest.raises(IntegrityError):
            session.flush()
        session.rollback()
    assert session.scalar(select(func.count()).select_from(MeetingSeat)) == 2
