"""The matching engine: ranked, explained pairings of requirements and capabilities, both ways.

Pure: it holds plain documents (``Demand``, ``Supply``) in an in-process index and answers
queries; loading them from the database and keeping them current is ``app.matching.loader``'s job.
A query gathers candidates from the index (shared terms, typo variants, same chain node), keeps
the most promising few by a cheap preliminary sum, and scores only those with ``score_pair``.
"""

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import numpy as np

from app.matching.index import NEVER, Key, Side, Vocabulary, accumulate, top_keys, top_slots
from app.matching.scoring import (
    FUZZY_CREDIT,
    Demand,
    NodeTree,
    PairScore,
    Party,
    Prepared,
    Supply,
    Unit,
    Weights,
    prepare,
    score_pair,
)

NODE_BONUS = 0.5  # preliminary credit for sharing a chain node, so same-node firms get scored


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
        """How many candidates get a full score: enough that the preliminary sum rarely errs."""
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


def _party_facets(party: Party) -> list[Key]:
    facets: list[Key] = [("party", party.id)]
    facets += [("tier", tier) for tier in party.tiers]
    if party.verified:
        facets.append(("verified",))
    if party.place is not None:
        facets += [("place", code) for code in party.place.codes]
    return facets


def _posting_facets(kind: str, chain_id: int | None, nodes: Iterable[int]) -> list[Key]:
    facets: list[Key] = [("kind", kind), *(("any_node", n) for n in nodes)]
    if chain_id is not None:
        facets.append(("chain", chain_id))
    return facets


def demand_nodes(demand: Demand) -> frozenset[int]:
    return demand.node_ids | {u.node_id for u in demand.units if u.node_id}


class MatchEngine:
    """Both sides of the market in one index. Thread-safe: one lock guards reads and writes."""

    def __init__(self, tree: NodeTree | None = None) -> None:
        self.tree = tree or NodeTree()
        self.vocabulary = Vocabulary()
        self.supplies: dict[int, Supply] = {}
        self.demands: dict[int, Demand] = {}
        self._supply_side = Side()
        self._demand_side = Side()
        self.lock = threading.RLock()

    # --- keeping the index current -------------------------------------------------------
    def put_supply(self, supply: Supply) -> None:
        with self.lock:
            self.drop_supply(supply.id)
            self.supplies[supply.id] = supply
            self.vocabulary.add(supply.terms)
            facets = _party_facets(supply.party) + _posting_facets(
                supply.kind, supply.chain_id, supply.node_ids
            )
            facets += [("node", n) for n in supply.node_ids]
            self._supply_side.add(supply.id, [(dict.fromkeys(supply.terms, 1.0), facets, 1.0)])
            self._compact(self._supply_side, self.supplies, self._reindex_supplies)

    def drop_supply(self, supply_id: int) -> None:
        with self.lock:
            old = self.supplies.pop(supply_id, None)
            if old is not None:
                self.vocabulary.remove(old.terms)
                self._supply_side.remove(supply_id)

    def put_demand(self, demand: Demand) -> None:
        with self.lock:
            self.drop_demand(demand.id)
            self.demands[demand.id] = demand
            shared = _party_facets(demand.party) + _posting_facets(
                demand.kind, demand.chain_id, demand_nodes(demand)
            )
            slots = []
            for unit in demand.units:
                self.vocabulary.add(unit.weights)
                wanted = {unit.node_id} if unit.node_id else demand.node_ids
                facets = shared + [("node", n) for n in wanted]
                norm = sum(w * self.vocabulary.idf(t) for t, w in unit.weights.items())
                slots.append((dict(unit.weights), facets, norm))
            expires = demand.valid_until.toordinal() if demand.valid_until else NEVER
            self._demand_side.add(demand.id, slots, expires)
            self._compact(self._demand_side, self.demands, self._reindex_demands)

    def drop_demand(self, demand_id: int) -> None:
        with self.lock:
            old = self.demands.pop(demand_id, None)
            if old is not None:
                for unit in old.units:
                    self.vocabulary.remove(unit.weights)
                self._demand_side.remove(demand_id)

    def _compact(self, side: Side, docs: dict[int, Any], reindex: Callable[[], None]) -> None:
        if side.dead > max(1000, len(docs)):
            reindex()

    def _reindex_supplies(self) -> None:
        supplies = list(self.supplies.values())
        self.supplies.clear()
        self._supply_side = Side()
        for supply in supplies:
            self.vocabulary.remove(supply.terms)
        for supply in supplies:
            self.put_supply(supply)

    def _reindex_demands(self) -> None:
        demands = list(self.demands.values())
        self.demands.clear()
        self._demand_side = Side()
        for demand in demands:
            for unit in demand.units:
                self.vocabulary.remove(unit.weights)
        for demand in demands:
            self.put_demand(demand)

    # --- queries ------------------------------------------------------------------------------
    def _eligible(self, side: Side, kind: str, owner: int, filters: Filters) -> np.ndarray:
        """Live slots of the same docking kind, not the asker's own, within the filters."""
        eligible = side.live(("kind", kind)).copy()
        eligible[side.postings.slots(("party", owner))] = False
        if filters.chain_id is not None:
            eligible &= side.mask([("chain", filters.chain_id)])
        if filters.node_ids:
            eligible &= side.mask(("any_node", n) for n in filters.node_ids)
        if filters.region is not None:
            eligible &= side.mask([("place", filters.region)])
        if filters.tiers:
            eligible &= side.mask(("tier", t) for t in filters.tiers)
        if filters.verified_only:
            eligible &= side.mask([("verified",)])
        if filters.parties is not None:
            eligible &= side.mask(("party", p) for p in filters.parties)
        for party in filters.excluded_parties:
            eligible[side.postings.slots(("party", party))] = False
        if filters.documents is not None:
            wanted = np.zeros(side.size, dtype=bool)
            wanted[[s for d in filters.documents for s in side.slots_of.get(d, ())]] = True
            eligible &= wanted
        return eligible

    def _term_parts(
        self, side: Side, weights: dict[str, float], exclude: Iterable[str] = ()
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """Posting lists for the terms and their typo variants, weighted by idf (variants less)."""
        parts = []
        skip = set(exclude) | set(weights)
        for term, weight in weights.items():
            idf = self.vocabulary.idf(term)
            slots, base = side.postings.get(term)
            parts.append((slots, base * weight * idf))
            for variant in self.vocabulary.variants(term) - skip:
                slots, base = side.postings.get(variant)
                parts.append((slots, base * weight * idf * FUZZY_CREDIT))
        return parts

    def match_demand(
        self, demand: Demand, options: Options, *, now: datetime, today: date
    ) -> DemandMatches:
        """Capabilities for a requirement, overall and per line item."""
        with self.lock:
            side = self._supply_side
            eligible = self._eligible(side, demand.kind, demand.party.id, options.filters)
            overall = np.zeros(side.size)
            chosen = []
            for unit in demand.units:
                total = sum(w * self.vocabulary.idf(t) for t, w in unit.weights.items()) or 1.0
                fit = accumulate(self._term_parts(side, dict(unit.weights)), side.size)
                fit = np.minimum(fit / total, 1.0) * eligible
                overall += fit
                chosen.append(top_slots(fit, options.per_item))
            nodes = side.mask(("node", n) for n in demand_nodes(demand)) & eligible
            overall[nodes] += NODE_BONUS
            chosen.append(top_slots(overall, options.shortlist))
            ids = np.unique(side.array("owner")[np.concatenate(chosen)])
            prepared = prepare(demand, self.vocabulary)
            scored = [
                self.score(demand, self.supplies[int(i)], options, now, "supply", prepared, False)
                for i in ids
            ]
            ranked = [s for s in _rank(scored) if s.score >= options.min_score]
            top = [  # only the answer is explained
                self.score(demand, self.supplies[s.capability_id], options, now, "supply", prepared)
                for s in ranked[: options.top]
            ]
        items = [
            ItemCandidates(unit, [s for s in ranked if s.items[index].covered][: options.per_item])
            for index, unit in enumerate(demand.units)
        ]
        return DemandMatches(demand, top, items, len(scored))

    def match_supply(
        self, supply: Supply, options: Options, *, now: datetime, today: date
    ) -> SupplyMatches:
        """Open requirements for a capability."""
        with self.lock:
            side = self._demand_side
            eligible = self._eligible(side, supply.kind, supply.party.id, options.filters)
            eligible &= side.array("expires") >= today.toordinal()
            fit = accumulate(self._term_parts(side, dict.fromkeys(supply.terms, 1.0)), side.size)
            fit = np.minimum(fit / side.array("norm"), 1.0)
            fit[side.mask(("node", n) for n in supply.node_ids)] += NODE_BONUS
            slots = np.flatnonzero(fit * eligible)
            demand_ids, inverse = np.unique(side.array("owner")[slots], return_inverse=True)
            sums = np.bincount(inverse, weights=fit[slots], minlength=len(demand_ids))
            ids = top_keys(demand_ids, sums, options.shortlist)
            scored = [
                self.score(self.demands[int(i)], supply, options, now, "demand", explain=False)
                for i in ids
            ]
            ranked = [s for s in _rank(scored) if s.score >= options.min_score][: options.top]
            ranked = [
                self.score(self.demands[s.requirement_id], supply, options, now, "demand")
                for s in ranked
            ]
        return SupplyMatches(supply, ranked, len(scored))

    def score(
        self,
        demand: Demand,
        supply: Supply,
        options: Options,
        now: datetime,
        counterpart: str = "supply",
        prepared: Prepared | None = None,
        explain: bool = True,
    ) -> PairScore:
        return score_pair(
            demand,
            supply,
            tree=self.tree,
            lexicon=self.vocabulary,
            weights=options.weights,
            now=now,
            cover_threshold=options.cover_threshold,
            counterpart=counterpart,
            prepared=prepared,
            explain=explain,
        )


_FORKED: "MatchEngine | None" = None
_Found = tuple[list[PairScore], list[list[PairScore]], int]  # what a child sends back


def _match_in_child(args: tuple[list[Demand], Options, datetime, date]) -> list[_Found]:
    """Match in a forked child; send back only the scores (the parent has the documents)."""
    demands, options, now, today = args
    assert _FORKED is not None
    found = [_FORKED.match_demand(d, options, now=now, today=today) for d in demands]
    return [(m.ranked, [item.ranked for item in m.items], m.scored) for m in found]


def match_demands(
    engine: MatchEngine,
    demands: list[Demand],
    options: Options,
    *,
    now: datetime,
    today: date,
    workers: int = 1,
) -> list[DemandMatches]:
    """Match many requirements at once (an event's list, a province run), on ``workers`` CPU
    cores: forked children share the index copy-on-write. For batch jobs, not request threads."""
    if workers <= 1 or len(demands) < 2 * workers:
        return [engine.match_demand(d, options, now=now, today=today) for d in demands]
    import multiprocessing

    global _FORKED
    _FORKED = engine
    try:
        size = -(-len(demands) // (workers * 4))
        batches = [
            (demands[i : i + size], options, now, today) for i in range(0, len(demands), size)
        ]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            found = [f for batch in pool.map(_match_in_child, batches) for f in batch]
    finally:
        _FORKED = None
    return [
        DemandMatches(
            demand,
            ranked,
            [ItemCandidates(unit, best) for unit, best in zip(demand.units, items, strict=True)],
            scored,
        )
        for demand, (ranked, items, scored) in zip(demands, found, strict=True)
    ]


def _rank(scored: list[PairScore]) -> list[PairScore]:
    """Best first; ties by the number of items covered, then by id, so a ranking never wobbles."""
    return sorted(
        scored,
        key=lambda s: (-s.score, -len(s.covered_items), s.capability_id, s.requirement_id),
    )
