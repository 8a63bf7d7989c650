"""Outcomes through HTTP: recorded by either side of a meeting or match (or organisers), the
buyer and supplier derived, amounts where they matter, edits and deletions by either side."""

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.models import Outcome
from app.models.enums import MeetingStatus, OutcomeKind, RegistrationRole, RegistrationStatus, Role
from tests.events.conftest import iso
from tests.events.test_meetings import Meet, problem
from tests.factories import at

OUTCOMES = "/v1/outcomes"


def record(client, headers, expect=201, **body):
    response = client.post(OUTCOMES, json=body, headers=headers)
    assert response.status_code == expect, response.text
    return response.json()


@pytest.fixture
def deal(cast):
    """A meeting between the buyer's requirement and the supplier's capability, accepted."""
    meet = Meet(cast)
    factory = cast.factory
    meet.requirement = factory.requirement(cast.buyer, "光伏接线盒采购")
    meet.capability = factory.capability(cast.supplier, "光伏接线盒")
    meet.meeting = factory.meeting(
        meet.regs["supplier"],
        meet.regs["buyer"],
        requirement_id=meet.requirement.id,
        capability_id=meet.capability.id,
    )
    return meet


def test_either_side_records_an_outcome_of_a_meeting(client, cast, deal):
    response = client.post(
        OUTCOMES,
        json={
            "kind": "signed_order",
            "amount_yuan": "1250000.50",
            "meeting_id": deal.meeting.id,
            "note": "首批接线盒订单",
        },
        headers=cast.supplier_member,
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert response.headers["location"] == f"{OUTCOMES}/{body['id']}"
    assert response.headers["etag"] == f'"{body["id"]}.1"'
    assert (body["kind"], body["amount_yuan"], body["note"]) == (
        "signed_order",
        1250000.5,
        "首批接线盒订单",
    )
    assert (body["event_id"], body["meeting_id"]) == (deal.event.id, deal.meeting.id)
    assert (body["requirement_id"], body["capability_id"]) == (
        deal.requirement.id,
        deal.capability.id,
    )
    # The requester is the supplier here: sides come from the postings, not from who asked.
    assert body["buyer"]["id"] == cast.buyer.id and body["supplier"]["id"] == cast.supplier.id
    assert body["recorded_by"] is not None and body["recorded_at"]
    assert client.get(f"{OUTCOMES}/{body['id']}", headers=cast.buyer_member).json() == body
    problem(client.get(f"{OUTCOMES}/{body['id']}", headers=cast.third_member), 404)
    problem(client.get(f"{OUTCOMES}/{body['id']}"), 401)
    by_staff = record(
        client, cast.organiser, kind="intention", amount_yuan=300, meeting_id=deal.meeting.id
    )
    assert by_staff["buyer"]["id"] == cast.buyer.id

    def ids(headers, **params):
        response = client.get(OUTCOMES, params=params, headers=headers)
        assert response.status_code == 200, response.text
        return [o["id"] for o in response.json()["items"]]

    assert ids(cast.organiser) == [by_staff["id"], body["id"]]  # newest first
    assert ids(cast.organiser, kind="signed_order") == [body["id"]]
    assert ids(cast.organiser, event=deal.event.id, enterprise=cast.buyer.id, limit=1) == [
        by_staff["id"]
    ]
    assert ids(cast.buyer_member) == [by_staff["id"], body["id"]]
    assert ids(cast.third_member) == [] and ids(cast.third_member, enterprise=cast.buyer.id) == []
    problem(client.get(OUTCOMES, params={"kind": "rumour"}, headers=cast.organiser), 422)


def test_sides_of_a_meeting_without_postings(client, cast, factory):
    meet = Meet(cast)
    regs = meet.regs
    for name, role in (("buyer", RegistrationRole.buyer), ("supplier", RegistrationRole.supplier)):
        regs[name].role = role
    factory.session.commit()
    plain = factory.meeting(regs["supplier"], regs["buyer"])
    both = factory.meeting(regs["third"], regs["buyer"])  # both vs buyer: third supplies
    open_ended = factory.meeting(
        regs["third"], factory.registration(meet.event, factory.enterprise("两头都做的企业"))
    )
    made = record(client, cast.buyer_member, kind="technology_cooperation", meeting_id=plain.id)
    assert (made["buyer"]["id"], made["supplier"]["id"]) == (cast.buyer.id, cast.supplier.id)
    assert made["amount_yuan"] is None
    inferred = record(client, cast.third_member, kind="project_landing", meeting_id=both.id)
    assert (inferred["buyer"]["id"], inferred["supplier"]["id"]) == (cast.buyer.id, cast.third.id)
    unsure = record(
        client, cast.third_member, expect=422, kind="project_landing", meeting_id=open_ended.id
    )
    assert unsure["errors"][0]["field"] == "body.buyer_enterprise_id"
    named = record(
        client,
        cast.third_member,
        kind="financing",
        amount_yuan="5000000",
        meeting_id=open_ended.id,
        buyer_enterprise_id=cast.third.id,
    )
    assert named["buyer"]["id"] == cast.third.id and named["amount_yuan"] == 5_000_000
    stranger = record(
        client,
        cast.third_member,
        expect=422,
        kind="project_landing",
        meeting_id=open_ended.id,
        buyer_enterprise_id=cast.supplier.id,
    )
    assert "is not a party to meeting" in stranger["detail"]


def test_bad_outcomes_are_refused_and_nothing_is_stored(client, cast, deal, factory, session):
    asked = factory.meeting(deal.regs["third"], deal.regs["buyer"], status=MeetingStatus.requested)
    other_event = Meet(cast)
    own_cap = factory.capability(cast.buyer, "组件代工")
    outsider = factory.enterprise("未参会供应商")
    outsider_cap = factory.capability(outsider, "边框")
    m = deal.meeting.id
    for headers, body, status, where in (
        (cast.buyer_member, {"kind": "intention", "meeting_id": m}, 422, "body.amount_yuan"),
        (cast.buyer_member, {"kind": "signed_order", "meeting_id": m}, 422, "body.amount_yuan"),
        (
            cast.buyer_member,
            {"kind": "intention", "amount_yuan": -1, "meeting_id": m},
            422,
            "body.amount_yuan",
        ),
        (
            cast.buyer_member,
            {"kind": "intention", "amount_yuan": "1.001", "meeting_id": m},
            422,
            "body.amount_yuan",
        ),
        (cast.third_member, {"kind": "project_landing", "meeting_id": m}, 422, "body.meeting_id"),
        (cast.buyer_member, {"kind": "project_landing", "meeting_id": asked.id}, 409, None),
        (
            cast.buyer_member,
            {"kind": "project_landing", "meeting_id": m, "event_id": other_event.event.id},
            422,
            "body.event_id",
        ),
        (cast.buyer_member, {"kind": "project_landing"}, 422, "body.meeting_id"),
        (
            cast.buyer_member,
            {
                "kind": "project_landing",
                "requirement_id": deal.requirement.id,
                "capability_id": own_cap.id,
            },
            422,
            "body.capability_id",
        ),
        (
            cast.third_member,
            {
                "kind": "project_landing",
                "requirement_id": deal.requirement.id,
                "capability_id": deal.capability.id,
            },
            403,
            None,
        ),
        (
            cast.buyer_member,
            {
                "kind": "project_landing",
                "event_id": deal.event.id,
                "requirement_id": deal.requirement.id,
                "capability_id": outsider_cap.id,
            },
            422,
            "body.event_id",
        ),
        (
            cast.buyer_member,
            {"kind": "project_landing", "meeting_id": m, "buyer_id": cast.buyer.id},
            422,
            "body.buyer_id",
        ),
        ({}, {"kind": "project_landing", "meeting_id": m}, 401, None),
    ):
        found = problem(client.post(OUTCOMES, json=body, headers=headers), status)
        assert where is None or found["errors"][0]["field"] == where, (body, found)
    assert session.scalar(select(func.count()).select_from(Outcome)) == 0


def test_outcomes_of_a_match_outside_any_event(client, cast, deal):
    made = record(
        client,
        cast.buyer_member,
        kind="intention",
        amount_yuan="88000",
        requirement_id=deal.requirement.id,
        capability_id=deal.capability.id,
    )
    assert made["event_id"] is None and made["meeting_id"] is None
    assert (made["buyer"]["id"], made["supplier"]["id"]) == (cast.buyer.id, cast.supplier.id)
    on_stage = record(
        client,
        cast.organiser,
        kind="signed_order",
        amount_yuan="88000",
        event_id=deal.event.id,
        requirement_id=deal.requirement.id,
        capability_id=deal.capability.id,
    )
    assert on_stage["event_id"] == deal.event.id and on_stage["meeting_id"] is None


def test_either_side_or_staff_edit_and_delete(client, cast, deal, factory):
    made = record(
        client, cast.buyer_member, kind="intention", amount_yuan=100, meeting_id=deal.meeting.id
    )
    item = f"{OUTCOMES}/{made['id']}"
    problem(client.patch(item, json={"note": "x"}, headers=cast.third_member), 404)
    problem(client.delete(item, headers=cast.third_member), 404)
    # The other side (not the recorder) may correct it.
    noted = client.patch(item, json={"note": "供方补充"}, headers=cast.supplier_member)
    assert noted.status_code == 200, noted.text
    assert noted.json()["note"] == "供方补充" and noted.json()["recorded_by"] == made["recorded_by"]
    etag = noted.headers["etag"]
    problem(client.patch(item, json={"amount_yuan": None}, headers=cast.buyer_member), 422)
    problem(client.patch(item, json={"kind": None}, headers=cast.buyer_member), 422)
    problem(client.patch(item, json={"buyer_id": cast.third.id}, headers=cast.buyer_member), 422)
    signed = client.patch(
        item,
        json={"kind": "signed_order", "amount_yuan": "120.25"},
        headers={**cast.buyer_member, "If-Match": etag},
    )
    assert signed.status_code == 200, signed.text
    assert (signed.json()["kind"], signed.json()["amount_yuan"]) == ("signed_order", 120.25)
    assert signed.headers["etag"] != etag
    stale = client.patch(
        item, json={"note": "late"}, headers={**cast.buyer_member, "If-Match": etag}
    )
    problem(stale, 412)
    same = client.patch(item, json={"amount_yuan": "120.25"}, headers=cast.buyer_member)
    assert same.headers["etag"] == signed.headers["etag"]
    problem(client.delete(item, headers={**cast.organiser, "If-Match": etag}), 412)
    assert client.delete(item, headers=cast.organiser).status_code == 204
    problem(client.get(item, headers=cast.organiser), 404)
    assert Decimal(str(signed.json()["amount_yuan"])) == Decimal("120.25")
    # The side that did not record an outcome may also delete it.
    again = record(
        client, cast.buyer_member, kind="intention", amount_yuan=100, meeting_id=deal.meeting.id
    )
    gone = client.delete(f"{OUTCOMES}/{again['id']}", headers=cast.supplier_member)
    assert gone.status_code == 204, gone.text


def test_a_side_undoes_an_outcome_the_other_recorded_about_it(client, cast, factory):
    """A member of the buyer records a huge signed order between its requirement and any
    capability of the supplier, without meeting or event; it counts in the public season figures
    until the supplier (not the recorder) corrects or deletes it."""
    requirement = factory.requirement(cast.buyer, "光伏接线盒采购")
    capability = factory.capability(cast.supplier, "光伏接线盒")
    claimed = record(
        client,
        cast.buyer_member,
        kind="signed_order",
        amount_yuan="1000000000000",
        requirement_id=requirement.id,
        capability_id=capability.id,
    )
    item = f"{OUTCOMES}/{claimed['id']}"

    def signed():
        return client.get("/v1/stats/season").json()["outcomes"]["signed_orders"]

    assert signed() == {"count": 1, "amount_yuan": 1e12}
    etag = client.get(item, headers=cast.supplier_member).headers["etag"]
    corrected = client.patch(
        item,
        json={"kind": "intention", "amount_yuan": "5000.00"},
        headers={**cast.supplier_member, "If-Match": etag},
    )
    assert corrected.status_code == 200, corrected.text
    assert signed() == {"count": 0, "amount_yuan": 0}
    problem(client.delete(item, headers=cast.third_member), 404)
    removed = client.delete(
        item, headers={**cast.supplier_member, "If-Match": corrected.headers["etag"]}
    )
    assert removed.status_code == 204, removed.text
    assert client.get("/v1/stats/season").json()["outcomes"]["count"] == 0


def test_an_enterprise_with_outcomes_cannot_be_deleted(client, cast, factory):
    seller = factory.enterprise("只有成果的供应商")
    factory.outcome(cast.buyer, seller, OutcomeKind.project_landing)
    refused = client.delete(f"/v1/enterprises/{seller.id}", headers=factory.headers(Role.admin))
    assert "outcomes: 1" in problem(refused, 409)["detail"]


def test_deleting_an_enterprise_or_chain_still_in_an_event_is_409(client, cast, factory, session):
    admin = factory.headers(Role.admin)
    lone = factory.enterprise("只报了名的企业")
    event = factory.event()
    factory.registration(event, lone, status=RegistrationStatus.withdrawn)
    refused = problem(client.delete(f"/v1/enterprises/{lone.id}", headers=admin), 409)
    assert "event registrations: 1" in refused["detail"]
    created = client.post(
        "/v1/events",
        json={
            "title": "链上活动",
            "region_code": "330421",
            "starts_on": "2026-05-20",
            "tables": 2,
            "capacity": 10,
            "chain_ids": [cast.chain.id],
            "node_ids": [cast.nodes["module"]],
            "sessions": [{"name": "上午场", "starts_at": iso(at(9)), "ends_at": iso(at(10))}],
        },
        headers=cast.organiser,
    )
    assert created.status_code == 201, created.text
    chain = problem(client.delete(f"/v1/chains/{cast.chain.id}", headers=admin), 409)
    assert "events: 1" in chain["detail"] and "event node links: 1" in chain["detail"]
    node = problem(client.delete(f"/v1/chain-nodes/{cast.nodes['module']}", headers=admin), 409)
    assert "events: 1" in node["detail"]
