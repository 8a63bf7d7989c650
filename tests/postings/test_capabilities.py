from sqlalchemy import event

from app.models import Capability
from tests.postings.conftest import reads_before_write, statements_sent


def capability_body(world, **overrides):
    body = {
        "title": "光伏接线盒 PV junction box IP68",
        "description": "年产接线盒500万套, TÜV / UL certified",
        "keywords": ["接线盒", "junction box", "接线盒"],
        "chain_id": world.chain.id,
        "node_ids": [world.nodes["junction-box"]],
        "capacity_amount": 5_000_000,
        "capacity_unit": "套",
        "capacity_period": "year",
        "min_order_quantity": 1000,
        "regions_served": ["yrd", "440300", "yrd"],
        "certifications": ["TÜV", "UL"],
    }
    body.update(overrides)
    return body


def post(client, world, headers=None, **overrides):
    response = client.post(
        "/v1/capabilities",
        json=capability_body(world, **overrides),
        headers=headers or world.supplier_member,
    )
    assert response.status_code == 201, response.text
    return response


def test_supplier_posts_a_capability(client, world):
    body = post(client, world).json()
    assert body["enterprise"]["id"] == world.supplier.id
    assert body["keywords"] == ["接线盒", "junction box"]
    assert sorted(body["regions_served"]) == ["440300", "yrd"]
    assert body["capacity_amount"] == 5_000_000 and body["capacity_period"] == "year"
    assert body["contact"]["phone"] == "021-55550000"
    public = client.get(f"/v1/capabilities/{body['id']}").json()
    assert public["contact"] is None and public["title"] == body["title"]


def test_regions_served_are_checked(client, world, session):
    before = session.query(Capability).count()
    for areas, field in (
        (["yrd", "atlantis"], "body.regions_served.1"),
        (["999999"], "body.regions_served.0"),
    ):
        bad = client.post(
            "/v1/capabilities",
            json=capability_body(world, regions_served=areas),
            headers=world.supplier_member,
        )
        assert bad.status_code == 422, areas
        assert bad.json()["errors"][0]["field"] == field
    assert session.query(Capability).count() == before


def test_update_replaces_areas_and_bumps_etag(client, world):
    created = post(client, world)
    cid, etag = created.json()["id"], created.headers["etag"]
    changed = client.patch(
        f"/v1/capabilities/{cid}",
        json={"regions_served": ["440300", "330000"], "keywords": ["IP68"]},
        headers={**world.supplier_member, "If-Match": etag},
    )
    assert changed.status_code == 200, changed.text
    assert sorted(changed.json()["regions_served"]) == ["330000", "440300"]
    assert changed.json()["keywords"] == ["IP68"]
    assert changed.headers["etag"] != etag
    stale = client.patch(
        f"/v1/capabilities/{cid}",
        json={"title": "x"},
        headers={**world.supplier_member, "If-Match": etag},
    )
    assert stale.status_code == 412
    found = client.get("/v1/capabilities", params={"q": "IP68"}).json()["items"]
    assert [c["id"] for c in found] == [cid]


def test_other_enterprise_cannot_change_or_delete(client, world):
    created = post(client, world).json()
    cid = created["id"]
    assert (
        client.patch(
            f"/v1/capabilities/{cid}", json={"title": "x"}, headers=world.buyer_member
        ).status_code
        == 403
    )
    assert client.delete(f"/v1/capabilities/{cid}", headers=world.buyer_member).status_code == 403
    after = client.get(f"/v1/capabilities/{cid}").json()
    assert after["title"] == created["title"] and after["version"] == created["version"]


def test_status_transitions_and_visibility(client, world):
    cid = post(client, world).json()["id"]
    paused = client.patch(
        f"/v1/capabilities/{cid}", json={"status": "paused"}, headers=world.supplier_member
    )
    assert paused.json()["status"] == "paused"
    assert (
        client.get(f"/v1/capabilities/{cid}").status_code == 404
    )  # anonymous sees open postings only
    assert client.get(f"/v1/capabilities/{cid}", headers=world.buyer_member).status_code == 200
    back = client.patch(
        f"/v1/capabilities/{cid}", json={"status": "draft"}, headers=world.supplier_member
    )
    assert back.status_code == 409
    null_title = client.patch(
        f"/v1/capabilities/{cid}", json={"title": None}, headers=world.supplier_member
    )
    assert null_title.status_code == 422 and null_title.json()["errors"][0]["field"] == "body.title"


def test_chain_change_drops_old_nodes(client, world):
    cid = post(client, world).json()["id"]
    moved = client.patch(
        f"/v1/capabilities/{cid}",
        json={"chain_id": world.other_chain.id},
        headers=world.supplier_member,
    )
    assert moved.status_code == 200 and moved.json()["node_ids"] == []
    inferred = client.patch(
        f"/v1/capabilities/{cid}",
        json={"node_ids": [world.other_node]},
        headers=world.supplier_member,
    )
    assert inferred.json()["chain_id"] == world.other_chain.id


def test_empty_or_unchanged_patch_keeps_the_etag(client, world):
    created = post(client, world)
    body, etag = created.json(), created.headers["etag"]
    url = f"/v1/capabilities/{body['id']}"
    for patch in (
        {},
        {"keywords": body["keywords"], "regions_served": list(reversed(body["regions_served"]))},
        {"title": body["title"], "capacity_amount": 5_000_000.0, "status": "open"},
    ):
        response = client.patch(
            url, json=patch, headers={**world.supplier_member, "If-Match": etag}
        )
        assert response.status_code == 200, response.text
        assert response.headers["etag"] == etag, patch
    changed = client.patch(url, json={"keywords": ["IP67"]}, headers=world.supplier_member)
    assert changed.headers["etag"] != etag


def test_regions_served_are_checked_in_two_queries(client, world, engine):
    served = ["330421", "310115", "440300", "110108", "330106", "yrd", "prd", "jjj"]
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT") and (
            "FROM regions" in statement or "FROM clusters" in statement
        ):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        created = post(client, world, regions_served=served)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert sorted(created.json()["regions_served"]) == sorted(served)
    assert len(statements) == 2, statements


def test_an_edit_reads_only_what_it_changes(client, world, engine):
    """A new description needs the capability's row alone: its nodes, areas, chain and
    enterprise are neither read nor checked before the write, and stay as they were."""
    created = post(client, world).json()
    with statements_sent(engine) as sent:
        changed = client.patch(
            f"/v1/capabilities/{created['id']}",
            json={"description": "年产接线盒800万套", "regions_served": None},
            headers=world.supplier_member,
        )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert body["description"] == "年产接线盒800万套"
    for kept in ("node_ids", "regions_served", "chain_id", "enterprise"):
        assert body[kept] == created[kept], kept
    before = reads_before_write(sent, "capabilities")
    for table in ("capability_nodes", "capability_regions", "capability_clusters", "chain"):
        assert f"FROM {table}" not in before, table
    assert "JOIN enterprises" not in before and "FROM enterprises" not in before
