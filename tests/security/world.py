"""A small world for the security tests, and one concrete request for every route of the app.

Three enterprises: the *victim* V, whose objects the attacks aim at; its counterpart B (the other
side of V's match, meeting and outcome); and the *attacker* A, a member of none of it. V's contact
and its member's email are unique markers, so a test can search any response for them.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from fastapi import FastAPI
from fastapi.routing import iter_route_contexts
from sqlalchemy import Connection, select

from app.auth.service import issue_token
from app.models import Account, ApiToken, Base, ChainNode, GlossaryEntry, Match, RequirementItem
from app.models.enums import (
    ALL_SCOPES,
    CapabilityStatus,
    EventStatus,
    Interest,
    MeetingStatus,
    OutcomeKind,
    RequirementStatus,
    Role,
    TokenScope,
)
from tests.factories import Factory

SAFE = frozenset({"GET", "HEAD"})
VICTIM_CONTACT = ("保密联系人甲", "0573-99990001", "secret-victim@example.cn")
VICTIM_EMAIL = "victim-member@example.cn"
FUTURE = date.today() + timedelta(days=120)
REFERENCE_TABLES = frozenset({"regions"})  # thousands of rows no request may change


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@dataclass
class World:
    factory: Factory
    tokens: dict[str, str] = field(default_factory=dict)  # who -> secret
    ids: dict[str, int] = field(default_factory=dict)

    def headers(self, who: str) -> dict[str, str]:
        return bearer(self.tokens[who])

    def token(
        self,
        who: str,
        role: Role,
        enterprise: Any = None,
        scopes: tuple[TokenScope, ...] = ALL_SCOPES,
    ) -> int:
        account = self.factory.account(role, enterprise)
        _, secret = issue_token(self.factory.session, account, who, 1, scopes)
        self.factory.session.commit()
        self.tokens[who] = secret
        self.ids[f"{who}_account"] = account.id
        return account.id


def build_world(factory: Factory) -> World:
    session = factory.session
    world = World(factory)
    chain = factory.chain("sec-pv", nodes=(("jbox", "接线盒", "Junction box"),))
    node_id = session.scalars(select(ChainNode.id).where(ChainNode.chain_id == chain.id)).one()
    victim = factory.enterprise(
        "受害光伏有限公司",
        contact_person=VICTIM_CONTACT[0],
        contact_phone=VICTIM_CONTACT[1],
        contact_email=VICTIM_CONTACT[2],
    )
    partner = factory.enterprise("对方接线盒有限公司", region_code="310115")
    attacker = factory.enterprise("旁观者有限公司", region_code="330106")

    v_account = world.token("victim", Role.member, victim)
    session.get_one(Account, v_account).email = VICTIM_EMAIL
    session.commit()
    world.token("partner", Role.member, partner)
    world.token("attacker", Role.member, attacker)
    world.token("organiser", Role.organiser)
    world.token("admin", Role.admin)

    def requirement(status: RequirementStatus, title: str) -> int:
        req = factory.requirement(
            victim, title, status=status, chain_id=chain.id, valid_until=FUTURE
        )
        item = RequirementItem(
            requirement_id=req.id, position=0, name="光伏接线盒 junction box", node_id=node_id
        )
        session.add(item)
        session.commit()
        return req.id

    def capability(owner: Any, status: CapabilityStatus, title: str) -> int:
        return factory.capability(
            owner, title, status=status, chain_id=chain.id, keywords=["接线盒"]
        ).id

    ids = world.ids
    ids.update(
        chain=chain.id,
        node=node_id,
        victim=victim.id,
        partner=partner.id,
        attacker=attacker.id,
        victim_account=v_account,
        req_draft=requirement(RequirementStatus.draft, "草稿需求 draft junction box"),
        req_open=requirement(RequirementStatus.open, "公开需求 junction box"),
        cap_draft=capability(victim, CapabilityStatus.draft, "草稿能力 draft junction box"),
        cap_open=capability(victim, CapabilityStatus.open, "公开能力 junction box"),
        partner_cap=capability(partner, CapabilityStatus.open, "对方接线盒 junction box"),
        attacker_cap=capability(attacker, CapabilityStatus.open, "旁观者接线盒 junction box"),
        glossary=session.scalars(select(GlossaryEntry.id).order_by(GlossaryEntry.id)).first(),
    )
    ids["victim_token"] = session.scalars(
        select(ApiToken.id).where(ApiToken.account_id == v_account)
    ).one()
    match = Match(
        requirement_id=ids["req_open"],
        capability_id=ids["partner_cap"],
        buyer_id=victim.id,
        supplier_id=partner.id,
        buyer_interest=Interest.interested,
        supplier_interest=Interest.none,
    )
    session.add(match)
    event = factory.event(title="安全测试对接会")
    draft = factory.event(title="未发布对接会", status=EventStatus.draft)
    v_reg = factory.registration(event, victim)
    b_reg = factory.registration(event, partner)
    meeting = factory.meeting(v_reg, b_reg, status=MeetingStatus.requested)
    outcome = factory.outcome(
        victim, partner, OutcomeKind.intention, amount_yuan=Decimal("1000.00")
    )
    ids.update(
        event=event.id,
        draft_event=draft.id,
        victim_registration=v_reg.id,
        partner_registration=b_reg.id,
        meeting=meeting.id,
        outcome=outcome.id,
    )
    session.commit()
    return world


# --- one concrete request per route --------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    url: str
    json: Any = None
    params: dict[str, Any] | None = None


RouteKey = tuple[str, str]  # (method, path template)
Maker = Callable[[dict[str, int]], Call]


def _c(url: str, json: Any = None, **params: Any) -> Maker:
    """A request whose url (and body) name the world's ids, as in ``{req_draft}``."""
    return lambda ids: Call(url.format(**ids), json, params or None)


E = "/v1/events/{event}"
MEETING = E + "/meetings/{meeting}"
REG = E + "/registrations/{victim_registration}"

# Every route, with the request the tests send to it: object routes aim at the victim's objects.
CALLS: dict[RouteKey, Maker] = {
    ("GET", "/v1/me"): _c("/v1/me"),
    ("POST", "/v1/accounts"): _c(
        "/v1/accounts", {"name": "新成员", "role": "member", "enterprise_id": "{victim}"}
    ),
    ("GET", "/v1/accounts"): _c("/v1/accounts"),
    ("GET", "/v1/accounts/{account_id}"): _c("/v1/accounts/{victim_account}"),
    ("PATCH", "/v1/accounts/{account_id}"): _c("/v1/accounts/{victim_account}", {"name": "改名"}),
    ("POST", "/v1/tokens"): _c("/v1/tokens", {"name": "新令牌"}),
    ("GET", "/v1/tokens"): _c("/v1/tokens"),
    ("DELETE", "/v1/tokens/{token_id}"): _c("/v1/tokens/{victim_token}"),
    ("GET", "/v1/regions"): _c("/v1/regions", prefix="嘉善"),
    ("GET", "/v1/regions/{code}"): _c("/v1/regions/330421"),
    ("GET", "/v1/clusters"): _c("/v1/clusters"),
    ("GET", "/v1/clusters/{code}"): _c("/v1/clusters/yrd"),
    ("GET", "/v1/chains"): _c("/v1/chains"),
    ("POST", "/v1/chains"): _c(
        "/v1/chains", {"slug": "sec-new", "name_zh": "新链", "name_en": "New chain"}
    ),
    ("GET", "/v1/chains/{chain_id}"): _c("/v1/chains/{chain}"),
    ("PATCH", "/v1/chains/{chain_id}"): _c("/v1/chains/{chain}", {"name_en": "Renamed"}),
    ("DELETE", "/v1/chains/{chain_id}"): _c("/v1/chains/{chain}"),
    ("GET", "/v1/chains/{chain_id}/nodes"): _c("/v1/chains/{chain}/nodes"),
    ("POST", "/v1/chains/{chain_id}/nodes"): _c(
        "/v1/chains/{chain}/nodes",
        {"slug": "frame", "name_zh": "边框", "name_en": "Frame", "position": "midstream"},
    ),
    ("GET", "/v1/chain-nodes/{node_id}"): _c("/v1/chain-nodes/{node}"),
    ("PATCH", "/v1/chain-nodes/{node_id}"): _c("/v1/chain-nodes/{node}", {"name_en": "Box"}),
    ("DELETE", "/v1/chain-nodes/{node_id}"): _c("/v1/chain-nodes/{node}"),
    ("POST", "/v1/enterprises"): _c(
        "/v1/enterprises",
        {
            "name": "新企业",
            "uscc": "91330421MA2BCDEF0U",
            "kind": "company",
            "region_code": "330421",
        },
    ),
    ("GET", "/v1/enterprises"): _c("/v1/enterprises"),
    ("GET", "/v1/enterprises/{enterprise_id}"): _c("/v1/enterprises/{victim}"),
    ("PATCH", "/v1/enterprises/{enterprise_id}"): _c(
        "/v1/enterprises/{victim}", {"description": "被改了"}
    ),
    ("DELETE", "/v1/enterprises/{enterprise_id}"): _c("/v1/enterprises/{victim}"),
    ("GET", "/v1/requirements"): _c("/v1/requirements"),
    ("POST", "/v1/requirements"): _c("/v1/requirements", {"title": "新需求"}),
    ("GET", "/v1/requirements/{requirement_id}"): _c("/v1/requirements/{req_draft}"),
    ("PATCH", "/v1/requirements/{requirement_id}"): _c(
        "/v1/requirements/{req_draft}", {"title": "被改了"}
    ),
    ("DELETE", "/v1/requirements/{requirement_id}"): _c("/v1/requirements/{req_draft}"),
    ("GET", "/v1/capabilities"): _c("/v1/capabilities"),
    ("POST", "/v1/capabilities"): _c("/v1/capabilities", {"title": "新能力"}),
    ("GET", "/v1/capabilities/{capability_id}"): _c("/v1/capabilities/{cap_draft}"),
    ("PATCH", "/v1/capabilities/{capability_id}"): _c(
        "/v1/capabilities/{cap_draft}", {"title": "被改了"}
    ),
    ("DELETE", "/v1/capabilities/{capability_id}"): _c("/v1/capabilities/{cap_draft}"),
    ("GET", "/v1/glossary"): _c("/v1/glossary"),
    ("GET", "/v1/glossary/analyse"): _c("/v1/glossary/analyse", text="光伏接线盒"),
    ("POST", "/v1/glossary"): _c(
        "/v1/glossary", {"canonical": "security test", "spellings": ["安全测试词"]}
    ),
    ("GET", "/v1/glossary/{entry_id:int}"): _c("/v1/glossary/{glossary}"),
    ("PATCH", "/v1/glossary/{entry_id:int}"): _c("/v1/glossary/{glossary}", {"description": "x"}),
    ("DELETE", "/v1/glossary/{entry_id:int}"): _c("/v1/glossary/{glossary}"),
    ("GET", "/v1/requirements/{requirement_id}/matches"): _c(
        "/v1/requirements/{req_draft}/matches"
    ),
    ("GET", "/v1/capabilities/{capability_id}/matches"): _c("/v1/capabilities/{cap_draft}/matches"),
    ("PUT", "/v1/matches/{requirement_id}/{capability_id}"): _c(
        "/v1/matches/{req_open}/{partner_cap}", {"interest": "declined"}
    ),
    ("GET", "/v1/matches/{requirement_id}/{capability_id}"): _c(
        "/v1/matches/{req_open}/{partner_cap}"
    ),
    ("GET", "/v1/me/matches"): _c("/v1/me/matches"),
    ("GET", "/v1/events"): _c("/v1/events"),
    ("POST", "/v1/events"): _c(
        "/v1/events",
        {
            "title": "新对接会",
            "region_code": "330421",
            "starts_on": "2026-06-01",
            "tables": 5,
            "capacity": 20,
            "sessions": [
                {
                    "name": "上午场",
                    "starts_at": "2026-06-01T09:00:00+08:00",
                    "ends_at": "2026-06-01T12:00:00+08:00",
                }
            ],
        },
    ),
    ("GET", "/v1/events/{event_id}"): _c("/v1/events/{draft_event}"),
    ("PATCH", "/v1/events/{event_id}"): _c(E, {"title": "被改了"}),
    ("GET", "/v1/events/{event_id}/registrations"): _c(E + "/registrations"),
    ("POST", "/v1/events/{event_id}/registrations"): _c(
        E + "/registrations", {"enterprise_id": "{victim}", "role": "both"}
    ),
    ("GET", "/v1/events/{event_id}/registrations/{registration_id}"): _c(REG),
    ("PATCH", "/v1/events/{event_id}/registrations/{registration_id}"): _c(REG, {"role": "buyer"}),
    ("POST", "/v1/events/{event_id}/registrations/{registration_id}/withdraw"): _c(
        REG + "/withdraw"
    ),
    ("GET", "/v1/events/{event_id}/match-list"): _c(E + "/match-list"),
    ("GET", "/v1/events/{event_id}/gaps"): _c(E + "/gaps"),
    ("GET", "/v1/events/{event_id}/meetings"): _c(E + "/meetings"),
    ("POST", "/v1/events/{event_id}/meetings"): _c(
        E + "/meetings",
        {"requester_enterprise_id": "{victim}", "invitee_enterprise_id": "{partner}"},
    ),
    ("GET", "/v1/events/{event_id}/meetings/{meeting_id}"): _c(MEETING),
    ("PATCH", "/v1/events/{event_id}/meetings/{meeting_id}"): _c(MEETING, {"slot": 1, "table": 1}),
    ("POST", "/v1/events/{event_id}/meetings/{meeting_id}/accept"): _c(MEETING + "/accept"),
    ("POST", "/v1/events/{event_id}/meetings/{meeting_id}/decline"): _c(MEETING + "/decline"),
    ("POST", "/v1/events/{event_id}/meetings/{meeting_id}/cancel"): _c(MEETING + "/cancel"),
    ("POST", "/v1/events/{event_id}/schedule"): _c(E + "/schedule"),
    ("GET", "/v1/events/{event_id}/agenda"): _c(E + "/agenda", enterprise_id="{victim}"),
    ("GET", "/v1/events/{event_id}/tables"): _c(E + "/tables"),
    ("GET", "/v1/outcomes"): _c("/v1/outcomes"),
    ("POST", "/v1/outcomes"): _c(
        "/v1/outcomes",
        {
            "kind": "intention",
            "amount_yuan": 10,
            "requirement_id": "{req_open}",
            "capability_id": "{partner_cap}",
        },
    ),
    ("GET", "/v1/outcomes/{outcome_id}"): _c("/v1/outcomes/{outcome}"),
    ("PATCH", "/v1/outcomes/{outcome_id}"): _c("/v1/outcomes/{outcome}", {"note": "被改了"}),
    ("DELETE", "/v1/outcomes/{outcome_id}"): _c("/v1/outcomes/{outcome}"),
    ("GET", "/v1/events/{event_id}/stats"): _c("/v1/events/{draft_event}/stats"),
    ("GET", "/v1/stats/season"): _c("/v1/stats/season"),
    ("GET", "/v1/analytics/chains/{chain_id}/coverage"): _c(
        "/v1/analytics/chains/{chain}/coverage"
    ),
    ("GET", "/v1/analytics/chains/{chain_id}/weak-links"): _c(
        "/v1/analytics/chains/{chain}/weak-links"
    ),
    ("GET", "/v1/analytics/chains/{chain_id}/single-source"): _c(
        "/v1/analytics/chains/{chain}/single-source"
    ),
    ("GET", "/v1/analytics/local-share"): _c("/v1/analytics/local-share"),
    ("GET", "/v1/audit"): _c("/v1/audit"),
    ("GET", "/healthz"): _c("/healthz"),
    ("GET", "/readyz"): _c("/readyz"),
}


def app_routes(app: FastAPI) -> Iterator[RouteKey]:
    """Every (method, path) the app serves, its documentation pages left out."""
    for route in iter_route_contexts(app.routes):
        if not route.include_in_schema:
            continue
        for method in sorted(route.methods or ()):
            if method != "HEAD":
                yield method, route.path


def send(client: Any, method: str, call: Call, headers: dict[str, str]) -> Any:
    return client.request(method, call.url, json=call.json, params=call.params, headers=headers)


def realise(maker: Maker, ids: dict[str, int]) -> Call:
    """A request in this world: ids named in the body or query as "{victim}" filled in."""
    call = maker(ids)
    body = call.json
    if isinstance(body, dict):
        body = {k: _fill(v, ids) for k, v in body.items()}
    params = {k: _fill(v, ids) for k, v in call.params.items()} if call.params else None
    return Call(call.url, body, params)


def call_for(key: RouteKey, ids: dict[str, int]) -> Call:
    """The route's usual request in this world."""
    return realise(CALLS[key], ids)


def _fill(value: Any, ids: dict[str, int]) -> Any:
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    if isinstance(value, str) and value.startswith("{") and value.endswith("}"):
        return ids[value[1:-1]]
    return value


def fingerprint(connection: Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (but the reference regions), to compare before and after."""
    out = {}
    for table in Base.metadata.sorted_tables:
        if table.name in REFERENCE_TABLES:
            continue
        rows = connection.execute(select(table)).all()
        out[table.name] = sorted((tuple(row) for row in rows), key=repr)
    return out


def changed_tables(before: dict[str, list[Any]], after: dict[str, list[Any]]) -> list[str]:
    return [name for name in before if before[name] != after[name]]


def is_problem(response: Any) -> bool:
    return response.headers.get("content-type", "").startswith("application/problem+json")
