"""SQL the matching engine needs: what changed since a moment, and the open postings themselves."""

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import cast, func, literal, null, select, union_all
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
from app.postings import views
from app.postings.access import live_condition

Posting = type[Requirement] | type[Capability]
LOAD_CHUNK = 500  # postings loaded at a time (their ids are bound parameters)


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


Stamped = tuple[int, int, datetime]  # id, version, updated_at


Tally = tuple[int, int, int]  # rows, sum of their versions, sum of their ids


def changes(
    session: Session, asks: Mapping[str, tuple[Any, datetime | None, datetime | None]]
) -> dict[str, tuple[list[Stamped], Tally | None]]:
    """Per table, in one query: ``asks`` maps a name to its model, a moment ``settled`` and the
    last look's moment ``looked``. Answered with the rows stamped after ``looked`` and a tally
    (count, version sum, id sum) of those stamped after ``settled`` up to ``looked``, to compare
    with what that look saw; without ``looked``, the rows stamped after ``settled`` (every row
    without either) and no tally."""
    parts = []
    for name, (model, settled, looked) in asks.items():
        rows = select(literal(name).label("name"), model.id, model.version, model.updated_at)
        if looked is None:
            parts.append(rows if settled is None else rows.where(model.updated_at > settled))
            continue
        parts.append(rows.where(model.updated_at > looked))
        window = (model.updated_at > settled, model.updated_at <= looked)
        parts.append(
            select(
                literal(f"{name}:tally"),
                func.count(),
                func.coalesce(func.sum(model.version), 0),
                cast(null(), model.updated_at.type),
            ).where(*window)
        )
        parts.append(
            select(
                literal(f"{name}:ids"),
                func.coalesce(func.sum(model.id), 0),
                literal(0),
                cast(null(), model.updated_at.type),
            ).where(*window)
        )
    found: dict[str, list[Stamped]] = {name: [] for name in asks}
    tallies: dict[str, dict[str, int]] = {name: {} for name in asks}
    for name, first, second, stamp in session.execute(union_all(*parts)):
        table, _, part = name.partition(":")
        if part == "tally":
            tallies[table].update(rows=int(first), versions=int(second))
        elif part == "ids":
            tallies[table]["ids"] = int(first)
        else:
            found[table].append((first, second, stamp))
    return {
        name: (found[name], (t["rows"], t["versions"], t["ids"]) if t else None)
        for name, t in tallies.items()
    }


def live_postings(
    session: Session, model: Posting, today: date, ids: Sequence[int] | None = None
) -> list[Any]:
    """Open postings (requirements not past valid-until), all of them or those among ``ids``
    (read as answers show them: ``app.postings.views``)."""
    if ids is None:
        live = live_condition(model, today)
        ids = session.scalars(select(model.id).where(live).order_by(model.id)).all()
    return [
        posting
        for start in range(0, len(ids), LOAD_CHUNK)
        for posting in views.load(session, model, ids[start : start + LOAD_CHUNK], today)
    ]


def postings_of(session: Session, model: Posting, enterprise_ids: Sequence[int]) -> list[int]:
    return list(session.scalars(select(model.id).where(model.enterprise_id.in_(enterprise_ids))))
