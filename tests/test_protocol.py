"""HTTP-level answers the contract fuzzer (tests/test_contract.py) caught breaking the contract."""

import pytest

from app.models.enums import Role

PROBLEM = "application/problem+json"


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PUT", "/v1/accounts", "GET, POST"),
        ("DELETE", "/v1/accounts/1", "GET, PATCH"),
        ("POST", "/v1/enterprises/1", "DELETE, GET, PATCH"),
        ("OPTIONS", "/v1/events/1/meetings", "GET, POST"),
        ("DELETE", "/v1/me", "GET"),
    ],
)
def test_method_not_allowed_names_every_method_of_the_path(client, method, path, allowed):
    """Starlette's 405 named only the methods of the first route matching the path (GET for
    /v1/accounts, which also takes POST); `Allow` must list them all (RFC 9110, 15.5.6)."""
    response = client.request(method, path)
    assert response.status_code == 405
    assert response.headers["allow"] == allowed
    assert response.headers["content-type"].startswith(PROBLEM)
    assert allowed in response.json()["detail"]


def test_a_body_that_is_not_utf8_is_malformed_json(client, factory):
    """Bytes that are not UTF-8 were FastAPI's bare "There was an error parsing the body"."""
    response = client.post(
        "/v1/chains",
        content=b'{"slug": "\xff\xfe"}',
        headers={**factory.headers(Role.admin), "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.headers["content-type"].startswith(PROBLEM)
    problem = response.json()
    assert problem["type"].endswith("/malformed-json") and "UTF-8" in problem["detail"]
    assert client.get("/v1/chains", params={"slug": "\ufffd\ufffd"}).json()["items"] == []


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_a_literal_path_is_not_taken_for_an_id(client, factory, method):
    """PATCH /v1/glossary/analyse was routed to PATCH /v1/glossary/{entry_id}: a 401 without a
    token, a 422 with one. `analyse` is no entry id; the path only takes GET."""
    for headers in ({}, factory.headers(Role.admin)):
        response = client.request(method, "/v1/glossary/analyse", headers=headers)
        assert response.status_code == 405, response.text
        assert response.headers["allow"] == "GET"
    assert client.get("/v1/glossary/abc").status_code == 404


def test_booleans_are_json_booleans(client, factory):
    """`{"active": 0}` deactivated an account and `{"verified": "yes"}` verified an enterprise:
    pydantic's lax mode reads numbers and words as booleans, the document says boolean."""
    admin = factory.headers(Role.admin)
    enterprise = factory.enterprise()
    member = factory.account(Role.member, enterprise)
    for value in (0, 1, "yes", "false"):
        response = client.patch(f"/v1/accounts/{member.id}", json={"active": value}, headers=admin)
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == "body.active"
        response = client.patch(
            f"/v1/enterprises/{enterprise.id}", json={"verified": value}, headers=admin
        )
        assert response.status_code == 422, response.text
    assert client.get(f"/v1/accounts/{member.id}", headers=admin).json()["active"] is True
    assert client.get(f"/v1/enterprises/{enterprise.id}").json()["verified"] is False
    response = client.patch(f"/v1/accounts/{member.id}", json={"active": False}, headers=admin)
    assert response.status_code == 200 and response.json()["active"] is False


def test_booleans_are_not_numbers(client, factory):
    """`POST /v1/tokens {"account_id": true}` made a token for account 1: lax pydantic reads true
    as 1 in a number field. JSON booleans are accepted in boolean fields only."""
    admin = factory.headers(Role.admin)
    response = client.post("/v1/tokens", json={"name": "ci", "account_id": True}, headers=admin)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "body.account_id"
    body = {
        "enterprise_id": factory.enterprise().id,
        "title": "采购",
        "items": [{"name": "接线盒", "quantity": True}],
    }
    response = client.post("/v1/requirements", json=body, headers=admin)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "body.items.0.quantity"


@pytest.mark.parametrize("value", [0, "0", 1779235200, "20260520", "2026-05-20T00:00:00"])
def test_dates_are_iso_text(client, factory, value):
    """`GET /v1/events?to=0` listed events up to 1970-01-01: a number (or numeric text) was read as
    a Unix timestamp. Dates are `YYYY-MM-DD`, moments ISO 8601 with a time zone."""
    response = client.get("/v1/events", params={"to": value})
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "query.to"
    organiser = factory.headers(Role.organiser)
    body = {"enterprise_id": factory.enterprise().id, "title": "采购", "valid_until": value}
    response = client.post("/v1/requirements", json=body, headers=organiser)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "body.valid_until"


def test_moments_are_iso_text(client, factory):
    organiser = factory.headers(Role.organiser)
    session = {"name": "上午场", "starts_at": 1779238800, "ends_at": "2026-05-20T12:00:00+08:00"}
    body = {
        "title": "对接会",
        "venue": "嘉善",
        "region_code": "330421",
        "starts_on": "2026-05-20",
        "slot_minutes": 20,
        "tables": 10,
        "capacity": 100,
        "sessions": [session],
    }
    response = client.post("/v1/events", json=body, headers=organiser)
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "body.sessions.0.starts_at"
    session["starts_at"] = "2026-05-20T09:00:00+08:00"
    assert client.post("/v1/events", json=body, headers=organiser).status_code == 201


def test_nul_in_the_glossary_search_is_a_422(client):
    """`GET /v1/glossary?q=%00` was a 500 on PostgreSQL (text cannot hold NUL): the one query
    parameter that skipped the NUL check every other text parameter has."""
    response = client.get("/v1/glossary", params={"q": "a\x00"})
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "query.q"
