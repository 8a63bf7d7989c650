from app.models import Chain, ChainNode, EnterpriseChain
from tests.taxonomy.support import (
    capability_using,
    count,
    fields,
    new_chain,
    new_node,
    problem,
    requirement_using,
)


def test_create_read_and_list_a_chain(client, organiser):
    created = client.post(
        "/v1/chains",
        json={
            "slug": "hydrogen",
            "name_zh": "氢能",
            "name_en": "Hydrogen energy",
            "description": "制氢、储运、加注",
        },
        headers=organiser,
    )
    assert created.status_code == 201, created.text
    chain = created.json()
    assert (chain["name_zh"], chain["name_en"], chain["description"]) == (
        "氢能",
        "Hydrogen energy",
        "制氢、储运、加注",
    )
    assert created.headers["etag"] == f'"{chain["id"]}.{chain["version"]}"'

    read = client.get(f"/v1/chains/{chain['id']}")
    assert read.status_code == 200 and read.headers["etag"] == created.headers["etag"]
    assert read.json()["nodes"] == [] and read.json()["slug"] == "hydrogen"

    listed = client.get("/v1/chains", params={"slug": "hydrogen"}).json()
    assert [c["id"] for c in listed["items"]] == [chain["id"]] and listed["next_cursor"] is None
    assert client.get("/v1/chains", params={"slug": "nope"}).json()["items"] == []


def test_q_matches_chinese_or_english_names_with_typos(client, organiser):
    pv = new_chain(client, organiser, "pv", "光伏", "Photovoltaics")
    li = new_chain(client, organiser, "li-battery", "锂电池", "Lithium batteries")
    new_chain(client, organiser, "ic", "集成电路", "Integrated circuits")
    for q, expected in (
        ("光伏", pv),
        ("photovoltaic", pv),
        ("photovoltaiks", pv),
        ("锂电", li),
        ("LITHIUM", li),
    ):
        items = client.get("/v1/chains", params={"q": q}).json()["items"]
        assert [c["id"] for c in items] == [expected["id"]], q
    assert client.get("/v1/chains", params={"q": "氢能"}).json()["items"] == []
    by_slug = client.get("/v1/chains", params={"q": "circuits", "sort": "-slug"}).json()["items"]
    assert [c["slug"] for c in by_slug] == ["ic"]


def test_list_pages_by_slug_without_repeats(client, organiser):
    slugs = [f"chain-{i:02d}" for i in range(7)]
    for slug in reversed(slugs):
        new_chain(client, organiser, slug)
    seen, cursor = [], None
    while True:
        params = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        body = client.get("/v1/chains", params=params).json()
        seen += [c["slug"] for c in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert [s for s in seen if s.startswith("chain-")] == slugs and len(seen) == len(set(seen))
    problem(client.get("/v1/chains", params={"limit": 201}), 422)
    assert "sort" in problem(client.get("/v1/chains", params={"sort": "name_zh"}), 422)["detail"]


def test_duplicate_slug_is_409_and_nothing_is_created(client, organiser, session):
    new_chain(client, organiser, "pv")
    again = client.post(
        "/v1/chains",
        json={"slug": "pv", "name_zh": "光伏二", "name_en": "PV again"},
        headers=organiser,
    )
    assert "pv" in problem(again, 409)["detail"]
    assert count(session, Chain, Chain.slug == "pv") == 1
    assert count(session, Chain, Chain.name_zh == "光伏二") == 0


def test_bad_and_forged_fields_are_422(client, organiser, session):
    before = count(session, Chain)
    base = {"slug": "ok", "name_zh": "光伏", "name_en": "PV"}
    cases = [
        ({**base, "slug": "Bad_Slug"}, "body.slug"),
        ({**base, "slug": "-pv"}, "body.slug"),
        ({**base, "slug": "pv--glass"}, "body.slug"),
        ({**base, "name_zh": "   "}, "body.name_zh"),
        ({**base, "id": 7}, "body.id"),
        ({**base, "version": 9}, "body.version"),
        ({**base, "created_at": "2020-01-01T00:00:00Z"}, "body.created_at"),
    ]
    for body, field in cases:
        assert field in fields(
            problem(client.post("/v1/chains", json=body, headers=organiser), 422)
        ), body
    assert count(session, Chain) == before


def test_members_and_anonymous_cannot_write(client, organiser, member, session):
    chain = new_chain(client, organiser, "pv")
    attempts = [
        ("post", "/v1/chains", {"slug": "sneaky", "name_zh": "x", "name_en": "x"}),
        ("patch", f"/v1/chains/{chain['id']}", {"name_zh": "改名"}),
        ("delete", f"/v1/chains/{chain['id']}", None),
    ]
    for method, url, body in attempts:
        kwargs = {"json": body} if body is not None else {}
        problem(client.request(method, url, headers=member, **kwargs), 403)
        refused = problem(client.request(method, url, **kwargs), 401)
        assert refused["type"].endswith("not-authenticated")
    after = client.get(f"/v1/chains/{chain['id']}").json()
    assert after["name_zh"] == "光伏" and after["version"] == chain["version"]
    assert count(session, Chain, Chain.slug == "sneaky") == 0
    assert client.get("/v1/chains", headers=member).status_code == 200  # members still read


def test_update_with_etags(client, organiser):
    chain = new_chain(client, organiser, "pv")
    url = f"/v1/chains/{chain['id']}"
    etag = client.get(url).headers["etag"]
    updated = client.patch(
        url, json={"name_en": "Solar PV"}, headers={**organiser, "If-Match": etag}
    )
    assert updated.status_code == 200, updated.text
    assert updated.json()["name_en"] == "Solar PV" and updated.json()["name_zh"] == "光伏"
    new_etag = updated.headers["etag"]
    assert new_etag != etag and client.get(url).headers["etag"] == new_etag

    stale = client.patch(
        url, json={"name_en": "Lost update"}, headers={**organiser, "If-Match": etag}
    )
    assert "ETag" in problem(stale, 412)["detail"]
    assert client.get(url).json()["name_en"] == "Solar PV"
    assert client.get(url).headers["etag"] == new_etag

    no_header = client.patch(url, json={"description": "太阳能光伏"}, headers=organiser)
    assert no_header.status_code == 200 and no_header.json()["description"] == "太阳能光伏"


def test_update_refuses_nulls_forged_fields_and_taken_slugs(client, organiser):
    new_chain(client, organiser, "li-battery", "锂电池", "Lithium batteries")
    chain = new_chain(client, organiser, "pv")
    url = f"/v1/chains/{chain['id']}"
    assert fields(problem(client.patch(url, json={"name_zh": None}, headers=organiser), 422)) == [
        "body.name_zh"
    ]
    assert fields(problem(client.patch(url, json={"version": 5}, headers=organiser), 422)) == [
        "body.version"
    ]
    assert fields(problem(client.patch(url, json={"id": 1}, headers=organiser), 422)) == ["body.id"]
    problem(client.patch(url, json={"slug": "li-battery"}, headers=organiser), 409)
    after = client.get(url).json()
    assert (after["slug"], after["name_zh"], after["version"]) == ("pv", "光伏", chain["version"])
    renamed = client.patch(url, json={"slug": "solar-pv"}, headers=organiser)
    assert renamed.status_code == 200 and renamed.json()["slug"] == "solar-pv"
    problem(client.patch("/v1/chains/999999", json={"name_zh": "x"}, headers=organiser), 404)


def test_tree_nests_children_in_sort_order(client, organiser):
    chain = new_chain(client, organiser, "pv")
    cid = chain["id"]
    module = new_node(client, organiser, cid, "module", position="midstream", sort_order=2)
    silicon = new_node(client, organiser, cid, "polysilicon", position="upstream", sort_order=1)
    glass = new_node(client, organiser, cid, "pv-glass", parent_id=module["id"], sort_order=5)
    cell = new_node(client, organiser, cid, "cell", parent_id=module["id"], sort_order=1)
    wafer = new_node(client, organiser, cid, "wafer", parent_id=cell["id"])
    frame = new_node(client, organiser, cid, "frame", parent_id=module["id"], sort_order=5)

    tree = client.get(f"/v1/chains/{cid}").json()["nodes"]

    def shape(nodes):
        return [(n["id"], shape(n["children"])) for n in nodes]

    assert shape(tree) == [
        (silicon["id"], []),
        (module["id"], [(cell["id"], [(wafer["id"], [])]), (glass["id"], []), (frame["id"], [])]),
    ]
    assert (
        tree[1]["children"][0]["parent_id"] == module["id"] and tree[1]["position"] == "midstream"
    )


def test_delete_chain_is_for_admins_and_removes_its_nodes(client, organiser, admin, session):
    chain = new_chain(client, organiser, "pv")
    root = new_node(client, organiser, chain["id"], "module")
    new_node(client, organiser, chain["id"], "cell", parent_id=root["id"])
    url = f"/v1/chains/{chain['id']}"
    problem(client.delete(url, headers=organiser), 403)
    assert count(session, ChainNode, ChainNode.chain_id == chain["id"]) == 2
    problem(client.delete(url, headers={**admin, "If-Match": '"1.99"'}), 412)
    assert client.delete(url, headers=admin).status_code == 204
    problem(client.get(url), 404)
    assert count(session, ChainNode, ChainNode.chain_id == chain["id"]) == 0
    assert count(session, Chain, Chain.id == chain["id"]) == 0


def test_delete_of_a_chain_in_use_is_409(client, factory, organiser, admin, session):
    enterprise = factory.enterprise()
    cases = {
        "enterprises": lambda chain, node: session.add(
            EnterpriseChain(enterprise_id=enterprise.id, chain_id=chain["id"])
        ),
        "requirements": lambda chain, node: requirement_using(
            session, enterprise, chain_id=chain["id"]
        ),
        "capabilities": lambda chain, node: capability_using(
            session, enterprise, chain_id=chain["id"]
        ),
        "requirement node links": lambda chain, node: requirement_using(
            session, enterprise, node_id=node["id"]
        ),
        "capability node links": lambda chain, node: capability_using(
            session, enterprise, node_id=node["id"]
        ),
        "requirement items": lambda chain, node: requirement_using(
            session, enterprise, item_node_id=node["id"]
        ),
    }
    for i, (label, use) in enumerate(cases.items()):
        chain = new_chain(client, organiser, f"used-{i}")
        node = new_node(client, organiser, chain["id"], "glass")
        use(chain, node)
        session.commit()
        body = problem(client.delete(f"/v1/chains/{chain['id']}", headers=admin), 409)
        assert f"{label}: 1" in body["detail"], body["detail"]
        assert client.get(f"/v1/chains/{chain['id']}").json()["nodes"][0]["id"] == node["id"]


def test_q_finds_chains_by_glossary_synonyms_and_short_terms_exactly(client, organiser):
    pv = new_chain(client, organiser, "pv", "光伏", "Photovoltaics")
    new_chain(client, organiser, "nev", "新能源汽车", "New energy vehicles")
    for q in ("PV", "solar", "太阳能"):
        items = client.get("/v1/chains", params={"q": q}).json()["items"]
        assert [c["id"] for c in items] == [pv["id"]], q
    assert client.get("/v1/chains", params={"q": "光付"}).json()["items"] == []
    ranked = client.get("/v1/chains", params={"q": "光伏", "sort": "relevance"})
    assert [c["id"] for c in ranked.json()["items"]] == [pv["id"]]


def test_location_and_an_empty_patch_keeps_the_etag(client, organiser):
    created = client.post(
        "/v1/chains",
        json={"slug": "glass", "name_zh": "玻璃", "name_en": "Glass"},
        headers=organiser,
    )
    chain, etag = created.json(), created.headers["etag"]
    assert created.headers["location"] == f"/v1/chains/{chain['id']}"
    url = created.headers["location"]
    for body in ({}, {"slug": "glass", "name_en": "Glass"}):
        same = client.patch(url, json=body, headers={**organiser, "If-Match": etag})
        assert same.status_code == 200 and same.headers["etag"] == etag, body
    weak = client.patch(url, json={"name_en": "x"}, headers={**organiser, "If-Match": f"W/{etag}"})
    assert problem(weak, 412)
