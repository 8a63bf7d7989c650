from datetime import date, timedelta

from sqlalchemy import event

from app.models import Requirement
from tests.postings.conftest import SIXTEEN_ITEMS, reads_before_write, statements_sent

FUTURE = (date.today() + timedelta(days=60)).isoformat()


def requirement_body(world, **overrides):
    body = {
        "title": "氢能装备配套采购 hydrogen equipment supporting products",
        "description": "需要电气设备、管道、软件等16类配套产品供应商",
        "chain_id": world.chain.id,
        "node_ids": [world.nodes["module"]],
        "items": [
            {
                "name": name,
                "spec": "GB/T 标准",
                "quantity": 10 + i,
                "unit": "套",
                "target_price_yuan": 1000.5,
            }
            for i, name in enumerate(SIXTEEN_ITEMS)
        ],
        "budget_yuan": 200_000_000,
        "project_name": "分布式光伏发电项目 distributed power generation line",
        "project_investment_yuan": 200_000_000,
        "delivery_region_code": "330421",
        "locality_preference": "same_province",
        "certifications_required": ["ISO 9001", "ISO 9001", "CE"],
        "valid_until": FUTURE,
    }
    body.update(overrides)
    return body


def post(client, world, headers=None, **overrides):
    response = client.post(
        "/v1/requirements",
        json=requirement_body(world, **overrides),
        headers=headers or world.buyer_member,
    )
    assert response.status_code == 201, response.text
    return response


def test_member_posts_sixteen_items_for_own_enterprise(client, world):
    response = post(client, world)
    body = response.json()
    assert (
        response.headers["etag"]
        and response.headers["location"] == f"/v1/requirements/{body['id']}"
    )
    assert body["enterprise"]["id"] == world.buyer.id
    assert body["enterprise"]["tiers"] == ["chain_owner", "leading"]
    assert [item["name"] for item in body["items"]] == SIXTEEN_ITEMS
    assert [item["position"] for item in body["items"]] == list(range(16))
    assert body["items"][0]["quantity"] == 10 and body["items"][0]["target_price_yuan"] == 1000.5
    assert body["certifications_required"] == ["ISO 9001", "CE"]
    assert body["status"] == "open" and body["contact"]["phone"] == "0573-84000000"


def test_contact_only_for_owner_and_staff(client, world):
    rid = post(client, world).json()["id"]
    assert client.get(f"/v1/requirements/{rid}").json()["contact"] is None
    assert (
        client.get(f"/v1/requirements/{rid}", headers=world.supplier_member).json()["contact"]
        is None
    )
    assert (
        client.get(f"/v1/requirements/{rid}", headers=world.organiser).json()["contact"]["person"]
        == "张三"
    )
    listed = client.get("/v1/requirements").json()["items"]
    assert listed and all(item["contact"] is None for item in listed)


def test_anonymous_cannot_write(client, world):
    response = client.post("/v1/requirements", json=requirement_body(world))
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


def test_forged_owner_and_server_fields_are_refused(client, world, session):
    before = session.query(Requirement).count()
    as_other = client.post(
        "/v1/requirements",
        json=requirement_body(world, enterprise_id=world.supplier.id),
        headers=world.buyer_member,
    )
    assert as_other.status_code == 403
    for field, value in (
        ("id", 99),
        ("version", 7),
        ("created_at", "2020-01-01T00:00:00Z"),
        ("verified", True),
    ):
        forged = client.post(
            "/v1/requirements",
            json=requirement_body(world, **{field: value}),
            headers=world.buyer_member,
        )
        assert forged.status_code == 422, field
        assert forged.json()["errors"][0]["field"] == f"body.{field}"
    assert session.query(Requirement).count() == before


def test_organiser_posts_for_a_named_enterprise(client, world):
    missing = client.post("/v1/requirements", json=requirement_body(world), headers=world.organiser)
    assert (
        missing.status_code == 422 and missing.json()["errors"][0]["field"] == "body.enterprise_id"
    )
    made = post(client, world, headers=world.organiser, enterprise_id=world.buyer.id)
    assert made.json()["enterprise"]["id"] == world.buyer.id


def test_other_member_cannot_edit_and_nothing_changes(client, world):
    created = post(client, world).json()
    rid = created["id"]
    refused = client.patch(
        f"/v1/requirements/{rid}", json={"title": "hijacked"}, headers=world.supplier_member
    )
    assert refused.status_code == 403
    after = client.get(f"/v1/requirements/{rid}", headers=world.buyer_member).json()
    assert after["title"] == created["title"] and after["version"] == created["version"]


def test_drafts_are_hidden_from_others(client, world):
    rid = post(client, world, status="draft").json()["id"]
    assert client.get(f"/v1/requirements/{rid}", headers=world.supplier_member).status_code == 404
    assert client.get(f"/v1/requirements/{rid}").status_code == 404
    assert client.get(f"/v1/requirements/{rid}", headers=world.buyer_member).status_code == 200
    assert client.get(f"/v1/requirements/{rid}", headers=world.organiser).status_code == 200
    ids = [
        r["id"]
        for r in client.get("/v1/requirements", headers=world.supplier_member).json()["items"]
    ]
    assert rid not in ids
    edit = client.patch(
        f"/v1/requirements/{rid}", json={"title": "x"}, headers=world.supplier_member
    )
    assert edit.status_code == 404


def test_etag_and_stale_if_match(client, world):
    created = post(client, world)
    rid, etag = created.json()["id"], created.headers["etag"]
    assert client.get(f"/v1/requirements/{rid}").headers["etag"] == etag
    changed = client.patch(
        f"/v1/requirements/{rid}",
        json={"title": "新标题 new title"},
        headers={**world.buyer_member, "If-Match": etag},
    )
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    stale = client.patch(
        f"/v1/requirements/{rid}",
        json={"title": "lost update"},
        headers={**world.buyer_member, "If-Match": etag},
    )
    assert stale.status_code == 412
    assert client.get(f"/v1/requirements/{rid}").json()["title"] == "新标题 new title"


def test_items_and_nodes_replaced_and_etag_moves(client, world):
    created = post(client, world)
    rid, etag = created.json()["id"], created.headers["etag"]
    changed = client.patch(
        f"/v1/requirements/{rid}",
        json={
            "node_ids": [world.nodes["junction-box"], world.nodes["module"]],
            "items": [
                {
                    "name": "接线盒 junction box",
                    "quantity": 200000,
                    "unit": "套",
                    "node_id": world.nodes["junction-box"],
                }
            ],
        },
        headers={**world.buyer_member, "If-Match": etag},
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert sorted(body["node_ids"]) == sorted([world.nodes["junction-box"], world.nodes["module"]])
    assert [i["name"] for i in body["items"]] == ["接线盒 junction box"]
    assert changed.headers["etag"] != etag
    only_nodes = client.patch(
        f"/v1/requirements/{rid}",
        json={"node_ids": [world.nodes["inverter"]]},
        headers=world.buyer_member,
    )
    assert only_nodes.json()["node_ids"] == [world.nodes["inverter"]]
    assert only_nodes.headers["etag"] != changed.headers["etag"]


def test_references_are_checked(client, world, session):
    before = session.query(Requirement).count()
    wrong_node = client.post(
        "/v1/requirements",
        json=requirement_body(world, node_ids=[world.other_node]),
        headers=world.buyer_member,
    )
    assert (
        wrong_node.status_code == 422 and wrong_node.json()["errors"][0]["field"] == "body.node_ids"
    )
    items = [
        {"name": "x", "node_id": world.nodes["module"]},
        {"name": "y", "node_id": world.other_node},
    ]
    wrong_item = client.post(
        "/v1/requirements", json=requirement_body(world, items=items), headers=world.buyer_member
    )
    assert wrong_item.json()["errors"][0]["field"] == "body.items.1.node_id"
    for code in ("33042", "abcdef"):
        bad = client.post(
            "/v1/requirements",
            json=requirement_body(world, delivery_region_code=code),
            headers=world.buyer_member,
        )
        assert (
            bad.status_code == 422
            and bad.json()["errors"][0]["field"] == "body.delivery_region_code"
        )
    unknown = client.post(
        "/v1/requirements",
        json=requirement_body(world, delivery_region_code="999999"),
        headers=world.buyer_member,
    )
    assert unknown.status_code == 422 and "999999" in unknown.json()["detail"]
    negative = client.post(
        "/v1/requirements",
        json=requirement_body(world, items=[{"name": "x", "quantity": -1}]),
        headers=world.buyer_member,
    )
    assert negative.json()["errors"][0]["field"] == "body.items.0.quantity"
    assert session.query(Requirement).count() == before


def test_status_rules_and_expiry(client, world, session):
    past = (date.today() - timedelta(days=2)).isoformat()
    refused = client.post(
        "/v1/requirements",
        json=requirement_body(world, valid_until=past),
        headers=world.buyer_member,
    )
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "body.valid_until"
    rid = post(client, world).json()["id"]
    closed = client.patch(
        f"/v1/requirements/{rid}", json={"status": "closed"}, headers=world.buyer_member
    )
    assert closed.json()["status"] == "closed"
    paused = client.patch(
        f"/v1/requirements/{rid}", json={"status": "paused"}, headers=world.buyer_member
    )
    assert paused.status_code == 409 and "closed" in paused.json()["detail"]
    assert (
        client.patch(
            f"/v1/requirements/{rid}", json={"status": "expired"}, headers=world.buyer_member
        ).status_code
        == 422
    )
    reopened = client.patch(
        f"/v1/requirements/{rid}", json={"status": "open"}, headers=world.buyer_member
    )
    assert reopened.json()["status"] == "open"

    requirement = session.get(Requirement, rid)
    requirement.valid_until = date.today() - timedelta(days=1)
    session.commit()
    assert (
        client.get(f"/v1/requirements/{rid}", headers=world.buyer_member).json()["status"]
        == "expired"
    )
    assert client.get(f"/v1/requirements/{rid}").status_code == 404
    expired = client.get(
        "/v1/requirements", params={"status": "expired"}, headers=world.organiser
    ).json()
    assert [r["id"] for r in expired["items"]] == [rid]
    assert rid not in [
        r["id"] for r in client.get("/v1/requirements", params={"status": "open"}).json()["items"]
    ]


def test_only_drafts_are_deleted(client, world):
    open_id = post(client, world).json()["id"]
    assert (
        client.delete(f"/v1/requirements/{open_id}", headers=world.buyer_member).status_code == 409
    )
    draft_id = post(client, world, status="draft").json()["id"]
    assert (
        client.delete(f"/v1/requirements/{draft_id}", headers=world.supplier_member).status_code
        == 404
    )
    assert (
        client.delete(f"/v1/requirements/{draft_id}", headers=world.buyer_member).status_code == 204
    )
    assert client.get(f"/v1/requirements/{draft_id}", headers=world.buyer_member).status_code == 404


def test_malformed_json_and_bad_ids(client, world):
    bad = client.post(
        "/v1/requirements",
        content=b'{"title": "x",',
        headers={**world.buyer_member, "Content-Type": "application/json"},
    )
    assert bad.status_code == 400 and bad.json()["type"].endswith("malformed-json")
    assert client.get("/v1/requirements/99999999999999999999").status_code == 422
    assert client.get("/v1/requirements/0").status_code == 422
    assert client.get("/v1/requirements/2147483647").status_code == 404


def test_empty_or_unchanged_patch_keeps_the_etag(client, world):
    created = post(client, world)
    body, etag = created.json(), created.headers["etag"]
    url = f"/v1/requirements/{body['id']}"
    unchanged_items = [
        {k: item[k] for k in ("name", "spec", "quantity", "unit", "target_price_yuan", "node_id")}
        for item in body["items"]
    ]
    for patch in (
        {},
        {"title": body["title"], "status": "open", "node_ids": body["node_ids"]},
        {"items": unchanged_items, "certifications_required": ["ISO 9001", "CE"]},
    ):
        response = client.patch(url, json=patch, headers={**world.buyer_member, "If-Match": etag})
        assert response.status_code == 200, response.text
        assert response.headers["etag"] == etag, patch
        assert response.json()["version"] == body["version"]
    assert client.get(url).json()["updated_at"] == body["updated_at"]
    moved = client.patch(url, json={"items": unchanged_items[:1]}, headers=world.buyer_member)
    assert moved.headers["etag"] != etag


def test_a_weak_etag_never_satisfies_if_match(client, world):
    created = post(client, world)
    url, etag = f"/v1/requirements/{created.json()['id']}", created.headers["etag"]
    weak = client.patch(
        url, json={"title": "x"}, headers={**world.buyer_member, "If-Match": f"W/{etag}"}
    )
    assert weak.status_code == 412
    deleted = client.delete(url, headers={**world.buyer_member, "If-Match": f"W/{etag}"})
    assert deleted.status_code == 412
    assert client.get(url).headers["etag"] == etag


def test_item_nodes_are_checked_in_one_query(client, world, engine):
    nodes = list(world.nodes.values())
    items = [{"name": f"item {i}", "node_id": nodes[i % len(nodes)]} for i in range(40)]
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        if "chain_nodes" in statement and statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        post(client, world, items=items, node_ids=[])
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert len(statements) <= 2, statements  # the listed nodes, and the items' nodes


def test_an_edit_reads_only_what_it_changes(client, world, engine):
    """A new title needs the requirement's row and its items (its search text is made of them):
    its nodes, chain and enterprise are neither read nor checked before the write, and stay."""
    created = post(client, world).json()
    with statements_sent(engine) as sent:
        changed = client.patch(
            f"/v1/requirements/{created['id']}",
            json={"title": "储能系统集成 battery storage integration"},
            headers=world.buyer_member,
        )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert body["title"] == "储能系统集成 battery storage integration"
    for kept in ("node_ids", "items", "chain_id", "enterprise"):
        assert body[kept] == created[kept], kept
    before = reads_before_write(sent, "requirements")
    assert "FROM requirement_items" in before
    for table in ("requirement_nodes", "chain"):
        assert f"FROM {table}" not in before, table
    assert "JOIN enterprises" not in before and "FROM enterprises" not in before
    # the search text was made again from the new title and the items
    for words in ("battery storage", "electrolyser"):
        found = client.get("/v1/requirements", params={"q": words}).json()["items"]
        assert [r["id"] for r in found] == [created["id"]], words
    assert client.get("/v1/requirements", params={"q": "supporting"}).json()["items"] == []
