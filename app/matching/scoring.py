"""How well one capability fits one requirement: a 0–100 score built from named components.

Pure: plain data in, plain data out. Every component is a number in [0, 1] with a short reason;
the score is their weighted mean times 100. ``score_pair`` is the single definition of a match
score: the index (``app.matching.index``) only decides which pairs are worth scoring. The data
it reads and returns are in ``app.matching.model``.
"""

import math
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from app.core.text import normalise
from app.matching.model import (  # re-exported: callers import the documents from here too
    CONTEXT,
    Component,
    Demand,
    ItemFit,
    Lexicon,
    NodeTree,
    PairScore,
    Party,
    Place,
    Supply,
    Unit,
    Weights,
)

WELL_REGARDED_TIERS = frozenset(
    {"srdi", "little_giant", "single_champion", "leading", "chain_owner", "listed"}
)
FUZZY_CREDIT = 0.8  # a term matched through a one-letter typo counts for this much of an exact one
SPEC_WEIGHT = 0.4  # a line item's spec words count for less than its name
FRESHNESS_HALF_LIFE_DAYS = 60.0
FAR_KM = 2500.0  # beyond this, distance earns no locality credit


@dataclass(frozen=True, slots=True)
class PreparedUnit:
    """A unit's terms with their idf weights and typo variants, looked up once per query."""

    unit: Unit
    terms: tuple[tuple[str, float, frozenset[str]], ...]  # (term, idf weight, variants)
    total: float
    nodes: frozenset[int]
    weight_of: dict[str, float]
    term_set: frozenset[str]
    fuzzy: tuple[tuple[str, float, frozenset[str]], ...]  # the terms that have variants


@dataclass(frozen=True, slots=True)
class Prepared:
    """A requirement ready to be scored against many capabilities."""

    units: tuple[PreparedUnit, ...]
    nodes: frozenset[int]  # every chain node the requirement or one of its items names


def prepare(demand: Demand, lexicon: Lexicon) -> Prepared:
    prepared = []
    for unit in demand.units:
        terms = tuple(
            (term, base * lexicon.idf(term), lexicon.variants(term))
            for term, base in unit.weights.items()
        )
        nodes = frozenset({unit.node_id}) if unit.node_id else demand.node_ids
        weight_of = {term: weight for term, weight, _ in terms}
        prepared.append(
            PreparedUnit(
                unit,
                terms,
                math.fsum(weight_of.values()),
                nodes,
                weight_of,
                frozenset(weight_of),
                tuple(t for t in terms if t[2]),
            )
        )
    nodes = demand.node_ids | {u.node_id for u in demand.units if u.node_id}
    return Prepared(tuple(prepared), nodes)


def unit_text(
    unit: PreparedUnit, terms: frozenset[str], explain: bool = True
) -> tuple[float, list[str]]:
    """Share of the unit's (idf-weighted) terms found in ``terms``; a one-edit typo counts less.
    The matched terms are listed only when ``explain``. Summed with ``fsum``: the same share
    whatever order the sets come in."""
    exact = unit.term_set & terms
    parts = [unit.weight_of[term] for term in exact]
    for term, weight, variants in unit.fuzzy:
        if term not in exact and not variants.isdisjoint(terms):
            parts.append(FUZZY_CREDIT * weight)
    share = math.fsum(parts) / unit.total if unit.total else 0.0
    if not explain:
        return share, []
    matched = []
    for term, _, variants in unit.terms:
        if term in exact:
            matched.append(term)
        elif variants and not variants.isdisjoint(terms):
            matched.append(f"{term}~{min(variants & terms)}")
    return share, matched


@lru_cache(maxsize=64)
def _weight_table(weights: Weights) -> tuple[tuple[float, float, bool], ...]:
    """Per component, in ``Weights`` order: its weight, points at value 1, whether text gates it."""
    table = weights.as_dict()
    total = sum(table.values()) or 1.0
    return tuple((w, 100.0 * w / total, name in CONTEXT) for name, w in table.items())


def covers(text: float, node: float, threshold: float) -> bool:
    """A capability covers a line item when enough of its words match, or a fair share on its node."""
    return text >= threshold or (text >= threshold / 2 and node >= 1.0)


def km_between(a: Place, b: Place) -> float | None:
    if None in (a.lat, a.lng, b.lat, b.lng):
        return None
    lat1, lng1, lat2, lng2 = map(math.radians, (a.lat, a.lng, b.lat, b.lng))  # type: ignore[arg-type]
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


_PREFERENCE = {
    "same_city": ("city", "the same city"),
    "same_province": ("province", "the same province"),
    "same_cluster": ("cluster", "the same cluster"),
}


def locality(demand: Demand, supply: Supply) -> tuple[float, str]:
    want, have = demand.place, supply.party.place
    if want is None or have is None:
        return 0.3, "location unknown"
    if want.city is not None and want.city == have.city:
        value, level, reason = 1.0, "city", "same city"
    elif want.province == have.province:
        value, level, reason = 0.8, "province", "same province"
    elif want.clusters & have.clusters:
        value, level, reason = (
            0.6,
            "cluster",
            f"same cluster ({min(want.clusters & have.clusters)})",
        )
    else:
        km = km_between(want, have)
        value = 0.0 if km is None else 0.5 * max(0.0, 1.0 - km / FAR_KM)
        level, reason = "far", "far away" if km is None else f"{km:.0f} km away"
    order = ("city", "province", "cluster", "far")
    if demand.locality in _PREFERENCE:
        needed, label = _PREFERENCE[demand.locality]
        if order.index(level) > order.index(needed):
            value *= 0.4
            reason += f"; buyer prefers {label}"
    if supply.serves and supply.serves.isdisjoint(want.codes):
        value *= 0.5
        reason += "; delivery region not among the regions served"
    return value, reason


def certification_key(name: str) -> str:
    return normalise(name).replace(" ", "")


def certifications(demand: Demand, supply: Supply) -> tuple[float, str]:
    if not demand.certifications:
        return 1.0, "none required"
    held = demand.certifications & supply.certifications
    missing = sorted(demand.certifications - held)
    value = len(held) / len(demand.certifications)
    return value, "all held" if not missing else "missing " + ", ".join(missing)


def capacity(demand: Demand, supply: Supply, covered: list[Unit]) -> tuple[float, str]:
    fits = []
    for unit in covered:
        if unit.quantity is None or not unit.quantity > 0:
            continue
        if supply.min_order is not None and supply.min_order > unit.quantity:
            fits.append(0.2)
        elif (
            supply.capacity_per_year is not None
            and supply.capacity_unit is not None
            and supply.capacity_unit == unit.unit
        ):
            fits.append(min(1.0, supply.capacity_per_year / unit.quantity))
        else:
            fits.append(0.5)
    if not fits:
        return 0.5, "no comparable quantity"
    value = sum(fits) / len(fits)
    if value >= 1.0:
        return value, "capacity covers the quantities"
    return value, "capacity or minimum order only partly fits"


def standing(party: Party) -> tuple[float, str]:
    regarded = sorted(party.tiers & WELL_REGARDED_TIERS)
    value = (0.4 if party.verified else 0.0) + (0.6 if regarded else 0.0)
    parts = (["verified"] if party.verified else []) + regarded
    return value, ", ".join(parts) or "unverified, no tier"


def freshness(updated_at: datetime, now: datetime) -> tuple[float, str]:
    days = max(0.0, (now - updated_at).total_seconds() / 86400)
    return 0.5 ** (days / FRESHNESS_HALF_LIFE_DAYS), f"updated {days:.0f} days ago"


def score_pair(
    demand: Demand,
    supply: Supply,
    *,
    tree: NodeTree,
    lexicon: Lexicon,
    weights: Weights,
    now: datetime,
    cover_threshold: float,
    counterpart: str = "supply",
    prepared: Prepared | None = None,
    explain: bool = True,
) -> PairScore:
    """Score one requirement–capability pair. ``counterpart`` names whose standing and freshness
    count: the supplier's when a buyer looks for suppliers, the buyer's the other way round.

    Without ``explain`` the score and the items covered are the same, but the components and the
    matched terms are left out: ranking a shortlist needs the numbers, only the answer needs words.
    """
    prepared = prepared or prepare(demand, lexicon)
    fits: list[ItemFit] = []
    covered_units: list[Unit] = []
    best: ItemFit | None = None
    for prep in prepared.units:
        unit = prep.unit
        text, matched = unit_text(prep, supply.terms, explain)
        node = tree.fit(prep.nodes, supply.node_ids)[0]
        is_covered = covers(text, node, cover_threshold)
        if is_covered:
            covered_units.append(unit)
        fit = ItemFit(
            unit.item_id, unit.position, unit.name, text, node, is_covered, tuple(matched)
        )
        fits.append(fit)
        if best is None or (text, node, -unit.position) > (best.text, best.node, -best.position):
            best = fit
    assert best is not None, "a demand has at least one unit"
    node_value, node_reason = tree.fit(prepared.nodes, supply.node_ids)
    standing_of = supply.party if counterpart == "supply" else demand.party
    fresh_of = supply.updated_at if counterpart == "supply" else demand.updated_at
    covered_count = len(covered_units)
    raw = (
        ("text", best.text, _best_item_reason(best) if explain else ""),
        (
            "coverage",
            math.sqrt(covered_count / len(fits)),
            f"covers {covered_count} of {len(fits)} items",
        ),
        ("node", node_value, node_reason),
        ("locality", *locality(demand, supply)),
        ("certifications", *certifications(demand, supply)),
        ("capacity", *capacity(demand, supply, covered_units)),
        ("standing", *standing(standing_of)),
        ("freshness", *freshness(fresh_of, now)),
    )
    # Context counts in proportion to the text fit: a nearby, certified firm that makes
    # something else is not a good match.
    table = _weight_table(weights)
    components = {}
    score = 0.0
    for (name, value, reason), (weight, scale, gated) in zip(raw, table, strict=True):
        points = scale * value * (best.text if gated else 1.0)
        score += points
        if explain:
            components[name] = Component(value, weight, points, reason)
    return PairScore(demand.id, supply.id, round(score, 2), components, tuple(fits))


def _best_item_reason(best: ItemFit) -> str:
    return f"best item {best.name!r}: " + (", ".join(best.matched_terms) or "—")
