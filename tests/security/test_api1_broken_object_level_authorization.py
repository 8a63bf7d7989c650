"""OWASP API1:2023 Broken Object Level Authorization.

Every route that names an object in its path is in OBJECT_ROUTES, with what a member of another
enterprise (the attacker) gets when it aims at the victim's object: hidden objects are a 404,
objects it may see but not change a 403, lists scoped to the caller leave the victim's objects
out, and a few routes serve data everyone may see. A refused request changes nothing in the
database (every table is read back) and writes no audit entry; and the same request from someone
entitled to it gets past authorisation, so the refusal is not a mistyped URL.

A new route with a path parameter fails ``test_every_object_route_is_covered`` until it is added.
"""

from dataclasses import dataclass

import pytest

from app.main import create_app
from tests.security.world import (
    CALLS,
    Maker,
    RouteKey,
    _c,
    app_routes,
    changed_tables,
    fingerprint,
    is_problem,
    realise,
    send,
)


@dataclass(frozen=True)
class Refused:
    status: int  # 404: it may not know the object exists; 403: it may see it; 422: in a body
    control: str  # who may do it: their request must not be refused
    call: Maker | None = None  # instead of the route's usual request (tests/security/world.py)


@dataclass(frozen=True)
class Filtered:
    hidden: tuple[str, ...]  # the victim's objects the attacker's list must leave out
    control: str  # who sees them in the same list
    call: Maker | None = None


@dataclass(frozen=True)
class Shared:
    reason: str  # why anyone signed in may read it


Case = Refused | Filtered | Shared


def hidden(control: str = "victim", call: Maker | None = None) -> Refused:
    return Refused(404, control, call)


def refused(control: str, call: Maker | None = None) -> Refused:
    return Refused(403, control, call)


E = "/v1/events/{event}"
REFERENCE = Shared("reference data, the same for everyone")
TAXONOMY = Shared("the chain taxonomy is public; only staff change it")
OPEN_REQUIREMENT = "/v1/requirements/{req_open}"
OPEN_CAPABILITY = "/v1/capabilities/{cap_open}"

OBJECT_ROUTES: dict[RouteKey, list[Case]] = {
    ("GET", "/v1/accounts/{account_id}"): [hidden()],
    ("PATCH", "/v1/accounts/{account_id}"): [hidden()],
    ("DELETE", "/v1/tokens/{token_id}"): [hidden()],
    ("GET", "/v1/regions/{code}"): [REFERENCE],
    ("GET", "/v1/clusters/{code}"): [REFERENCE],
    ("GET", "/v1/chains/{chain_id}"): [TAXONOMY],
    ("PATCH", "/v1/chains/{chain_id}"): [refused("organiser")],
    ("DELETE", "/v1/chains/{chain_id}"): [refused("admin")],
    ("GET", "/v1/chains/{chain_id}/nodes"): [TAXONOMY],
    ("POST", "/v1/chains/{chain_id}/nodes"): [refused("organiser")],
    ("GET", "/v1/chain-nodes/{node_id}"): [TAXONOMY],
    ("PATCH", "/v1/chain-nodes/{node_id}"): [refused("organiser")],
    ("DELETE", "/v1/chain-nodes/{node_id}"): [refused("organiser")],
    ("GET", "/v1/enterprises/{enterprise_id}"): [
        Shared("the public profile; its contact is hidden (API3)")
    ],
    ("PATCH", "/v1/enterprises/{enterprise_id}"): [refused("victim")],
    ("DELETE", "/v1/enterprises/{enterprise_id}"): [refused("admin")],
    ("GET", "/v1/requirements/{requirement_id}"): [hidden()],
    ("PATCH", "/v1/requirements/{requirement_id}"): [
        hidden(),
        refused("victim", _c(OPEN_REQUIREMENT, {"title": "被改了"})),
        refused("victim", _c(OPEN_REQUIREMENT, {"status": "closed"})),
    ],
    ("DELETE", "/v1/requirements/{requirement_id}"): [
        hidden(),
        refused("victim", _c(OPEN_REQUIREMENT)),
    ],
    ("GET", "/v1/capabilities/{capability_id}"): [hidden()],
    ("PATCH", "/v1/capabilities/{capability_id}"): [
        hidden(),
        refused("victim", _c(OPEN_CAPABILITY, {"title": "被改了"})),
        refused("victim", _c(OPEN_CAPABILITY, {"status": "paused"})),
    ],
    ("DELETE", "/v1/capabilities/{capability_id}"): [
        hidden(),
        refused("victim", _c(OPEN_CAPABILITY)),
    ],
    ("GET", "/v1/glossary/{entry_id:int}"): [
        Shared("the glossary is public; only staff change it")
    ],
    ("PATCH", "/v1/glossary/{entry_id:int}"): [refused("organiser")],
    ("DELETE", "/v1/glossary/{entry_id:int}"): [refused("organiser")],
    ("GET", "/v1/requirements/{requirement_id}/matches"): [hidden()],
    ("GET", "/v1/capabilities/{capability_id}/matches"): [hidden()],
    ("PUT", "/v1/matches/{requirement_id}/{capability_id}"): [
        refused("victim"),
        refused(
            "partner",
            _c(
                "/v1/matches/{req_open}/{partner_cap}",
                {"interest": "interested", "side": "supplier"},
            ),
        ),
    ],
    ("GET", "/v1/matches/{requirement_id}/{capability_id}"): [hidden()],
    ("GET", "/v1/events/{event_id}"): [hidden("organiser")],
    ("PATCH", "/v1/events/{event_id}"): [refused("organiser")],
    ("GET", "/v1/events/{event_id}/registrations"): [
        Filtered(("victim_registration", "partner_registration"), "victim")
    ],
    ("POST", "/v1/events/{event_id}/registrations"): [refused("organiser")],
    ("GET", "/v1/events/{event_id}/registrations/{registration_id}"): [hidden()],
    ("PATCH", "/v1/events/{event_id}/registrations/{registration_id}"): [hidden()],
    ("POST", "/v1/events/{event_id}/registrations/{registration_id}/withdraw"): [hidden()],
    ("GET", "/v1/events/{event_id}/match-list"): [refused("victim")],
    ("GET", "/v1/events/{event_id}/gaps"): [refused("organiser")],
    ("GET", "/v1/events/{event_id}/meetings"): [
        Filtered(("meeting",), "victim"),
        refused("victim", _c(E + "/meetings", enterprise="{victim}")),
    ],
    ("POST", "/v1/events/{event_id}/meetings"): [refused("organiser")],
    ("GET", "/v1/events/{event_id}/meetings/{meeting_id}"): [hidden()],
    ("PATCH", "/v1/events/{event_id}/meetings/{meeting_id}"): [refused("organiser")],
    ("POST", "/v1/events/{event_id}/meetings/{meeting_id}/accept"): [hidden("partner")],
    ("POST", "/v1/events/{event_id}/meetings/{meeting_id}/decline"): [hidden("partner")],
    ("POST", "/v1/events/{event_id}/meetings/{meeting_id}/cancel"): [hidden()],
    ("POST", "/v1/events/{event_id}/schedule"): [refused("organiser")],
    ("GET", "/v1/events/{event_id}/agenda"): [refused("victim")],
    ("GET", "/v1/events/{event_id}/tables"): [refused("organiser")],
    ("GET", "/v1/outcomes/{outcome_id}"): [hidden()],
    ("PATCH", "/v1/outcomes/{outcome_id}"): [hidden()],
    ("DELETE", "/v1/outcomes/{outcome_id}"): [hidden()],
    ("GET", "/v1/events/{event_id}/stats"): [hidden("organiser")],
    ("GET", "/v1/analytics/chains/{chain_id}/coverage"): [
        Shared("figures over open postings, naming no contact")
    ],
    ("GET", "/v1/analytics/chains/{chain_id}/weak-links"): [
        Shared("figures over open postings, naming no contact")
    ],
    ("GET", "/v1/analytics/chains/{chain_id}/single-source"): [
        Shared("figures over open postings, naming no contact")
    ],
}

# Objects named in a query or a body rather than the path: the same rules hold. A reference to
# an object the caller may not see is a 422 naming the field, as for one that does not exist.
REFERENCES: dict[RouteKey, list[Case]] = {
    ("GET", "/v1/tokens"): [refused("organiser", _c("/v1/tokens", account_id="{victim_account}"))],
    ("POST", "/v1/tokens"): [
        refused("organiser", _c("/v1/tokens", {"name": "x", "account_id": "{victim_account}"}))
    ],
    ("GET", "/v1/me/matches"): [
        refused("organiser", _c("/v1/me/matches", enterprise_id="{victim}"))
    ],
    ("GET", "/v1/analytics/local-share"): [
        refused("victim", _c("/v1/analytics/local-share", owner="{victim}"))
    ],
    ("GET", "/v1/outcomes"): [
        Filtered(("outcome",), "victim", _c("/v1/outcomes", enterprise="{victim}"))
    ],
    ("POST", "/v1/outcomes"): [
        Refused(
            422,
            "victim",
            _c("/v1/outcomes", {"kind": "project_landing", "meeting_id": "{meeting}"}),
        ),
        Refused(
            422,
            "victim",
            _c(
                "/v1/outcomes",
                {
                    "kind": "project_landing",
                    "requirement_id": "{req_draft}",
                    "capability_id": "{attacker_cap}",
                },
            ),
        ),
    ],
    ("POST", "/v1/events/{event_id}/registrations"): [
        Refused(
            422,
            "victim",
            _c(E + "/registrations", {"role": "buyer", "requirement_ids": ["{req_open}"]}),
        )
    ],
    ("PUT", "/v1/matches/{requirement_id}/{capability_id}"): [
        hidden("victim", _c("/v1/matches/{req_draft}/{attacker_cap}", {"interest": "declined"}))
    ],
}

CASES = [
    pytest.param(key, case, id=f"{key[0]} {key[1]} #{i}")
    for key, cases in OBJECT_ROUTES.items()
    for i, case in enumerate(cases)
] + [
    pytest.param(key, case, id=f"{key[0]} {key[1]} reference #{i}")
    for key, cases in REFERENCES.items()
    for i, case in enumerate(cases)
]


def test_every_object_route_is_covered():
    routes = {key for key in app_routes(create_app()) if "{" in key[1]}
    missing = sorted(routes - OBJECT_ROUTES.keys())
    assert not missing, f"routes with a path parameter but no object-level check here: {missing}"
    assert not OBJECT_ROUTES.keys() - routes, "OBJECT_ROUTES names routes the app no longer has"
    assert routes <= CALLS.keys()


def _send(client, world, key, case, who):
    call = realise(getattr(case, "call", None) or CALLS[key], world.ids)
    return send(client, key[0], call, world.headers(who))


@pytest.mark.parametrize(("key", "case"), CASES)
def test_another_enterprise_cannot_reach_the_victims_object(client, connection, world, key, case):
    before = fingerprint(connection)
    response = _send(client, world, key, case, "attacker")

    if isinstance(case, Shared):
        assert response.status_code == 200, response.text
        return
    if isinstance(case, Filtered):
        assert response.status_code == 200, response.text
        hidden = {world.ids[name] for name in case.hidden}
        assert not hidden & {item["id"] for item in response.json()["items"]}
        seen = _send(client, world, key, case, case.control).json()["items"]
        assert hidden & {item["id"] for item in seen}, "the control should see them"
        return

    assert response.status_code == case.status, response.text
    assert is_problem(response) and response.json()["detail"]
    if case.status == 422:  # the app's refusal of the reference, not a malformed request
        assert response.json()["type"].endswith("/unprocessable"), response.text
    assert changed_tables(before, fingerprint(connection)) == []
    control = _send(client, world, key, case, case.control)
    assert control.status_code not in (401, 403, 404, 422), control.text
