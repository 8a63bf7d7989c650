"""Lists of requirements and capabilities: filters, free text, sort and cursor pagination."""

import pytest

from app.models.enums import Tier
from tests.postings.test_requirements import requirement_body


def make_capability(client, headers, **fields):
    response = client.post(
        "/v1/capabilities", json={"title": "capability", **fields}, headers=headers
    )
    assert response.status_code == 201, response.text
    return response.json()["id"]


@pytest.fixture
def catalogue(client, factory, world):
    beijing = factory.enterprise(
        "北京逆变器科技有限公司", region_code="110108", tiers=(Tier.listed,)
    )
    hangzhou = factory.enterprise(
        "杭州胶膜新材料股份有限公司", region_code="330106", tiers=(Tier.srdi, Tier.little_giant)
    )
    ids = {
        "box": make_capability(
            client,
            world.supplier_member,
            title="光伏接线盒 IP68 junction box",
            chain_id=world.chain.id,
            node_ids=[world.nodes["junction-box"]],
            keywords=["接线盒", "junction box"],
        ),
        "inverter": make_capability(
            client,
            factory.member_of(beijing),
            title="组串式逆变器 string inverter",
            node_ids=[world.nodes["inverter"]],
        ),
        "film": make_capability(
            client,
            factory.member_of(hangzhou),
            title="EVA胶膜 encapsulant film",
            kind="procurement",
            node_ids=[world.nodes["eva-film"]],
        ),
        "tech": make_capability(
            client,
            factory.member_of(hangzhou),
            title="POE胶膜 联合研发 joint R&D",
            kind="technology",
            chain_id=world.chain.id,
        ),
    }
    return ids


def ids_of(response):
    assert response.status_code == 200, response.text
    return {item["id"] for item in response.json()["items"]}


def test_filters(client, world, catalogue):
    get = lambda **p: ids_of(client.get("/v1/capabilities", params=p))  # noqa: E731
    assert get(node=world.nodes["junction-box"]) == {catalogue["box"]}
    assert get(chain=world.chain.id) == set(catalogue.values())
    assert get(kind="technology") == {catalogue["tech"]}
    assert get(tier="srdi") == {catalogue["box"], catalogue["film"], catalogue["tech"]}
    assert get(tier=["srdi", "little_giant"]) == {catalogue["film"], catalogue["tech"]}
    assert get(region="310000") == {catalogue["box"]}  # Shanghai includes Pudong 310115
    assert get(region="yrd") == {catalogue["box"], catalogue["film"], catalogue["tech"]}
    assert get(region="jjj") == {catalogue["inverter"]}
    assert get(enterprise_id=world.supplier.id) == {catalogue["box"]}


def test_bad_filters(client, world, catalogue):
    for params, field in (
        ({"region": "nowhere"}, "query.region"),
        ({"region": "999999"}, "query.region"),
        ({"limit": 201}, "query.limit"),
        ({"limit": 0}, "query.limit"),
        ({"limit": "99999999999999999999999"}, "query.limit"),
        ({"chain": "99999999999999999999999"}, "query.chain"),
        ({"tier": "boss"}, "query.tier.0"),
    ):
        response = client.get("/v1/capabilities", params=params)
        assert response.status_code == 422, params
        assert response.json()["errors"][0]["field"] == field
    # A sort order or cursor the list does not know is a 422 naming the parameter too: the sort
    # orders are an enum in the OpenAPI document, relevance needs `q`, a cursor must be one we made.
    for params, field in (
        ({"sort": "price"}, "query.sort"),
        ({"sort": "relevance"}, "query.sort"),
        ({"cursor": "garbage!"}, "query.cursor"),
    ):
        response = client.get("/v1/capabilities", params=params)
        assert response.status_code == 422, params
        assert response.json()["errors"][0]["field"] == field


def test_free_text_is_typo_tolerant_in_both_languages(client, catalogue):
    def search(q):
        return [i["id"] for i in client.get("/v1/capabilities", params={"q": q}).json()["items"]]

    assert search("invertor") == [catalogue["inverter"]]
    assert search("ＩＰ６８") == [catalogue["box"]]  # full-width
    assert set(search("胶膜")) == {catalogue["film"], catalogue["tech"]}
    assert search("hydrogen compressor") == []


def test_short_chinese_terms_match_exactly_longer_ones_allow_one_slip(client, world, catalogue):
    def search(q):
        return {i["id"] for i in client.get("/v1/capabilities", params={"q": q}).json()["items"]}

    terminals = make_capability(client, world.supplier_member, title="接线端子 terminal blocks")
    packaging = make_capability(client, world.supplier_member, title="包装盒 packaging")
    modules = make_capability(client, world.supplier_member, title="光伏组件 solar modules")
    assert search("接线盒") == {catalogue["box"]}  # not 接线端子 (shares 接线), not 包装盒 (盒)
    assert search("接线合") == set()  # three characters: no slip allowed
    assert search("端子") == {terminals}
    assert search("光付组件") == {modules}  # four characters: one slip (伏 → 付)
    assert search("光付") == set()
    assert search("包装") == {packaging}
    assert search("termnal") == {terminals}  # one letter dropped
    assert search("modlues") == set()  # two slips
    assert search("ic") == set()  # Latin words match at a word's start: not in "electric"


def test_glossary_synonyms_match(client, world, catalogue):
    def search(q):
        return {i["id"] for i in client.get("/v1/capabilities", params={"q": q}).json()["items"]}

    modules = make_capability(client, world.supplier_member, title="单晶光伏组件")
    make_capability(client, world.supplier_member, title="PVD 真空镀膜 coating")
    assert search("PV") == {catalogue["box"], modules}  # 光伏接线盒, 光伏组件; PVD is not PV
    assert search("photovoltaic") == {catalogue["box"], modules}
    assert search("逆变器") == {catalogue["inverter"]}  # "inverter" is in the glossary
    assert search("solar module") == {modules}  # both words' entries in the text
    assert search("pv junction") == {catalogue["box"]}
    ranked = client.get("/v1/capabilities", params={"q": "pv"}).json()["items"]
    assert {i["id"] for i in ranked} == {catalogue["box"], modules}


def test_cursor_pagination_walks_every_page_once(client, world, catalogue):
    for sort in ("-created_at", "title", "-title", "updated_at"):
        seen, cursor = [], None
        while True:
            params = {"limit": 1, "sort": sort} | ({"cursor": cursor} if cursor else {})
            page = client.get("/v1/capabilities", params=params).json()
            seen += [item["id"] for item in page["items"]]
            cursor = page["next_cursor"]
            if not cursor:
                break
        assert sorted(seen) == sorted(catalogue.values()), sort
    titles = [
        i["title"] for i in client.get("/v1/capabilities", params={"sort": "title"}).json()["items"]
    ]
    assert titles == sorted(titles)
    first = client.get("/v1/capabilities", params={"limit": 2, "sort": "title"}).json()
    wrong = client.get(
        "/v1/capabilities", params={"sort": "-created_at", "cursor": first["next_cursor"]}
    )
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "query.cursor"


def test_relevance_pages(client, catalogue):
    first = client.get("/v1/capabilities", params={"q": "胶膜", "limit": 1}).json()
    second = client.get(
        "/v1/capabilities", params={"q": "胶膜", "limit": 1, "cursor": first["next_cursor"]}
    ).json()
    assert {first["items"][0]["id"], second["items"][0]["id"]} == {
        catalogue["film"],
        catalogue["tech"],
    }
    assert second["next_cursor"] is None


def test_requirement_region_is_delivery_region_then_owner(client, world):
    in_shanghai = client.post(
        "/v1/requirements",
        json=requirement_body(world, delivery_region_code="310115"),
        headers=world.buyer_member,
    ).json()["id"]
    at_home = client.post(
        "/v1/requirements",
        json=requirement_body(world, delivery_region_code=None),
        headers=world.buyer_member,
    ).json()["id"]
    assert ids_of(client.get("/v1/requirements", params={"region": "310000"})) == {in_shanghai}
    assert ids_of(client.get("/v1/requirements", params={"region": "330400"})) == {at_home}
    assert ids_of(client.get("/v1/requirements", params={"region": "yrd"})) == {
        in_shanghai,
        at_home,
    }
    items_node = client.post(
        "/v1/requirements",
        json=requirement_body(
            world, node_ids=[], items=[{"name": "逆变器", "node_id": world.nodes["inverter"]}]
        ),
        headers=world.buyer_member,
    ).json()["id"]
    assert ids_of(client.get("/v1/requirements", params={"node": world.nodes["inverter"]})) == {
        items_node
    }


@pytest.mark.parametrize("path", ["/v1/capabilities", "/v1/requirements", "/v1/enterprises"])
def test_repeated_tier_is_capped_and_deduplicated(client, world, catalogue, path):
    tiers = [tier.value for tier in Tier]
    assert client.get(path, params={"tier": tiers}).status_code == 200
    too_many = client.get(path, params={"tier": [*tiers, "srdi"]})
    assert too_many.status_code == 422
    assert too_many.json()["errors"][0]["field"] == "query.tier"
    assert client.get(path, params={"tier": ["srdi"] * 1000}).status_code == 422
    twice = client.get(path, params={"tier": ["srdi", "srdi"]})
    assert ids_of(twice) == ids_of(client.get(path, params={"tier": "srdi"}))


@pytest.mark.parametrize("path", ["/v1/capabilities", "/v1/requirements"])
def test_unknown_chain_or_node_is_422_naming_the_parameter(client, world, catalogue, path):
    for name in ("chain", "node"):
        response = client.get(path, params={name: 2_147_483_000})
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == f"query.{name}"
        assert "2147483000" in response.json()["detail"]
    assert client.get(path, params={"chain": world.chain.id}).status_code == 200
    assert client.get(path, params={"node": world.nodes["module"]}).status_code == 200
