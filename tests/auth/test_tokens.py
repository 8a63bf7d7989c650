"""Token lifetimes: a token never outlives the token that made it nor the configured maximum;
staff issue and manage tokens for the member accounts they look after."""

from datetime import datetime, timedelta

from app.config import get_settings
from app.db.types import utcnow
from app.models.enums import Role


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def expires(body: dict) -> datetime:
    return datetime.fromisoformat(body["expires_at"])


def test_a_token_cannot_mint_one_that_outlives_it(client, factory):
    short = factory.headers(Role.member, factory.enterprise(), ttl_days=3)
    creator = client.get("/v1/tokens", headers=short).json()[0]

    too_long = client.post("/v1/tokens", json={"name": "x", "expires_in_days": 730}, headers=short)
    assert too_long.status_code == 422
    problem = too_long.json()
    assert problem["errors"][0]["field"] == "body.expires_in_days"
    assert "cannot outlive the token that creates it" in problem["detail"]
    assert "at most 2 days" in problem["detail"]

    fits = client.post("/v1/tokens", json={"name": "x", "expires_in_days": 2}, headers=short)
    assert fits.status_code == 201, fits.text
    default = client.post("/v1/tokens", json={"name": "default"}, headers=short)
    assert default.status_code == 201, default.text
    assert expires(default.json()) <= expires(creator)  # 90 days by default, cut to fit

    # Revoking the creator leaves nothing of it alive for longer than it would have lived.
    child = default.json()
    grandchild = client.post("/v1/tokens", json={"name": "g"}, headers=bearer(child["token"]))
    assert expires(grandchild.json()) <= expires(child) <= expires(creator)


def test_the_configured_maximum_is_named(client, factory):
    admin = factory.headers(Role.admin, ttl_days=3000)
    limit = get_settings().token_max_ttl_days
    over = client.post(
        "/v1/tokens", json={"name": "x", "expires_in_days": limit + 1}, headers=admin
    )
    assert over.status_code == 422
    assert f"the longest a token may live is {limit} days" in over.json()["detail"]
    assert over.json()["errors"][0]["field"] == "body.expires_in_days"
    most = client.post("/v1/tokens", json={"name": "x", "expires_in_days": limit}, headers=admin)
    assert most.status_code == 201
    assert expires(most.json()) - utcnow() > timedelta(days=limit - 1)
    absurd = client.post("/v1/tokens", json={"name": "x", "expires_in_days": 10**9}, headers=admin)
    assert absurd.status_code == 422  # never an overflow


def test_staff_issue_and_manage_tokens_for_member_accounts(client, factory):
    enterprise = factory.enterprise()
    member = factory.account(Role.member, enterprise)
    organiser = factory.headers(Role.organiser, ttl_days=30)

    issued = client.post(
        "/v1/tokens", json={"name": "ERP", "account_id": member.id}, headers=organiser
    )
    assert issued.status_code == 201, issued.text
    assert issued.json()["account_id"] == member.id
    me = client.get("/v1/me", headers=bearer(issued.json()["token"])).json()
    assert me["id"] == member.id and me["role"] == "member"

    listed = client.get("/v1/tokens", params={"account_id": member.id}, headers=organiser)
    assert [t["id"] for t in listed.json()] == [issued.json()["id"]]
    revoked = client.delete(f"/v1/tokens/{issued.json()['id']}", headers=organiser)
    assert revoked.status_code == 204
    assert client.get("/v1/me", headers=bearer(issued.json()["token"])).status_code == 401

    other_organiser = factory.account(Role.organiser)
    refused = client.post(
        "/v1/tokens", json={"name": "x", "account_id": other_organiser.id}, headers=organiser
    )
    assert refused.status_code == 403 and "member accounts" in refused.json()["detail"]
    listing = client.get("/v1/tokens", params={"account_id": other_organiser.id}, headers=organiser)
    assert listing.status_code == 403
    missing = client.post(
        "/v1/tokens", json={"name": "x", "account_id": 2_147_483_647}, headers=organiser
    )
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "body.account_id"

    admin = factory.headers(Role.admin, ttl_days=30)
    for_organiser = client.post(
        "/v1/tokens", json={"name": "x", "account_id": other_organiser.id}, headers=admin
    )
    assert for_organiser.status_code == 201
    peer = client.post(
        "/v1/tokens",
        json={"name": "x", "account_id": member.id},
        headers=factory.member_of(enterprise),
    )
    assert peer.status_code == 403
