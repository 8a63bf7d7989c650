"""A cheap estimate of many pairs' scores at once, to choose which few get scored in full.

``score_pair`` defines a score; this mirrors it with numpy over a query's candidate slots, from
what the index holds per slot: places as facets and coordinates, standing, last update, capacity,
certifications. Words are the index's per-item sums, so a typo found through more than one
spelling counts more than in the full score, and for requirements the certifications are taken
as met: close, not exact. Without the context components, firms with the same words would tie and
the shortlist would cut among them blindly.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from app.matching.index import Side
from app.matching.scoring import (
    CONTEXT,
    FAR_KM,
    FRESHNESS_HALF_LIFE_DAYS,
    Demand,
    NodeTree,
    Place,
    Prepared,
    PreparedUnit,
    Supply,
    Weights,
)

LEVELS = {"same_city": 0, "same_province": 1, "same_cluster": 2, "anywhere": 3}
LEVEL_VALUE = np.array([1.0, 0.8, 0.6])  # city, province, cluster; far is by distance
UNKNOWN_PLACE = 0.3
CAPACITY_UNKNOWN = 0.5
# A capability's estimate is its score before the score's rounding to two decimals: candidates
# further than this below the k-th best estimate cannot make the top k.
SLACK = 0.02


@dataclass(frozen=True, slots=True)
class Candidates:
    """The slots a query looks at, and what the estimate needs of the side they live on."""

    side: Side
    slots: np.ndarray

    def has(self, keys: Iterable[tuple[object, ...]]) -> np.ndarray:
        """Per candidate: does its slot hold any of ``keys``?"""
        return self.side.holds(keys, self.slots)

    def column(self, name: str) -> np.ndarray:
        return self.side.array(name)[self.slots]


def locality(
    cands: Candidates,
    place: Place | None,
    where: str,
    prefers: int | np.ndarray,
    serves_ok: np.ndarray,
) -> np.ndarray:
    """``scoring.locality`` for each candidate: ``place`` is the asker's side of the comparison,
    ``where`` the facet naming each slot's place, ``prefers`` the buyer's preference level(s),
    ``serves_ok`` whether the supplier serves the delivery region."""
    placed = cands.column("placed")
    if place is None:
        return np.full(len(cands.slots), UNKNOWN_PLACE)
    city = cands.has([(where, place.city)]) if place.city else np.zeros(len(placed), bool)
    province = cands.has([(where, place.province)])
    cluster = cands.has((where, c) for c in place.clusters)
    level = np.where(city, 0, np.where(province, 1, np.where(cluster, 2, 3)))
    value = np.zeros(len(placed))
    near = level < 3
    value[near] = LEVEL_VALUE[level[near]]
    far = ~near
    if place.lat is not None and place.lng is not None and far.any():
        far_km = km(place.lat, place.lng, cands.column("lat")[far], cands.column("lng")[far])
        value[far] = np.nan_to_num(0.5 * np.maximum(0.0, 1.0 - far_km / FAR_KM), nan=0.0)
    value = np.where((prefers < 3) & (level > prefers), value * 0.4, value)
    value = np.where(serves_ok, value, value * 0.5)
    return np.where(placed, value, UNKNOWN_PLACE)


def km(lat: float, lng: float, lats: np.ndarray, lngs: np.ndarray) -> np.ndarray:
    """Great-circle distances from one point to many, in kilometres."""
    lat1, lng1 = math.radians(lat), math.radians(lng)
    lat2, lng2 = np.radians(lats), np.radians(lngs)
    h = (
        np.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * np.cos(lat2) * np.sin((lng2 - lng1) / 2) ** 2
    )
    return 2 * 6371.0 * np.arcsin(np.sqrt(h))


def capacity(cands: Candidates, units: Sequence[PreparedUnit], covering: np.ndarray) -> np.ndarray:
    """``scoring.capacity`` for each candidate: over the line items it covers that name a
    quantity, the mean fit of its yearly capacity (in the same unit) and minimum order."""
    total = np.zeros(len(cands.slots))
    counted = np.zeros(len(cands.slots))
    yearly, min_order = cands.column("capacity"), cands.column("min_order")
    for unit, covered in zip(units, covering, strict=True):
        quantity = unit.unit.quantity
        if quantity is None or not quantity > 0:
            continue
        same_unit = (
            cands.has([("capacity_unit", unit.unit.unit)])
            if unit.unit.unit is not None
            else np.zeros(len(total), dtype=bool)
        )
        with np.errstate(invalid="ignore", over="ignore"):
            fit = np.where(
                min_order > quantity,
                0.2,
                np.where(same_unit & ~np.isnan(yearly), np.minimum(1.0, yearly / quantity), 0.5),
            )
        total += np.where(covered, fit, 0.0)
        counted += covered
    return np.where(counted > 0, total / np.maximum(counted, 1), CAPACITY_UNKNOWN)


def freshness(cands: Candidates, now_seconds: float) -> np.ndarray:
    days = np.maximum(0.0, now_seconds - cands.column("stamp")) / 86400
    return 0.5 ** (days / FRESHNESS_HALF_LIFE_DAYS)


def node_fit(cands: Candidates, tree: NodeTree, wanted: frozenset[int], key: str) -> np.ndarray:
    """``NodeTree.fit`` for each candidate, from its ``key`` facets (the nodes it offers or names)
    and ``{key}_chain`` facets (their chains)."""
    if not wanted:
        return np.zeros(len(cands.slots))
    family = tree.family(wanted) - wanted
    chains = {tree.chain[n] for n in wanted if n in tree.chain}
    return np.where(
        cands.has((key, n) for n in wanted),
        1.0,
        np.where(
            cands.has((key, n) for n in family),
            0.6,
            np.where(cands.has((f"{key}_chain", c) for c in chains), 0.3, 0.0),
        ),
    )


def ceiling(weights: Weights, text: np.ndarray, halfway: np.ndarray) -> np.ndarray:
    """An upper bound of each candidate's estimate from its words alone: every item within half
    the threshold (``halfway``, items × candidates) taken as covered, the node and context at
    their best. ``text`` is each candidate's best word fit."""
    coverage = np.sqrt(halfway.sum(axis=0) / len(halfway))
    return combine(weights, text, coverage, 1.0, dict.fromkeys(CONTEXT, 1.0))


def kth_largest(values: np.ndarray, k: int) -> float:
    """The k-th largest value, or minus infinity when there are no more than k."""
    if k <= 0 or len(values) <= k:
        return -math.inf
    return float(np.partition(values, len(values) - k)[len(values) - k])


def combine(
    weights: Weights,
    text: np.ndarray,
    coverage: np.ndarray | float,
    node: np.ndarray | float,
    context: dict[str, np.ndarray | float],
) -> np.ndarray:
    """The score from component values, as ``score_pair`` adds them up."""
    table = weights.as_dict()
    total = sum(table.values()) or 1.0
    plain = table["text"] * text + table["coverage"] * coverage + table["node"] * node
    gated = sum(table[name] * context[name] for name in CONTEXT)
    return 100.0 * (plain + text * gated) / total


def capabilities(
    tree: NodeTree,
    demand: Demand,
    prepared: Prepared,
    words: np.ndarray,
    on_node: np.ndarray,
    cands: Candidates,
    weights: Weights,
    threshold: float,
    now: datetime,
) -> tuple[np.ndarray, list[np.ndarray]]:
    """Estimated scores of the candidate capabilities, and per line item which of them
    (by position in ``cands``) cover it. ``words`` and ``on_node`` are items × candidates."""
    covering = (words >= threshold) | ((words >= threshold / 2) & on_node)
    context = {
        **_buyer_context(demand, cands, now),
        "capacity": capacity(cands, prepared.units, covering),
    }
    guess = combine(
        weights,
        words.max(axis=0),
        np.sqrt(covering.sum(axis=0) / len(prepared.units)),
        node_fit(cands, tree, prepared.nodes, "node"),
        context,
    )
    return guess, [np.flatnonzero(row) for row in covering]


def _buyer_context(demand: Demand, cands: Candidates, now: datetime) -> dict[str, np.ndarray]:
    """The context components that do not depend on which line items a capability covers."""
    place = demand.place
    serves_ok = ~cands.column("serves_some")
    if place is not None:
        serves_ok |= cands.has(("serves", code) for code in place.codes)
    wanted = demand.certifications
    certified = (
        sum(cands.has([("cert", c)]).astype(float) for c in wanted) / len(wanted)
        if wanted
        else np.ones(len(cands.slots))
    )
    return {
        "locality": locality(cands, place, "place", LEVELS.get(demand.locality, 3), serves_ok),
        "certifications": certified,
        "standing": cands.column("standing"),
        "freshness": freshness(cands, now.timestamp()),
    }


def item_alone(
    tree: NodeTree,
    demand: Demand,
    unit: PreparedUnit,
    words: np.ndarray,
    on_node: np.ndarray,
    cands: Candidates,
    weights: Weights,
    threshold: float,
    now: datetime,
) -> np.ndarray:
    """Each candidate's score for one line item alone (``Demand.alone``), as ``capabilities``
    estimates a one-item requirement, or minus infinity where it does not cover the item.
    ``words`` and ``on_node`` are the candidates' word fit for the item and whether they are on
    its node."""
    covered = (words >= threshold) | ((words >= threshold / 2) & on_node)
    context = {
        **_buyer_context(demand, cands, now),
        "capacity": capacity(cands, (unit,), covered[None, :]),
    }
    scores = combine(
        weights, words, covered.astype(float), node_fit(cands, tree, unit.nodes, "node"), context
    )
    return np.where(covered, scores, -np.inf)


def text_needed(weights: Weights, min_score: float) -> float:
    """The least text fit with which one line item can still score ``min_score``: with full
    coverage, node and context, the rest must come from the words."""
    table = weights.as_dict()
    total = sum(table.values()) or 1.0
    gated = sum(table[name] for name in CONTEXT)
    rest = min_score * total / 100.0 - table["coverage"] - table["node"]
    if table["text"] + gated <= 0:
        return 0.0
    return max(0.0, rest / (table["text"] + gated))


def requirements(
    tree: NodeTree,
    supply: Supply,
    words: np.ndarray,
    cands: Candidates,
    weights: Weights,
    threshold: float,
    now: datetime,
) -> tuple[np.ndarray, np.ndarray]:
    """Estimated scores of the requirements whose line items are among ``cands``."""
    on_node = cands.has(("node", n) for n in supply.node_ids)
    covered = (words >= threshold) | ((words >= threshold / 2) & on_node)
    ids, first, inverse = np.unique(cands.column("owner"), return_index=True, return_inverse=True)
    best = np.zeros(len(ids))
    np.maximum.at(best, inverse, words)
    count = np.bincount(inverse, weights=covered, minlength=len(ids))
    heads = Candidates(cands.side, cands.slots[first])  # one slot per requirement
    serves_ok = (
        heads.has(("where", code) for code in supply.serves)
        if supply.serves
        else np.ones(len(ids), dtype=bool)
    )
    context = {
        "locality": locality(
            heads, supply.party.place, "where", heads.column("prefers"), serves_ok
        ),
        "certifications": 1.0,  # not indexed for requirements: assume met
        "capacity": CAPACITY_UNKNOWN,
        "standing": heads.column("standing"),
        "freshness": freshness(heads, now.timestamp()),
    }
    guess = combine(
        weights,
        best,
        np.sqrt(count / heads.column("units")),
        node_fit(heads, tree, supply.node_ids, "any_node"),
        context,
    )
    return ids, guess
