"""Plain factory functions for arranging test data in the test's own transaction."""

import itertools
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from app.auth.service import issue_token
from app.enterprises.uscc import make_uscc
from app.models import Account, Chain, ChainNode, Enterprise, EnterpriseTier
from app.models.enums import ChainPosition, EnterpriseKind, Role, Tier

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


ONE_DAY = timedelta(days=1)
