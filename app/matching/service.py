"""Match lists: ask the engine, then dress its answer with the postings and interest records."""

from datetime import date
from typing import NamedTuple

from sqlalchemy.orm import Session

from app.auth.principal import Principal
from app.config import get_settings
from app.db.types import utcnow
from app.errors import NotFound, Unprocessable
from app.matching import interest as interest_service
from app.matching.dependencies import MatchQuery, weights_for
from app.matching.engine import DemandMatches, Filters, Options, SupplyMatches
from app.matching.keeper import MatchKeeper
from app.matching.schemas import (
    CapabilityCandidate,
    CapabilityMatches,
    ComponentRead,
    InterestRead,
    ItemCandidateRead,
    ItemFitRead,
    ItemMatchesRead,
    PostingSummary,
    RequirementCandidate,
    RequirementMatches,
)
from app.matching.scoring import PairScore
from app.models import Capability, Requirement
from app.postings import capability_service, requirement_service
from app.postings.access import ensure_visible
from app.postings.capability_service import CapabilityNotFound
from app.postings.repository import Posting, get_stamp, node_and_descendants
from app.postings.requirement_service import RequirementNotFound
from app.postings.views import Summary, summaries
from app.regions.scope import area_codes
from app.taxonomy.repository import get_chain, get_node


def _options(session: Session, query: MatchQuery) -> Options:
    if query.chain_id is not None and get_chain(session, query.chain_id) is None:
        raise Unprocessable(f"There is no chain with id {query.chain_id}.", field="chain")
    node_ids: frozenset[int] = frozenset()
    if query.node_id is not None:
        if get_node(session, query.node_id) is None:
            raise Unprocessable(f"There is no chain node with id {query.node_id}.", field="node")
        node_ids = frozenset(node_and_descendants(session, query.node_id))
    if query.region is not None:
        area_codes(session, query.region, field="region")  # 422 for an unknown region
    weights = weights_for(query.weights)
    if weights.total <= 0:
        raise Unprocessable("At least one weight must be above zero.", field="weights")
    return Options(
        top=query.top,
        min_score=query.min_score,
        per_item=query.per_item,
        weights=weights,
        cover_threshold=get_settings().match_cover_threshold,
        filters=Filters(
            chain_id=query.chain_id,
            node_ids=node_ids,
            region=query.region,
            tiers=query.tiers,
            verified_only=query.verified_only,
        ),
    )


def components_read(pair: PairScore) -> dict[str, ComponentRead]:
    return {
        name: ComponentRead(
            value=round(c.value, 4), weight=c.weight, points=round(c.points, 2), reason=c.reason
        )
        for name, c in pair.components.items()
    }


def covered_read(pair: PairScore) -> list[ItemFitRead]:
    return [
        ItemFitRead(
            item_id=f.item_id,
            position=f.position,
            name=f.name,
            text=round(f.text, 4),
            node=f.node,
            matched_terms=list(f.matched_terms),
        )
        for f in pair.covered_items
    ]


def _interests(
    session: Session, principal: Principal, parties: dict[tuple[int, int], tuple[int, int]]
) -> dict[tuple[int, int], InterestRead]:
    """Interest records of the listed pairs that the caller is a party to (staff see all)."""
    keys = [
        key
        for key, (buyer, supplier) in parties.items()
        if principal.is_staff or principal.enterprise_id in (buyer, supplier)
    ]
    found = interest_service.find_pairs(session, keys)
    return {
        key: InterestRead(
            buyer=match.buyer_interest, supplier=match.supplier_interest, mutual=match.mutual
        )
        for key, match in found.items()
    }


def _summary(posting: Summary) -> PostingSummary:
    return PostingSummary(
        id=posting.id,
        title=posting.title,
        kind=posting.kind,
        enterprise=posting.enterprise,
    )


class _Stamp(NamedTuple):
    id: int
    version: int
    enterprise_id: int


def _stamp(
    session: Session,
    keeper: MatchKeeper,
    model: type[Posting],
    posting_id: int,
    principal: Principal,
    today: date,
    not_found: NotFound,
) -> _Stamp:
    """The posting's version and enterprise, when ``principal`` may see it: from the fresh
    index for a live posting (anyone may see one), else from the database."""
    live = keeper.live(model.__tablename__, posting_id, today)
    if live is not None:
        return _Stamp(posting_id, live.version, live.enterprise_id)
    stamp = get_stamp(session, model, posting_id)
    ensure_visible(stamp, principal, today, not_found)
    return _Stamp(stamp.id, stamp.version, stamp.enterprise_id)


def requirement_matches(
    session: Session,
    keeper: MatchKeeper,
    principal: Principal,
    requirement_id: int,
    query: MatchQuery,
    today: date,
) -> RequirementMatches:
    requirement = _stamp(
        session,
        keeper,
        Requirement,
        requirement_id,
        principal,
        today,
        RequirementNotFound(requirement_id),
    )
    options = _options(session, query)
    engine = keeper.current(session, today)
    demand = keeper.indexed_demand(requirement_id, requirement.version) or keeper.builder.demand(
        requirement_service.get(session, principal, requirement_id, today)
    )
    now = utcnow()
    result: DemandMatches = engine.match_demand(demand, options, now=now, today=today)
    capabilities = summaries(session, Capability, sorted({p.capability_id for p in result.ranked}))
    # Item candidates are named as the index holds them (fresh: see ``current``), not read again.
    named = engine.supply_parties({p.capability_id for item in result.items for p in item.ranked})
    parties = {
        (requirement.id, c.id): (requirement.enterprise_id, c.enterprise_id)
        for c in capabilities.values()
    }
    interests = _interests(session, principal, parties)
    candidates = [
        CapabilityCandidate(
            capability=_summary(capabilities[p.capability_id]),
            score=p.score,
            components=components_read(p),
            items_covered=covered_read(p),
            interest=interests.get((requirement.id, p.capability_id)),
        )
        for p in result.ranked
        if p.capability_id in capabilities
    ]
    items = [
        ItemMatchesRead(
            item_id=item.unit.item_id,
            position=item.unit.position,
            name=item.unit.name,
            candidates=[
                ItemCandidateRead(
                    capability_id=p.capability_id,
                    enterprise_id=named[p.capability_id].id,
                    enterprise_name=named[p.capability_id].name,
                    score=p.score,
                )
                for p in item.ranked
                if p.capability_id in named
            ],
        )
        for item in result.items
    ]
    return RequirementMatches(
        requirement_id=requirement.id,
        generated_at=now,
        weights=options.weights.as_dict(),
        scored=result.scored,
        candidates=candidates,
        items=items,
        uncovered_items=[item for item in items if not item.candidates],
    )


def capability_matches(
    session: Session,
    keeper: MatchKeeper,
    principal: Principal,
    capability_id: int,
    query: MatchQuery,
    today: date,
) -> CapabilityMatches:
    capability = _stamp(
        session,
        keeper,
        Capability,
        capability_id,
        principal,
        today,
        CapabilityNotFound(capability_id),
    )
    options = _options(session, query)
    engine = keeper.current(session, today)
    supply = keeper.indexed_supply(capability_id, capability.version) or keeper.builder.supply(
        capability_service.get(session, principal, capability_id, today)
    )
    now = utcnow()
    result: SupplyMatches = engine.match_supply(supply, options, now=now, today=today)
    requirements = summaries(session, Requirement, [p.requirement_id for p in result.ranked])
    parties = {
        (r.id, capability.id): (r.enterprise_id, capability.enterprise_id)
        for r in requirements.values()
    }
    interests = _interests(session, principal, parties)
    candidates = [
        RequirementCandidate(
            requirement=_summary(requirements[p.requirement_id]),
            score=p.score,
            components=components_read(p),
            items_covered=covered_read(p),
            items_total=len(p.items),
            interest=interests.get((p.requirement_id, capability.id)),
        )
        for p in result.ranked
        if p.requirement_id in requirements
    ]
    return CapabilityMatches(
        capability_id=capability.id,
        generated_at=now,
        weights=options.weights.as_dict(),
        scored=result.scored,
        candidates=candidates,
    )
