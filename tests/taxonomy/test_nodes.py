from app.models import ChainNode
from app.taxonomy.service import MAX_DEPTH
from tests.taxonomy.support import (
    capability_using,
    count,
    fields,
    new_chain,
    new_node,
    problem,
    requirement_using,
)


def test_create_read_and_list_nodes(client, organiser):
    chain = new_chain(client, organiser, "pv")
    url = f"/v1/chains/{chain['id']}/nodes"
    created = client.post(
        url,
        json={
            "slug": "pv-glass",
            "name_zh": "光伏玻璃",
            "name_en": "PV glass",
            "position": "upstream",
            "description": "3.2mm 镀膜玻璃",
        },
        headers=organiser,
    )
    assert created.status_code == 201, created.text
    node = created.json()
    assert (node["chain_id"], node["parent_id"], node["name_zh"], node["sort_order"]) == (
        chain["id"],
        None,
        "光伏玻璃",
        0,
    )
    assert created.headers["etag"] == f'"{node["id"]}.{node["version"]}"'

    read = client.get(f"/v1/chain-nodes/{node['id']}")
    assert (
        read.status_code == 200
        and read.json() == node
        and read.headers["etag"] == created.headers["etag"]
    )

    new_node(client, organiser, chain["id"], "inverter", position="downstream", sort_order=-1)
    new_node(client, organiser, chain["id"], "module", position="midstream", sort_order=3)
    listed = client.get(url).json()
    assert [n["slug"] for n in listed["items"]] == ["inverter", "pv-glass", "module"]
    upstream = client.get(url, params={"position": "upstream"}).json()["items"]
    assert [n["slug"] for n in upstream] == ["pv-glass"]
    by_slug = client.get(url, params={"sort": "-slug", "limit": 2}).json()
    assert [n["slug"] for n in by_slug["items"]] == ["pv-glass", "module"]
    rest = client.get(
        url, params={"sort": "-slug", "limit": 2, "cursor": by_slug["next_cursor"]}
    ).json()
    assert [n["slug"] for n in rest["items"]] == ["inverter"] and rest["next_cursor"] is None
    assert fields(problem(client.get(url, params={"position": "sideways"}), 422)) == [
        "query.position"
    ]


def test_unknown_chain_or_node_is_404(client, organiser):
    problem(client.get("/v1/chains/999999/nodes"), 404)
    problem(client.get("/v1/chain-nodes/999999"), 404)
    body = {"slug": "x", "name_zh": "x", "name_en": "x", "position": "upstream"}
    problem(client.post("/v1/chains/999999/nodes", json=body, headers=organiser), 404)
    problem(client.patch("/v1/chain-nodes/999999", json={"name_zh": "y"}, headers=organiser), 404)
    problem(client.delete("/v1/chain-nodes/999999", headers=organiser), 404)
    assert fields(problem(client.get("/v1/chain-nodes/0"), 422)) == ["path.node_id"]
    assert fields(problem(client.get("/v1/chain-nodes/99999999999"), 422)) == ["path.node_id"]


def test_parent_must_be_a_node_of_the_same_chain(client, organiser, session):
    pv = new_chain(client, organiser, "pv")
    li = new_chain(client, organiser, "li-battery", "锂电池", "Lithium batteries")
    foreign = new_node(client, organiser, li["id"], "cathode")
    body = {"slug": "cell", "name_zh": "电池片", "name_en": "Cell", "position": "midstream"}
    for parent_id in (foreign["id"], 2_000_000_000):
        refused = client.post(
            f"/v1/chains/{pv['id']}/nodes", json={**body, "parent_id": parent_id}, headers=organiser
        )
        assert fields(problem(refused, 422)) == ["body.parent_id"]
    assert count(session, ChainNode, ChainNode.chain_id == pv["id"]) == 0


def test_slug_is_unique_within_a_chain_only(client, organiser, session):
    pv = new_chain(client, organiser, "pv")
    li = new_chain(client, organiser, "li-battery")
    new_node(client, organiser, pv["id"], "separator")
    body = {"slug": "separator", "name_zh": "隔膜", "name_en": "Separator", "position": "upstream"}
    assert (
        "separator"
        in problem(client.post(f"/v1/chains/{pv['id']}/nodes", json=body, headers=organiser), 409)[
            "detail"
        ]
    )
    assert count(session, ChainNode, ChainNode.chain_id == pv["id"]) == 1
    assert (
        client.post(f"/v1/chains/{li['id']}/nodes", json=body, headers=organiser).status_code == 201
    )
    other = new_node(client, organiser, pv["id"], "frame")
    renamed = client.patch(
        f"/v1/chain-nodes/{other['id']}", json={"slug": "separator"}, headers=organiser
    )
    problem(renamed, 409)
    assert client.get(f"/v1/chain-nodes/{other['id']}").json()["slug"] == "frame"


def test_forged_and_null_fields_are_422(client, organiser, session):
    pv = new_chain(client, organiser, "pv")
    li = new_chain(client, organiser, "li-battery")
    body = {"slug": "cell", "name_zh": "电池片", "name_en": "Cell", "position": "midstream"}
    url = f"/v1/chains/{pv['id']}/nodes"
    for forged in (
        {"id": 5},
        {"version": 2},
        {"chain_id": li["id"]},
        {"position": "sideways"},
        {"sort_order": 10**12},
    ):
        response = client.post(url, json={**body, **forged}, headers=organiser)
        assert fields(problem(response, 422)) == [f"body.{next(iter(forged))}"], forged
    assert count(session, ChainNode) == 0
    node = new_node(client, organiser, pv["id"], "cell")
    node_url = f"/v1/chain-nodes/{node['id']}"
    for bad in ({"chain_id": li["id"]}, {"version": 7}, {"name_en": None}, {"position": None}):
        assert fields(problem(client.patch(node_url, json=bad, headers=organiser), 422)) == [
            f"body.{next(iter(bad))}"
        ]
    after = client.get(node_url).json()
    assert (after["chain_id"], after["version"], after["name_en"]) == (
        pv["id"],
        node["version"],
        "cell",
    )


def test_moves_that_would_make_a_cycle_are_422(client, organiser):
    chain = new_chain(client, organiser, "pv")
    cid = chain["id"]
    top = new_node(client, organiser, cid, "module")
    middle = new_node(client, organiser, cid, "cell", parent_id=top["id"])
    bottom = new_node(client, organiser, cid, "wafer", parent_id=middle["id"])
    for target in (bottom, middle, top):
        moved = client.patch(
            f"/v1/chain-nodes/{top['id']}", json={"parent_id": target["id"]}, headers=organiser
        )
        body = problem(moved, 422)
        assert fields(body) == ["body.parent_id"] and "cycle" in body["detail"]
    assert client.get(f"/v1/chain-nodes/{top['id']}").json()["parent_id"] is None

    other = new_chain(client, organiser, "ic")
    foreign = new_node(client, organiser, other["id"], "wafer")
    across = client.patch(
        f"/v1/chain-nodes/{bottom['id']}", json={"parent_id": foreign["id"]}, headers=organiser
    )
    assert fields(problem(across, 422)) == ["body.parent_id"]
    assert client.get(f"/v1/chain-nodes/{bottom['id']}").json()["parent_id"] == middle["id"]


def test_valid_moves_reshape_the_tree(client, organiser):
    chain = new_chain(client, organiser, "pv")
    cid = chain["id"]
    top = new_node(client, organiser, cid, "module")
    middle = new_node(client, organiser, cid, "cell", parent_id=top["id"])
    bottom = new_node(client, organiser, cid, "wafer", parent_id=middle["id"])
    lifted = client.patch(
        f"/v1/chain-nodes/{bottom['id']}", json={"parent_id": top["id"]}, headers=organiser
    )
    assert lifted.status_code == 200 and lifted.json()["parent_id"] == top["id"]
    freed = client.patch(
        f"/v1/chain-nodes/{middle['id']}",
        json={"parent_id": None, "sort_order": -1},
        headers=organiser,
    )
    assert freed.status_code == 200 and freed.json()["parent_id"] is None
    tree = client.get(f"/v1/chains/{cid}").json()["nodes"]
    assert [(n["slug"], [c["slug"] for c in n["children"]]) for n in tree] == [
        ("cell", []),
        ("module", ["wafer"]),
    ]


def test_depth_is_bounded(client, organiser):
    chain = new_chain(client, organiser, "deep")
    parent = None
    for level in range(MAX_DEPTH):
        parent = new_node(
            client, organiser, chain["id"], f"n{level}", parent_id=parent and parent["id"]
        )
    body = {
        "slug": "too-deep",
        "name_zh": "x",
        "name_en": "x",
        "position": "upstream",
        "parent_id": parent["id"],
    }
    refused = client.post(f"/v1/chains/{chain['id']}/nodes", json=body, headers=organiser)
    assert fields(problem(refused, 422)) == ["body.parent_id"]
    tree = client.get(f"/v1/chains/{chain['id']}").json()["nodes"]
    depth = 0
    while tree:
        depth, tree = depth + 1, tree[0]["children"]
    assert depth == MAX_DEPTH


def test_stale_if_match_is_412_and_changes_nothing(client, organiser):
    chain = new_chain(client, organiser, "pv")
    node = new_node(client, organiser, chain["id"], "cell", name_zh="电池片")
    url = f"/v1/chain-nodes/{node['id']}"
    old = client.get(url).headers["etag"]
    fresh = client.patch(
        url, json={"name_en": "Solar cell"}, headers={**organiser, "If-Match": old}
    )
    assert fresh.status_code == 200 and fresh.headers["etag"] != old
    problem(
        client.patch(url, json={"name_zh": "旧版本"}, headers={**organiser, "If-Match": old}), 412
    )
    problem(client.delete(url, headers={**organiser, "If-Match": old}), 412)
    after = client.get(url)
    assert after.json()["name_zh"] == "电池片" and after.headers["etag"] == fresh.headers["etag"]


def test_members_and_anonymous_cannot_write_nodes(client, organiser, member, session):
    chain = new_chain(client, organiser, "pv")
    node = new_node(client, organiser, chain["id"], "cell")
    body = {"slug": "sneaky", "name_zh": "x", "name_en": "x", "position": "upstream"}
    attempts = [
        ("post", f"/v1/chains/{chain['id']}/nodes", body),
        ("patch", f"/v1/chain-nodes/{node['id']}", {"name_zh": "改名"}),
        ("delete", f"/v1/chain-nodes/{node['id']}", None),
    ]
    for method, url, payload in attempts:
        kwargs = {"json": payload} if payload is not None else {}
        problem(client.request(method, url, headers=member, **kwargs), 403)
        problem(client.request(method, url, **kwargs), 401)
    assert client.get(f"/v1/chain-nodes/{node['id']}", headers=member).json() == node
    assert count(session, ChainNode, ChainNode.slug == "sneaky") == 0


def test_delete_a_leaf(client, organiser, session):
    chain = new_chain(client, organiser, "pv")
    node = new_node(client, organiser, chain["id"], "junction-box")
    etag = client.get(f"/v1/chain-nodes/{node['id']}").headers["etag"]
    assert (
        client.delete(
            f"/v1/chain-nodes/{node['id']}", headers={**organiser, "If-Match": etag}
        ).status_code
        == 204
    )
    problem(client.get(f"/v1/chain-nodes/{node['id']}"), 404)
    assert count(session, ChainNode, ChainNode.chain_id == chain["id"]) == 0


def test_delete_of_a_node_with_children_or_in_use_is_409(client, factory, organiser, session):
    enterprise = factory.enterprise()
    chain = new_chain(client, organiser, "pv")
    parent = new_node(client, organiser, chain["id"], "module")
    new_node(client, organiser, chain["id"], "cell", parent_id=parent["id"])
    assert (
        "child nodes: 1"
        in problem(client.delete(f"/v1/chain-nodes/{parent['id']}", headers=organiser), 409)[
            "detail"
        ]
    )

    uses = {
        "requirements: 1": lambda node_id: requirement_using(session, enterprise, node_id=node_id),
        "capabilities: 1": lambda node_id: capability_using(session, enterprise, node_id=node_id),
        "requirement items: 1": lambda node_id: requirement_using(
            session, enterprise, item_node_id=node_id
        ),
    }
    for i, (expected, use) in enumerate(uses.items()):
        node = new_node(client, organiser, chain["id"], f"glass-{i}")
        use(node["id"])
        body = problem(client.delete(f"/v1/chain-nodes/{node['id']}", headers=organiser), 409)
        assert expected in body["detail"], body["detail"]
        assert client.get(f"/v1/chain-nodes/{node['id']}").status_code == 200
    assert count(session, ChainNode, ChainNode.chain_id == chain["id"]) == 5
