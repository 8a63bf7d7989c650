"""How well a region's suppliers cover a chain's open demand, line item by line item.

Pure: it takes the chain's nodes, the demand's line items and, per item, the qualified suppliers
the matching engine found (``MatchEngine.support``: enterprises with a capability scoring at least
the threshold for the item alone), and adds them up per chain node. An item is *covered* when at
least ``k`` qualified suppliers lie inside the region; a node with an uncovered item is a *weak
link*, and a *stuck-neck* link when no one anywhere in the data qualifies for any of its
uncovered items (those items are *stuck*).
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

ZERO = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class NodeInfo:
    id: int
    parent_id: int | None
    slug: str
    name_zh: str
    name_en: str
    position: str
    depth: int


@dataclass(frozen=True, slots=True)
class LineItem:
    """A line item of an open requirement (or a requirement without items, whole)."""

    requirement_id: int
    title: str
    item_id: int | None
    name: str
    node_id: int  # the chain node it is counted under
    buyer_id: int
    buyer_name: str
    chain_owner: bool
    amount: Decimal | None  # quantity × target price, else its share of the budget


@dataclass(frozen=True, slots=True)
class Supplier:
    enterprise_id: int
    name: str
    region_code: str | None
    local: bool
    distance_km: float | None  # from the region's centre


@dataclass(frozen=True, slots=True)
class ItemSupport:
    """An item and its qualified suppliers: enterprise id -> its best score for the item."""

    item: LineItem
    local: dict[int, float]
    outside: dict[int, float]

    @property
    def anywhere(self) -> int:
        return len(self.local) + len(self.outside)


@dataclass(slots=True)
class NodeTally:
    """One node's demand and how it is covered (mutable while adding up)."""

    requirements: set[int] = field(default_factory=set)
    items: int = 0
    amount: Decimal = ZERO
    chain_owners: set[int] = field(default_factory=set)
    covered_items: int = 0
    covered_amount: Decimal = ZERO
    qualified_local: set[int] = field(default_factory=set)
    unmet: list[ItemSupport] = field(default_factory=list)
    single_source: list[ItemSupport] = field(default_factory=list)
    capabilities: set[int] = field(default_factory=set)  # open ones on the node in the region
    suppliers: set[int] = field(default_factory=set)  # their enterprises

    @property
    def stuck(self) -> list[ItemSupport]:
        return [s for s in self.unmet if s.anywhere == 0]

    @property
    def status(self) -> str:
        if not self.items:
            return "no_demand"
        if not self.unmet:
            return "covered"
        return "stuck_neck" if len(self.stuck) == len(self.unmet) else "weak"

    @property
    def unmet_amount(self) -> Decimal:
        return sum((s.item.amount or ZERO for s in self.unmet), ZERO)

    @property
    def owners_waiting(self) -> set[int]:
        return {s.item.buyer_id for s in self.unmet if s.item.chain_owner}


@dataclass(frozen=True, slots=True)
class Prospect:
    """A supplier outside the region that qualifies for some of a weak link's unmet items."""

    supplier: Supplier
    items: int
    best_score: float


def tally(
    nodes: Sequence[NodeInfo],
    supports: Iterable[ItemSupport],
    offering: Callable[[int], Iterable[tuple[int, Supplier]]],
    k: int,
) -> dict[int, NodeTally]:
    """Each node's figures; ``offering(node)`` lists the capabilities (id, supplier) on the node
    inside the region."""
    tallies = {node.id: NodeTally() for node in nodes}
    for support in supports:
        item, node = support.item, tallies[support.item.node_id]
        node.requirements.add(item.requirement_id)
        node.items += 1
        node.amount += item.amount or ZERO
        if item.chain_owner:
            node.chain_owners.add(item.buyer_id)
        node.qualified_local.update(support.local)
        if len(support.local) >= k:
            node.covered_items += 1
            node.covered_amount += item.amount or ZERO
        else:
            node.unmet.append(support)
        if support.anywhere == 1 or len(support.local) == 1:
            node.single_source.append(support)
    for node_id, node in tallies.items():
        for capability_id, supplier in offering(node_id):
            node.capabilities.add(capability_id)
            node.suppliers.add(supplier.enterprise_id)
    return tallies


def prospects(node: NodeTally, suppliers: dict[int, Supplier], limit: int) -> list[Prospect]:
    """The suppliers outside the region that qualify for most of the node's unmet items (then
    best score, then nearest): whom an investment-attraction office would call first."""
    items: dict[int, int] = defaultdict(int)
    best: dict[int, float] = {}
    for support in node.unmet:
        for enterprise, score in support.outside.items():
            items[enterprise] += 1
            best[enterprise] = max(best.get(enterprise, 0.0), score)

    def distance(enterprise: int) -> float:
        km = suppliers[enterprise].distance_km
        return float("inf") if km is None else km

    order = sorted(items, key=lambda e: (-items[e], -best[e], distance(e), e))
    return [Prospect(suppliers[e], items[e], best[e]) for e in order[:limit]]


def weak_order(pair: tuple[NodeInfo, NodeTally]) -> tuple[object, ...]:
    """Weak links by the demand they leave unmet: amount, chain owners waiting, items."""
    info, node = pair
    return (-node.unmet_amount, -len(node.owners_waiting), -len(node.unmet), info.id)


def share(part: Decimal | int, whole: Decimal | int) -> float | None:
    return round(float(Decimal(part) / Decimal(whole)), 4) if whole else None
