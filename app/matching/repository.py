"""SQL the matching engine needs: what changed since a moment, and the open postings themselves."""

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, literal, or_, select, union_all
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


def shape(session: Session) -> tuple[Any, ...]:
    """What every indexed document depends on, in one query: the glossary's entries and terms
    and the chain nodes, each as row count and latest change (so it differs whenever a row is
    added, changed or deleted)."""

    def count(model: Any) -> Any:
        return select(func.count()).select_from(model).scalar_subquery()

    def latest(model: Any) -> Any:
        return select(func.max(model.updated_at)).scalar_subquery()

    row = session.execute(
        select(
            count(GlossaryEntry),
            latest(GlossaryEntry),
            count(GlossaryTerm),
            count(ChainNode),
            latest(ChainNode),
        )
    ).one()
    return tuple(row)


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
    session: Session, since: Mapping[str, tuple[Any, datetime | None]]
) -> dict[str, list[tuple[int, int]]]:
    """(id, version) of the rows changed after a moment, per table, in one query: ``since``
    maps a name to its model and moment (None: every row)."""

    def changed(name: str, model: Any, moment: datetime | None) -> Any:
        stmt = select(literal(name).label("name"), model.id, model.version)
        return stmt if moment is None else stmt.where(model.updated_at > moment)

    found: dict[str, list[tuple[int, int]]] = {name: [] for name in since}
    parts = [changed(name, model, moment) for name, (model, moment) in since.items()]
    for name, row_id, version in session.execute(union_all(*parts)):
        found[name].append((row_id, version))
    return found


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
