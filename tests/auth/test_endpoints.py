from datetime import timedelta

from sqlalchemy import event, insert

from app.db.types import utcnow
from app.models import Account, ApiToken
from app.models.enums import Role


def test_token_lifecycle_create_use_list_revoke(client, factory):
    admin = factory.headers(Role.admin, ttl_days=30)
    created = client.post(
        "/v1/tokens", json={"name": "ERP sync", "expires_in_days": 7}, headers=admin
    )
    assert created.status_code == 201, created.text
    body = created.json()
    secret = body["token"]
    assert secret.startswith("cd_") and body["prefix"] == secret[:10]

    me = client.get("/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert me.status_code == 200 and me.json()["role"] == "admin"

    listed = client.get("/v1/tokens", headers=admin).json()
    assert {t["name"] for t in listed} >= {"ERP sync"}
    assert all("token" not in t and "token_hash" not in t for t in listed)

    assert client.delete(f"/v1/tokens/{body['id']}", headers=admin).status_code == 204
    refused = client.get("/v1/me", headers={"Authorization": f"Bearer {secret}"})
    assert refused.status_code == 401
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert "revoked" in refused.json()["detail"]


def test_secret_is_stored_hashed(client, factory, session):
    headers = factory.headers(Role.organiser)
    secret = client.post("/v1/tokens", json={"name": "x"}, headers=headers).json()["token"]
    stored = session.query(ApiToken).filter(ApiToken.name == "x").one()
    assert secret not in (stored.token_hash, stored.prefix) and len(stored.token_hash) == 64


def test_expired_and_unknown_tokens_are_refused(client, factory, session):
    headers = factory.headers(Role.member, factory.enterprise())
    token = session.query(ApiToken).order_by(ApiToken.id.desc()).first()
    token.expires_at = utcnow() - timedelta(seconds=1)
    session.commit()
    assert "expired" in client.get("/v1/me", headers=headers).json()["detail"]
    unknown = client.get("/v1/me", headers={"Authorization": "Bearer cd_nope"})
    assert unknown.status_code == 401 and unknown.headers["www-authenticate"].startswith("Bearer")


def test_member_cannot_revoke_or_list_anothers_tokens(client, factory):
    owner = factory.headers(Role.organiser)
    token_id = client.post("/v1/tokens", json={"name": "mine"}, headers=owner).json()["id"]
    member = factory.member_of(factory.enterprise())
    assert client.delete(f"/v1/tokens/{token_id}", headers=member).status_code == 404
    owner_id = client.get("/v1/me", headers=owner).json()["id"]
    assert (
        client.get("/v1/tokens", params={"account_id": owner_id}, headers=member).status_code == 403
    )
    still = client.get("/v1/tokens", headers=owner).json()
    assert any(t["id"] == token_id and t["revoked_at"] is None for t in still)


def test_accounts_roles(client, factory):
    enterprise = factory.enterprise()
    organiser = factory.headers(Role.organiser)
    member = client.post(
        "/v1/accounts",
        json={"name": "采购部 李四", "email": "li@example.cn", "enterprise_id": enterprise.id},
        headers=organiser,
    )
    assert member.status_code == 201, member.text
    assert member.json()["role"] == "member"
    promote = client.post("/v1/accounts", json={"name": "x", "role": "admin"}, headers=organiser)
    assert promote.status_code == 403
    dup = client.post(
        "/v1/accounts",
        json={"name": "again", "email": "li@example.cn", "enterprise_id": enterprise.id},
        headers=organiser,
    )
    assert dup.status_code == 409
    lonely = client.post("/v1/accounts", json={"name": "no firm"}, headers=organiser)
    assert lonely.status_code == 422 and lonely.json()["errors"]
    by_member = client.post(
        "/v1/accounts",
        json={"name": "x", "enterprise_id": enterprise.id},
        headers=factory.member_of(enterprise),
    )
    assert by_member.status_code == 403


def test_forged_fields_on_token_request_are_refused(client, factory):
    headers = factory.headers(Role.member, factory.enterprise())
    forged = client.post("/v1/tokens", json={"name": "x", "token_hash": "0" * 64}, headers=headers)
    assert forged.status_code == 422
    assert forged.json()["errors"][0]["field"] == "body.token_hash"
    someone_else = factory.account()
    other = client.post(
        "/v1/tokens", json={"name": "x", "account_id": someone_else.id}, headers=headers
    )
    assert other.status_code == 403


def test_patch_account_refuses_nulls_where_a_value_is_required(client, factory):
    admin = factory.headers(Role.admin)
    account = factory.account(Role.member, factory.enterprise())
    url = f"/v1/accounts/{account.id}"
    for field in ("name", "active"):
        response = client.patch(url, json={field: None}, headers=admin)
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == f"body.{field}"
    cleared = client.patch(url, json={"email": None}, headers=admin)  # email is optional
    assert cleared.status_code == 200 and cleared.json()["email"] is None
    assert client.get(url, headers=admin).json()["name"] == account.name


def test_an_email_taken_by_a_concurrent_request_is_409(client, factory, connection):
    """Another request commits the same email between our check and our insert."""
    organiser = factory.headers(Role.organiser)
    enterprise = factory.enterprise()
    raced = False

    def concurrent_insert(conn, cursor, statement, parameters, context, executemany):
        nonlocal raced
        if not raced and statement.lstrip().upper().startswith("INSERT INTO ACCOUNTS"):
            raced = True
            conn.execute(
                insert(Account).values(name="racer", email="race@example.cn", role=Role.admin)
            )

    event.listen(connection, "before_cursor_execute", concurrent_insert)
    try:
        response = client.post(
            "/v1/accounts",
            json={"name": "slow", "email": "race@example.cn", "enterprise_id": enterprise.id},
            headers=organiser,
        )
    finally:
        event.remove(connection, "before_cursor_execute", concurrent_insert)
    assert raced
    assert response.status_code == 409, response.text
    assert "race@example.cn" in response.json()["detail"]
