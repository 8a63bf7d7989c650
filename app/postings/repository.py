"""SQL for requirements and capabilities: loading with their parts, and the filtered list query."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import Select, Table, bindparam, exists, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from app.auth.principal import Principal
from app.errors import Unprocessable
from app.models import (
    Capability,
    CapabilityNode,
    Chain,
    ChainNode,
    Enterprise,
    EnterpriseTier,
    Requirement,
    RequirementItem,
    RequirementNode,
)
from app.postings.access import status_condition, visible_condition
from app.regions.scope import within_area

Posting = Requirement | Capability


def _enterprise_options(model: Any) -> Any:
    return joinedload(model.enterprise).selectinload(Enterprise.tier_rows)


REQUIREMENT_OPTIONS = (
    _enterprise_options(Requirement),
    selectinload(Requirement.items),
    selectinload(Requirement.node_rows),
)
CAPABILITY_OPTIONS = (
    _enterprise_options(Capability),
    selectinload(Capability.node_rows),
    selectinload(Capability.region_rows),
    selectinload(Capability.cluster_rows),
)


def options_for(model: type[Posting]) -> tuple[Any, ...]:
    return REQUIREMENT_OPTIONS if model is Requirement else CAPABILITY_OPTIONS


def get_posting(session: Session, model: type[Posting], posting_id: int) -> Any:
    stmt = select(model).options(*options_for(model)).where(model.id == posting_id)
    return session.scalars(stmt).one_or_none()


def get_for_edit(
    session: Session, model: type[Posting], posting_id: int, parts: Sequence[str]
) -> Any:
    """The posting's row with only the named child collections: an edit loads what it changes
    (a new description needs neither the enterprise nor the nodes)."""
    stmt = select(model).where(model.id == posting_id)
    if parts:
        stmt = stmt.options(*(selectinload(getattr(model, part)) for part in parts))
    return session.scalars(stmt).one_or_none()


@cache
def _stamp_of(model: type[Posting]) -> Select[Any]:
    table: Table = model.__table__  # type: ignore[assignment]
    names = ["id", "version", "status", "enterprise_id"]
    if model is Requirement:
        names.append("valid_until")
    return select(*(table.c[name] for name in names)).where(table.c.id == bindparam("id"))


def get_stamp(session: Session, model: type[Posting], posting_id: int) -> Any:
    """What says whether a posting changed and who may see it, without loading it: id, version,
    status, enterprise and (for requirements) valid_until."""
    return session.execute(_stamp_of(model), {"id": posting_id}).one_or_none()


def load_in_order(session: Session, model: type[Posting], ids: Sequence[int]) -> list[Any]:
    if not ids:
        return []
    rows = {
        p.id: p
        for p in session.scalars(
            select(model).options(*options_for(model)).where(model.id.in_(ids))
        )
    }
    return [rows[i] for i in ids if i in rows]


@dataclass(frozen=True)
class PostingFilters:
    chain_id: int | None = None
    node_id: int | None = None
    kind: str | None = None
    status: str | None = None
    tiers: tuple[str, ...] = field(default_factory=tuple)
    region: str | None = None
    enterprise_id: int | None = None
    verified: bool | None = None


def node_and_descendants(session: Session, node_id: int) -> list[int]:
    """The node and every node below it; an unknown node is a 422 naming `query.node`."""
    node = session.get(ChainNode, node_id)
    if node is None:
        raise Unprocessable(f"No chain node with id {node_id} exists.", field="query.node")
    children: dict[int | None, list[int]] = {}
    for child_id, parent_id in session.execute(
        select(ChainNode.id, ChainNode.parent_id).where(ChainNode.chain_id == node.chain_id)
    ):
        children.setdefault(parent_id, []).append(child_id)
    found, stack = [], [node_id]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children.get(current, []))
    return found


def filtered_select(
    session: Session,
    model: type[Posting],
    filters: PostingFilters,
    principal: Principal,
    today: date,
) -> Select[Any]:
    """Postings the principal may see that pass the filters (joined to their enterprise only
    when a filter asks about it: the newest-first page then reads one index)."""
    stmt = select(model).where(visible_condition(model, principal, today))
    if filters.region is not None or filters.verified is not None:
        stmt = stmt.join(Enterprise, model.enterprise_id == Enterprise.id)
    if filters.chain_id is not None:  # whether it exists is asked only of an empty page
        stmt = stmt.where(model.chain_id == filters.chain_id)
    if filters.node_id is not None:
        nodes = node_and_descendants(session, filters.node_id)
        if model is Requirement:
            stmt = stmt.where(
                model.id.in_(
                    select(RequirementNode.requirement_id).where(RequirementNode.node_id.in_(nodes))
                )
                | model.id.in_(
                    select(RequirementItem.requirement_id).where(RequirementItem.node_id.in_(nodes))
                )
            )
        else:
            stmt = stmt.where(
                model.id.in_(
                    select(CapabilityNode.capability_id).where(CapabilityNode.node_id.in_(nodes))
                )
            )
    if filters.kind is not None:
        stmt = stmt.where(model.kind == filters.kind)
    if filters.status is not None:
        stmt = stmt.where(status_condition(model, filters.status, today))
    for tier in filters.tiers:
        stmt = stmt.where(
            exists().where(
                EnterpriseTier.enterprise_id == model.enterprise_id, EnterpriseTier.tier == tier
            )
        )
    if filters.region is not None:
        located = (
            func.coalesce(Requirement.delivery_region_code, Enterprise.region_code)
            if model is Requirement
            else Enterprise.region_code
        )
        stmt = stmt.where(within_area(session, located, filters.region, field="query.region"))
    if filters.enterprise_id is not None:
        stmt = stmt.where(model.enterprise_id == filters.enterprise_id)
    if filters.verified is not None:
        stmt = stmt.where(Enterprise.verified == filters.verified)
    return stmt


def ensure_chain(session: Session, chain_id: int) -> None:
    """An unknown chain in a filter is a 422 naming `query.chain`."""
    if session.get(Chain, chain_id) is None:
        raise Unprocessable(f"No chain with id {chain_id} exists.", field="query.chain")


def search_rows(session: Session, stmt: Select[Any], model: type[Posting]) -> list[tuple[int, str]]:
    return [
        (row[0], row[1])
        for row in session.execute(stmt.with_only_columns(model.id, model.search_text))
    ]
