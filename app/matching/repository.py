"""SQL the matching engine needs: what changed since a moment, and the open postings themselves."""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.matching.documents import RegionRow
from app.matching.scoring import NodeTree
from app.models import (
    Capability,
    ChainNode,
    ClusterMember,
    GlossaryEntry,
    GlossaryTerm,
    Region,
    Requirement,
)
from app.postings.repository import options_for

Posting = type[Requirement] | type[Capability]


def signature(session: Session, model: Any) -> tuple[Any, ...]:
    """Row count and latest change: differs whenever a row of ``model`` is added, changed or deleted."""
    return tuple(session.execute(select(func.count(), func.max(model.updated_at))).one())


def glossary_signature(session: Session) -> tuple[Any, ...]:
    terms = session.scalar(select(func.count()).select_from(GlossaryTerm))
    return (*signature(session, GlossaryEntry), terms)


def node_tree(session: Session) -> NodeTree:
    """Every chain node's parent and chain, in one query."""
    rows = list(session.execute(select(ChainNode.id, ChainNode.parent_id, ChainNode.chain_id)))
    return NodeTree(parent={n: p for n, p, _ in rows}, chain={n: c for n, _, c in rows})


def region_rows(session: Session) -> list[RegionRow]:
    stmt = select(
        Region.code, Region.city_code, Region.province_code, Region.longitude, Region.latitude
    )
    return [RegionRow(*row) for row in session.execute(stmt)]


def cluster_members(session: Session) -> list[tuple[str, str]]:
    stmt = select(ClusterMember.cluster_code, ClusterMember.region_code)
    return [(c, r) for c, r in session.execute(stmt)]


def changed_since(
    session: Session, model: Any, since: datetime | None
) -> list[tuple[int, int, datetime]]:
    """(id, version, updated_at) of rows changed after ``since`` (all rows when it is None)."""
    stmt = select(model.id, model.version, model.updated_at)
    if since is not None:
        stmt = stmt.where(model.updated_at > since)
    return [(i, v, u) for i, v, u in session.execute(stmt)]


def live_postings(
    session: Session, model: Posting, today: date, ids: Sequence[int] | None = None
) -> list[Any]:
    """Open postings (requirements not past valid-until), all of them or those among ``ids``."""
    stmt = select(model).options(*options_for(model)).where(model.status == "open")
    if model is Requirement:
        stmt = stmt.where(or_(Requirement.valid_until.is_(None), Requirement.valid_until >= today))
    if ids is not None:
        stmt = stmt.where(model.id.in_(ids))
    return list(session.scalars(stmt))


def postings_of(session: Session, model: Posting, enterprise_ids: Sequence[int]) -> list[int]:
    return list(session.scalars(select(model.id).where(model.enterprise_id.in_(enterprise_ids))))
