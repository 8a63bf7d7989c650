"""Docking events through HTTP: organisers create and edit them, everyone reads published ones."""

from datetime import timedelta

import pytest

from app.errors import Unprocessable
from app.events import access
from app.events.schemas import SessionIn
from app.models import Event, Registration
from app.models.enums import EventStatus, RegistrationStatus
from tests.events.conftest import create_event, event_body, iso
from tests.factories import EVENT_DAY, at

PROBLEM = "application/problem+json"


def test_organiser_creates_an_event(client, cast):
    response = create_event(
        client,
        cast.organiser,
        chain_ids=[cast.chain.id],
        node_ids=[cast.nodes["module"], cast.nodes["module"]],
    )
    body = response.json()
    assert response.headers["location"] == f"/v1/events/{body['id']}"
    assert response.headers["etag"] == f'"{body["id"]}.1"'
    assert body["status"] == "draft" and body["ends_on"] == EVENT_DAY.isoformat()
    assert body["kinds"] == ["procurement", "technology"]
    assert body["chain_ids"] == [cast.chain.id] and body["node_ids"] == [cast.nodes["module"]]
    assert [s["name"] for s in body["sessions"]] == ["上午场 morning", "下午场 afternoon"]
    assert body["sessions"][0]["starts_at"].startswith(f"{EVENT_DAY}T01:00:00")  # 09:00 CST
    assert (body["confirmed_count"], body["waitlisted_count"], body["places_left"]) == (0, 0, 300)
    assert body["created_by"] is not None and body["version"] == 1
    read = client.get(f"/v1/events/{body['id']}", headers=cast.organiser)
    assert read.json() == body and read.headers["etag"] == response.headers["etag"]


def test_only_staff_create_events(client, cast, session):
    before = session.query(Event).count()
    anonymous = client.post("/v1/events", json=event_body())
    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"].startswith(PROBLEM)
    assert (
        client.post("/v1/events", json=event_body(), headers=cast.buyer_member).status_code == 403
    )
    assert create_event(client, cast.admin).status_code == 201
    assert session.query(Event).count() == before + 1


def _session(start, end, name="场次"):
    return {"name": name, "starts_at": start, "ends_at": end}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"region_code": "999999"}, "body.region_code"),
        ({"region_code": "jiashan"}, "body.region_code"),
        ({"slot_minutes": 4}, "body.slot_minutes"),
        ({"slot_minutes": 241}, "body.slot_minutes"),
        ({"tables": 0}, "body.tables"),
        ({"tables": 1001}, "body.tables"),
        ({"capacity": 0}, "body.capacity"),
        ({"capacity": 100_001}, "body.capacity"),
        ({"capacity": 2**63}, "body.capacity"),
        ({"status": "held"}, "body.status"),
        ({"kinds": ["banking"]}, "body.kinds.0"),
        ({"ends_on": "2026-05-19"}, "body.ends_on"),
        ({"starts_on": "1999-12-31"}, "body.starts_on"),
        ({"sessions": []}, "body.sessions"),
        (
            {"sessions": [_session("2026-05-20T09:00:00", "2026-05-20T12:00:00")]},
            "body.sessions.0.starts_at",
        ),
        ({"sessions": [_session(iso(at(12)), iso(at(9)))]}, "body.sessions.0"),
        ({"sessions": [_session(iso(at(9)), iso(at(9, 15)))]}, "body.sessions.0"),
        (
            {
                "sessions": [
                    _session(
                        iso(at(9, day=EVENT_DAY.replace(day=21))),
                        iso(at(12, day=EVENT_DAY.replace(day=21))),
                    )
                ]
            },
            "body.sessions.0",
        ),
        (
            {"sessions": [_session("9999-12-31T20:00:00-05:00", "9999-12-31T23:00:00-05:00")]},
            "body.sessions.0.starts_at",
        ),
        (
            {"sessions": [_session(iso(at(9)), iso(at(12))), _session(iso(at(11)), iso(at(14)))]},
            "body.sessions",
        ),
        (
            {"sessions": [_session(iso(at(8, m)), iso(at(8, m + 1))) for m in range(21)]},
            "body.sessions",
        ),
        ({"id": 7}, "body.id"),
        ({"version": 3}, "body.version"),
        ({"created_by": 1}, "body.created_by"),
    ],
)
def test_bad_events_are_422_and_change_nothing(client, cast, session, overrides, field):
    before = session.query(Event).count()
    response = client.post("/v1/events", json=event_body(**overrides), headers=cast.organiser)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    assert field in [e["field"] for e in response.json()["errors"]]
    assert session.query(Event).count() == before


def test_focus_references_are_checked(client, cast):
    for overrides, field, words in (
        ({"chain_ids": [cast.chain.id, 2_000_000]}, "body.chain_ids", "[2000000] do not exist"),
        ({"chain_ids": [cast.chain.id], "node_ids": [2_000_000]}, "body.node_ids", "do not exist"),
        (
            {"chain_ids": [cast.chain.id], "node_ids": [cast.other_node]},
            "body.node_ids",
            "add their chains",
        ),
        ({"node_ids": [cast.nodes["module"]]}, "body.node_ids", "not in the event's chains"),
    ):
        response = client.post("/v1/events", json=event_body(**overrides), headers=cast.organiser)
        assert response.status_code == 422, overrides
        problem = response.json()
        assert problem["errors"][0]["field"] == field and words in problem["detail"]


def test_session_errors_name_the_session_and_the_day(client, cast):
    late = _session(iso(at(23)), iso(at(1, day=EVENT_DAY.replace(day=21))), "夜场")
    response = client.post("/v1/events", json=event_body(sessions=[late]), headers=cast.organiser)
    assert response.status_code == 422
    assert "Session 0 (夜场" in response.json()["detail"]
    assert "2026-05-20, Asia/Shanghai" in response.json()["detail"]
    two_days = create_event(client, cast.organiser, ends_on="2026-05-21", sessions=[late]).json()
    assert two_days["ends_on"] == "2026-05-21"


def test_drafts_are_hidden_from_members_and_anonymous(client, cast):
    draft = create_event(client, cast.organiser).json()
    published = create_event(client, cast.organiser, status="registration_open").json()
    for headers in ({}, cast.buyer_member):
        assert client.get(f"/v1/events/{draft['id']}", headers=headers).status_code == 404
        assert client.get(f"/v1/events/{published['id']}", headers=headers).status_code == 200
        listed = {e["id"] for e in client.get("/v1/events", headers=headers).json()["items"]}
        assert published["id"] in listed and draft["id"] not in listed
    staff = {e["id"] for e in client.get("/v1/events", headers=cast.admin).json()["items"]}
    assert {draft["id"], published["id"]} <= staff
    edit = client.patch(
        f"/v1/events/{published['id']}", json={"title": "x"}, headers=cast.buyer_member
    )
    assert edit.status_code == 403
    assert client.patch(f"/v1/events/{published['id']}", json={"title": "x"}).status_code == 401


def _patch(client, cast, event_id, body, etag=None):
    headers = {**cast.organiser, **({"If-Match": etag} if etag else {})}
    return client.patch(f"/v1/events/{event_id}", json=body, headers=headers)


def test_status_moves_forward_and_closed_can_reopen(client, cast):
    event_id = create_event(client, cast.organiser).json()["id"]
    skip = _patch(client, cast, event_id, {"status": "held"})
    assert skip.status_code == 409
    assert skip.json()["detail"] == (
        "A draft event cannot become held; from draft it can become: registration_open."
    )
    for status in ("registration_open", "closed", "registration_open", "closed", "held"):
        moved = _patch(client, cast, event_id, {"status": status})
        assert moved.status_code == 200 and moved.json()["status"] == status
    back = _patch(client, cast, event_id, {"status": "closed"})
    assert back.status_code == 409 and "it can become: reported" in back.json()["detail"]
    assert _patch(client, cast, event_id, {"status": "reported"}).status_code == 200
    final = _patch(client, cast, event_id, {"status": "registration_open"})
    assert final.status_code == 409 and final.json()["detail"].endswith("can become: none.")
    assert _patch(client, cast, event_id, {"status": None}).status_code == 422


def test_if_match_and_no_op_patch(client, cast):
    created = create_event(client, cast.organiser, chain_ids=[cast.chain.id])
    event_id, etag = created.json()["id"], created.headers["etag"]
    same = _patch(client, cast, event_id, event_body(chain_ids=[cast.chain.id]), etag)
    assert same.status_code == 200 and same.headers["etag"] == etag
    assert _patch(client, cast, event_id, {}, etag).headers["etag"] == etag
    changed = _patch(client, cast, event_id, {"title": "新标题", "venue": None}, etag)
    assert changed.status_code == 200 and changed.json()["venue"] == ""
    assert changed.headers["etag"] != etag
    stale = _patch(client, cast, event_id, {"title": "lost update"}, etag)
    assert stale.status_code == 412
    weak = _patch(client, cast, event_id, {"title": "weak"}, "W/" + changed.headers["etag"])
    assert weak.status_code == 412
    assert client.get(f"/v1/events/{event_id}", headers=cast.organiser).json()["title"] == "新标题"


def test_sessions_are_replaced_and_keep_their_ids_while_their_start_stays(client, cast):
    created = create_event(client, cast.organiser).json()
    morning, afternoon = created["sessions"]
    renamed = _patch(
        client,
        cast,
        created["id"],
        {"sessions": [_session(iso(at(9)), iso(at(11, 30)), "上午 morning, shorter")]},
    )
    assert renamed.status_code == 200, renamed.text
    body = renamed.json()
    assert [(s["id"], s["name"]) for s in body["sessions"]] == [
        (morning["id"], "上午 morning, shorter")
    ]
    assert body["version"] == created["version"] + 1
    assert afternoon["id"] not in [s["id"] for s in body["sessions"]]


def test_moving_the_day_needs_sessions_on_it(client, cast):
    event_id = create_event(client, cast.organiser).json()["id"]
    alone = _patch(client, cast, event_id, {"starts_on": "2026-05-21"})
    assert alone.status_code == 422 and alone.json()["errors"][0]["field"] == "body.starts_on"
    next_day = EVENT_DAY.replace(day=21)
    moved = _patch(
        client,
        cast,
        event_id,
        {
            "starts_on": "2026-05-21",
            "sessions": [_session(iso(at(9, day=next_day)), iso(at(12, day=next_day)))],
        },
    )
    assert moved.status_code == 200, moved.text
    assert (moved.json()["starts_on"], moved.json()["ends_on"]) == ("2026-05-21", "2026-05-21")
    longer_slot = _patch(client, cast, event_id, {"slot_minutes": 240})
    assert longer_slot.status_code == 422
    assert longer_slot.json()["errors"][0]["field"] == "body.slot_minutes"


def test_meeting_grid_is_fixed_once_held(client, cast, factory):
    event = factory.event(status=EventStatus.held)
    same = _patch(client, cast, event.id, {"slot_minutes": 20, "tables": 10, "title": "已举办"})
    assert same.status_code == 200 and same.json()["title"] == "已举办"
    for body in (
        {"slot_minutes": 30},
        {"tables": 12},
        {"sessions": [_session(iso(at(9)), iso(at(11)))]},
    ):
        refused = _patch(client, cast, event.id, body)
        assert refused.status_code == 409, body
        assert "can no longer change" in refused.json()["detail"]
    assert client.get(f"/v1/events/{event.id}").json()["slot_minutes"] == 20


def test_focus_nodes_follow_their_chains(client, cast):
    created = create_event(
        client,
        cast.organiser,
        chain_ids=[cast.chain.id, cast.other_chain.id],
        node_ids=[cast.nodes["junction-box"], cast.other_node],
    ).json()
    narrowed = _patch(client, cast, created["id"], {"chain_ids": [cast.chain.id]}).json()
    assert narrowed["chain_ids"] == [cast.chain.id]
    assert narrowed["node_ids"] == [cast.nodes["junction-box"]]
    cleared = _patch(client, cast, created["id"], {"chain_ids": None}).json()
    assert cleared["chain_ids"] == [] and cleared["node_ids"] == []


def test_list_filters_and_pages(client, cast, factory):
    in_chain = create_event(
        client, cast.organiser, status="registration_open", chain_ids=[cast.chain.id]
    ).json()["id"]
    later = factory.event(
        starts_on=EVENT_DAY.replace(month=9),
        sessions=(
            ("全天", at(9, day=EVENT_DAY.replace(month=9)), at(17, day=EVENT_DAY.replace(month=9))),
        ),
        region_code="110108",
        status=EventStatus.closed,
    ).id

    def ids(**params):
        response = client.get("/v1/events", params=params)
        assert response.status_code == 200, response.text
        return [e["id"] for e in response.json()["items"]]

    assert set(ids(chain=cast.chain.id)) == {in_chain}
    assert set(ids(status="closed")) == {later}
    assert in_chain in ids(region="330000") and later not in ids(region="330000")
    assert in_chain in ids(region="yrd") and later in ids(region="jjj")
    assert later in ids(**{"from": "2026-06-01"}) and in_chain not in ids(**{"from": "2026-06-01"})
    assert in_chain in ids(to="2026-05-20") and later not in ids(to="2026-05-20")
    assert ids(sort="starts_on")[-1] == later and ids()[0] == later
    first = client.get("/v1/events", params={"limit": 1, "sort": "starts_on"}).json()
    rest = client.get(
        "/v1/events", params={"limit": 200, "sort": "starts_on", "cursor": first["next_cursor"]}
    ).json()
    assert first["items"][0]["id"] not in [e["id"] for e in rest["items"]]


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({"region": "nowhere"}, 422, "query.region"),
        ({"chain": 2_000_000}, 422, "query.chain"),
        ({"chain": 2**40}, 422, "query.chain"),
        ({"status": "cancelled"}, 422, "query.status"),
        ({"from": "2026-06-01", "to": "2026-05-01"}, 422, "query.to"),
        ({"from": "2026-13-45"}, 422, "query.from"),
        ({"limit": 201}, 422, "query.limit"),
        ({"sort": "title"}, 422, "query.sort"),
        ({"cursor": "garbage"}, 422, "query.cursor"),
    ],
)
def test_bad_list_parameters(client, cast, params, status, field):
    response = client.get("/v1/events", params=params)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    if field:
        assert response.json()["errors"][0]["field"] == field


def test_unknown_and_unbounded_ids(client, cast):
    assert client.get("/v1/events/2000000").status_code == 404
    for bad in ("0", str(2**40), "abc"):
        assert client.get(f"/v1/events/{bad}").status_code == 422
        assert client.get(f"/v1/events/{bad}/registrations", headers=cast.admin).status_code == 422


# --- how long an event may be -------------------------------------------------------------------


def test_an_event_lasts_at_most_31_days(client, cast, session, factory):
    before = session.query(Event).count()
    century = event_body(
        starts_on="2000-01-01",
        ends_on="2099-12-31",
        slot_minutes=5,
        sessions=[_session("2000-01-01T00:00:00+08:00", "2099-12-31T23:55:00+08:00", "全程")],
    )
    refused = client.post("/v1/events", json=century, headers=cast.organiser)
    assert refused.status_code == 422, refused.text
    problem = refused.json()
    assert [e["field"] for e in problem["errors"]] == ["body.ends_on"]
    assert problem["detail"] == (
        "An event lasts at most 31 days; 2000-01-01 to 2099-12-31 is 36525 days. Set ends_on no "
        "later than 2000-01-31, or announce separate events."
    )
    too_long = client.post(
        "/v1/events",
        json=event_body(starts_on="2026-05-01", ends_on="2026-06-01"),
        headers=cast.organiser,
    )
    assert too_long.status_code == 422 and "is 32 days" in too_long.json()["detail"]
    assert session.query(Event).count() == before
    month = create_event(client, cast.organiser, starts_on="2026-05-01", ends_on="2026-05-31")
    event_id = month.json()["id"]
    longer = _patch(client, cast, event_id, {"ends_on": "2026-06-01"})
    assert longer.status_code == 422 and longer.json()["errors"][0]["field"] == "body.ends_on"
    read = client.get(f"/v1/events/{event_id}", headers=cast.organiser).json()
    assert read["ends_on"] == "2026-05-31"
    # An event made longer before the cap still takes edits that leave its days alone.
    legacy = factory.event(starts_on=EVENT_DAY.replace(day=1), ends_on=EVENT_DAY.replace(month=7))
    renamed = _patch(client, cast, legacy.id, {"title": "老活动"})
    assert renamed.status_code == 200, renamed.text


def test_sessions_hold_at_most_10000_slots():
    """The slot cap stands behind the 31-day cap (which allows 31 × 288 = 8,928 five-minute
    slots), so it is checked on the rule itself."""
    start = at(0, day=EVENT_DAY.replace(day=1))
    days = [
        SessionIn(
            name=f"第{d}天",
            starts_at=start + timedelta(days=d),
            ends_at=start + timedelta(days=d, hours=23, minutes=55),
        )
        for d in range(35)
    ]
    span = (EVENT_DAY.replace(day=1), EVENT_DAY.replace(month=6, day=4))
    access.check_sessions(days[:34], span, 5)  # 34 × 287 = 9,758 slots
    with pytest.raises(Unprocessable) as refused:
        access.check_sessions(days, span, 5)  # 35 × 287 = 10,045 slots
    assert refused.value.field == "body.sessions"
    assert str(refused.value) == (
        "These sessions hold 10045 meeting slots of 5 minutes; an event has at most 10000. Use "
        "shorter sessions or longer slots."
    )


def test_capacity_is_fixed_once_held(client, cast, factory, session):
    """Raising the capacity after the event would confirm registrants who never took part."""
    for status in (EventStatus.held, EventStatus.reported):
        event = factory.event(status=status, capacity=1)
        factory.registration(event, cast.buyer)
        late = factory.registration(event, cast.supplier, status=RegistrationStatus.waitlisted)
        for capacity in (2, 5):
            refused = _patch(client, cast, event.id, {"capacity": capacity})
            assert refused.status_code == 409, refused.text
            assert refused.json()["detail"] == (
                f"Event {event.id} has been {status.value}; its capacity can no longer change."
            )
        same = _patch(client, cast, event.id, {"capacity": 1, "title": "已举办"})
        assert same.status_code == 200, same.text
        read = client.get(f"/v1/events/{event.id}").json()
        assert (read["capacity"], read["confirmed_count"], read["waitlisted_count"]) == (1, 1, 1)
        session.expire_all()
        assert session.get(Registration, late.id).status == RegistrationStatus.waitlisted
