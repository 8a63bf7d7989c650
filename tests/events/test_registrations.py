"""Registrations through HTTP: who registers whom and when, postings, availability, the waiting list."""

from collections import Counter
from datetime import date

import httpx
import pytest
from sqlalchemy.orm import Session

from app.models import Registration, Requirement
from app.models.enums import CapabilityStatus, EventStatus, RequirementStatus
from tests.events.conftest import iso
from tests.factories import Factory, at
from tests.live import fire

PROBLEM = "application/problem+json"
THREADS = 8


def url(event, rid=None, action=None):
    parts = [f"/v1/events/{event.id}/registrations"]
    if rid is not None:
        parts.append(str(rid))
    if action:
        parts.append(action)
    return "/".join(parts)


def register(client, event, headers, expect=201, **body):
    response = client.post(url(event), json={"role": "buyer", **body}, headers=headers)
    assert response.status_code == expect, response.text
    return response


def window(start, end):
    return {"starts_at": iso(start), "ends_at": iso(end)}


@pytest.fixture
def event(factory):
    """Open for registration; a morning and an afternoon session."""
    return factory.event(
        sessions=(("上午场", at(9), at(12)), ("下午场", at(14), at(17))), capacity=100
    )


def test_member_registers_own_enterprise(client, cast, event):
    requirement = cast.factory.requirement(cast.buyer, "光伏接线盒采购")
    response = register(
        client,
        event,
        cast.buyer_member,
        requirement_ids=[requirement.id, requirement.id],
        availability=[window(at(14), at(16)), window(at(9), at(10))],
    )
    body = response.json()
    assert response.headers["location"] == url(event, body["id"])
    assert response.headers["etag"] == f'"{body["id"]}.1"'
    assert body["enterprise"]["id"] == cast.buyer.id and body["enterprise"]["tiers"] == [
        "chain_owner"
    ]
    assert (body["role"], body["status"], body["waitlist_position"]) == ("buyer", "confirmed", None)
    assert body["requirement_ids"] == [requirement.id] and body["capability_ids"] == []
    assert [w["starts_at"][11:16] for w in body["availability"]] == ["01:00", "06:00"]  # UTC
    assert body["registered_by"] is not None and body["event_id"] == event.id
    read = client.get(url(event, body["id"]), headers=cast.buyer_member)
    assert read.json() == body and read.headers["etag"] == response.headers["etag"]
    counts = client.get(f"/v1/events/{event.id}").json()
    assert (counts["confirmed_count"], counts["places_left"]) == (1, 99)


def test_staff_register_any_enterprise_and_members_only_their_own(client, cast, event, session):
    missing = register(client, event, cast.organiser, expect=422)
    assert missing.json()["errors"][0]["field"] == "body.enterprise_id"
    unknown = register(client, event, cast.organiser, expect=422, enterprise_id=2_000_000)
    assert "Enterprise 2000000 does not exist" in unknown.json()["detail"]
    other = register(client, event, cast.buyer_member, expect=403, enterprise_id=cast.supplier.id)
    assert other.headers["content-type"].startswith(PROBLEM)
    assert register(client, event, {}, expect=401).headers["content-type"].startswith(PROBLEM)
    assert session.query(Registration).count() == 0
    made = register(client, event, cast.organiser, enterprise_id=cast.supplier.id, role="supplier")
    assert made.json()["enterprise"]["id"] == cast.supplier.id
    own = register(client, event, cast.buyer_member, enterprise_id=cast.buyer.id)
    assert own.json()["enterprise"]["id"] == cast.buyer.id
    forged = register(client, event, cast.third_member, expect=422, status="confirmed")
    assert forged.json()["errors"][0]["field"] == "body.status"


def test_who_may_register_depends_on_the_event_status(client, cast, factory):
    draft = factory.event(status=EventStatus.draft)
    closed = factory.event(status=EventStatus.closed)
    held = factory.event(status=EventStatus.held)
    assert register(client, draft, cast.buyer_member, expect=404).status_code == 404
    register(client, draft, cast.organiser, enterprise_id=cast.buyer.id)
    refused = register(client, closed, cast.buyer_member, expect=409)
    assert refused.json()["detail"].startswith("Registration is not open: event")
    register(client, closed, cast.organiser, enterprise_id=cast.buyer.id)
    past = register(client, held, cast.organiser, expect=409, enterprise_id=cast.buyer.id)
    assert "has already been held" in past.json()["detail"]
    assert (
        client.post(
            "/v1/events/2000000/registrations", json={"role": "buyer"}, headers=cast.buyer_member
        ).status_code
        == 404
    )


def test_same_enterprise_twice_is_409(client, cast, event):
    first = register(client, event, cast.buyer_member).json()
    again = register(client, event, cast.organiser, expect=409, enterprise_id=cast.buyer.id)
    assert f"registration {first['id']}, confirmed" in again.json()["detail"]


def test_postings_must_be_the_enterprises_own_and_fit_the_role(client, cast, event, session):
    own_req = cast.factory.requirement(cast.buyer)
    own_cap = cast.factory.capability(cast.buyer, "光伏组件代工")
    foreign = cast.factory.requirement(cast.supplier)
    for body, field, words in (
        (
            {"requirement_ids": [own_req.id, foreign.id, 2_000_000]},
            "body.requirement_ids",
            f"[{foreign.id}, 2000000] do not exist or are not enterprise {cast.buyer.id}'s",
        ),
        ({"capability_ids": [own_cap.id]}, "body.capability_ids", "A buyer registration"),
        (
            {"role": "supplier", "requirement_ids": [own_req.id]},
            "body.requirement_ids",
            "A supplier registration",
        ),
        ({"requirement_ids": [0]}, "body.requirement_ids.0", None),
        ({"requirement_ids": list(range(1, 52))}, "body.requirement_ids", None),
    ):
        response = register(client, event, cast.buyer_member, expect=422, **body)
        problem = response.json()
        assert problem["errors"][0]["field"] == field, body
        assert words is None or words in problem["detail"]
    assert session.query(Registration).count() == 0
    both = register(
        client,
        event,
        cast.buyer_member,
        role="both",
        requirement_ids=[own_req.id],
        capability_ids=[own_cap.id],
    ).json()
    assert (both["requirement_ids"], both["capability_ids"]) == ([own_req.id], [own_cap.id])


def test_availability_lies_within_the_sessions(client, cast, event, session):
    lunch = window(at(11), at(15))  # across the lunch break: not inside one session
    for availability, field, words in (
        (
            [window(at(9), at(10)), lunch],
            "body.availability.1",
            "Availability window 1 (2026-05-20 11:00–15:00)",
        ),
        ([window(at(8), at(9, 30))], "body.availability.0", "上午场 2026-05-20 09:00–12:00"),
        (
            [{"starts_at": "2026-05-20T09:00:00", "ends_at": iso(at(10))}],
            "body.availability.0.starts_at",
            None,
        ),
        ([window(at(10), at(9))], "body.availability.0", None),
        (
            [window(at(9), at(10, 30)), window(at(10), at(11))],
            "body.availability",
            "availability windows 0 and 1 overlap",
        ),
        ([window(at(9), at(9, 1))] * 41, "body.availability", None),
    ):
        response = register(client, event, cast.buyer_member, expect=422, availability=availability)
        problem = response.json()
        assert field in [e["field"] for e in problem["errors"]], problem
        assert words is None or words in str(problem)
    assert session.query(Registration).count() == 0
    whole = register(client, event, cast.buyer_member, availability=[]).json()
    assert whole["availability"] == []


def test_capacity_waiting_list_and_promotion_on_withdrawal(client, cast, factory):
    event = factory.event(capacity=2)
    fourth = factory.enterprise("第四家企业有限公司")
    regs = [
        register(client, event, headers).json()
        for headers in (
            cast.buyer_member,
            cast.supplier_member,
            cast.third_member,
            factory.member_of(fourth),
        )
    ]
    assert [(r["status"], r["waitlist_position"]) for r in regs] == [
        ("confirmed", None),
        ("confirmed", None),
        ("waitlisted", 1),
        ("waitlisted", 2),
    ]
    counts = client.get(f"/v1/events/{event.id}").json()
    assert (counts["confirmed_count"], counts["waitlisted_count"], counts["places_left"]) == (
        2,
        2,
        0,
    )

    withdrawn = client.post(url(event, regs[0]["id"], "withdraw"), headers=cast.buyer_member)
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    third = client.get(url(event, regs[2]["id"]), headers=cast.third_member).json()
    fourth_read = client.get(url(event, regs[3]["id"]), headers=cast.organiser).json()
    assert (third["status"], third["version"]) == ("confirmed", 2)
    assert (fourth_read["status"], fourth_read["waitlist_position"]) == ("waitlisted", 1)
    again = client.post(url(event, regs[0]["id"], "withdraw"), headers=cast.buyer_member)
    assert again.status_code == 200 and again.json()["version"] == withdrawn.json()["version"]

    # Withdrawing a waitlisted one frees no place; re-registering goes to the back of the queue.
    back = register(client, event, cast.buyer_member).json()
    assert (back["id"], back["status"], back["waitlist_position"]) == (
        regs[0]["id"],
        "waitlisted",
        2,
    )
    client.post(url(event, regs[3]["id"], "withdraw"), headers=cast.organiser)
    assert (
        client.get(url(event, back["id"]), headers=cast.buyer_member).json()["waitlist_position"]
        == 1
    )


def test_capacity_changes_promote_or_are_refused(client, cast, factory):
    event = factory.event(capacity=1)
    first = register(client, event, cast.buyer_member).json()
    second = register(client, event, cast.supplier_member, role="supplier").json()
    assert second["status"] == "waitlisted"
    raised = client.patch(f"/v1/events/{event.id}", json={"capacity": 2}, headers=cast.organiser)
    assert raised.status_code == 200 and raised.json()["confirmed_count"] == 2
    assert (
        client.get(url(event, second["id"]), headers=cast.supplier_member).json()["status"]
        == "confirmed"
    )
    lowered = client.patch(f"/v1/events/{event.id}", json={"capacity": 1}, headers=cast.organiser)
    assert lowered.status_code == 409
    assert "cannot go below 2" in lowered.json()["detail"]
    assert client.get(f"/v1/events/{event.id}").json()["capacity"] == 2
    assert first["status"] == "confirmed"


def test_lists_show_staff_everything_and_members_their_own(client, cast, event):
    buyer = register(client, event, cast.buyer_member).json()
    supplier = register(client, event, cast.supplier_member, role="supplier").json()
    both = register(client, event, cast.third_member, role="both").json()

    def ids(headers, **params):
        response = client.get(url(event), params=params, headers=headers)
        assert response.status_code == 200, response.text
        return [r["id"] for r in response.json()["items"]]

    assert ids(cast.organiser) == [buyer["id"], supplier["id"], both["id"]]
    assert ids(cast.organiser, role="buyer") == [buyer["id"], both["id"]]
    assert ids(cast.organiser, role="supplier") == [supplier["id"], both["id"]]
    assert ids(cast.organiser, role="both") == [both["id"]]
    assert ids(cast.organiser, status="waitlisted") == []
    assert ids(cast.buyer_member) == [buyer["id"]]
    page = client.get(url(event), params={"limit": 2}, headers=cast.admin).json()
    rest = client.get(url(event), params={"cursor": page["next_cursor"]}, headers=cast.admin)
    assert [r["id"] for r in page["items"] + rest.json()["items"]] == ids(cast.admin)
    assert client.get(url(event)).status_code == 401
    assert client.get(url(event), params={"role": "seller"}, headers=cast.admin).status_code == 422
    assert client.get(url(event, supplier["id"]), headers=cast.buyer_member).status_code == 404
    assert client.get(url(event, supplier["id"]), headers=cast.organiser).status_code == 200
    assert client.get(url(event, supplier["id"])).status_code == 401
    assert client.get(url(event, 2**40), headers=cast.admin).status_code == 422


def test_editing_a_registration(client, cast, event):
    cap = cast.factory.capability(cast.buyer, "组件代工")
    created = register(client, event, cast.buyer_member, role="both", capability_ids=[cap.id])
    rid, etag = created.json()["id"], created.headers["etag"]
    edit = lambda body, headers=cast.buyer_member, tag=etag: client.patch(  # noqa: E731
        url(event, rid), json=body, headers={**headers, "If-Match": tag}
    )
    same = edit({"role": "both", "capability_ids": [cap.id], "availability": []})
    assert same.status_code == 200 and same.headers["etag"] == etag
    leftover = edit({"role": "buyer"})
    assert (
        leftover.status_code == 422
        and leftover.json()["errors"][0]["field"] == "body.capability_ids"
    )
    assert edit({"role": None}).status_code == 422
    changed = edit(
        {"role": "buyer", "capability_ids": None, "availability": [window(at(14), at(15))]}
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["capability_ids"] == [] and len(changed.json()["availability"]) == 1
    assert changed.headers["etag"] != etag
    assert edit({"role": "supplier"}).status_code == 412
    assert (
        edit({"role": "supplier"}, cast.supplier_member, changed.headers["etag"]).status_code == 404
    )
    outside = edit({"availability": [window(at(12), at(13))]}, tag=changed.headers["etag"])
    assert (
        outside.status_code == 422 and outside.json()["errors"][0]["field"] == "body.availability.0"
    )
    client.post(url(event, rid, "withdraw"), headers=cast.buyer_member)
    gone = client.patch(url(event, rid), json={"role": "both"}, headers=cast.buyer_member)
    assert gone.status_code == 409 and "register again" in gone.json()["detail"]


def test_sessions_cannot_strand_availability(client, cast, event):
    rid = register(client, event, cast.buyer_member, availability=[window(at(15), at(16))]).json()[
        "id"
    ]
    mornings_only = {
        "sessions": [{"name": "上午场", "starts_at": iso(at(9)), "ends_at": iso(at(12))}]
    }
    refused = client.patch(f"/v1/events/{event.id}", json=mornings_only, headers=cast.organiser)
    assert refused.status_code == 409 and f"[{rid}]" in refused.json()["detail"]
    client.post(url(event, rid, "withdraw"), headers=cast.organiser)
    allowed = client.patch(f"/v1/events/{event.id}", json=mornings_only, headers=cast.organiser)
    assert allowed.status_code == 200 and len(allowed.json()["sessions"]) == 1


def test_registrations_are_fixed_once_the_event_is_held(client, cast, event):
    rid = register(client, event, cast.buyer_member).json()["id"]
    for status in ("closed", "held"):
        client.patch(f"/v1/events/{event.id}", json={"status": status}, headers=cast.organiser)
    for response in (
        client.patch(url(event, rid), json={"role": "both"}, headers=cast.organiser),
        client.post(url(event, rid, "withdraw"), headers=cast.buyer_member),
    ):
        assert response.status_code == 409 and "can no longer change" in response.json()["detail"]


def test_availability_holds_a_whole_slot(client, cast, event, session):
    """20-minute slots from 09:00 and 14:00: a window that covers none can never be used."""
    for availability, index, words in (
        ([window(at(9), at(9, 15))], 0, "(2026-05-20 09:00–09:15) holds no whole 20-minute"),
        ([window(at(9), at(10)), window(at(10, 5), at(10, 20))], 1, "e.g. 2026-05-20 10:20–10:40"),
        ([window(at(11, 50), at(12))], 0, "e.g. 2026-05-20 11:40–12:00"),
    ):
        response = register(client, event, cast.buyer_member, expect=422, availability=availability)
        problem = response.json()
        assert [e["field"] for e in problem["errors"]] == [f"body.availability.{index}"]
        assert words in problem["detail"], problem["detail"]
        assert problem["detail"].endswith("widen it to cover at least one slot.")
    assert session.query(Registration).count() == 0
    created = register(client, event, cast.buyer_member, availability=[window(at(9), at(9, 20))])
    rid, etag = created.json()["id"], created.headers["etag"]
    narrowed = client.patch(
        url(event, rid),
        json={"availability": [window(at(9, 10), at(9, 30))]},
        headers={**cast.buyer_member, "If-Match": etag},
    )
    assert narrowed.status_code == 422, narrowed.text
    assert narrowed.json()["errors"][0]["field"] == "body.availability.0"
    kept = client.get(url(event, rid), headers=cast.buyer_member).json()["availability"]
    assert [(w["starts_at"], w["ends_at"]) for w in kept] == [
        ("2026-05-20T01:00:00Z", "2026-05-20T01:20:00Z")
    ]


def test_a_registration_brings_open_postings_only(client, cast, event, session):
    factory = cast.factory
    draft = factory.requirement(cast.buyer, "草稿需求", status=RequirementStatus.draft)
    expired = factory.requirement(cast.buyer, "过期需求", valid_until=date(2020, 1, 1))
    live = factory.requirement(cast.buyer, "开放需求")
    paused = factory.capability(cast.buyer, "暂停能力", status=CapabilityStatus.paused)
    closed = factory.capability(cast.buyer, "关闭能力", status=CapabilityStatus.closed)
    for body, field, words in (
        (
            {"requirement_ids": [live.id, draft.id, expired.id]},
            "body.requirement_ids",
            f"The requirement(s) {draft.id} (draft), {expired.id} (expired) are not open",
        ),
        (
            {"role": "both", "capability_ids": [paused.id, closed.id]},
            "body.capability_ids",
            f"The capability(s) {paused.id} (paused), {closed.id} (closed) are not open",
        ),
    ):
        response = register(client, event, cast.buyer_member, expect=422, **body)
        problem = response.json()
        assert [e["field"] for e in problem["errors"]] == [field]
        assert words in problem["detail"] and "PATCH /v1/" in problem["detail"]
    assert session.query(Registration).count() == 0
    # A posting brought while open and paused since may stay; a newly added one must be open.
    created = register(client, event, cast.buyer_member, requirement_ids=[live.id])
    rid = created.json()["id"]
    live_row = session.get(Requirement, live.id)
    live_row.status = RequirementStatus.paused
    session.commit()
    moved = client.patch(
        url(event, rid),
        json={"availability": [window(at(9), at(10))]},
        headers=cast.buyer_member,
    )
    assert moved.status_code == 200, moved.text
    added = client.patch(
        url(event, rid), json={"requirement_ids": [live.id, draft.id]}, headers=cast.buyer_member
    )
    assert added.status_code == 422 and f"{draft.id} (draft)" in added.json()["detail"]
    read = client.get(url(event, rid), headers=cast.buyer_member).json()
    assert read["requirement_ids"] == [live.id]


# --- races, on a database that really commits -----------------------------------------------


def _racers(engine, capacity, count):
    """An open event and ``count`` member tokens of distinct enterprises, committed."""
    with Session(engine) as session:
        factory = Factory(session)
        event = factory.event(capacity=capacity)
        headers = [factory.member_of(factory.enterprise(f"并发企业{i}")) for i in range(count)]
        return event.id, headers


def test_concurrent_registrations_for_the_last_place(live_url, migrated_engine):
    event_id, racers = _racers(migrated_engine, capacity=1, count=THREADS)
    endpoint = f"{live_url}/v1/events/{event_id}/registrations"
    responses = fire(
        [
            lambda h=h: httpx.post(endpoint, json={"role": "supplier"}, headers=h, timeout=30)
            for h in racers
        ]
    )
    assert [r.status_code for r in responses] == [201] * THREADS
    statuses = Counter(r.json()["status"] for r in responses)
    assert statuses == {"confirmed": 1, "waitlisted": THREADS - 1}
    positions = sorted(r.json()["waitlist_position"] or 0 for r in responses)
    assert positions == list(range(THREADS))
    # Everyone withdrawing at once: the place passes down the line, never to two at a time.
    ids = [(r.json()["id"], h) for r, h in zip(responses, racers, strict=True)]
    fire(
        [
            lambda rid=rid, h=h: httpx.post(f"{endpoint}/{rid}/withdraw", headers=h, timeout=30)
            for rid, h in ids[: THREADS // 2]
        ]
    )
    with Session(migrated_engine) as session:
        confirmed = (
            session.query(Registration).filter_by(event_id=event_id, status="confirmed").count()
        )
    assert confirmed == 1


def test_concurrent_duplicate_registrations(live_url, migrated_engine):
    event_id, (headers,) = _racers(migrated_engine, capacity=10, count=1)
    endpoint = f"{live_url}/v1/events/{event_id}/registrations"
    responses = fire(
        [lambda: httpx.post(endpoint, json={"role": "buyer"}, headers=headers, timeout=30)]
        * THREADS
    )
    codes = Counter(r.status_code for r in responses)
    assert codes == {201: 1, 409: THREADS - 1}
    assert all(
        r.headers["content-type"].startswith(PROBLEM) for r in responses if r.status_code == 409
    )
