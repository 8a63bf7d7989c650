"""Turning stored postings into the engine's documents: analysed terms, places, annual capacity."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from app.core.text import normalise
from app.matching.analysis import Analyser
from app.matching.scoring import (
    SPEC_WEIGHT,
    Demand,
    NodeTree,
    Party,
    Place,
    Supply,
    Unit,
    certification_key,
)
from app.models import Capability, Enterprise, Requirement

PER_YEAR = {"day": 365, "week": 52, "month": 12, "year": 1, "once": 1}


@dataclass(frozen=True)
class RegionRow:
    code: str
    city_code: str | None
    province_code: str
    longitude: float | None
    latitude: float | None


class Gazetteer:
    """Every region as a Place, with the clusters it lies in."""

    def __init__(self, regions: Iterable[RegionRow], cluster_members: Iterable[tuple[str, str]]):
        clusters_of: dict[str, set[str]] = defaultdict(set)
        for cluster, region in cluster_members:
            clusters_of[region].add(cluster)
        self._places: dict[str, Place] = {}
        for r in regions:
            inside = clusters_of[r.code] | clusters_of[r.province_code]
            if r.city_code:
                inside |= clusters_of[r.city_code]
            self._places[r.code] = Place(
                r.code, r.city_code, r.province_code, frozenset(inside), r.longitude, r.latitude
            )

    def get(self, code: str | None) -> Place | None:
        return self._places.get(code) if code else None


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _unit_name(unit: str | None) -> str | None:
    return normalise(unit) or None if unit else None


class DocumentBuilder:
    def __init__(self, analyser: Analyser, gazetteer: Gazetteer, tree: NodeTree) -> None:
        self.analyser = analyser
        self.gazetteer = gazetteer
        self.tree = tree

    def party(self, enterprise: Enterprise) -> Party:
        return Party(
            id=enterprise.id,
            name=enterprise.name,
            place=self.gazetteer.get(enterprise.region_code),
            tiers=frozenset(t.value if hasattr(t, "value") else str(t) for t in enterprise.tiers),
            verified=enterprise.verified,
        )

    def _weights(self, main: Iterable[str | None], extra: Iterable[str | None]) -> dict[str, float]:
        weights = dict.fromkeys(self.analyser.terms(extra), SPEC_WEIGHT)
        weights.update(dict.fromkeys(self.analyser.terms(main), 1.0))
        return weights

    def supply(self, capability: Capability) -> Supply:
        amount = _number(capability.capacity_amount)
        period = capability.capacity_period
        per_year = (
            amount * PER_YEAR[str(period.value if hasattr(period, "value") else period)]
            if amount is not None and period is not None
            else None
        )
        return Supply(
            id=capability.id,
            party=self.party(capability.enterprise),
            kind=str(capability.kind.value),
            title=capability.title,
            chain_id=capability.chain_id,
            node_ids=frozenset(capability.node_ids),
            terms=frozenset(
                self.analyser.terms(
                    [capability.title, capability.description, *capability.keywords]
                )
            ),
            serves=frozenset(capability.regions_served),
            certifications=frozenset(certification_key(c) for c in capability.certifications),
            capacity_per_year=per_year,
            capacity_unit=_unit_name(capability.capacity_unit),
            min_order=_number(capability.min_order_quantity),
            updated_at=capability.updated_at,
        )

    def demand(self, requirement: Requirement) -> Demand:
        if requirement.items:
            units = tuple(
                Unit(
                    item_id=item.id,
                    position=item.position,
                    name=item.name,
                    weights=self._weights([item.name], [item.spec]),
                    node_id=item.node_id,
                    quantity=_number(item.quantity),
                    unit=_unit_name(item.unit),
                )
                for item in requirement.items
            )
        else:
            weights = self._weights(
                [requirement.title], [requirement.description, requirement.project_name]
            )
            units = (Unit(None, 0, requirement.title, weights, None, None, None),)
        party = self.party(requirement.enterprise)
        place = self.gazetteer.get(requirement.delivery_region_code) or party.place
        return Demand(
            id=requirement.id,
            party=party,
            kind=str(requirement.kind.value),
            title=requirement.title,
            chain_id=requirement.chain_id,
            node_ids=frozenset(requirement.node_ids),
            units=units,
            place=place,
            locality=str(requirement.locality_preference.value),
            certifications=frozenset(
                certification_key(c) for c in requirement.certifications_required
            ),
            valid_until=requirement.valid_until,
            updated_at=requirement.updated_at,
        )
