"""Creating, changing and deleting enterprises, and who may do it."""

import pytest
from sqlalchemy import func, select

from app.enterprises.uscc import make_uscc
from app.models import Enterprise
from app.models.enums import Role, Tier
from tests.enterprises.helpers import HAIDIAN, JIASHAN, assert_problem, body, new_uscc, register


def count_enterprises(session) -> int:
    return session.scalar(select(func.count()).select_from(Enterprise))


def test_organiser_creates_an_enterprise(client, factory):
    organiser = factory.headers(Role.organiser)
    chain = factory.chain("pv-create")
    uscc = new_uscc()
    response = client.post(
        "/v1/enterprises",
        json=body(uscc=uscc.lower(), tiers=["listed", "chain_owner"], chain_ids=[chain.id]),
        headers=organiser,
    )
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["uscc"] == uscc
    assert created["tiers"] == ["chain_owner", "listed"]
    assert created["chain_ids"] == [chain.id]
    assert (created["region_code"], created["region_name"]) == (JIASHAN, "嘉善县")
    assert created["verified"] is False
    assert created["contact"] == {
        "person": "王五",
        "phone": "0573-84111111",
        "email": "wang@pv.example.cn",
    }
    assert response.headers["location"] == f"/v1/enterprises/{created['id']}"
    etag = response.headers["etag"]
    assert etag == f'"{created["id"]}.1"'

    read = client.get(response.headers["location"])
    assert read.status_code == 200 and read.headers["etag"] == etag
    assert read.json() | {"contact": None} == created | {"contact": None}


def test_member_and_anonymous_cannot_create(client, factory, session):
    member = factory.member_of(factory.enterprise())
    before = count_enterprises(session)
    assert_problem(client.post("/v1/enterprises", json=body(), headers=member), 403)
    refused = assert_problem(client.post("/v1/enterprises", json=body()), 401)
    assert "token" in refused["detail"]
    assert count_enterprises(session) == before


GOOD = make_uscc(JIASHAN, 4242)
WRONG_CHECK = GOOD[:-1] + ("1" if GOOD[-1] != "1" else "2")


@pytest.mark.parametrize(
    ("uscc", "message"),
    [
        (WRONG_CHECK, "the check character (the 18th) does not match; check for a typo"),
        (GOOD[:-1], "a unified social credit code has exactly 18 characters"),
        (GOOD + "0", "a unified social credit code has exactly 18 characters"),
        (GOOD[:10] + "I" + GOOD[11:], "(no I, O, S, V or Z)"),
        (GOOD[:10] + "O" + GOOD[11:], "(no I, O, S, V or Z)"),
    ],
    ids=["check-digit", "17-chars", "19-chars", "letter-I", "letter-O"],
)
def test_bad_uscc_is_422_naming_the_field(client, factory, session, uscc, message):
    before = count_enterprises(session)
    organiser = factory.headers(Role.organiser)
    response = client.post("/v1/enterprises", json=body(uscc=uscc), headers=organiser)
    problem = assert_problem(response, 422, "body.uscc")
    assert message in problem["errors"][0]["message"]
    assert count_enterprises(session) == before


def test_duplicate_uscc_is_409_naming_the_existing_enterprise(client, factory, session):
    existing = factory.enterprise()
    before = count_enterprises(session)
    organiser = factory.headers(Role.organiser)
    for uscc in (existing.uscc, existing.uscc.lower()):
        response = client.post("/v1/enterprises", json=body(uscc=uscc), headers=organiser)
        problem = assert_problem(response, 409)
        assert f"enterprise {existing.id}" in problem["detail"]
    assert count_enterprises(session) == before


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"region_code": "330499"}, "body.region_code"),  # well-formed, no such region
        ({"region_code": "33042"}, "body.region_code"),
        ({"region_code": "３３０４２１"}, "body.region_code"),  # full-width digits
        ({"tiers": ["srdi", "srdi"]}, "body.tiers"),
        ({"tiers": ["giant"]}, "body.tiers.0"),
        ({"kind": "bakery"}, "body.kind"),
        ({"chain_ids": [2_147_483_000]}, "body.chain_ids"),
        ({"website": "javascript:alert(1)"}, "body.website"),
        ({"contact": {"email": "not-an-email"}}, "body.contact.email"),
        ({"name": ""}, "body.name"),
    ],
)
def test_invalid_fields_are_422_naming_the_field(client, factory, session, fields, field):
    before = count_enterprises(session)
    admin = factory.headers(Role.admin)
    response = client.post("/v1/enterprises", json=body(**fields), headers=admin)
    assert_problem(response, 422, field)
    assert count_enterprises(session) == before


@pytest.mark.parametrize(
    ("field", "value"),
    [("id", 7), ("version", 9), ("created_at", "2020-01-01T00:00:00Z"), ("search_text", "x")],
)
def test_forged_server_fields_are_422(client, factory, session, field, value):
    before = count_enterprises(session)
    response = client.post(
        "/v1/enterprises", json=body(**{field: value}), headers=factory.headers(Role.organiser)
    )
    assert_problem(response, 422, f"body.{field}")
    assert count_enterprises(session) == before


def test_only_admins_set_verified(client, factory, session):
    organiser = factory.headers(Role.organiser)
    admin = factory.headers(Role.admin)
    before = count_enterprises(session)
    for value in (True, False):
        refused = client.post("/v1/enterprises", json=body(verified=value), headers=organiser)
        assert "admins" in assert_problem(refused, 403)["detail"]
    assert count_enterprises(session) == before

    verified = register(client, admin, verified=True)
    assert verified["verified"] is True

    plain = register(client, organiser)
    url = f"/v1/enterprises/{plain['id']}"
    for headers in (organiser, factory.member_of(session.get(Enterprise, plain["id"]))):
        assert_problem(client.patch(url, json={"verified": True}, headers=headers), 403)
        assert client.get(url).json()["verified"] is False
    patched = client.patch(url, json={"verified": True}, headers=admin)
    assert patched.status_code == 200 and patched.json()["verified"] is True
    assert client.get(url, params={}).json()["verified"] is True


def test_staff_and_members_edit_and_lists_are_replaced(client, factory):
    enterprise = factory.enterprise(tiers=(Tier.srdi, Tier.listed))
    chain_a, chain_b = factory.chain("chain-a"), factory.chain("chain-b")
    member = factory.member_of(enterprise)
    url = f"/v1/enterprises/{enterprise.id}"
    etag = client.get(url).headers["etag"]

    first = client.patch(
        url,
        json={"tiers": ["little_giant", "srdi"], "chain_ids": [chain_b.id, chain_a.id]},
        headers=factory.headers(Role.organiser),
    )
    assert first.status_code == 200, first.text
    assert first.json()["tiers"] == ["srdi", "little_giant"]
    assert first.json()["chain_ids"] == sorted([chain_a.id, chain_b.id])
    assert first.headers["etag"] != etag

    second = client.patch(
        url,
        json={
            "name_en": "Jiashan New Name",
            "region_code": HAIDIAN,
            "chain_ids": [],
            "contact": {"phone": "010-1234"},
        },
        headers={**member, "If-Match": first.headers["etag"]},
    )
    assert second.status_code == 200, second.text
    after = second.json()
    assert after["chain_ids"] == [] and after["tiers"] == ["srdi", "little_giant"]
    assert (after["region_code"], after["region_name"]) == (HAIDIAN, "海淀区")
    assert after["contact"] == {"person": "张三", "phone": "010-1234", "email": "sales@example.cn"}
    assert after["name"] == enterprise.name and after["name_en"] == "Jiashan New Name"
    assert client.get(url, headers=member).json() == after

    cleared = client.patch(url, json={"contact": None, "website": None}, headers=member).json()
    assert cleared["contact"] == {"person": None, "phone": None, "email": None}


def test_member_of_another_enterprise_cannot_patch(client, factory):
    target = factory.enterprise("目标企业")
    outsider = factory.member_of(factory.enterprise("别家企业"))
    url = f"/v1/enterprises/{target.id}"
    before = client.get(url, headers=factory.headers(Role.admin))
    response = client.patch(url, json={"name": "被篡改", "tiers": ["listed"]}, headers=outsider)
    assert_problem(response, 403)
    after = client.get(url, headers=factory.headers(Role.admin))
    assert after.json() == before.json() and after.headers["etag"] == before.headers["etag"]
    assert_problem(client.patch(url, json={"name": "x"}), 401)
    missing = client.patch("/v1/enterprises/2147483647", json={"name": "x"}, headers=outsider)
    assert_problem(missing, 404)


def test_stale_if_match_is_412_and_changes_nothing(client, factory):
    enterprise = factory.enterprise()
    member = factory.member_of(enterprise)
    url = f"/v1/enterprises/{enterprise.id}"
    old_etag = client.get(url).headers["etag"]
    with_old_etag = {**member, "If-Match": old_etag}
    fresh = client.patch(url, json={"description": "第一次修改"}, headers=with_old_etag)
    assert fresh.status_code == 200
    stale = client.patch(url, json={"description": "过期的修改"}, headers=with_old_etag)
    assert "ETag" in assert_problem(stale, 412)["detail"]
    current = client.get(url)
    assert current.json()["description"] == "第一次修改"
    assert current.headers["etag"] == fresh.headers["etag"]


def test_patch_validates_like_create(client, factory):
    enterprise, other = factory.enterprise(), factory.enterprise("另一家")
    organiser = factory.headers(Role.organiser)
    url = f"/v1/enterprises/{enterprise.id}"
    before = client.get(url, headers=organiser).json()
    problem = assert_problem(client.patch(url, json={"uscc": other.uscc}, headers=organiser), 409)
    assert f"enterprise {other.id}" in problem["detail"]
    for change, field in [
        ({"uscc": WRONG_CHECK}, "body.uscc"),
        ({"region_code": "000000"}, "body.region_code"),
        ({"chain_ids": [2_147_483_000]}, "body.chain_ids"),
        ({"name": None}, "body.name"),
        ({"tiers": None}, "body.tiers"),
        ({"version": 5}, "body.version"),
    ]:
        assert_problem(client.patch(url, json=change, headers=organiser), 422, field)
    assert client.get(url, headers=organiser).json() == before
    same = client.patch(url, json={"uscc": enterprise.uscc.lower()}, headers=organiser)
    assert same.status_code == 200 and same.json()["uscc"] == enterprise.uscc


def test_malformed_json_is_400_problem(client, factory, session):
    before = count_enterprises(session)
    response = client.post(
        "/v1/enterprises",
        content=b'{"name": "broken",',
        headers={**factory.headers(Role.organiser), "Content-Type": "application/json"},
    )
    problem = assert_problem(response, 400)
    assert problem["type"].endswith("malformed-json")
    assert count_enterprises(session) == before


def test_delete_is_admin_only_and_refused_while_accounts_remain(client, factory, session):
    admin = factory.headers(Role.admin)
    enterprise = factory.enterprise()
    member = factory.member_of(enterprise)  # the enterprise now has an account
    url = f"/v1/enterprises/{enterprise.id}"
    assert_problem(client.delete(url, headers=member), 403)
    assert_problem(client.delete(url, headers=factory.headers(Role.organiser)), 403)
    refused = assert_problem(client.delete(url, headers=admin), 409)
    assert "accounts: 1" in refused["detail"]
    assert client.get(url).status_code == 200

    lonely = register(client, admin, tiers=["srdi", "listed"], chain_ids=[factory.chain("del").id])
    lonely_url = f"/v1/enterprises/{lonely['id']}"
    assert_problem(client.delete(lonely_url, headers={**admin, "If-Match": '"1.99"'}), 412)
    assert client.delete(lonely_url, headers=admin).status_code == 204
    assert_problem(client.get(lonely_url), 404)
    assert session.get(Enterprise, lonely["id"]) is None


@pytest.mark.parametrize(
    "change",
    [{"uscc": new_uscc()}, {"kind": "university"}, {"tiers": ["srdi", "little_giant"]}],
    ids=["uscc", "kind", "tiers"],
)
def test_members_cannot_change_what_verification_vouches_for(client, factory, change):
    enterprise = factory.enterprise(tiers=(Tier.srdi,), verified=True)
    url = f"/v1/enterprises/{enterprise.id}"
    admin = factory.headers(Role.admin)
    before = client.get(url, headers=admin)
    refused = client.patch(url, json=change, headers=factory.member_of(enterprise))
    field = next(iter(change))
    assert field in assert_problem(refused, 403)["detail"]
    after = client.get(url, headers=admin)
    assert after.json() == before.json() and after.headers["etag"] == before.headers["etag"]

    # Sending the values it already has is not a change; staff may change them.
    same = {"uscc": enterprise.uscc.lower(), "kind": "company", "tiers": ["srdi"]}
    kept = client.patch(url, json=same, headers=factory.member_of(enterprise))
    assert kept.status_code == 200 and kept.json()["verified"] is True
    by_staff = client.patch(url, json=change, headers=factory.headers(Role.organiser))
    assert by_staff.status_code == 200, by_staff.text
    assert by_staff.json()["verified"] is True


def test_a_member_renaming_its_enterprise_clears_verified(client, factory):
    enterprise = factory.enterprise("嘉善认证企业", verified=True)
    member = factory.member_of(enterprise)
    url = f"/v1/enterprises/{enterprise.id}"
    same_name = client.patch(
        url, json={"name": "嘉善认证企业", "description": "新"}, headers=member
    )
    assert same_name.status_code == 200 and same_name.json()["verified"] is True

    renamed = client.patch(url, json={"name": "另一家公司"}, headers=member)
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"] == "另一家公司" and renamed.json()["verified"] is False
    assert client.get(url).json()["verified"] is False

    admin = factory.headers(Role.admin)
    assert client.patch(url, json={"verified": True}, headers=admin).json()["verified"] is True
    by_staff = client.patch(url, json={"name": "员工改名"}, headers=factory.headers(Role.organiser))
    assert by_staff.json()["verified"] is True  # staff renaming vouch for it themselves


def test_empty_or_unchanged_patch_keeps_the_etag(client, factory):
    enterprise = factory.enterprise("不变企业", tiers=(Tier.srdi,), description="原样")
    member = factory.member_of(enterprise)
    url = f"/v1/enterprises/{enterprise.id}"
    etag = client.get(url).headers["etag"]
    for patch in (
        {},
        {"name": "不变企业", "description": "原样", "region_code": enterprise.region_code},
        {"chain_ids": [], "contact": {"person": enterprise.contact_person}},
    ):
        response = client.patch(url, json=patch, headers={**member, "If-Match": etag})
        assert response.status_code == 200, response.text
        assert response.headers["etag"] == etag, patch
    changed = client.patch(url, json={"description": "变了"}, headers=member)
    assert changed.headers["etag"] != etag


def test_weak_etags_never_satisfy_if_match(client, factory):
    enterprise = factory.enterprise()
    member = factory.member_of(enterprise)
    url = f"/v1/enterprises/{enterprise.id}"
    etag = client.get(url).headers["etag"]
    for if_match in (f"W/{etag}", f'"0.0", W/{etag}'):
        weak = client.patch(
            url, json={"description": "x"}, headers={**member, "If-Match": if_match}
        )
        assert_problem(weak, 412)
    assert client.get(url).headers["etag"] == etag
    strong = client.patch(url, json={"description": "x"}, headers={**member, "If-Match": etag})
    assert strong.status_code == 200
