"""Reading enterprises: private contacts, filters, free text, sorting and cursor pagination."""

from datetime import datetime

import pytest
from sqlalchemy import event

from app.models.enums import EnterpriseKind, Role, Tier
from tests.enterprises.helpers import HAIDIAN, JIASHAN, assert_problem, register


def listed_ids(client, headers=None, **params) -> list[int]:
    response = client.get("/v1/enterprises", params={"limit": 200, **params}, headers=headers)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def walk(client, limit: int, **params) -> list[dict]:
    """Every item of a list, page by page."""
    items, cursor, pages = [], None, 0
    while True:
        query = {"limit": limit, **params} | ({"cursor": cursor} if cursor else {})
        response = client.get("/v1/enterprises", params=query)
        assert response.status_code == 200, response.text
        page = response.json()
        assert len(page["items"]) <= limit and page["limit"] == limit
        items += page["items"]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            return items
        assert pages < 50, "pagination does not end"


def test_contact_is_private_to_members_and_staff(client, factory):
    enterprise = factory.enterprise(contact_person="李经理", contact_phone="13800000000")
    url = f"/v1/enterprises/{enterprise.id}"
    other = factory.enterprise("别家企业")
    hidden = [None, factory.member_of(other)]
    shown = [
        factory.member_of(enterprise),
        factory.headers(Role.organiser),
        factory.headers(Role.admin),
    ]
    for headers in hidden:
        assert client.get(url, headers=headers).json()["contact"] is None
        items = client.get("/v1/enterprises", headers=headers).json()["items"]
        mine = next(i for i in items if i["id"] == enterprise.id)
        assert mine["contact"] is None and mine["name"] == enterprise.name
        assert all(i["contact"] is None for i in items if i["id"] != other.id)
    for headers in shown:
        contact = client.get(url, headers=headers).json()["contact"]
        assert contact == {"person": "李经理", "phone": "13800000000", "email": "sales@example.cn"}
        items = client.get("/v1/enterprises", headers=headers).json()["items"]
        assert next(i for i in items if i["id"] == enterprise.id)["contact"] == contact


def test_own_member_sees_only_own_contact_in_lists(client, factory):
    mine, theirs = factory.enterprise("本企业"), factory.enterprise("他企业")
    items = client.get("/v1/enterprises", headers=factory.member_of(mine)).json()["items"]
    by_id = {i["id"]: i for i in items}
    assert by_id[mine.id]["contact"] is not None and by_id[theirs.id]["contact"] is None


def test_unknown_enterprise_is_404_and_bad_ids_422(client):
    assert_problem(client.get("/v1/enterprises/2147483647"), 404)
    assert_problem(client.get("/v1/enterprises/2147483648"), 422, "path.enterprise_id")
    assert_problem(client.get("/v1/enterprises/0"), 422, "path.enterprise_id")


def test_tier_filters_require_every_tier(client, factory):
    both = factory.enterprise("甲", tiers=(Tier.srdi, Tier.little_giant))
    srdi = factory.enterprise("乙", tiers=(Tier.srdi,))
    giant_listed = factory.enterprise("丙", tiers=(Tier.little_giant, Tier.listed))
    ours = {both.id, srdi.id, giant_listed.id}

    def tiers(*values: str) -> set[int]:
        return set(listed_ids(client, tier=list(values))) & ours

    assert tiers("srdi") == {both.id, srdi.id}
    assert tiers("little_giant") == {both.id, giant_listed.id}
    assert tiers("srdi", "little_giant") == {both.id}
    assert tiers("listed", "little_giant") == {giant_listed.id}
    assert tiers("srdi", "listed") == set()
    assert tiers() == ours
    assert_problem(client.get("/v1/enterprises", params={"tier": "giant"}), 422, "query.tier.0")


@pytest.mark.parametrize(
    ("region", "jiashan", "beijing"),
    [
        ("330000", True, False),  # Zhejiang province
        ("330400", True, False),  # Jiaxing city
        (JIASHAN, True, False),
        ("yrd", True, False),  # Yangtze River Delta cluster
        ("110000", False, True),
        ("320000", False, False),
    ],
)
def test_region_filter_includes_what_lies_inside(client, factory, region, jiashan, beijing):
    in_jiashan = factory.enterprise("嘉善企业", region_code=JIASHAN)
    in_beijing = factory.enterprise("北京企业", region_code=HAIDIAN)
    ids = set(listed_ids(client, region=region))
    assert (in_jiashan.id in ids, in_beijing.id in ids) == (jiashan, beijing)


@pytest.mark.parametrize("region", ["999999", "nowhere", "３３００００"])
def test_unknown_region_filter_is_422(client, region):
    assert_problem(client.get("/v1/enterprises", params={"region": region}), 422, "query.region")


def test_kind_chain_and_verified_filters(client, factory):
    admin = factory.headers(Role.admin)
    chain, other_chain = factory.chain("pv-filter"), factory.chain("li-filter")
    uni = register(
        client,
        admin,
        name="浙江大学嘉兴研究院",
        kind="university",
        chain_ids=[chain.id],
        verified=True,
    )
    firm = register(client, admin, chain_ids=[other_chain.id])
    ours = {uni["id"], firm["id"]}
    assert set(listed_ids(client, kind=EnterpriseKind.university.value)) & ours == {uni["id"]}
    assert set(listed_ids(client, chain=chain.id)) & ours == {uni["id"]}
    assert set(listed_ids(client, chain=other_chain.id)) & ours == {firm["id"]}
    assert set(listed_ids(client, verified="true")) & ours == {uni["id"]}
    assert set(listed_ids(client, verified="false")) & ours == {firm["id"]}
    unknown_chain = client.get("/v1/enterprises", params={"chain": 2_147_483_000})
    assert_problem(unknown_chain, 422, "query.chain")
    assert_problem(client.get("/v1/enterprises", params={"chain": 2**40}), 422, "query.chain")


def test_free_text_tolerates_typos_in_chinese_and_english(client, factory):
    staff = factory.headers(Role.organiser)
    modules = register(
        client, staff, name="嘉善光伏组件有限公司", name_en="Jiashan PV Modules", description=""
    )
    inverters = register(
        client,
        staff,
        name="杭州逆变器科技",
        name_en="Hangzhou String Inverter Tech",
        description="组串式逆变器",
        region_code="330106",  # 西湖区, Hangzhou
    )
    bank = register(
        client,
        staff,
        name="嘉兴银行",
        name_en="Bank of Jiaxing",
        description="供应链金融",
        kind="financial_institution",
    )
    ours = {modules["id"], inverters["id"], bank["id"]}

    assert set(listed_ids(client, q="光付组件")) & ours == {modules["id"]}  # 伏 mistyped as 付
    assert set(listed_ids(client, q="invertor")) & ours == {inverters["id"]}
    assert set(listed_ids(client, q="INVERTER tech")) & ours == {inverters["id"]}
    assert set(listed_ids(client, q="供应链金融")) & ours == {bank["id"]}
    assert set(listed_ids(client, q="氢能源电解槽")) & ours == set()
    # q combines with the other filters
    assert set(listed_ids(client, q="invertor", region="330400")) & ours == set()
    assert set(listed_ids(client, q="invertor", region="330100")) & ours == {inverters["id"]}

    renamed = client.patch(
        f"/v1/enterprises/{bank['id']}", json={"name_en": "Jiaxing Rural Bank"}, headers=staff
    )
    assert renamed.status_code == 200
    assert set(listed_ids(client, q="rural bank")) & ours == {bank["id"]}


def test_relevance_is_default_with_q_and_needs_q(client, factory):
    staff = factory.headers(Role.organiser)
    exact = register(client, staff, name="光伏支架制造", name_en=None, description="")
    typo = register(client, staff, name="光付支架制造", name_en=None, description="")
    first = listed_ids(client, q="光伏支架")
    assert first.index(exact["id"]) < first.index(typo["id"])
    assert listed_ids(client, q="光伏支架", sort="relevance") == first
    by_name = listed_ids(client, q="光伏支架", sort="-name")
    assert set(by_name) == set(first)
    problem = assert_problem(client.get("/v1/enterprises", params={"sort": "relevance"}), 422)
    assert "q" in problem["detail"] and problem["errors"][0]["field"] == "query.sort"
    assert_problem(client.get("/v1/enterprises", params={"sort": "revenue"}), 422)
    assert_problem(client.get("/v1/enterprises", params={"sort": "-relevance", "q": "光伏"}), 422)


@pytest.mark.parametrize(
    "sort", ["name", "-name", "created_at", "-created_at", "updated_at", "-updated_at"]
)
def test_cursor_pagination_walks_every_enterprise_once_in_order(client, factory, sort):
    # ASCII names with distinct initials, so the expected order does not depend on collation.
    names = ["Ningbo", "Anhui Solar", "Wuxi", "Changzhou", "Suzhou", "Suzhou", "Hefei", "Zhejiang"]
    made = [factory.enterprise(name) for name in names]
    items = walk(client, 2, sort=sort)
    ids = [item["id"] for item in items]
    assert len(ids) == len(set(ids)) and {e.id for e in made} <= set(ids)
    assert ids == listed_ids(client, sort=sort)  # the same order as one big page
    key = sort.removeprefix("-")
    parse = datetime.fromisoformat if key != "name" else str
    pairs = [(parse(item[key]), item["id"]) for item in items]
    assert pairs == sorted(pairs, reverse=sort.startswith("-"))


def test_relevance_pages_walk_every_match_once(client, factory):
    staff = factory.headers(Role.organiser)
    for i, name in enumerate(
        ["光伏组件", "光伏玻璃", "光付背板", "光伏焊带", "光伏边框", "光伏支架", "光伏逆变器"]
    ):
        register(client, staff, name=f"{name}企业{i}", name_en=None, description="")
    everything = listed_ids(client, q="光伏")
    assert len(everything) == 6  # 光付 does not match a two-character term: those must be exact
    walked = [item["id"] for item in walk(client, 4, q="光伏")]
    assert walked == everything


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({"limit": 201}, 422, "query.limit"),
        ({"limit": 0}, 422, "query.limit"),
        ({"limit": "99999999999999999999"}, 422, "query.limit"),
        ({"cursor": "not-a-cursor"}, 422, "query.cursor"),
        ({"q": "x" * 201}, 422, "query.q"),
        ({"kind": "bakery"}, 422, "query.kind"),
    ],
)
def test_bad_list_parameters(client, params, status, field):
    assert_problem(client.get("/v1/enterprises", params=params), status, field)


def test_cursor_of_another_sort_is_422(client, factory):
    for name in ("a", "b", "c"):
        factory.enterprise(name)
    first = client.get("/v1/enterprises", params={"limit": 1, "sort": "name"})
    cursor = first.json()["next_cursor"]
    assert cursor
    response = client.get("/v1/enterprises", params={"cursor": cursor, "sort": "-name"})
    assert_problem(response, 422, "query.cursor")


def test_list_query_count_does_not_grow_with_the_page(client, factory, engine):
    def statements_for_list() -> int:
        seen: list[str] = []

        def record(conn, cursor, statement, *args):
            seen.append(statement)

        event.listen(engine, "before_cursor_execute", record)
        try:
            assert client.get("/v1/enterprises", params={"limit": 200}).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", record)
        return len(seen)

    factory.enterprise("一", tiers=(Tier.srdi,))
    few = statements_for_list()
    for i in range(12):
        region = HAIDIAN if i % 2 else JIASHAN
        factory.enterprise(f"企业{i}", tiers=(Tier.srdi, Tier.listed), region_code=region)
    assert statements_for_list() == few
