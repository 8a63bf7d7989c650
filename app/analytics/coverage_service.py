"""Chain coverage, weak links and single-source risk: the matching engine asked about every open
requirement of a chain whose buyer lies in the region, item by item, and the answers added up.

Anyone signed in may ask: open requirements and capabilities are public, and the figures name
no buyer's contacts. One analysis serves the three views: the last few are kept for as long as
the match index does not change (any posting or enterprise edit changes it), so an organiser
moving between the views, or from JSON to a chart, does not wait each time.
"""

import threading
import weakref
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.analytics.coverage import (
    ZERO,
    ItemSupport,
    LineItem,
    NodeInfo,
    NodeTally,
    Supplier,
    tally,
)
from app.analytics.coverage_schemas import AreaRef, ChainRef, Scope
from app.db.types import utcnow
from app.errors import NotFound
from app.matching.dependencies import default_options
from app.matching.engine import MatchEngine
from app.matching.estimate import km
from app.matching.keeper import MatchKeeper
from app.matching.model import Demand, Party, Place, Unit
from app.models import ChainNode, Cluster, Region, Requirement, RequirementItem
from app.models.enums import DockingKind, Tier
from app.regions.scope import area_codes
from app.taxonomy.repository import chain_nodes, get_chain

KEPT = 4  # analyses kept per process


@dataclass(frozen=True, slots=True)
class CoverageQuery:
    chain_id: int
    region: str | None
    kind: DockingKind | None
    k: int
    min_score: float


@dataclass(frozen=True, slots=True)
class Area:
    ref: AreaRef
    lat: float | None
    lng: float | None

    def holds(self, place: Place | None) -> bool:
        return place is not None and place.within(self.ref.code)

    def distance_km(self, place: Place | None) -> float | None:
        if place is None or place.lat is None or place.lng is None or self.lat is None:
            return None
        return round(float(km(self.lat, self.lng, [place.lat], [place.lng])[0]), 1)


@dataclass(frozen=True)
class Analysis:
    scope: Scope
    nodes: list[NodeInfo]
    tallies: dict[int, NodeTally]
    suppliers: dict[int, Supplier]
    source: "weakref.ref[MatchEngine]"  # the index it was computed from


_kept: OrderedDict[tuple[object, ...], Analysis] = OrderedDict()
_kept_lock = threading.Lock()


def analyse(session: Session, keeper: MatchKeeper, query: CoverageQuery, today: date) -> Analysis:
    """The chain's demand in the region and who qualifies for it, node by node."""
    chain = get_chain(session, query.chain_id)
    if chain is None:
        raise NotFound(f"There is no chain with id {query.chain_id}.")
    area = None if query.region is None else _area(session, query.region)
    nodes = _tree(session, chain.id)
    engine = keeper.current(session, today)
    key = (id(engine), engine.vocabulary.generation, today, query)
    with _kept_lock:
        found = _kept.get(key)
        if found is not None and found.source() is engine:
            _kept.move_to_end(key)
            return found
    scope = Scope(
        chain=ChainRef.model_validate(chain),
        region=None if area is None else area.ref,
        kind=None if query.kind is None else query.kind.value,
        k=query.k,
        min_score=query.min_score,
        computed_at=utcnow(),
    )
    suppliers: dict[int, Supplier] = {}
    supports = list(_supports(session, engine, query, area, nodes, suppliers, today))

    def offering(node_id: int) -> Iterator[tuple[int, Supplier]]:
        for supply in engine.offering(node_id):
            if (query.kind is None or supply.kind == query.kind) and (
                area is None or area.holds(supply.party.place)
            ):
                yield supply.id, _supplier(suppliers, supply.party, area)

    analysis = Analysis(
        scope, nodes, tally(nodes, supports, offering, query.k), suppliers, weakref.ref(engine)
    )
    with _kept_lock:
        _kept[key] = analysis
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return analysis


def _area(session: Session, code: str) -> Area:
    """The region or cluster, named, with a centre to measure distances from."""
    members = area_codes(session, code, field="query.region")  # 422 if unknown
    if code.isdigit():
        region = session.get(Region, code)
        assert region is not None
        return Area(AreaRef(code=code, name=region.name), region.latitude, region.longitude)
    cluster = session.get(Cluster, code)
    assert cluster is not None
    points = session.execute(
        select(Region.latitude, Region.longitude).where(
            Region.code.in_(members), Region.latitude.is_not(None), Region.longitude.is_not(None)
        )
    ).all()
    return Area(
        AreaRef(code=code, name=cluster.name_zh),
        sum(p[0] for p in points) / len(points) if points else None,
        sum(p[1] for p in points) / len(points) if points else None,
    )


def _tree(session: Session, chain_id: int) -> list[NodeInfo]:
    """The chain's nodes in tree order (parents before children, siblings by sort order)."""
    rows = chain_nodes(session, chain_id)
    children: dict[int | None, list[ChainNode]] = {}
    ids = {row.id for row in rows}
    for row in rows:
        parent = row.parent_id if row.parent_id in ids else None
        children.setdefault(parent, []).append(row)
    out: list[NodeInfo] = []

    def walk(parent: int | None, depth: int) -> None:
        for row in children.get(parent, []):
            out.append(
                NodeInfo(
                    row.id, parent, row.slug, row.name_zh, row.name_en, row.position.value, depth
                )
            )
            walk(row.id, depth + 1)

    walk(None, 0)
    return out


def _supplier(suppliers: dict[int, Supplier], party: Party, area: Area | None) -> Supplier:
    found = suppliers.get(party.id)
    if found is None:
        found = suppliers[party.id] = Supplier(
            party.id,
            party.name,
            None if party.place is None else party.place.code,
            area is None or area.holds(party.place),
            None if area is None else area.distance_km(party.place),
        )
    return found


def _supports(
    session: Session,
    engine: MatchEngine,
    query: CoverageQuery,
    area: Area | None,
    nodes: list[NodeInfo],
    suppliers: dict[int, Supplier],
    today: date,
) -> Iterator[ItemSupport]:
    """Each counted line item with its qualified suppliers, local and outside."""
    order = {node.id: i for i, node in enumerate(nodes)}
    with engine.lock:
        demands = [
            d
            for d in engine.demands.values()
            if (query.kind is None or d.kind == query.kind)
            and (d.valid_until is None or d.valid_until >= today)  # the index keeps the expired
            and (area is None or area.holds(d.party.place))
        ]
    placed = {d.id: _placed(d, order) for d in demands}
    demands = [d for d in demands if any(n is not None for n in placed[d.id])]
    amounts = _amounts(session, [d.id for d in demands])
    options = replace(default_options(), min_score=query.min_score)
    for demand, found, parties in engine.support_many(demands, options, utcnow()):
        for unit, node_id, (ids, scores) in zip(
            demand.units, placed[demand.id], found, strict=True
        ):
            if node_id is None:
                continue
            local: dict[int, float] = {}
            outside: dict[int, float] = {}
            for capability_id, score in zip(ids.tolist(), scores.tolist(), strict=True):
                supplier = _supplier(suppliers, parties[capability_id], area)
                side = local if supplier.local else outside
                side[supplier.enterprise_id] = max(side.get(supplier.enterprise_id, 0.0), score)
            yield ItemSupport(_line_item(demand, unit, node_id, amounts), local, outside)


def _placed(demand: Demand, order: dict[int, int]) -> list[int | None]:
    """The chain node each of the requirement's items is counted under: its own node, else the
    requirement's first node of the chain; None when neither lies in the chain."""
    own = sorted((n for n in demand.node_ids if n in order), key=order.__getitem__)
    fallback = own[0] if own else None
    return [
        unit.node_id if unit.node_id in order else (fallback if unit.node_id is None else None)
        for unit in demand.units
    ]


def _line_item(
    demand: Demand, unit: Unit, node_id: int, amounts: dict[tuple[int, int | None], Decimal | None]
) -> LineItem:
    return LineItem(
        demand.id,
        demand.title,
        unit.item_id,
        unit.name,
        node_id,
        demand.party.id,
        demand.party.name,
        Tier.chain_owner.value in demand.party.tiers,
        amounts.get((demand.id, unit.item_id)),
    )


def _amounts(
    session: Session, requirement_ids: Iterable[int]
) -> dict[tuple[int, int | None], Decimal | None]:
    """(requirement, item) -> the item's value: quantity × target price, else an even share of
    what the budget leaves after the priced items; (requirement, None) -> the budget."""
    ids = list(requirement_ids)
    budgets: dict[int, Decimal | None] = {}
    items: dict[int, list[tuple[int, Decimal | None]]] = {}
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        stmt = select(Requirement.id, Requirement.budget_yuan).where(Requirement.id.in_(chunk))
        budgets.update((i, budget) for i, budget in session.execute(stmt))
        lines = select(
            RequirementItem.requirement_id,
            RequirementItem.id,
            RequirementItem.quantity,
            RequirementItem.target_price_yuan,
        ).where(RequirementItem.requirement_id.in_(chunk))
        for requirement_id, item_id, quantity, price in session.execute(lines):
            value = None if quantity is None or price is None else quantity * price
            items.setdefault(requirement_id, []).append((item_id, value))
    out: dict[tuple[int, int | None], Decimal | None] = {}
    for requirement_id, budget in budgets.items():
        out[(requirement_id, None)] = budget
        lines = items.get(requirement_id, [])
        priced = sum((v for _, v in lines if v is not None), ZERO)
        unpriced = [i for i, v in lines if v is None]
        rest = (
            None if budget is None or budget <= priced else (budget - priced) / len(unpriced or [1])
        )
        for item_id, value in lines:
            if value is None and rest is not None:
                value = rest
            out[(requirement_id, item_id)] = None if value is None else _fen(value)
    return out


def _fen(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))
