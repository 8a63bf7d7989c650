"""SQL for the local supply share: orders with their buyer's and supplier's regions and their
chain, and the names of the groups they fall in."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from app.models import Capability, Chain, Enterprise, EnterpriseTier, Outcome, Region, Requirement
from app.models.enums import OutcomeKind, Tier
from app.regions.scope import within_area


@dataclass(frozen=True)
class OrderFilters:
    kinds: tuple[OutcomeKind, ...]
    start: datetime | None = None  # recorded at or after
    end: datetime | None = None  # recorded before
    chain_id: int | None = None
    region: str | None = None  # the buyer lies inside (a region code or a cluster)
    owner_id: int | None = None  # the buyer


@dataclass(frozen=True)
class Order:
    recorded_at: datetime
    amount_yuan: Decimal | None
    buyer_id: int
    buyer_region: str
    buyer_province: str
    supplier_region: str
    chain_id: int | None  # the requirement's chain, else the capability's


def orders(session: Session, filters: OrderFilters) -> list[Order]:
    """The outcomes of those kinds passing the filters; an unknown region is a 422."""
    buyer, supplier, home = aliased(Enterprise), aliased(Enterprise), aliased(Region)
    chain = func.coalesce(Requirement.chain_id, Capability.chain_id)
    stmt = (
        select(
            Outcome.recorded_at,
            Outcome.amount_yuan,
            Outcome.buyer_id,
            buyer.region_code,
            home.province_code,
            supplier.region_code,
            chain,
        )
        .join(buyer, buyer.id == Outcome.buyer_id)
        .join(home, home.code == buyer.region_code)
        .join(supplier, supplier.id == Outcome.supplier_id)
        .outerjoin(Requirement, Requirement.id == Outcome.requirement_id)
        .outerjoin(Capability, Capability.id == Outcome.capability_id)
        .where(Outcome.kind.in_(filters.kinds))
        .order_by(Outcome.recorded_at, Outcome.id)
    )
    if filters.region is not None:
        stmt = stmt.where(
            within_area(session, buyer.region_code, filters.region, field="query.region")
        )
    if filters.start is not None:
        stmt = stmt.where(Outcome.recorded_at >= filters.start)
    if filters.end is not None:
        stmt = stmt.where(Outcome.recorded_at < filters.end)
    if filters.chain_id is not None:
        stmt = stmt.where(chain == filters.chain_id)
    if filters.owner_id is not None:
        stmt = stmt.where(Outcome.buyer_id == filters.owner_id)
    return [Order(*row) for row in session.execute(stmt)]


def chain_exists(session: Session, chain_id: int) -> bool:
    return session.get(Chain, chain_id) is not None


def enterprise_exists(session: Session, enterprise_id: int) -> bool:
    return session.get(Enterprise, enterprise_id) is not None


def enterprise_names(
    session: Session, ids: Iterable[int]
) -> dict[int, tuple[str, str | None, bool]]:
    """Each enterprise's name, English name and whether it is a chain owner."""
    ids = sorted(set(ids))
    owners = set(
        session.scalars(
            select(EnterpriseTier.enterprise_id).where(
                EnterpriseTier.enterprise_id.in_(ids), EnterpriseTier.tier == Tier.chain_owner
            )
        )
    )
    rows = session.execute(
        select(Enterprise.id, Enterprise.name, Enterprise.name_en).where(Enterprise.id.in_(ids))
    )
    return {id_: (name, name_en, id_ in owners) for id_, name, name_en in rows}


def chain_names(session: Session, ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    rows = session.execute(
        select(Chain.id, Chain.name_zh, Chain.name_en).where(Chain.id.in_(sorted(set(ids))))
    )
    return {id_: (zh, en) for id_, zh, en in rows}


def region_names(session: Session, codes: Iterable[str]) -> dict[str, str]:
    rows = session.execute(
        select(Region.code, Region.name).where(Region.code.in_(sorted(set(codes))))
    )
    return {code: name for code, name in rows}
