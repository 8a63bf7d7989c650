"""What scoring reads and returns: the documents (a requirement as ``Demand`` with its ``Unit``
line items, a capability as ``Supply``, their ``Party`` and ``Place``), the chain tree, the
component weights, and the explained ``PairScore``. Plain data, no behaviour beyond lookups."""

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from typing import NamedTuple, Protocol


@dataclass(frozen=True, slots=True)
class Weights:
    """Relative weights of the components; only their proportions matter."""

    text: float = 30.0
    coverage: float = 15.0
    node: float = 15.0
    locality: float = 12.0
    certifications: float = 8.0
    capacity: float = 6.0
    standing: float = 7.0
    freshness: float = 7.0

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    def as_dict(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in self.names()}

    @property
    def total(self) -> float:
        return sum(self.as_dict().values())


@dataclass(frozen=True, slots=True)
class Place:
    code: str
    city: str | None
    province: str
    clusters: frozenset[str]
    lng: float | None
    lat: float | None

    codes: frozenset[str] = field(init=False, compare=False, repr=False)  # all of the above

    def __post_init__(self) -> None:
        codes = {self.code, self.province, *self.clusters} | ({self.city} if self.city else set())
        object.__setattr__(self, "codes", frozenset(codes))

    def within(self, code: str) -> bool:
        """Does this place lie inside the region or cluster ``code``?"""
        return code in self.codes


@dataclass(frozen=True, slots=True)
class Party:
    """The enterprise behind a posting, as far as scoring cares."""

    id: int
    name: str
    place: Place | None
    tiers: frozenset[str]
    verified: bool


@dataclass(frozen=True, slots=True)
class Unit:
    """What a requirement asks for, one line item at a time (or the whole requirement if it has none)."""

    item_id: int | None
    position: int
    name: str
    weights: Mapping[str, float]  # term -> 1 for a word of the name, SPEC_WEIGHT for the spec
    node_id: int | None
    quantity: float | None
    unit: str | None


@dataclass(frozen=True, slots=True)
class Demand:
    id: int
    party: Party
    kind: str
    title: str
    chain_id: int | None
    node_ids: frozenset[int]
    units: tuple[Unit, ...]
    place: Place | None  # the delivery region, else the buyer's own
    locality: str  # same_city | same_province | same_cluster | anywhere
    certifications: frozenset[str]
    valid_until: date | None
    updated_at: datetime

    def alone(self, unit: Unit) -> "Demand":
        """This requirement as if it asked for the one line item only: what a supplier's fit
        for that item means (chain analytics count qualified suppliers item by item)."""
        nodes = frozenset({unit.node_id}) if unit.node_id else self.node_ids
        return replace(self, node_ids=nodes, units=(unit,))


@dataclass(frozen=True, slots=True)
class Supply:
    id: int
    party: Party
    kind: str
    title: str
    chain_id: int | None
    node_ids: frozenset[int]
    terms: frozenset[str]
    serves: frozenset[str]  # region and cluster codes; empty means anywhere
    certifications: frozenset[str]
    capacity_per_year: float | None
    capacity_unit: str | None
    min_order: float | None
    updated_at: datetime


@dataclass(frozen=True, slots=True)
class NodeTree:
    """The chain taxonomy as scoring needs it: each node's parent and chain."""

    parent: Mapping[int, int | None] = field(default_factory=dict)
    chain: Mapping[int, int] = field(default_factory=dict)
    _fits: dict[tuple[frozenset[int], frozenset[int]], tuple[float, str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _children: dict[int, set[int]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        for node, parent in self.parent.items():
            if parent is not None:
                self._children.setdefault(parent, set()).add(node)

    def family(self, nodes: frozenset[int]) -> frozenset[int]:
        """The nodes, their parents, children and siblings: what ``fit`` rates 0.6 or better."""
        found = set(nodes)
        for node in nodes:
            parent = self.parent.get(node)
            found |= self._children.get(node, set())
            if parent is not None:
                found |= {parent} | self._children.get(parent, set())
        return frozenset(found)

    def fit(self, wanted: frozenset[int], offered: frozenset[int]) -> tuple[float, str]:
        """How close the offered chain nodes are to the wanted ones (remembered: few pairs recur)."""
        key = (wanted, offered)
        found = self._fits.get(key)
        if found is None:
            if len(self._fits) > 100_000:
                self._fits.clear()
            found = self._fits[key] = self._fit(wanted, offered)
        return found

    def _fit(self, wanted: frozenset[int], offered: frozenset[int]) -> tuple[float, str]:
        if not wanted or not offered:
            return 0.0, "no chain node to compare"
        if wanted & offered:
            return 1.0, "same chain node"
        for a in wanted:
            for b in offered:
                pa, pb = self.parent.get(a), self.parent.get(b)
                if pa == b or pb == a:
                    return 0.6, "parent or child chain node"
                if pa is not None and pa == pb:
                    return 0.6, "sibling chain node"
        chains_wanted = {self.chain.get(n) for n in wanted} - {None}
        if chains_wanted & {self.chain.get(n) for n in offered}:
            return 0.3, "same chain, other node"
        return 0.0, "different chain"


CONTEXT = ("locality", "certifications", "capacity", "standing", "freshness")


class Component(NamedTuple):  # named tuples: a query makes thousands, and they are cheap
    value: float  # 0..1
    weight: float
    points: float  # what it adds to the 0..100 score
    reason: str


class ItemFit(NamedTuple):
    item_id: int | None
    position: int
    name: str
    text: float
    node: float
    covered: bool
    matched_terms: tuple[str, ...]


class PairScore(NamedTuple):
    """A scored pair; ``components`` is empty (and matched terms too) when scored unexplained."""

    requirement_id: int
    capability_id: int
    score: float
    components: dict[str, Component]
    items: tuple[ItemFit, ...]

    @property
    def covered_items(self) -> list[ItemFit]:
        return [item for item in self.items if item.covered]

    def main_reasons(self, most: int = 3) -> list[str]:
        """The components that added most points, with their reasons: why this pair ranks here."""
        best = sorted(self.components.items(), key=lambda kv: -kv[1].points)[:most]
        return [f"{name}: {c.reason}" for name, c in best if c.points > 0]


class Lexicon(Protocol):
    """What the corpus says about a term: how rare it is, and its one-edit spellings."""

    def idf(self, term: str) -> float: ...

    def variants(self, term: str) -> frozenset[str]: ...


# --- what a query asks and gets -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Filters:
    """Narrow the counterparts: chain, nodes (already expanded to descendants), a region or
    cluster the counterpart's enterprise lies in, its tiers (any of), verified only, only these
    enterprises (an event's registrants) or none of these (to find whom to invite), only these
    counterpart postings."""

    chain_id: int | None = None
    node_ids: frozenset[int] = frozenset()
    region: str | None = None
    tiers: frozenset[str] = frozenset()
    verified_only: bool = False
    parties: frozenset[int] | None = None
    excluded_parties: frozenset[int] = frozenset()
    documents: frozenset[int] | None = None  # only these counterpart postings


@dataclass(frozen=True, slots=True)
class Options:
    top: int = 10
    min_score: float = 0.0
    per_item: int = 5
    weights: Weights = field(default_factory=Weights)
    cover_threshold: float = 0.5
    filters: Filters = field(default_factory=Filters)

    @property
    def shortlist(self) -> int:
        """How many capabilities get a full score at most: those whose estimate (which is their
        score) comes within ``estimate.SLACK`` of the ``top``-th best, for ties and rounding."""
        return self.top + 5

    @property
    def shortlist_of_requirements(self) -> int:
        """How many requirements get a full score: more, since their estimate is looser (their
        certifications are not indexed)."""
        return max(20, 2 * self.top)


@dataclass(frozen=True, slots=True)
class ItemCandidates:
    unit: Unit
    ranked: list[PairScore]


@dataclass(frozen=True, slots=True)
class DemandMatches:
    demand: Demand
    ranked: list[PairScore]
    items: list[ItemCandidates]
    scored: int


@dataclass(frozen=True, slots=True)
class SupplyMatches:
    supply: Supply
    ranked: list[PairScore]
    scored: int
