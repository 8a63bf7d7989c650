from collections.abc import Sequence

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.base import ExecutableOption

from app.models import (
    Account,
    Capability,
    Chain,
    Enterprise,
    EnterpriseChain,
    EnterpriseTier,
    Outcome,
    Region,
    Registration,
    Requirement,
)
from app.models.enums import EnterpriseKind, Tier

# Everything an EnterpriseRead needs, loaded up front (relationships are lazy="raise").
READ_OPTIONS: tuple[ExecutableOption, ...] = (
    selectinload(Enterprise.tier_rows),
    selectinload(Enterprise.chain_rows),
    selectinload(Enterprise.region),
)


def get_enterprise(session: Session, enterprise_id: int) -> Enterprise | None:
    stmt = select(Enterprise).options(*READ_OPTIONS).where(Enterprise.id == enterprise_id)
    return session.scalars(stmt).one_or_none()


def enterprises_by_ids(session: Session, ids: Sequence[int]) -> list[Enterprise]:
    """The enterprises with these ids, in the order given."""
    if not ids:
        return []
    stmt = select(Enterprise).options(*READ_OPTIONS).where(Enterprise.id.in_(ids))
    by_id = {e.id: e for e in session.scalars(stmt)}
    return [by_id[i] for i in ids if i in by_id]


def find_by_uscc(session: Session, uscc: str) -> Enterprise | None:
    return session.scalars(select(Enterprise).where(Enterprise.uscc == uscc)).one_or_none()


def get_region(session: Session, code: str) -> Region | None:
    return session.get(Region, code)


def chain_exists(session: Session, chain_id: int) -> bool:
    return session.get(Chain, chain_id) is not None


def missing_chain_ids(session: Session, chain_ids: Sequence[int]) -> list[int]:
    if not chain_ids:
        return []
    found = set(session.scalars(select(Chain.id).where(Chain.id.in_(chain_ids))))
    return [i for i in chain_ids if i not in found]


def dependents(session: Session, enterprise_id: int) -> dict[str, int]:
    """How many requirements, capabilities, accounts, event registrations (withdrawn ones too:
    they keep the enterprise's meetings) and recorded outcomes still belong to the enterprise."""
    counts = {}
    for label, model in (
        ("requirements", Requirement),
        ("capabilities", Capability),
        ("accounts", Account),
        ("event registrations", Registration),
    ):
        stmt = select(func.count()).select_from(model).where(model.enterprise_id == enterprise_id)
        counts[label] = session.scalar(stmt) or 0
    either_side = or_(Outcome.buyer_id == enterprise_id, Outcome.supplier_id == enterprise_id)
    counts["outcomes"] = session.scalar(select(func.count()).where(either_side)) or 0
    return counts


def list_conditions(
    *,
    kind: EnterpriseKind | None = None,
    tiers: Sequence[Tier] = (),
    region_condition: ColumnElement[bool] | None = None,
    chain_id: int | None = None,
    verified: bool | None = None,
) -> list[ColumnElement[bool]]:
    """WHERE conditions for the list filters; an enterprise must have every tier given."""
    conditions: list[ColumnElement[bool]] = []
    if kind is not None:
        conditions.append(Enterprise.kind == kind)
    for tier in tiers:
        with_tier = select(EnterpriseTier.enterprise_id).where(EnterpriseTier.tier == tier)
        conditions.append(Enterprise.id.in_(with_tier))
    if region_condition is not None:
        conditions.append(region_condition)
    if chain_id is not None:
        in_chain = select(EnterpriseChain.enterprise_id).where(EnterpriseChain.chain_id == chain_id)
        conditions.append(Enterprise.id.in_(in_chain))
    if verified is not None:
        conditions.append(Enterprise.verified == verified)
    return conditions


def list_statement(conditions: Sequence[ColumnElement[bool]]) -> Select[tuple[Enterprise]]:
    """Enterprises matching ``conditions``, with what a read needs; not yet ordered."""
    return select(Enterprise).options(*READ_OPTIONS).where(*conditions)


def search_rows(
    session: Session, conditions: Sequence[ColumnElement[bool]]
) -> list[tuple[int, str]]:
    """(id, search_text) of the enterprises matching ``conditions``, for fuzzy matching."""
    rows = session.execute(select(Enterprise.id, Enterprise.search_text).where(*conditions))
    return [(row.id, row.search_text) for row in rows]
