"""OWASP API3:2023 Broken Object Property Level Authorization.

Reading: fields a caller may not read never appear in any response it gets. Every GET route of
the app is swept (a new one is swept too) as the attacker, as the victim's counterpart before
their match is mutual, and as the victim and an admin, and each body is searched for the victim's
contact details, its member's email, and every token's secret and stored hash. Once the match is
mutual the counterpart does see the contact: the search can find what it looks for.

Writing: fields a caller may not set (owner, verified, tiers, role, active, statuses it has no
say over, server-owned fields) are refused with 403 or 422, and every table reads back unchanged;
those entitled to set them can. Request bodies forbid unknown fields, nested ones included.
"""

from collections.abc import Iterator
from typing import Any, get_args

import pytest
from fastapi.routing import iter_route_contexts
from pydantic import BaseModel
from sqlalchemy import select

from app.main import create_app
from app.models import ApiToken, Enterprise
from tests.security.world import (
    CALLS,
    SAFE,
    VICTIM_CONTACT,
    VICTIM_EMAIL,
    Maker,
    World,
    _c,
    app_routes,
    call_for,
    changed_tables,
    fingerprint,
    is_problem,
    realise,
    send,
)

APP = create_app()
GET_ROUTES = sorted(key for key in app_routes(APP) if key[0] in SAFE)
E = "/v1/events/{event}"
# Files are answers too: the CSV exports are searched as well (XLSX is zipped, CSV the same rows).
EXPORTS = [
    _c(E + "/agenda", format="csv"),
    _c(E + "/match-list", format="csv"),
    _c(E + "/tables", format="csv"),
    _c(E + "/gaps", format="csv"),
    _c("/v1/analytics/local-share", format="csv"),
]


def _sweep(client: Any, world: World, who: str) -> Iterator[tuple[str, str]]:
    """(url, body) of every GET route's usual request and of the exports, as ``who``."""
    calls = [call_for(key, world.ids) for key in GET_ROUTES]
    calls += [realise(maker, world.ids) for maker in EXPORTS]
    for call in calls:
        response = send(client, "GET", call, world.headers(who))
        assert response.status_code < 500, response.text
        yield call.url, response.text


def _secrets(session: Any, world: World) -> list[str]:
    hashes = list(session.scalars(select(ApiToken.token_hash)))
    return [*world.tokens.values(), *hashes]


def _leaks(client: Any, world: World, who: str, forbidden: list[str]) -> list[tuple[str, str]]:
    return [
        (url, secret)
        for url, body in _sweep(client, world, who)
        for secret in forbidden
        if secret in body
    ]


def test_every_get_route_is_swept():
    assert set(GET_ROUTES) <= CALLS.keys()


def test_others_never_read_the_victims_contact_email_or_any_token_secret(client, session, world):
    private = [*VICTIM_CONTACT, VICTIM_EMAIL, *_secrets(session, world)]
    assert _leaks(client, world, "attacker", private) == []
    # The counterpart of a match the victim is interested in, before it is interested too.
    assert _leaks(client, world, "partner", private) == []

    match = f"/v1/matches/{world.ids['req_open']}/{world.ids['partner_cap']}"
    mutual = client.put(match, json={"interest": "interested"}, headers=world.headers("partner"))
    assert mutual.status_code == 200 and mutual.json()["mutual"] is True
    contact = client.get(match, headers=world.headers("partner")).json()["counterpart_contact"]
    assert (contact["person"], contact["phone"], contact["email"]) == VICTIM_CONTACT
    # Mutual interest opens the contact to that counterpart, never to a bystander.
    assert _leaks(client, world, "attacker", private) == []


def test_token_secrets_and_hashes_are_shown_to_no_one_after_creation(client, session, world):
    created = client.post("/v1/tokens", json={"name": "ERP"}, headers=world.headers("victim"))
    assert created.status_code == 201 and created.json()["token"].startswith("cd_")
    world.tokens["erp"] = created.json()["token"]
    secrets = _secrets(session, world)
    for who in ("victim", "organiser", "admin"):
        assert _leaks(client, world, who, secrets) == [], who
    listed = client.get("/v1/tokens", headers=world.headers("victim")).json()
    assert all(set(token) >= {"prefix", "scopes"} for token in listed)
    assert not any({"token", "token_hash"} & set(token) for token in listed)


def test_staff_see_contacts_and_emails(client, world):
    """The other side of the rule: what members may not read, organisers may."""
    enterprise = client.get(
        f"/v1/enterprises/{world.ids['victim']}", headers=world.headers("organiser")
    )
    assert enterprise.json()["contact"]["email"] == VICTIM_CONTACT[2]
    accounts = client.get("/v1/accounts", headers=world.headers("organiser")).json()
    assert VICTIM_EMAIL in {account["email"] for account in accounts}


# --- writing ---------------------------------------------------------------------------------------

REQ, CAP = "/v1/requirements/{req_open}", "/v1/capabilities/{cap_open}"
ENTERPRISE, ACCOUNT = "/v1/enterprises/{victim}", "/v1/accounts/{victim_account}"
REG = E + "/registrations/{victim_registration}"
MEETING = E + "/meetings/{meeting}"
OUTCOME = "/v1/outcomes/{outcome}"
MATCH = "/v1/matches/{req_open}/{partner_cap}"

# (who, method, request, status): each refused, with nothing changed.
FORGED: list[tuple[str, str, Maker, int]] = [
    ("victim", "PATCH", _c(REQ, {"enterprise_id": "{attacker}"}), 422),
    ("victim", "PATCH", _c(REQ, {"status": "expired"}), 422),
    ("victim", "PATCH", _c(REQ, {"version": 99}), 422),
    ("victim", "POST", _c("/v1/requirements", {"title": "x", "id": 99}), 422),
    ("victim", "POST", _c("/v1/requirements", {"title": "x", "created_at": "2020-01-01"}), 422),
    ("attacker", "POST", _c("/v1/requirements", {"title": "x", "enterprise_id": "{victim}"}), 403),
    ("victim", "PATCH", _c(CAP, {"enterprise_id": "{attacker}"}), 422),
    ("attacker", "POST", _c("/v1/capabilities", {"title": "x", "enterprise_id": "{victim}"}), 403),
    ("victim", "PATCH", _c(ENTERPRISE, {"verified": True}), 403),
    ("organiser", "PATCH", _c(ENTERPRISE, {"verified": True}), 403),
    ("victim", "PATCH", _c(ENTERPRISE, {"tiers": ["chain_owner"]}), 403),
    ("victim", "PATCH", _c(ENTERPRISE, {"kind": "university"}), 403),
    ("victim", "PATCH", _c(ENTERPRISE, {"id": 1}), 422),
    ("victim", "PATCH", _c(ACCOUNT, {"role": "admin"}), 422),
    ("victim", "PATCH", _c(ACCOUNT, {"enterprise_id": "{attacker}"}), 422),
    ("victim", "PATCH", _c(ACCOUNT, {"active": False}), 403),
    ("organiser", "PATCH", _c("/v1/accounts/{admin_account}", {"name": "x"}), 403),
    ("organiser", "PATCH", _c("/v1/accounts/{admin_account}", {"active": False}), 403),
    ("organiser", "POST", _c("/v1/accounts", {"name": "x", "role": "admin"}), 403),
    ("victim", "POST", _c("/v1/tokens", {"name": "x", "account_id": "{partner_account}"}), 403),
    ("victim", "PATCH", _c(E, {"status": "closed"}), 403),
    ("victim", "PATCH", _c(REG, {"status": "confirmed"}), 422),
    ("victim", "PATCH", _c(REG, {"enterprise_id": "{attacker}"}), 422),
    ("victim", "POST", _c(E + "/registrations", {"role": "both", "status": "confirmed"}), 422),
    ("victim", "POST", _c(MEETING + "/accept"), 403),  # the requester cannot answer its own ask
    ("victim", "PATCH", _c(MEETING, {"confirmed": True}), 403),
    (
        "victim",
        "POST",
        _c(E + "/meetings", {"invitee_enterprise_id": "{partner}", "status": "accepted"}),
        422,
    ),
    ("victim", "PATCH", _c(OUTCOME, {"buyer_id": "{attacker}"}), 422),
    ("victim", "PATCH", _c(OUTCOME, {"recorded_by": "{attacker_account}"}), 422),
    (
        "attacker",
        "POST",
        _c(
            "/v1/outcomes",
            {
                "kind": "signed_order",
                "amount_yuan": 1,
                "requirement_id": "{req_open}",
                "capability_id": "{partner_cap}",
            },
        ),
        403,
    ),
    ("victim", "PUT", _c(MATCH, {"interest": "interested", "side": "supplier"}), 403),
    (
        "victim",
        "PUT",
        _c(MATCH, {"interest": "interested", "supplier_interest": "interested"}),
        422,
    ),
]


@pytest.mark.parametrize(
    ("who", "method", "maker", "status"),
    [pytest.param(*case, id=f"{case[0]} {case[1]} #{i}") for i, case in enumerate(FORGED)],
)
def test_fields_a_role_may_not_write_are_refused(
    client, connection, world, who, method, maker, status
):
    before = fingerprint(connection)
    call = realise(maker, world.ids)
    response = send(client, method, call, world.headers(who))
    assert response.status_code == status, response.text
    assert is_problem(response)
    if status == 422:  # refused for the forged field itself, named
        forged = list(call.json)[-1]
        assert f"body.{forged}" in [e["field"] for e in response.json()["errors"]]
    assert changed_tables(before, fingerprint(connection)) == []


# (who, method, request): those entitled set the same fields.
ENTITLED: list[tuple[str, str, Maker]] = [
    ("admin", "PATCH", _c(ENTERPRISE, {"verified": True})),
    ("organiser", "PATCH", _c(ENTERPRISE, {"tiers": ["chain_owner"], "kind": "university"})),
    ("admin", "PATCH", _c(ACCOUNT, {"active": False})),
    ("admin", "POST", _c("/v1/accounts", {"name": "x", "role": "organiser"})),
    ("organiser", "POST", _c("/v1/tokens", {"name": "x", "account_id": "{partner_account}"})),
    ("organiser", "PATCH", _c(E, {"status": "closed"})),
    ("partner", "POST", _c(MEETING + "/accept")),
    ("partner", "PUT", _c(MATCH, {"interest": "interested", "side": "supplier"})),
    ("organiser", "POST", _c("/v1/requirements", {"title": "x", "enterprise_id": "{victim}"})),
]


@pytest.mark.parametrize(
    ("who", "method", "maker"),
    [pytest.param(*case, id=f"{case[0]} {case[1]} #{i}") for i, case in enumerate(ENTITLED)],
)
def test_those_entitled_may_write_them(client, world, who, method, maker):
    response = send(client, method, realise(maker, world.ids), world.headers(who))
    assert response.status_code in (200, 201), response.text


@pytest.mark.parametrize("field", ["name", "name_en"])
def test_a_member_renaming_its_enterprise_loses_the_verified_badge(client, session, world, field):
    victim = session.get_one(Enterprise, world.ids["victim"])
    victim.verified = True
    session.commit()
    url = f"/v1/enterprises/{victim.id}"
    renamed = client.patch(url, json={field: "华为技术有限公司"}, headers=world.headers("victim"))
    assert renamed.status_code == 200 and renamed.json()["verified"] is False
    session.refresh(victim)
    assert victim.verified is False
    victim.verified = True
    session.commit()
    by_staff = client.patch(url, json={field: "员工核实的名称"}, headers=world.headers("organiser"))
    assert by_staff.json()["verified"] is True  # staff renaming vouch for it themselves


def _models(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        for field in annotation.model_fields.values():
            yield from _models(field.annotation)
        return
    for arg in get_args(annotation):
        yield from _models(arg)


def test_request_bodies_forbid_unknown_fields_at_every_depth():
    bodies = set()
    for route in iter_route_contexts(APP.routes):
        body = getattr(route, "body_field", None)
        if body is not None:
            bodies.update(_models(body.field_info.annotation))
    assert len(bodies) > 20
    lax = sorted(m.__name__ for m in bodies if m.model_config.get("extra") != "forbid")
    assert lax == []
