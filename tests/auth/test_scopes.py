"""Token scopes: `read` for GET, `write` for the rest, `admin` besides to manage accounts and
tokens; a token grants no scope it lacks itself; the command line makes scoped tokens too.
(Every route's refusal is in tests/security/test_api5_broken_function_level_authorization.py.)"""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app import cli
from app.main import create_app
from app.models import ApiToken
from app.models.enums import Role


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_a_read_only_token_reads_and_writes_nothing(client, factory):
    member = factory.member_of(factory.enterprise())
    made = client.post("/v1/tokens", json={"name": "dashboard", "scopes": ["read"]}, headers=member)
    assert made.status_code == 201, made.text
    assert made.json()["scopes"] == ["read"]
    reader = bearer(made.json()["token"])

    assert client.get("/v1/me", headers=reader).status_code == 200
    refused = client.post("/v1/requirements", json={"title": "接线盒"}, headers=reader)
    assert refused.status_code == 403
    problem = refused.json()
    assert problem["type"] == "https://chaindock.dev/problems/insufficient-scope"
    assert "lacks the `write` scope" in problem["detail"] and "it has: read" in problem["detail"]
    assert refused.headers["www-authenticate"] == (
        'Bearer realm="chaindock", error="insufficient_scope", scope="write"'
    )
    assert client.get("/v1/requirements", headers=member).json()["items"] == []
    listed = {t["name"]: t["scopes"] for t in client.get("/v1/tokens", headers=member).json()}
    assert listed == {"test": ["read", "write", "admin"], "dashboard": ["read"]}


def test_a_token_grants_no_scope_it_lacks(client, factory):
    admin = factory.headers(Role.admin)
    limited = client.post(
        "/v1/tokens", json={"name": "minter", "scopes": ["write", "admin"]}, headers=admin
    ).json()
    minter = bearer(limited["token"])

    beyond = client.post("/v1/tokens", json={"name": "x", "scopes": ["read"]}, headers=minter)
    assert beyond.status_code == 403
    assert "cannot grant scopes it does not hold" in beyond.json()["detail"]
    assert "not read" in beyond.json()["detail"]
    default = client.post("/v1/tokens", json={"name": "child"}, headers=minter)
    assert default.status_code == 201 and default.json()["scopes"] == ["write", "admin"]
    narrower = client.post("/v1/tokens", json={"name": "w", "scopes": ["write"]}, headers=minter)
    assert narrower.json()["scopes"] == ["write"]
    # Without `admin`, no more tokens at all, even narrower ones.
    writer = bearer(narrower.json()["token"])
    again = client.post("/v1/tokens", json={"name": "y", "scopes": ["write"]}, headers=writer)
    assert again.status_code == 403 and "`admin`" in again.json()["detail"]


def test_staff_scope_the_tokens_they_issue_for_members(client, factory):
    member = factory.account(Role.member, factory.enterprise())
    organiser = factory.headers(Role.organiser)
    issued = client.post(
        "/v1/tokens",
        json={"name": "ERP", "account_id": member.id, "scopes": ["read", "write"]},
        headers=organiser,
    )
    assert issued.status_code == 201 and issued.json()["scopes"] == ["read", "write"]
    erp = bearer(issued.json()["token"])
    assert client.post("/v1/requirements", json={"title": "x"}, headers=erp).status_code == 201
    assert client.post("/v1/tokens", json={"name": "z"}, headers=erp).status_code == 403


@pytest.mark.parametrize(
    ("scopes", "field"),
    [([], "body.scopes"), (["delete"], "body.scopes.0"), ("read", "body.scopes")],
)
def test_scopes_must_be_known_and_not_empty(client, factory, scopes, field):
    admin = factory.headers(Role.admin)
    bad = client.post("/v1/tokens", json={"name": "x", "scopes": scopes}, headers=admin)
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == field


def test_scopes_are_kept_once_in_a_fixed_order(client, factory):
    admin = factory.headers(Role.admin)
    made = client.post(
        "/v1/tokens", json={"name": "x", "scopes": ["admin", "read", "read"]}, headers=admin
    )
    assert made.json()["scopes"] == ["read", "admin"]


def test_the_command_line_makes_scoped_tokens(migrated_engine: Engine, monkeypatch, capsys):
    monkeypatch.setattr(cli, "get_engine", lambda: migrated_engine)
    cli.main(["create-token", "--role", "admin", "--scope", "read", "--days", "1"])
    secret = capsys.readouterr().out.strip()
    cli.main(["create-token", "--role", "organiser", "--days", "1"])
    full = capsys.readouterr().out.strip()
    with Session(migrated_engine) as session:
        rows = session.execute(select(ApiToken.prefix, ApiToken.scopes))
        stored = {prefix: scopes for prefix, scopes in rows}
    assert stored == {secret[:10]: ["read"], full[:10]: ["read", "write", "admin"]}

    with TestClient(create_app(migrated_engine)) as client:
        assert client.get("/v1/me", headers=bearer(secret)).json()["role"] == "admin"
        refused = client.post("/v1/chains", json={}, headers=bearer(secret))
        assert refused.status_code == 403 and "`write`" in refused.json()["detail"]
