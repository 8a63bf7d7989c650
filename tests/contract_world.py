"""The data the contract fuzzer (tests/test_contract.py) runs against.

A small but complete docking market: two chains, three enterprises with members, open and draft
postings with line items, a match with interest, a glossary entry, a docking event with
registrations, a meeting and an outcome, and tokens for every role. Generated requests name these
objects in their path parameters (``WorldIds.path_parameters``) and carry one of the roles'
tokens (``WorldIds.role_for``), so the fuzzer reaches the handlers' real work, not only 401s and
404s.
"""

import hashlib
from dataclasses import dataclass, field
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from app.auth.service import issue_token
from app.models import Account, ChainNode
from app.models.enums import (
    EventStatus,
    MeetingStatus,
    OutcomeKind,
    RegistrationRole,
    RequirementStatus,
    Role,
    Tier,
)
from tests.factories import JIASHAN, Factory

SHANGHAI_PUDONG, HANGZHOU_XIHU = "310115", "330106"
ROLES = ("anonymous", "buyer", "supplier", "organiser", "admin")
REGION_CODES = (JIASHAN, "330400", "330000", SHANGHAI_PUDONG)
CLUSTER_CODES = ("yrd", "prd", "chengdu-chongqing")
# Body fields and query parameters that name an object, and the path parameter naming its kind.
REFERENCES = {
    **dict.fromkeys(
        ("enterprise_id", "enterprise", "owner")
        + ("buyer_enterprise_id", "requester_enterprise_id", "invitee_enterprise_id"),
        "enterprise_id",
    ),
    **dict.fromkeys(("chain_id", "chain", "chain_ids"), "chain_id"),
    **dict.fromkeys(("node_id", "node", "node_ids", "parent_id"), "node_id"),
    **dict.fromkeys(("capability_id", "capability_ids"), "capability_id"),
    **dict.fromkeys(("requirement_id", "requirement_ids"), "requirement_id"),
    **dict.fromkeys(("event_id", "event"), "event_id"),
    "meeting_id": "meeting_id",
    "account_id": "account_id",
}
REGION_FIELDS = {
    **dict.fromkeys(("region_code", "delivery_region_code", "parent"), REGION_CODES),
    **dict.fromkeys(("region", "within", "regions_served"), REGION_CODES + CLUSTER_CODES),
}


def stable_index(values: Any, modulo: int) -> int:
    """A deterministic index in ``range(modulo)`` for generated values (unlike ``hash``, which
    Python salts per process)."""
    digest = hashlib.sha256(repr(values).encode("utf-8", "backslashreplace")).digest()
    return int.from_bytes(digest[:8], "big") % modulo


@dataclass
class WorldIds:
    """Ids of the seeded objects, rows of path parameters that belong together, and tokens."""

    rows: dict[tuple[str, ...], list[tuple[Any, ...]]] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def add(self, names: tuple[str, ...], *rows: tuple[Any, ...]) -> None:
        self.rows.setdefault(names, []).extend(rows)

    def path_parameters(self, path: str, generated: dict[str, Any]) -> dict[str, Any]:
        """Real objects for a request's path parameters, or the generated values (one time in
        ``len(rows) + 1``, for the not-found answers)."""
        names = tuple(sorted(generated))
        if names == ("code",):
            codes = CLUSTER_CODES if path.startswith("/v1/clusters") else REGION_CODES
            rows: list[tuple[Any, ...]] = [(code,) for code in codes]
        else:
            rows = self.rows.get(names, [])
        pick = stable_index(sorted(generated.items()), len(rows) + 1)
        if pick == len(rows):
            return generated
        return dict(zip(names, rows[pick], strict=True))

    def references(self, container: Any) -> Any:
        """A query or body with the fields that name objects (``chain_id``, ``node_ids``,
        ``region_code``...) mostly pointing at real ones; other values are left as generated."""
        if isinstance(container, list):
            return [self.references(item) for item in container]
        if not isinstance(container, dict):
            return container
        out = {}
        for key, value in container.items():
            pool = self._pool(key)
            if pool and isinstance(value, list) and not any(isinstance(v, dict) for v in value):
                out[key] = [_pick(pool, v) for v in value]
            elif pool and not isinstance(value, dict | list):
                out[key] = _pick(pool, value)
            else:
                out[key] = self.references(value)
        return out

    def _pool(self, key: str) -> tuple[Any, ...]:
        if key in REGION_FIELDS:
            return REGION_FIELDS[key]
        rows = self.rows.get((REFERENCES[key],), []) if key in REFERENCES else []
        return tuple(row[0] for row in rows)

    def role_for(self, method: str, path: str, request: Any) -> str:
        return ROLES[stable_index((method, path, request), len(ROLES))]

    def authorization(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"} if role in self.tokens else {}


def _pick(pool: tuple[Any, ...], value: Any) -> Any:
    """One of the pool for a generated value (as text if it came as text), or the value itself
    one time in ``len(pool) + 1``; null stays null."""
    if value is None or isinstance(value, bool):
        return value
    pick = stable_index(value, len(pool) + 1)
    if pick == len(pool):
        return value
    return str(pool[pick]) if isinstance(value, str) else pool[pick]


def _token(factory: Factory, account: Account) -> tuple[int, str]:
    token, secret = issue_token(factory.session, account, "contract", ttl_days=1)
    factory.session.commit()
    return token.id, secret


def _created(response: Any) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    return response.json()


def seed_world(factory: Factory, client: TestClient) -> WorldIds:
    """Arrange the market with the factory (people, chains, the event) and the API (postings
    with items, the glossary, interest in a match), as a user would."""
    world = WorldIds()
    session = factory.session
    chain, nodes = factory.module_chain("pv-contract", apart=("inverter", "逆变器", "Inverter"))
    hydrogen = factory.chain("h2-contract", nodes=(("tank", "储氢瓶", "H2 tank"),))
    tank = session.scalars(select(ChainNode).filter_by(chain_id=hydrogen.id)).one().id
    buyer = factory.enterprise(
        "嘉善光伏链主有限公司", tiers=(Tier.chain_owner,), verified=True, region_code=JIASHAN
    )
    supplier = factory.enterprise(
        "上海接线盒有限公司", tiers=(Tier.srdi,), region_code=SHANGHAI_PUDONG
    )
    third = factory.enterprise("杭州胶膜有限公司", region_code=HANGZHOU_XIHU)

    accounts = {
        "buyer": factory.account(Role.member, buyer),
        "supplier": factory.account(Role.member, supplier),
        "organiser": factory.account(Role.organiser),
        "admin": factory.account(Role.admin),
    }
    token_ids = []
    for role, account in accounts.items():
        token_id, world.tokens[role] = _token(factory, account)
        token_ids.append(token_id)
    third_member = factory.account(Role.member, third)
    token_ids.append(_token(factory, third_member)[0])

    def post(path: str, body: dict[str, Any], role: str = "organiser") -> dict[str, Any]:
        return _created(client.post(path, json=body, headers=world.authorization(role)))

    requirement = post(
        "/v1/requirements",
        {
            "enterprise_id": buyer.id,
            "title": "光伏组件项目配套采购 PV module parts",
            "chain_id": chain.id,
            "node_ids": [nodes["module"]],
            "items": [
                {"name": "光伏接线盒 IP68 junction box", "node_id": nodes["junction-box"]},
                {"name": "EVA胶膜 EVA film", "node_id": nodes["eva-film"], "quantity": 5000},
            ],
            "delivery_region_code": JIASHAN,
            "budget_yuan": 1_200_000,
        },
    )
    draft = factory.requirement(buyer, "草稿需求 draft", status=RequirementStatus.draft)
    capabilities = [
        post(
            "/v1/capabilities",
            {
                "enterprise_id": supplier.id,
                "title": "光伏接线盒 junction box IP68",
                "chain_id": chain.id,
                "node_ids": [nodes["junction-box"]],
                "keywords": ["接线盒", "IP68"],
            },
        ),
        post(
            "/v1/capabilities",
            {
                "enterprise_id": third.id,
                "title": "EVA胶膜 EVA film",
                "chain_id": chain.id,
                "node_ids": [nodes["eva-film"]],
            },
        ),
    ]
    capability_ids = [c["id"] for c in capabilities]
    response = client.put(
        f"/v1/matches/{requirement['id']}/{capability_ids[0]}",
        json={"interest": "interested"},
        headers=world.authorization("buyer"),
    )
    assert response.status_code == 200, response.text
    entry = post(
        "/v1/glossary",
        {"canonical": "接线端子", "spellings": ["terminal block"], "chain_id": chain.id},
        "admin",
    )

    event = factory.event()
    draft_event = factory.event(title="草稿对接会 draft", status=EventStatus.draft)
    registrations = [
        factory.registration(event, buyer, role=RegistrationRole.buyer),
        factory.registration(event, supplier, role=RegistrationRole.supplier),
    ]
    meeting = factory.meeting(*registrations, status=MeetingStatus.requested)
    outcome = factory.outcome(buyer, supplier, OutcomeKind.intention, event_id=event.id)

    world.add(("account_id",), *[(a.id,) for a in [*accounts.values(), third_member]])
    world.add(("chain_id",), (chain.id,), (hydrogen.id,))
    world.add(("node_id",), *[(n,) for n in nodes.values()], (tank,))
    world.add(("enterprise_id",), (buyer.id,), (supplier.id,), (third.id,))
    world.add(("requirement_id",), (requirement["id"],), (draft.id,))
    world.add(("capability_id",), *[(c,) for c in capability_ids])
    world.add(
        ("capability_id", "requirement_id"), *[(c, requirement["id"]) for c in capability_ids]
    )
    world.add(("entry_id",), (entry["id"],))
    world.add(("event_id",), (event.id,), (draft_event.id,))
    world.add(("event_id", "registration_id"), *[(event.id, r.id) for r in registrations])
    world.add(("event_id", "meeting_id"), (event.id, meeting.id))
    world.add(("meeting_id",), (meeting.id,))
    world.add(("outcome_id",), (outcome.id,))
    world.add(("token_id",), *[(t,) for t in token_ids])
    return world
