"""What the audit trail keeps: one entry per object a request created, changed or deleted, with
who, what and the fields before and after, written with the change itself; nothing for a
request that failed."""

from datetime import date, timedelta

import pytest

from app.models.enums import MeetingStatus, RegistrationStatus, Role
from tests.audit.helpers import change, count, of, trail
from tests.factories import EVENT_DAY, at

FUTURE = (date.today() + timedelta(days=60)).isoformat()


class People:
    def __init__(self, factory):
        self.factory = factory
        self.buyer = factory.enterprise("审计买方有限公司")
        self.supplier = factory.enterprise("审计供方有限公司", region_code="310115")
        self.buyer_member = factory.member_of(self.buyer)
        self.supplier_member = factory.member_of(self.supplier)
        self.organiser = factory.headers(Role.organiser)
        self.admin = factory.headers(Role.admin)

    def account_of(self, client, headers):
        return client.get("/v1/me", headers=headers).json()["id"]


@pytest.fixture
def people(factory):
    return People(factory)


def test_requirements_are_audited_from_creation_to_deletion(client, people, session):
    member = {**people.buyer_member, "X-Request-ID": "erp-sync-42"}
    body = {
        "title": "接线盒采购",
        "status": "draft",
        "budget_yuan": 120000,
        "items": [{"name": "接线盒 IP68", "quantity": 5000, "unit": "套"}],
    }
    created = client.post("/v1/requirements", json=body, headers=member)
    assert created.status_code == 201, created.text
    rid = created.json()["id"]
    client.patch(f"/v1/requirements/{rid}", json={"title": "接线盒采购（二期）"}, headers=member)
    client.patch(
        f"/v1/requirements/{rid}",
        json={"items": [{"name": "接线盒 IP68", "quantity": 8000, "unit": "套"}]},
        headers=people.buyer_member,
    )
    assert client.delete(f"/v1/requirements/{rid}", headers=people.organiser).status_code == 204

    entries = of(trail(client, people.admin), "requirement", rid)
    assert [e["action"] for e in entries] == ["create", "update", "update", "delete"]
    made, renamed, items, deleted = entries
    member_id = people.account_of(client, people.buyer_member)
    assert (made["account_id"], made["enterprise_id"]) == (member_id, people.buyer.id)
    assert made["request_id"] == "erp-sync-42" and items["request_id"] is None
    assert change(made, "title") == (None, "接线盒采购")
    assert change(made, "budget_yuan") == (None, "120000")  # exact decimals, as text
    assert change(made, "enterprise_id") == (None, people.buyer.id)
    assert change(made, "items")[1][0]["quantity"] == "5000"
    assert set(renamed["changes"]) == {"title"}  # not the version, not the timestamps
    assert change(renamed, "title") == ("接线盒采购", "接线盒采购（二期）")
    before, after = change(items, "items")
    assert (before[0]["quantity"], after[0]["quantity"]) == ("5000", "8000")
    assert deleted["enterprise_id"] is None  # an organiser acts for no enterprise
    assert change(deleted, "title") == ("接线盒采购（二期）", None)
    assert change(deleted, "items")[0][0]["name"] == "接线盒 IP68"


def test_a_status_move_is_its_own_action(client, people):
    capability = client.post(
        "/v1/capabilities",
        json={"title": "接线盒", "regions_served": ["330000", "yrd"]},
        headers=people.supplier_member,
    ).json()
    cid = capability["id"]
    client.patch(f"/v1/capabilities/{cid}", json={"status": "paused"}, headers=people.organiser)
    client.patch(
        f"/v1/capabilities/{cid}", json={"regions_served": ["330000"]}, headers=people.organiser
    )
    made, paused, narrowed = of(trail(client, people.admin), "capability", cid)
    assert change(made, "regions_served") == (None, ["330000", "yrd"])
    assert paused["action"] == "status" and change(paused, "status") == ("open", "paused")
    assert narrowed["action"] == "update"
    assert change(narrowed, "regions_served") == (["330000", "yrd"], ["330000"])


def _event(client, organiser, **overrides):
    body = {
        "title": "审计对接会",
        "region_code": "330421",
        "starts_on": EVENT_DAY.isoformat(),
        "tables": 2,
        "capacity": 1,
        "status": "registration_open",
        "sessions": [
            {"name": "上午场", "starts_at": at(9).isoformat(), "ends_at": at(10).isoformat()},
            {"name": "下午场", "starts_at": at(14).isoformat(), "ends_at": at(15).isoformat()},
        ],
        **overrides,
    }
    response = client.post("/v1/events", json=body, headers=organiser)
    assert response.status_code == 201, response.text
    return response.json()


def test_events_and_their_sessions_are_audited(client, people):
    event = _event(client, people.organiser)
    morning, afternoon = event["sessions"]
    sessions = [
        {"name": "上午场（延长）", "starts_at": at(9).isoformat(), "ends_at": at(11).isoformat()},
        {"name": "晚场", "starts_at": at(18).isoformat(), "ends_at": at(19).isoformat()},
    ]
    changed = client.patch(
        f"/v1/events/{event['id']}", json={"sessions": sessions}, headers=people.organiser
    )
    assert changed.status_code == 200, changed.text
    client.patch(f"/v1/events/{event['id']}", json={"status": "closed"}, headers=people.organiser)

    entries = trail(client, people.admin)
    made, closed = of(entries, "event", event["id"])
    assert made["action"] == "create" and change(made, "capacity") == (None, 1)
    assert closed["action"] == "status"
    assert change(closed, "status") == ("registration_open", "closed")
    kept = of(entries, "event_session", morning["id"])
    assert [e["action"] for e in kept] == ["create", "update"]
    assert change(kept[1], "name") == ("上午场", "上午场（延长）")
    assert change(kept[1], "ends_at")[1].startswith(
        at(11).astimezone(at(0).tzinfo).date().isoformat()
    )
    dropped = of(entries, "event_session", afternoon["id"])
    assert [e["action"] for e in dropped] == ["create", "delete"]
    assert change(dropped[1], "event_id") == (event["id"], None)
    new = [e for e in entries if e["object_type"] == "event_session" and e["action"] == "create"]
    assert len(new) == 3  # two at first, the evening one later


def test_registrations_and_the_waiting_list_are_audited(client, people):
    event = _event(client, people.organiser)
    regs = f"/v1/events/{event['id']}/registrations"
    first = client.post(regs, json={"role": "buyer"}, headers=people.buyer_member).json()
    second = client.post(regs, json={"role": "supplier"}, headers=people.supplier_member).json()
    assert (first["status"], second["status"]) == ("confirmed", "waitlisted")
    window = {"starts_at": at(9).isoformat(), "ends_at": at(10).isoformat()}
    client.patch(
        f"{regs}/{second['id']}", json={"availability": [window]}, headers=people.supplier_member
    )
    withdrawn = client.post(f"{regs}/{first['id']}/withdraw", headers=people.buyer_member)
    assert withdrawn.json()["status"] == RegistrationStatus.withdrawn

    entries = trail(client, people.admin)
    buyer_member = people.account_of(client, people.buyer_member)
    made, left = of(entries, "registration", first["id"])
    assert change(made, "status") == (None, "confirmed")
    assert left["action"] == "status" and change(left, "status") == ("confirmed", "withdrawn")
    queued, available, promoted = of(entries, "registration", second["id"])
    assert change(available, "availability")[0] == []
    assert len(change(available, "availability")[1]) == 1
    # Taking the freed place happened in the withdrawing request: its account is named.
    assert promoted["action"] == "status" and promoted["account_id"] == buyer_member
    assert change(promoted, "status") == ("waitlisted", "confirmed")


def test_meetings_answers_placements_and_the_schedule_are_audited(client, people):
    event = _event(client, people.organiser, capacity=10)
    regs = f"/v1/events/{event['id']}/registrations"
    for member in (people.buyer_member, people.supplier_member):
        assert client.post(regs, json={"role": "both"}, headers=member).status_code == 201
    meetings = f"/v1/events/{event['id']}/meetings"
    asked = client.post(
        meetings, json={"invitee_enterprise_id": people.supplier.id}, headers=people.buyer_member
    ).json()
    mid = asked["id"]
    client.post(f"{meetings}/{mid}/accept", headers=people.supplier_member)
    placed = client.patch(
        f"{meetings}/{mid}", json={"slot": 2, "table": 1}, headers=people.organiser
    )
    assert placed.status_code == 200, placed.text
    client.patch(f"{meetings}/{mid}", json={"slot": None, "table": None}, headers=people.organiser)
    run = client.post(f"/v1/events/{event['id']}/schedule", headers=people.organiser)
    assert run.status_code == 200 and run.json()["placed"], run.text
    client.post(f"{meetings}/{mid}/cancel", headers=people.supplier_member)

    made, accepted, by_hand, taken_off, scheduled, cancelled = of(
        trail(client, people.admin), "meeting", mid
    )
    assert change(made, "status") == (None, MeetingStatus.requested)
    assert accepted["action"] == "status"
    assert change(accepted, "status") == ("requested", "accepted")
    assert change(by_hand, "table_no") == (None, 1) and change(by_hand, "confirmed") == (
        False,
        True,
    )
    assert change(taken_off, "table_no") == (1, None)
    assert scheduled["action"] == "update" and change(scheduled, "table_no")[0] is None
    assert change(cancelled, "status") == ("accepted", "cancelled")


def test_outcomes_are_audited(client, people, factory):
    requirement = factory.requirement(
        people.buyer, "接线盒采购", valid_until=date.fromisoformat(FUTURE)
    )
    capability = factory.capability(people.supplier, "接线盒")
    body = {
        "kind": "intention",
        "amount_yuan": "2500000.50",
        "requirement_id": requirement.id,
        "capability_id": capability.id,
    }
    recorded = client.post("/v1/outcomes", json=body, headers=people.supplier_member)
    assert recorded.status_code == 201, recorded.text
    oid = recorded.json()["id"]
    client.patch(f"/v1/outcomes/{oid}", json={"kind": "signed_order"}, headers=people.buyer_member)
    client.delete(f"/v1/outcomes/{oid}", headers=people.buyer_member)

    made, signed, deleted = of(trail(client, people.admin), "outcome", oid)
    assert change(made, "amount_yuan") == (None, "2500000.5")
    assert change(made, "buyer_id") == (None, people.buyer.id)
    assert made["enterprise_id"] == people.supplier.id
    assert change(signed, "kind") == ("intention", "signed_order")
    assert signed["enterprise_id"] == people.buyer.id
    assert deleted["action"] == "delete" and change(deleted, "kind") == ("signed_order", None)


def test_a_failed_request_leaves_no_entry(client, people, session):
    event = _event(client, people.organiser, capacity=10)
    regs = f"/v1/events/{event['id']}/registrations"
    for member in (people.buyer_member, people.supplier_member):
        client.post(regs, json={"role": "both"}, headers=member)
    meetings = f"/v1/events/{event['id']}/meetings"
    mid = client.post(
        meetings,
        json={
            "requester_enterprise_id": people.buyer.id,
            "invitee_enterprise_id": people.supplier.id,
        },
        headers=people.organiser,
    ).json()["id"]
    client.patch(f"{meetings}/{mid}", json={"slot": 1, "table": 1}, headers=people.organiser)
    before = count(session)

    # Taken off the grid and flushed, then refused: confirming a meeting without a slot.
    failed = client.patch(
        f"{meetings}/{mid}",
        json={"slot": None, "table": None, "confirmed": True},
        headers=people.organiser,
    )
    assert failed.status_code == 409, failed.text
    stale = client.patch(
        f"/v1/events/{event['id']}",
        json={"title": "改名"},
        headers={**people.organiser, "If-Match": '"1.999"'},
    )
    assert stale.status_code == 412
    invalid = client.post("/v1/requirements", json={"title": ""}, headers=people.buyer_member)
    assert invalid.status_code == 422
    refused = client.patch(
        f"/v1/events/{event['id']}", json={"title": "x"}, headers=people.buyer_member
    )
    assert refused.status_code == 403
    assert count(session) == before
    still = client.get(f"{meetings}/{mid}", headers=people.organiser).json()
    assert (still["slot"]["number"], still["table"]) == (1, 1)


def test_what_is_not_audited_leaves_no_trace(client, people, session):
    """Tokens, accounts and reads are not in the trail; and so no secret ever is."""
    before = count(session)
    token = client.post("/v1/tokens", json={"name": "ERP"}, headers=people.admin).json()["token"]
    client.patch("/v1/me", headers=people.admin)  # not a route: a 405, nothing written
    client.get("/v1/requirements", headers=people.buyer_member)
    assert count(session) == before
    assert token not in str(trail(client, people.admin))
