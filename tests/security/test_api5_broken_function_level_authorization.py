"""OWASP API5:2023 Broken Function Level Authorization.

Every route of the app is in exactly one of PUBLIC, SIGNED_IN, STAFF and ADMIN (a new route fails
``test_every_route_is_classified`` until someone decides). Staff and admin functions refuse
members, even the enterprise that owns the object, and admin functions refuse organisers, with
nothing changed; the people entitled to them get past authorisation. Token scopes limit functions
too: a read-only token cannot call any function but reads, and only a token with `admin` creates
or changes accounts and tokens.
"""

import pytest
from fastapi.routing import iter_route_contexts

from app.auth.dependencies import optional_principal
from app.main import create_app
from app.models import Enterprise
from app.models.enums import Role, TokenScope
from tests.security.world import (
    SAFE,
    RouteKey,
    app_routes,
    call_for,
    changed_tables,
    fingerprint,
    is_problem,
    send,
)

ADMIN: set[RouteKey] = {
    ("DELETE", "/v1/chains/{chain_id}"),
    ("DELETE", "/v1/enterprises/{enterprise_id}"),
    ("GET", "/v1/audit"),
}
STAFF: set[RouteKey] = {
    ("POST", "/v1/accounts"),
    ("GET", "/v1/accounts"),
    ("POST", "/v1/chains"),
    ("PATCH", "/v1/chains/{chain_id}"),
    ("POST", "/v1/chains/{chain_id}/nodes"),
    ("PATCH", "/v1/chain-nodes/{node_id}"),
    ("DELETE", "/v1/chain-nodes/{node_id}"),
    ("POST", "/v1/enterprises"),
    ("POST", "/v1/glossary"),
    ("PATCH", "/v1/glossary/{entry_id:int}"),
    ("DELETE", "/v1/glossary/{entry_id:int}"),
    ("POST", "/v1/events"),
    ("PATCH", "/v1/events/{event_id}"),
    ("GET", "/v1/events/{event_id}/gaps"),
    ("PATCH", "/v1/events/{event_id}/meetings/{meeting_id}"),
    ("POST", "/v1/events/{event_id}/schedule"),
    ("GET", "/v1/events/{event_id}/tables"),
}
SIGNED_IN: set[RouteKey] = {  # any account; what it may reach is API1's question
    ("GET", "/v1/me"),
    ("GET", "/v1/accounts/{account_id}"),
    ("PATCH", "/v1/accounts/{account_id}"),
    ("POST", "/v1/tokens"),
    ("GET", "/v1/tokens"),
    ("DELETE", "/v1/tokens/{token_id}"),
    ("PATCH", "/v1/enterprises/{enterprise_id}"),
    ("POST", "/v1/requirements"),
    ("PATCH", "/v1/requirements/{requirement_id}"),
    ("DELETE", "/v1/requirements/{requirement_id}"),
    ("POST", "/v1/capabilities"),
    ("PATCH", "/v1/capabilities/{capability_id}"),
    ("DELETE", "/v1/capabilities/{capability_id}"),
    ("PUT", "/v1/matches/{requirement_id}/{capability_id}"),
    ("GET", "/v1/matches/{requirement_id}/{capability_id}"),
    ("GET", "/v1/me/matches"),
    ("GET", "/v1/events/{event_id}/registrations"),
    ("POST", "/v1/events/{event_id}/registrations"),
    ("GET", "/v1/events/{event_id}/registrations/{registration_id}"),
    ("PATCH", "/v1/events/{event_id}/registrations/{registration_id}"),
    ("POST", "/v1/events/{event_id}/registrations/{registration_id}/withdraw"),
    ("GET", "/v1/events/{event_id}/match-list"),
    ("GET", "/v1/events/{event_id}/meetings"),
    ("POST", "/v1/events/{event_id}/meetings"),
    ("GET", "/v1/events/{event_id}/meetings/{meeting_id}"),
    ("POST", "/v1/events/{event_id}/meetings/{meeting_id}/accept"),
    ("POST", "/v1/events/{event_id}/meetings/{meeting_id}/decline"),
    ("POST", "/v1/events/{event_id}/meetings/{meeting_id}/cancel"),
    ("GET", "/v1/events/{event_id}/agenda"),
    ("GET", "/v1/outcomes"),
    ("POST", "/v1/outcomes"),
    ("GET", "/v1/outcomes/{outcome_id}"),
    ("PATCH", "/v1/outcomes/{outcome_id}"),
    ("DELETE", "/v1/outcomes/{outcome_id}"),
    ("GET", "/v1/analytics/chains/{chain_id}/coverage"),
    ("GET", "/v1/analytics/chains/{chain_id}/weak-links"),
    ("GET", "/v1/analytics/chains/{chain_id}/single-source"),
    ("GET", "/v1/analytics/local-share"),
}
PUBLIC: set[RouteKey] = {  # anonymous callers too (drafts stay hidden: API1)
    ("GET", "/v1/regions"),
    ("GET", "/v1/regions/{code}"),
    ("GET", "/v1/clusters"),
    ("GET", "/v1/clusters/{code}"),
    ("GET", "/v1/chains"),
    ("GET", "/v1/chains/{chain_id}"),
    ("GET", "/v1/chains/{chain_id}/nodes"),
    ("GET", "/v1/chain-nodes/{node_id}"),
    ("GET", "/v1/enterprises"),
    ("GET", "/v1/enterprises/{enterprise_id}"),
    ("GET", "/v1/requirements"),
    ("GET", "/v1/requirements/{requirement_id}"),
    ("GET", "/v1/capabilities"),
    ("GET", "/v1/capabilities/{capability_id}"),
    ("GET", "/v1/glossary"),
    ("GET", "/v1/glossary/analyse"),
    ("GET", "/v1/glossary/{entry_id:int}"),
    ("GET", "/v1/requirements/{requirement_id}/matches"),
    ("GET", "/v1/capabilities/{capability_id}/matches"),
    ("GET", "/v1/events"),
    ("GET", "/v1/events/{event_id}"),
    ("GET", "/v1/events/{event_id}/stats"),
    ("GET", "/v1/stats/season"),
    ("GET", "/healthz"),
    ("GET", "/readyz"),
}
# Creating and changing accounts and tokens needs the `admin` scope besides `write`.
ACCOUNT_MANAGEMENT: set[RouteKey] = {
    ("POST", "/v1/accounts"),
    ("PATCH", "/v1/accounts/{account_id}"),
    ("POST", "/v1/tokens"),
    ("DELETE", "/v1/tokens/{token_id}"),
}

APP = create_app()
ROUTES = sorted(app_routes(APP))


def _ids(keys):
    return [pytest.param(key, id=f"{key[0]} {key[1]}") for key in sorted(keys)]


def _uses_tokens(key: RouteKey) -> bool:
    """Whether the route looks at the caller's token (some public reads never do)."""

    def calls(dependant):
        for sub in dependant.dependencies:
            yield sub.call
            yield from calls(sub)

    for route in iter_route_contexts(APP.routes):
        if route.path == key[1] and key[0] in (route.methods or ()):
            return optional_principal in set(calls(route.dependant))
    raise AssertionError(f"no route {key}")


def test_every_route_is_classified():
    classes = (PUBLIC, SIGNED_IN, STAFF, ADMIN)
    unknown = [key for key in ROUTES if not any(key in c for c in classes)]
    assert not unknown, f"classify these routes as PUBLIC, SIGNED_IN, STAFF or ADMIN: {unknown}"
    assert sum(len(c) for c in classes) == len(set().union(*classes)), "a route in two classes"
    assert set().union(*classes) == set(ROUTES), "classes name routes the app no longer has"
    assert ACCOUNT_MANAGEMENT <= SIGNED_IN | STAFF


def test_every_write_goes_through_the_token_check():
    """Scopes are checked, and the audit actor named, in one dependency: no write may skip it."""
    skipping = [key for key in ROUTES if key[0] not in SAFE and not _uses_tokens(key)]
    assert skipping == []


def _refused(client, connection, world, key, who, status=403):
    before = fingerprint(connection)
    call = call_for(key, world.ids)
    response = send(client, key[0], call, world.headers(who) if who else {})
    assert response.status_code == status, response.text
    assert is_problem(response)
    assert changed_tables(before, fingerprint(connection)) == []
    return response


def _allowed(client, world, key, who):
    response = send(client, key[0], call_for(key, world.ids), world.headers(who))
    assert response.status_code not in (401, 403), response.text


@pytest.mark.parametrize("key", _ids(STAFF | ADMIN))
def test_staff_functions_refuse_members(client, connection, world, key):
    # The victim's own member: owning the event's registration or the enterprise is not enough.
    response = _refused(client, connection, world, key, "victim")
    assert "admins" in response.json()["detail"]
    _refused(client, connection, world, key, None, status=401)
    _allowed(client, world, key, "organiser" if key in STAFF else "admin")


@pytest.mark.parametrize("key", _ids(ADMIN))
def test_admin_functions_refuse_organisers(client, connection, world, key):
    response = _refused(client, connection, world, key, "organiser")
    assert response.json()["detail"] == "Only admins may do this."


@pytest.mark.parametrize("key", _ids(SIGNED_IN))
def test_signed_in_functions_refuse_anonymous_callers(client, connection, world, key):
    _refused(client, connection, world, key, None, status=401)


@pytest.mark.parametrize("key", _ids(PUBLIC))
def test_public_reads_need_no_token(client, world, key):
    response = send(client, key[0], call_for(key, world.ids), {})
    assert response.status_code in (200, 404), response.text  # drafts are a 404 (API1)


# --- token scopes --------------------------------------------------------------------------------


@pytest.mark.parametrize("key", _ids(k for k in ROUTES if k[0] not in SAFE))
def test_a_read_only_token_cannot_call_any_write(client, connection, world, key):
    world.token("reader", Role.admin, scopes=(TokenScope.read,))
    response = _refused(client, connection, world, key, "reader")
    problem = response.json()
    assert problem["type"].endswith("/insufficient-scope")
    assert "lacks the `write`" in problem["detail"]
    assert 'scope="write' in response.headers["www-authenticate"]


@pytest.mark.parametrize("key", _ids(k for k in ROUTES if k[0] in SAFE))
def test_a_token_without_read_cannot_read(client, world, key):
    world.token("writer", Role.admin, scopes=(TokenScope.write, TokenScope.admin))
    response = send(client, key[0], call_for(key, world.ids), world.headers("writer"))
    if not _uses_tokens(key):  # it ignores every token: the caller gets what anonymous gets
        assert response.status_code == 200
        return
    assert response.status_code == 403, response.text
    assert "`read` scope" in response.json()["detail"]


@pytest.mark.parametrize("key", _ids(ACCOUNT_MANAGEMENT))
def test_account_management_needs_the_admin_scope(client, connection, world, key):
    world.token("integration", Role.admin, scopes=(TokenScope.read, TokenScope.write))
    response = _refused(client, connection, world, key, "integration")
    assert "`admin` scope" in response.json()["detail"]
    assert 'scope="admin"' in response.headers["www-authenticate"]


def test_a_token_without_admin_still_writes_postings(client, world):
    victim = world.factory.session.get(Enterprise, world.ids["victim"])
    world.token("integration", Role.member, victim, scopes=(TokenScope.read, TokenScope.write))
    headers = world.headers("integration")
    created = client.post("/v1/requirements", json={"title": "ERP 同步的需求"}, headers=headers)
    assert created.status_code == 201, created.text
    assert (
        client.get(f"/v1/requirements/{created.json()['id']}", headers=headers).status_code == 200
    )
