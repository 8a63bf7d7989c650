"""Postings as answers show them, loaded with plain queries: rows, not mapped objects.

Reading postings only to show them needs none of what the ORM keeps for writing them (identity
map, change tracking, relationship loaders), and that bookkeeping was most of a read's cost.
These loaders give objects with the attributes the mapped classes offer for reading (``items``,
``node_ids``, ``regions_served``, ``enterprise`` with its ``tiers`` and contact), so the same
functions (``app.postings.reads``, the access checks) shape either into an answer.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Column, ColumnElement, Table, select
from sqlalchemy.orm import Session

from app.models import (
    CapabilityCluster,
    CapabilityNode,
    CapabilityRegion,
    Enterprise,
    EnterpriseTier,
    Requirement,
    RequirementItem,
    RequirementNode,
)
from app.models.enums import DockingKind, Tier
from app.postings.repository import Posting
from app.postings.schemas import EnterpriseSummary

# What an answer shows of the enterprise behind a posting: its summary and its contact.
ENTERPRISE = tuple(
    Enterprise.__table__.c[name]
    for name in (
        "id",
        "name",
        "kind",
        "region_code",
        "verified",
        "contact_person",
        "contact_phone",
        "contact_email",
    )
)
_TIER_ORDER = {tier: i for i, tier in enumerate(Tier)}


def _shown(table: Table) -> list[Column[Any]]:
    return [column for column in table.c if column.name != "search_text"]


def load(
    session: Session,
    model: type[Posting],
    ids: Sequence[int],
    where: ColumnElement[bool] | None = None,
) -> list[SimpleNamespace]:
    """The postings among ``ids`` that exist (and meet ``where``), in the order of ``ids``,
    with their parts and enterprise: three queries for requirements, four for capabilities."""
    table: Table = model.__table__  # type: ignore[assignment]
    postings = _with_enterprises(session, table, _shown(table), ids, where)
    if not postings:
        return []
    if model is Requirement:
        _requirement_parts(session, postings)
    else:
        _capability_parts(session, postings)
    return [postings[i] for i in ids if i in postings]


@dataclass(frozen=True)
class Summary:
    id: int
    title: str
    kind: DockingKind
    enterprise_id: int
    enterprise: EnterpriseSummary


def summaries(session: Session, model: type[Posting], ids: Sequence[int]) -> dict[int, Summary]:
    """Postings by id with what a match list shows of them (title, kind, enterprise and its
    tiers), without their parts: one query however many."""
    table: Table = model.__table__  # type: ignore[assignment]
    columns = [table.c.id, table.c.title, table.c.kind, table.c.enterprise_id]
    return {
        p.id: Summary(
            p.id, p.title, p.kind, p.enterprise_id, EnterpriseSummary.model_validate(p.enterprise)
        )
        for p in _with_enterprises(session, table, columns, ids).values()
    }


def _with_enterprises(
    session: Session,
    table: Table,
    columns: Sequence[Column[Any]],
    ids: Sequence[int],
    where: ColumnElement[bool] | None = None,
) -> dict[int, SimpleNamespace]:
    """``columns`` (among them id and enterprise_id) of the rows of ``table`` among ``ids``, by
    id, each with its ``enterprise`` (and the enterprise's tiers): one query, a row per tier."""
    if not ids:
        return {}
    stmt = (
        select(*columns, *(c.label(f"e__{c.name}") for c in ENTERPRISE), EnterpriseTier.tier)
        .join(Enterprise, Enterprise.id == table.c.enterprise_id)
        .outerjoin(EnterpriseTier, EnterpriseTier.enterprise_id == Enterprise.id)
        .where(table.c.id.in_(ids))
    )
    if where is not None:
        stmt = stmt.where(where)
    found: dict[int, SimpleNamespace] = {}
    enterprises: dict[int, SimpleNamespace] = {}
    for row in session.execute(stmt):
        values = row._mapping
        enterprise = enterprises.get(row.enterprise_id)
        if enterprise is None:
            enterprise = enterprises[row.enterprise_id] = SimpleNamespace(
                **{c.name: values[f"e__{c.name}"] for c in ENTERPRISE}, tiers=set()
            )
        if row.tier is not None:
            enterprise.tiers.add(row.tier)
        if row.id not in found:
            found[row.id] = SimpleNamespace(
                **{c.name: values[c] for c in columns}, enterprise=enterprise
            )
    for enterprise in enterprises.values():
        enterprise.tiers = sorted(enterprise.tiers, key=_TIER_ORDER.__getitem__)
    return found


def load_one(session: Session, model: type[Posting], posting_id: int) -> SimpleNamespace | None:
    found = load(session, model, [posting_id])
    return found[0] if found else None


def _grouped(
    session: Session, key: Column[Any], value: Any, ids: Sequence[int], *order: Any
) -> dict[int, list[Any]]:
    """``value`` of the rows whose ``key`` is among ``ids``, listed by key."""
    out: dict[int, list[Any]] = {i: [] for i in ids}
    for owner, item in session.execute(select(key, value).where(key.in_(ids)).order_by(*order)):
        out[owner].append(item)
    return out


def _requirement_parts(session: Session, postings: dict[int, SimpleNamespace]) -> None:
    ids = sorted(postings)
    items: dict[int, list[SimpleNamespace]] = {i: [] for i in ids}
    table: Table = RequirementItem.__table__  # type: ignore[assignment]
    for row in session.execute(
        select(table)
        .where(table.c.requirement_id.in_(ids))
        .order_by(table.c.requirement_id, table.c.position)
    ):
        items[row.requirement_id].append(SimpleNamespace(**row._mapping))
    nodes = _grouped(session, RequirementNode.requirement_id, RequirementNode.node_id, ids)
    for posting_id, posting in postings.items():
        posting.items = items[posting_id]
        posting.node_ids = sorted(nodes[posting_id])


def _capability_parts(session: Session, postings: dict[int, SimpleNamespace]) -> None:
    ids = sorted(postings)
    nodes = _grouped(session, CapabilityNode.capability_id, CapabilityNode.node_id, ids)
    regions = _grouped(session, CapabilityRegion.capability_id, CapabilityRegion.region_code, ids)
    clusters = _grouped(
        session, CapabilityCluster.capability_id, CapabilityCluster.cluster_code, ids
    )
    for posting_id, posting in postings.items():
        posting.node_ids = sorted(nodes[posting_id])
        posting.regions_served = sorted(regions[posting_id]) + sorted(clusters[posting_id])
