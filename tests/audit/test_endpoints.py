"""GET /v1/audit: admins only, filtered by object, account and time, cursor-paginated."""

from datetime import datetime, timedelta

from app.db.types import utcnow
from app.models.enums import Role
from tests.audit.helpers import trail


def _requirements(client, headers, n):
    ids = []
    for i in range(n):
        response = client.post("/v1/requirements", json={"title": f"需求 {i}"}, headers=headers)
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    return ids


def test_only_admins_read_the_audit_log(client, factory):
    enterprise = factory.enterprise()
    member = factory.member_of(enterprise)
    _requirements(client, member, 1)
    for headers in (member, factory.headers(Role.organiser)):
        refused = client.get("/v1/audit", headers=headers)
        assert refused.status_code == 403
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert refused.json()["detail"] == "Only admins may do this."
    assert client.get("/v1/audit").status_code == 401
    assert len(trail(client, factory.headers(Role.admin))) == 1


def test_filters_by_object_account_and_time(client, factory):
    admin = factory.headers(Role.admin)
    first = factory.member_of(factory.enterprise("甲公司"))
    second = factory.member_of(factory.enterprise("乙公司", region_code="310115"))
    start = utcnow()
    a, b = _requirements(client, first, 2)
    client.patch(f"/v1/requirements/{a}", json={"title": "改了"}, headers=second)  # refused: 403
    client.patch(f"/v1/requirements/{a}", json={"title": "改了"}, headers=first)
    capability = client.post("/v1/capabilities", json={"title": "能力"}, headers=second).json()
    first_id = client.get("/v1/me", headers=first).json()["id"]
    second_id = client.get("/v1/me", headers=second).json()["id"]

    by_object = trail(client, admin, object_type="requirement", object_id=a)
    assert [e["action"] for e in by_object] == ["create", "update"]
    assert {e["object_id"] for e in trail(client, admin, object_type="requirement")} == {a, b}
    assert [e["object_id"] for e in trail(client, admin, account_id=second_id)] == [
        capability["id"]
    ]
    assert len(trail(client, admin, account_id=first_id)) == 3

    entries = trail(client, admin)
    assert all(start <= datetime.fromisoformat(e["at"]) for e in entries)
    middle = datetime.fromisoformat(entries[2]["at"])
    since = trail(client, admin, since=middle.isoformat())
    until = trail(client, admin, until=middle.isoformat())
    assert len(since) + len(until) == len(entries) == 4
    assert all(datetime.fromisoformat(e["at"]) < middle for e in until)
    later = (utcnow() + timedelta(minutes=5)).isoformat()
    assert trail(client, admin, since=later) == []


def test_pages_newest_first_with_a_cursor(client, factory):
    admin = factory.headers(Role.admin)
    ids = _requirements(client, factory.member_of(factory.enterprise()), 5)
    seen, cursor = [], None
    while True:
        page = client.get("/v1/audit", params={"limit": 2, "cursor": cursor}, headers=admin)
        body = page.json()
        assert len(body["items"]) <= 2 and body["limit"] == 2
        seen += [e["object_id"] for e in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == ids[::-1]


def test_bad_filters_are_named(client, factory):
    admin = factory.headers(Role.admin)
    now = utcnow()
    backwards = client.get(
        "/v1/audit",
        params={"since": now.isoformat(), "until": (now - timedelta(hours=1)).isoformat()},
        headers=admin,
    )
    assert backwards.status_code == 422
    assert backwards.json()["errors"][0]["field"] == "query.until"
    for params, field in (
        ({"object_type": "account"}, "query.object_type"),
        ({"since": "2026-05-20T09:00:00"}, "query.since"),  # no time zone
        ({"object_id": 0}, "query.object_id"),
        ({"cursor": "nonsense"}, None),
    ):
        response = client.get("/v1/audit", params=params, headers=admin)
        assert response.status_code in (400, 422), response.text
        if field:
            assert response.json()["errors"][0]["field"] == field
