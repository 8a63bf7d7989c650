"""Plain factory functions for arranging test data in the test's own transaction."""

import itertools
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.service import issue_token
from app.enterprises.uscc import make_uscc
from app.models import (
    Account,
    Capability,
    Chain,
    ChainNode,
    Enterprise,
    EnterpriseTier,
    Event,
    EventSession,
    Meeting,
    Outcome,
    Registration,
    RegistrationWindow,
    Requirement,
)
from app.models.enums import (
    CapabilityStatus,
    ChainPosition,
    DockingKind,
    EnterpriseKind,
    EventStatus,
    LocalityPreference,
    MeetingStatus,
    OutcomeKind,
    RegistrationRole,
    RegistrationStatus,
    RequirementStatus,
    Role,
    Tier,
)

JIASHAN = "330421"  # 嘉善县, Jiaxing, Zhejiang
_serials = itertools.count(1)


class Factory:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _save(self, obj: Any) -> Any:
        self.session.add(obj)
        self.session.commit()
        return obj

    def enterprise(
        self,
        name: str = "嘉善测试企业有限公司",
        *,
        region_code: str = JIASHAN,
        kind: EnterpriseKind = EnterpriseKind.company,
        tiers: tuple[Tier, ...] = (),
        **fields: Any,
    ) -> Enterprise:
        enterprise = Enterprise(
            name=name,
            uscc=fields.pop("uscc", None) or make_uscc(region_code, next(_serials)),
            kind=kind,
            region_code=region_code,
            contact_person=fields.pop("contact_person", "张三"),
            contact_phone=fields.pop("contact_phone", "0573-84000000"),
            contact_email=fields.pop("contact_email", "sales@example.cn"),
            **fields,
        )
        enterprise.tier_rows = [EnterpriseTier(tier=t) for t in tiers]
        enterprise.refresh_search_text()
        return self._save(enterprise)

    def account(self, role: Role = Role.member, enterprise: Enterprise | None = None) -> Account:
        return self._save(
            Account(
                name=f"{role.value} {next(_serials)}",
                role=role,
                enterprise_id=enterprise.id if enterprise else None,
            )
        )

    def headers(
        self, role: Role = Role.member, enterprise: Enterprise | None = None, *, ttl_days: int = 1
    ) -> dict[str, str]:
        """Authorization headers for a fresh account of that role (and enterprise, for members)."""
        account = self.account(role, enterprise)
        _, secret = issue_token(self.session, account, "test", ttl_days=ttl_days)
        self.session.commit()
        return {"Authorization": f"Bearer {secret}"}

    def member_of(self, enterprise: Enterprise) -> dict[str, str]:
        return self.headers(Role.member, enterprise)

    def chain(self, slug: str = "pv-test", nodes: tuple[tuple[str, str, str], ...] = ()) -> Chain:
        """A chain with flat nodes given as (slug, name_zh, name_en)."""
        chain = self._save(
            Chain(slug=slug, name_zh="光伏", name_en="Photovoltaics", description="")
        )
        for i, (node_slug, zh, en) in enumerate(nodes):
            self.session.add(
                ChainNode(
                    chain_id=chain.id,
                    slug=node_slug,
                    name_zh=zh,
                    name_en=en,
                    position=ChainPosition.midstream,
                    sort_order=i,
                )
            )
        self.session.commit()
        return chain

    def module_chain(self, slug: str, apart: tuple[str, str, str]) -> tuple[Chain, dict[str, int]]:
        """A PV chain whose module node has junction box, EVA film and frame under it, and one
        node ``apart`` (slug, name_zh, name_en) at the top; returns the chain and node ids by slug."""
        chain = self.chain(slug, nodes=(("module", "组件", "PV module"),))
        module = self.session.scalars(select(ChainNode).filter_by(chain_id=chain.id)).one()
        nodes = {"module": module.id}
        under = (("junction-box", "接线盒", "Junction box"), ("eva-film", "EVA胶膜", "EVA film"))
        under += (("frame", "边框", "Frame"),)
        for parent, (node_slug, zh, en) in [(module.id, n) for n in under] + [(None, apart)]:
            node = ChainNode(
                chain_id=chain.id,
                parent_id=parent,
                slug=node_slug,
                name_zh=zh,
                name_en=en,
                position=ChainPosition.midstream,
            )
            self.session.add(node)
            self.session.flush()
            nodes[node_slug] = node.id
        self.session.commit()
        return chain, nodes

    def requirement(
        self, enterprise: Enterprise, title: str = "采购需求", **fields: Any
    ) -> Requirement:
        """An open requirement of the enterprise, without items."""
        requirement = Requirement(
            enterprise_id=enterprise.id,
            kind=fields.pop("kind", DockingKind.procurement),
            title=title,
            locality_preference=fields.pop("locality_preference", LocalityPreference.anywhere),
            status=fields.pop("status", RequirementStatus.open),
            **fields,
        )
        requirement.items, requirement.node_rows = [], []
        requirement.refresh_search_text()
        return self._save(requirement)

    def capability(
        self, enterprise: Enterprise, title: str = "供给能力", **fields: Any
    ) -> Capability:
        """An open capability of the enterprise."""
        capability = Capability(
            enterprise_id=enterprise.id,
            kind=fields.pop("kind", DockingKind.procurement),
            title=title,
            keywords=fields.pop("keywords", []),
            certifications=fields.pop("certifications", []),
            status=fields.pop("status", CapabilityStatus.open),
            **fields,
        )
        capability.refresh_search_text()
        return self._save(capability)

    def event(
        self,
        *,
        capacity: int = 100,
        status: EventStatus = EventStatus.registration_open,
        sessions: tuple[tuple[str, datetime, datetime], ...] | None = None,
        **fields: Any,
    ) -> Event:
        """A one-day docking event in Jiashan on EVENT_DAY, a morning session by default."""
        if sessions is None:
            sessions = (("上午场 morning", at(9), at(12)),)
        starts_on = fields.pop("starts_on", EVENT_DAY)
        event = Event(
            title=fields.pop("title", "新能源产业链供需对接会"),
            description=fields.pop("description", ""),
            kinds=fields.pop("kinds", ["procurement"]),
            venue=fields.pop("venue", "嘉善县会展中心"),
            region_code=fields.pop("region_code", JIASHAN),
            starts_on=starts_on,
            ends_on=fields.pop("ends_on", starts_on),
            slot_minutes=fields.pop("slot_minutes", 20),
            tables=fields.pop("tables", 10),
            capacity=capacity,
            status=status,
            **fields,
        )
        event.sessions = [EventSession(name=n, starts_at=s, ends_at=e) for n, s, e in sessions]
        return self._save(event)

    def registration(
        self,
        event: Event,
        enterprise: Enterprise,
        *,
        role: RegistrationRole = RegistrationRole.both,
        status: RegistrationStatus = RegistrationStatus.confirmed,
        windows: tuple[tuple[datetime, datetime], ...] = (),
    ) -> Registration:
        """A registration of the enterprise for the event, confirmed by default."""
        registration = Registration(
            event_id=event.id,
            enterprise_id=enterprise.id,
            role=role,
            status=status,
            queued_at=datetime.now(UTC),
        )
        registration.requirement_rows, registration.capability_rows = [], []
        registration.windows = [RegistrationWindow(starts_at=s, ends_at=e) for s, e in windows]
        return self._save(registration)

    def meeting(
        self,
        requester: Registration,
        invitee: Registration,
        *,
        status: MeetingStatus = MeetingStatus.accepted,
        score: float | None = None,
        **fields: Any,
    ) -> Meeting:
        """A meeting between two registrations of one event, accepted and unplaced by default."""
        meeting = Meeting(
            event_id=requester.event_id,
            requester_id=requester.id,
            invitee_id=invitee.id,
            status=status,
            score=score,
            confirmed=False,
            **fields,
        )
        meeting.seats = []
        return self._save(meeting)

    def outcome(
        self, buyer: Enterprise, supplier: Enterprise, kind: OutcomeKind, **fields: Any
    ) -> Outcome:
        """An outcome between two enterprises, recorded directly (figures tests)."""
        return self._save(
            Outcome(buyer_id=buyer.id, supplier_id=supplier.id, kind=kind, note="", **fields)
        )


ONE_DAY = timedelta(days=1)

EVENT_DAY = date(2026, 5, 20)
CST = timezone(timedelta(hours=8))  # China Standard Time, the service's default calendar


def at(hour: int, minute: int = 0, day: date = EVENT_DAY) -> datetime:
    """A moment on the event day (or ``day``), in China Standard Time."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CST)
