"""The matching engine: ranked, explained pairings of requirements and capabilities, both ways.

Pure: it holds plain documents (``Demand``, ``Supply``) in an in-process index and answers
queries; loading them from the database and keeping them current is ``app.matching.keeper``'s job.
A query gathers candidates from the index (shared terms, typo variants, same chain node),
estimates all their scores at once with numpy (``app.matching.estimate``), and scores only the
best few with ``score_pair``, explaining only those it returns.
"""

import math
import threading
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

import numpy as np

from app.matching import estimate
from app.matching.estimate import Candidates
from app.matching.index import (
    NEVER,
    Key,
    Side,
    Vocabulary,
    gather,
    top_keys,
)
from app.matching.model import (  # re-exported: the API and events import them from here
    DemandMatches,
    Filters,
    ItemCandidates,
    Options,
    SupplyMatches,
)
from app.matching.scoring import (
    FUZZY_CREDIT,
    Demand,
    NodeTree,
    PairScore,
    Party,
    Place,
    Prepared,
    Supply,
    prepare,
    score_pair,
    standing,
)
from app.matching.support import QualifiedSuppliers

TermLists = tuple[tuple[np.ndarray, np.ndarray], ...]
TERM_LISTS_KEPT = 200_000


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


def _place_columns(place: Place | None) -> dict[str, Any]:
    if place is None:
        return {"placed": False}
    return {
        "placed": True,
        "lat": math.nan if place.lat is None else place.lat,
        "lng": math.nan if place.lng is None else place.lng,
    }


def _node_slots(side: Side, nodes: Iterable[int]) -> np.ndarray:
    """Slots on any of the chain nodes."""
    return np.concatenate(
        [side.postings.slots(("node", n)) for n in nodes] + [np.empty(0, np.int64)]
    )


def demand_nodes(demand: Demand) -> frozenset[int]:
    return demand.node_ids | {u.node_id for u in demand.units if u.node_id}


class MatchEngine(QualifiedSuppliers):
    """Both sides of the market in one index. Thread-safe: one lock guards reads and writes."""

    def __init__(self, tree: NodeTree | None = None) -> None:
        self.tree = tree or NodeTree()
        self.vocabulary = Vocabulary()
        self.supplies: dict[int, Supply] = {}
        self.demands: dict[int, Demand] = {}
        self._supply_side = Side()
        self._demand_side = Side()
        self._prepared: dict[int, tuple[int, Prepared]] = {}  # demand id -> (generation, form)
        # per side: the generation they were made at, and term -> weighted posting lists
        self._lists: dict[int, tuple[Side, int, dict[str, TermLists]]] = {}
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
            facets += [("node_chain", c) for c in self._chains(supply.node_ids)]
            facets += [("cert", c) for c in supply.certifications]
            facets += [("serves", c) for c in supply.serves]
            if supply.capacity_unit is not None:
                facets.append(("capacity_unit", supply.capacity_unit))
            self._supply_side.add(
                supply.id,
                [(dict.fromkeys(supply.terms, 1.0), facets, 1.0)],
                **_place_columns(supply.party.place),
                serves_some=bool(supply.serves),
                capacity=math.nan if supply.capacity_per_year is None else supply.capacity_per_year,
                min_order=math.nan if supply.min_order is None else supply.min_order,
                standing=standing(supply.party)[0],
                stamp=supply.updated_at.timestamp(),
            )
            self._compact(self._supply_side, self.supplies, self._reindex_supplies)

    def _chains(self, nodes: Iterable[int]) -> set[int]:
        return {self.tree.chain[n] for n in nodes if n in self.tree.chain}

    def supply_parties(self, supply_ids: Iterable[int]) -> dict[int, Party]:
        """The enterprises behind these capabilities as indexed (those indexed)."""
        with self.lock:
            return {i: s.party for i in supply_ids if (s := self.supplies.get(i)) is not None}

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
            shared += [("any_node_chain", c) for c in self._chains(demand_nodes(demand))]
            if demand.place is not None:
                shared += [("where", code) for code in demand.place.codes]
            slots = []
            for unit in demand.units:
                self.vocabulary.add(unit.weights)
                wanted = {unit.node_id} if unit.node_id else demand.node_ids
                facets = shared + [("node", n) for n in wanted]
                norm = sum(w * self.vocabulary.idf(t) for t, w in unit.weights.items())
                slots.append((dict(unit.weights), facets, norm))
            self._demand_side.add(
                demand.id,
                slots,
                expires=demand.valid_until.toordinal() if demand.valid_until else NEVER,
                **_place_columns(demand.place),
                prefers=estimate.LEVELS.get(demand.locality, 3),
                standing=standing(demand.party)[0],
                stamp=demand.updated_at.timestamp(),
                units=len(slots),
            )
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
    def _eligible_at(
        self, side: Side, slots: np.ndarray, kind: str, owner: int, filters: Filters
    ) -> np.ndarray:
        """Which of ``slots`` may be matched: live, of the same docking kind, not the asker's
        own, within the filters."""
        ok = side.live(("kind", kind))[slots] & ~side.holds([("party", owner)], slots)
        if filters.chain_id is not None:
            ok &= side.holds([("chain", filters.chain_id)], slots)
        if filters.node_ids:
            ok &= side.holds((("any_node", n) for n in filters.node_ids), slots)
        if filters.region is not None:
            ok &= side.holds([("place", filters.region)], slots)
        if filters.tiers:
            ok &= side.holds((("tier", t) for t in filters.tiers), slots)
        if filters.verified_only:
            ok &= side.holds([("verified",)], slots)
        if filters.parties is not None:
            ok &= side.holds((("party", p) for p in filters.parties), slots)
        if filters.excluded_parties:
            ok &= ~side.holds((("party", p) for p in filters.excluded_parties), slots)
        if filters.documents is not None:
            wanted = {s for d in filters.documents for s in side.slots_of.get(d, ())}
            ok &= np.isin(slots, np.fromiter(wanted, np.int64, len(wanted)))
        return ok

    def _term_parts(
        self, side: Side, weights: dict[str, float]
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """Posting lists for the terms and their typo variants, weighted by idf. As in
        ``unit_text``, a slot holding a variant but not the term earns the typo credit once."""
        return [
            (slots, base if weight == 1.0 else base * weight)
            for term, weight in weights.items()
            for slots, base in self._term_lists(side, term)
        ]

    def _term_lists(self, side: Side, term: str) -> TermLists:
        """A term's idf-weighted posting list, and its variants' merged into one, remembered
        while the index stays the same (requirements share words)."""
        generation = self.vocabulary.generation
        kept = self._lists.get(id(side))
        if kept is None or kept[0] is not side or kept[1] != generation:
            current = (self._supply_side, self._demand_side)
            self._lists = {k: v for k, v in self._lists.items() if v[0] in current}
            kept = self._lists[id(side)] = (side, generation, {})
        memo = kept[2]
        found = memo.get(term)
        if found is not None:
            return found
        idf = self.vocabulary.idf(term)
        exact, base = side.postings.get(term)
        found = ((exact, base * idf),)
        variants = self.vocabulary.variants(term)
        if variants:
            lists = [side.postings.get(v) for v in variants]
            near = np.concatenate([slots for slots, _ in lists])
            bases = np.concatenate([b for _, b in lists])
            order = np.lexsort((-bases, near))  # per slot, its heaviest variant first
            near, bases = near[order], bases[order]
            first = np.unique(near, return_index=True)[1]
            near, bases = near[first], bases[first]
            keep = np.isin(near, exact, invert=True)
            found += ((near[keep], bases[keep] * idf * FUZZY_CREDIT),)
        if len(memo) > TERM_LISTS_KEPT:
            memo.clear()
        memo[term] = found
        return found

    def match_demand(
        self, demand: Demand, options: Options, *, now: datetime, today: date
    ) -> DemandMatches:
        """Capabilities for a requirement, overall and per line item."""
        with self.lock:
            side = self._supply_side
            prepared = prepare(demand, self.vocabulary)
            cands, guess, covering = self._candidates(demand, prepared, options, now)
            owners = side.array("owner")[cands.slots]  # ties go to the lower id, as in _rank
            bar = max(estimate.kth_largest(guess, options.top), options.min_score)
            worth = np.flatnonzero(guess >= bar - estimate.SLACK)
            scored = [  # explaining the few costs less than scoring the answer twice
                self.score(demand, self.supplies[int(i)], options, now, "supply", prepared)
                for i in top_keys(owners[worth], guess[worth], options.shortlist)
            ]
            ranked = [s for s in _rank(scored) if s.score >= options.min_score]
            top = ranked[: options.top]
        # The estimate is the score, so the per-item lists need no full scoring at all.
        count = np.bincount(np.concatenate(covering), minlength=len(owners))
        items = []
        for unit, covers in zip(demand.units, covering, strict=True):
            near = covers[np.round(guess[covers], 2) >= options.min_score]
            best = top_keys(near, guess[near], options.per_item + 5)  # a margin for ties
            order = sorted(
                (-round(float(guess[c]), 2), -int(count[c]), int(owners[c])) for c in best
            )
            items.append(
                ItemCandidates(
                    unit,
                    [PairScore(demand.id, o, -g, {}, ()) for g, _, o in order[: options.per_item]],
                )
            )
        return DemandMatches(demand, top, items, len(scored))

    def match_supply(
        self, supply: Supply, options: Options, *, now: datetime, today: date
    ) -> SupplyMatches:
        """Open requirements for a capability."""
        with self.lock:
            side = self._demand_side
            words = self._term_parts(side, dict.fromkeys(supply.terms, 1.0))
            slots, (fit,) = gather(side, [words], _node_slots(side, supply.node_ids))
            ok = self._eligible_at(side, slots, supply.kind, supply.party.id, options.filters)
            ok &= side.array("expires")[slots] >= today.toordinal()
            cands = Candidates(side, slots[ok])
            fit = np.minimum(fit[ok] / cands.column("norm"), 1.0)
            ids, guess = estimate.requirements(
                self.tree, supply, fit, cands, options.weights, options.cover_threshold, now
            )
            ids = top_keys(ids, guess, options.shortlist_of_requirements)
            scored = [
                self.score(
                    self.demands[int(i)],
                    supply,
                    options,
                    now,
                    "demand",
                    self._prepare(int(i)),
                    False,
                )
                for i in ids
            ]
            ranked = [s for s in _rank(scored) if s.score >= options.min_score][: options.top]
            ranked = [
                self.score(
                    self.demands[s.requirement_id],
                    supply,
                    options,
                    now,
                    "demand",
                    self._prepare(s.requirement_id),
                )
                for s in ranked
            ]
        return SupplyMatches(supply, ranked, len(scored))

    def _prepare(self, demand_id: int) -> Prepared:
        """An indexed requirement's prepared form, kept while the vocabulary stays the same."""
        generation = self.vocabulary.generation
        found = self._prepared.get(demand_id)
        if found is None or found[0] != generation:
            if len(self._prepared) > 50_000:
                self._prepared.clear()
            found = self._prepared[demand_id] = (
                generation,
                prepare(self.demands[demand_id], self.vocabulary),
            )
        return found[1]

    def _candidates(
        self, demand: Demand, prepared: Prepared, options: Options, now: datetime
    ) -> tuple[Candidates, np.ndarray, list[np.ndarray]]:
        """The eligible capabilities sharing a word or a chain node with the requirement that
        may reach its shortlist or an item's list, their estimated scores, and per line item
        which of them (by position) cover it.

        A requirement's words touch thousands of capabilities, most through a common word or
        two. The candidates whose words surely cover an item are estimated first: their
        estimates set the bars (the ``top``-th best, and each item's ``per_item``-th best among
        its coverers), and whoever's word fit cannot lift a perfect rest of its score
        (``estimate.ceiling``) over them cannot make either, so only the rest is estimated."""
        side = self._supply_side
        groups = [self._term_parts(side, dict(unit.unit.weights)) for unit in prepared.units]
        slots, words = gather(side, groups, _node_slots(side, prepared.nodes))
        words /= np.array([unit.total or 1.0 for unit in prepared.units])[:, None]
        np.minimum(words, 1.0, out=words)
        threshold = options.cover_threshold
        text = words.max(axis=0)
        halfway = words >= threshold / 2
        strong = self._eligible(demand, options, slots, np.flatnonzero(text >= threshold))
        found = self._estimate(demand, prepared, options, now, slots, words, strong)
        cands, guess, covering = found
        ceiling = estimate.ceiling(options.weights, text, halfway)
        near = ceiling >= estimate.kth_largest(guess, options.top) - estimate.SLACK
        for row, covers in zip(halfway, covering, strict=True):
            floor = estimate.kth_largest(guess[covers], options.per_item)
            near |= row & (ceiling >= floor - estimate.SLACK)
        near &= ceiling >= options.min_score - estimate.SLACK
        near[strong] = False  # estimated already; those below the bars change no answer
        more = self._eligible(demand, options, slots, np.flatnonzero(near))
        if not len(more):
            return found
        extra, more_guess, more_covering = self._estimate(
            demand, prepared, options, now, slots, words, more
        )
        return (
            Candidates(self._supply_side, np.concatenate([cands.slots, extra.slots])),
            np.concatenate([guess, more_guess]),
            [
                np.concatenate([a, b + len(strong)])
                for a, b in zip(covering, more_covering, strict=True)
            ],
        )

    def _eligible(
        self, demand: Demand, options: Options, slots: np.ndarray, at: np.ndarray
    ) -> np.ndarray:
        """The positions ``at`` in ``slots`` whose capability the requirement may be matched to."""
        side = self._supply_side
        return at[self._eligible_at(side, slots[at], demand.kind, demand.party.id, options.filters)]

    def _estimate(
        self,
        demand: Demand,
        prepared: Prepared,
        options: Options,
        now: datetime,
        slots: np.ndarray,
        words: np.ndarray,
        at: np.ndarray,
    ) -> tuple[Candidates, np.ndarray, list[np.ndarray]]:
        """``estimate.capabilities`` for the positions ``at`` in ``slots`` (``words``: items ×
        slots): the candidates, their estimates and per item which of them cover it."""
        cands = Candidates(self._supply_side, slots[at])
        on_node = np.vstack([cands.has(("node", n) for n in unit.nodes) for unit in prepared.units])
        guess, covering = estimate.capabilities(
            self.tree,
            demand,
            prepared,
            words[:, at],
            on_node,
            cands,
            options.weights,
            options.cover_threshold,
            now,
        )
        return cands, guess, covering

    def guesses(self, demand: Demand, options: Options, now: datetime) -> dict[int, float]:
        """Every candidate capability's estimated score (what the shortlist is chosen by)."""
        with self.lock:
            cands, guess, _ = self._candidates(
                demand, prepare(demand, self.vocabulary), options, now
            )
            owners = self._supply_side.array("owner")[cands.slots]
            return {int(o): float(g) for o, g in zip(owners, guess, strict=True)}

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


def _rank(scored: list[PairScore]) -> list[PairScore]:
    """Best first; ties by the number of items covered, then by id, so a ranking never wobbles."""
    return sorted(
        scored,
        key=lambda s: (-s.score, -len(s.covered_items), s.capability_id, s.requirement_id),
    )
