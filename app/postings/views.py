"""Postings as answers show them, loaded with plain queries: rows, not mapped objects.

Reading postings only to show them needs none of what the ORM keeps for writing them (identity
map, change tracking, relationship loaders), and that bookkeeping was most of a read's cost.
These loaders give objects with the attributes the mapped classes offer for reading (``items``,
``node_ids``, ``regions_served``, ``enterprise`` with its ``tiers`` and contact), so the same
functions (``app.postings.reads``, the access checks) shape either into an answer.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Column, Select, String, Table, bindparam, cast, literal, select, union_all
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
from app.postings.access import live_condition
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
ENTERPRISE_NAMES = [c.name for c in ENTERPRISE]
SUMMARY = ("id", "title", "kind", "enterprise_id")  # what a match list shows of a posting
_TIER_ORDER = {tier: i for i, tier in enumerate(Tier)}


def _shown(table: Table) -> list[Column[Any]]:
    return [column for column in table.c if column.name != "search_text"]


def load(
    session: Session, model: type[Posting], ids: Sequence[int], live_on: date | None = None
) -> list[SimpleNamespace]:
    """The postings among ``ids`` that exist (and, given ``live_on``, are live that day), in
    the order of ``ids``, with their parts and enterprise: three queries for requirements, two
    for capabilities."""
    table: Table = model.__table__  # type: ignore[assignment]
    postings = _with_enterprises(session, table, "shown", ids, live_on)
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
    return {
        p.id: Summary(
            p.id, p.title, p.kind, p.enterprise_id, EnterpriseSummary.model_validate(p.enterprise)
        )
        for p in _with_enterprises(session, table, "summary", ids).values()
    }


@cache
def _joined(table: Table, part: str, live: bool = False) -> tuple[Select[Any], list[str]]:
    """The query of ``_with_enterprises`` for ``part`` ("shown" or "summary") of ``table``'s
    rows (``live`` ones only, on the day bound as ``today``), built once (building it cost more
    than running it), and the names of those columns, which come first in its rows (the
    enterprise's next, its tier last)."""
    enterprises: Table = Enterprise.__table__  # type: ignore[assignment]
    tiers: Table = EnterpriseTier.__table__  # type: ignore[assignment]
    columns = _shown(table) if part == "shown" else [table.c[name] for name in SUMMARY]
    stmt = (
        select(*columns, *(c.label(f"e__{c.name}") for c in ENTERPRISE), tiers.c.tier)
        .join(enterprises, enterprises.c.id == table.c.enterprise_id)
        .outerjoin(tiers, tiers.c.enterprise_id == enterprises.c.id)
        .where(table.c.id.in_(bindparam("ids", expanding=True)))
    )
    if live:
        stmt = stmt.where(live_condition(table.c, bindparam("today")))
    return stmt, [c.name for c in columns]


def _with_enterprises(
    session: Session,
    table: Table,
    part: str,
    ids: Sequence[int],
    live_on: date | None = None,
) -> dict[int, SimpleNamespace]:
    """``part`` ("shown" or "summary") of the rows of ``table`` among ``ids`` (live on
    ``live_on``, if given), by id, each with its ``enterprise`` (and the enterprise's tiers):
    one query, a row per tier."""
    if not ids:
        return {}
    stmt, names = _joined(table, part, live_on is not None)
    at_id, at_enterprise = names.index("id"), names.index("enterprise_id")
    found: dict[int, SimpleNamespace] = {}
    enterprises: dict[int, SimpleNamespace] = {}
    params: dict[str, Any] = {"ids": list(ids)}
    if live_on is not None:
        params["today"] = live_on
    for row in session.execute(stmt, params):
        enterprise = enterprises.get(row[at_enterprise])
        if enterprise is None:
            values = row[len(names) : -1]
            enterprise = enterprises[row[at_enterprise]] = SimpleNamespace(
                **dict(zip(ENTERPRISE_NAMES, values, strict=True)), tiers=set()
            )
        if row[-1] is not None:
            enterprise.tiers.add(row[-1])
        if row[at_id] not in found:
            found[row[at_id]] = SimpleNamespace(
                **dict(zip(names, row[: len(names)], strict=True)), enterprise=enterprise
            )
    for enterprise in enterprises.values():
        enterprise.tiers = sorted(enterprise.tiers, key=_TIER_ORDER.__getitem__)
    return found


def load_one(session: Session, model: type[Posting], posting_id: int) -> SimpleNamespace | None:
    found = load(session, model, [posting_id])
    return found[0] if found else None


@cache
def _values_by_key(table: Table, key: str, value: str) -> Select[Any]:
    return select(table.c[key], table.c[value]).where(
        table.c[key].in_(bindparam("ids", expanding=True))
    )


def _grouped(
    session: Session, model: Any, key: str, value: str, ids: Sequence[int]
) -> dict[int, list[Any]]:
    """``value`` of the rows of ``model`` whose ``key`` is among ``ids``, listed by key."""
    out: dict[int, list[Any]] = {i: [] for i in ids}
    stmt = _values_by_key(model.__table__, key, value)
    for owner, item in session.execute(stmt, {"ids": list(ids)}):
        out[owner].append(item)
    return out


ITEMS: Table = RequirementItem.__table__  # type: ignore[assignment]
_ITEMS_OF = (
    select(ITEMS)
    .where(ITEMS.c.requirement_id.in_(bindparam("ids", expanding=True)))
    .order_by(ITEMS.c.requirement_id, ITEMS.c.position)
)


def _requirement_parts(session: Session, postings: dict[int, SimpleNamespace]) -> None:
    ids = sorted(postings)
    items: dict[int, list[SimpleNamespace]] = {i: [] for i in ids}
    for row in session.execute(_ITEMS_OF, {"ids": ids}):
        items[row.requirement_id].append(SimpleNamespace(**row._mapping))
    nodes = _grouped(session, RequirementNode, "requirement_id", "node_id", ids)
    for posting_id, posting in postings.items():
        posting.items = items[posting_id]
        posting.node_ids = sorted(nodes[posting_id])


def _part_of(model: Any, name: str, column: str) -> Select[Any]:
    table: Table = model.__table__
    owner = table.c.capability_id
    return select(owner, literal(name), cast(table.c[column], String)).where(
        owner.in_(bindparam("ids", expanding=True))
    )


# A capability's nodes, regions and clusters in one round trip: (capability, part, value).
_CAPABILITY_PARTS = union_all(
    _part_of(CapabilityNode, "node", "node_id"),
    _part_of(CapabilityRegion, "region", "region_code"),
    _part_of(CapabilityCluster, "cluster", "cluster_code"),
)


def _capability_parts(session: Session, postings: dict[int, SimpleNamespace]) -> None:
    ids = sorted(postings)
    parts: dict[str, dict[int, list[str]]] = {
        name: {i: [] for i in ids} for name in ("node", "region", "cluster")
    }
    for owner, name, value in session.execute(_CAPABILITY_PARTS, {"ids": ids}):
        parts[name][owner].append(value)
    for posting_id, posting in postings.items():
        posting.node_ids = sorted(int(n) for n in parts["node"][posting_id])
        posting.regions_served = sorted(parts["region"][posting_id]) + sorted(
            parts["cluster"][posting_id]
        )
