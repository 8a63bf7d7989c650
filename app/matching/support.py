"""Chain analytics' question to the engine: for each line item, every capability that
qualifies — covers the item and scores at least a bar for the item alone (``Demand.alone``).

A mixin of ``MatchEngine`` (it reads the engine's index under the engine's lock), kept apart
because it answers a different question from the ranked match lists: not the best few, but
everyone above a known bar, which lets the words do the pruning (MaxScore).
"""

import threading
from collections.abc import Hashable, Iterable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np

from app.matching import estimate
from app.matching.estimate import Candidates
from app.matching.index import Side, Vocabulary, essential, lookup, union
from app.matching.model import Demand, Filters, NodeTree, Options, Party, Supply
from app.matching.scoring import Prepared, PreparedUnit, prepare

WordFits = tuple[np.ndarray, np.ndarray, np.ndarray]  # slots, word fits, on the item's node


class QualifiedSuppliers:
    """What ``MatchEngine`` lends this mixin."""

    tree: NodeTree
    vocabulary: Vocabulary
    supplies: dict[int, Supply]
    demands: dict[int, Demand]
    lock: threading.RLock
    _supply_side: Side

    if TYPE_CHECKING:  # the engine's own, declared for the type checker only

        def _term_parts(
            self, side: Side, weights: dict[str, float]
        ) -> list[tuple[np.ndarray, np.ndarray]]: ...

        def _eligible_at(
            self, side: Side, slots: np.ndarray, kind: str, owner: int, filters: Filters
        ) -> np.ndarray: ...

        def _prepare(self, demand_id: int) -> Prepared: ...

    def support(
        self,
        demand: Demand,
        options: Options,
        now: datetime,
        prepared: Prepared | None = None,
        fits: dict[Hashable, WordFits] | None = None,
    ) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per line item, the eligible capabilities that cover it and score at least
        ``options.min_score`` for it alone (``Demand.alone``), and their scores: the qualified
        suppliers chain analytics count. ``fits`` remembers items' word fits across calls that
        see the same index (``support_many``): requirements repeat their line items.

        A threshold known in advance lets the words do the pruning (MaxScore): a capability
        must share enough of an item's rarer words to reach the text fit the threshold needs,
        so the lists of common words are only looked up for the few found, never gathered."""
        with self.lock:
            side = self._supply_side
            prepared = prepared or prepare(demand, self.vocabulary)
            need = max(  # a score rounding up to the bar counts; an item is covered at half
                estimate.text_needed(options.weights, options.min_score - 0.005),  # the threshold
                options.cover_threshold / 2,
            )
            found = []
            for unit in prepared.units:
                key = (tuple(sorted(unit.weight_of.items())), unit.nodes, demand.kind, need)
                fit = None if fits is None else fits.get(key)
                if fit is None:
                    fit = self._item_fit(unit, demand.kind, need)
                    if fits is not None:
                        fits[key] = fit
                slots, words, on_node = fit
                ok = self._eligible_at(side, slots, demand.kind, demand.party.id, options.filters)
                cands = Candidates(side, slots[ok])
                scores = estimate.item_alone(
                    self.tree,
                    demand,
                    unit,
                    words[ok],
                    on_node[ok],
                    cands,
                    options.weights,
                    options.cover_threshold,
                    now,
                )
                good = np.round(scores, 2) >= options.min_score
                found.append((cands.column("owner")[good], np.round(scores[good], 2)))
        return found

    def _item_fit(self, unit: PreparedUnit, kind: str, need: float) -> WordFits:
        """The live capabilities of the docking kind whose words may reach the text fit
        ``need`` for the item, their word fits and whether they are on its node."""
        side = self._supply_side
        parts = self._term_parts(side, dict(unit.unit.weights))
        total = unit.total or 1.0
        slots = union(side, essential(parts, need * total))
        slots = slots[side.live(("kind", kind))[slots]]
        words = np.minimum(lookup(parts, slots) / total, 1.0)
        return slots, words, side.holds((("node", n) for n in unit.nodes), slots)

    def support_many(
        self, demands: Iterable[Demand], options: Options, now: datetime, batch: int = 200
    ) -> Iterator[tuple[Demand, list[tuple[np.ndarray, np.ndarray]], dict[int, Party]]]:
        """``support`` for many requirements, each with the enterprises behind the capabilities
        found (read under the lock, so a compaction in between cannot hide one): a batch at a
        time under the lock (other queries get their turn in between), remembering word fits
        while the index stays the same."""
        demands = list(demands)  # now, not at the first next()
        return self._support_batches(demands, options, now, batch)

    def _support_batches(
        self, demands: list[Demand], options: Options, now: datetime, batch: int
    ) -> Iterator[tuple[Demand, list[tuple[np.ndarray, np.ndarray]], dict[int, Party]]]:
        fits: dict[Hashable, WordFits] = {}
        seen = None
        for start in range(0, len(demands), batch):
            with self.lock:
                if seen != (self._supply_side, self.vocabulary.generation):  # the index moved
                    fits.clear()
                    seen = (self._supply_side, self.vocabulary.generation)
                done = [
                    (demand, self.support(demand, options, now, self._prepared_form(demand), fits))
                    for demand in demands[start : start + batch]
                ]
                found = np.unique(np.concatenate([ids for _, f in done for ids, _ in f] or [[]]))
                parties = {i: self.supplies[i].party for i in found.astype(np.int64).tolist()}
            for demand, supported in done:
                yield demand, supported, parties

    def _prepared_form(self, demand: Demand) -> Prepared | None:
        """The indexed requirement's remembered prepared form, if it is the one indexed."""
        return self._prepare(demand.id) if self.demands.get(demand.id) is demand else None

    def offering(self, node_id: int) -> list[Supply]:
        """The indexed (open) capabilities on the chain node."""
        with self.lock:
            side = self._supply_side
            slots = side.postings.slots(("node", node_id))
            owners = side.array("owner")[slots[side.array("alive")[slots]]]
            return [self.supplies[int(o)] for o in np.unique(owners)]
