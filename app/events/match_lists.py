"""An event's match lists and gap view: the engine asked about the registrants only, both ways,
and about everybody else for what the registrants leave open.

A confirmed registrant brings the postings its registration names; one that names none brings
all its open postings of its side (requirements as buyer or both, capabilities as supplier or
both). Only open postings (requirements not past valid-until) take part.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TypeVar

from fastapi import Response
from sqlalchemy.orm import Session

from app.auth.principal import Principal
from app.db.types import utcnow
from app.errors import Forbidden
from app.events import repository
from app.events.exports import ExportFormat, file_response
from app.events.match_list_schemas import (
    CapabilityLine,
    EventCapabilityCandidate,
    EventEnterprise,
    EventGaps,
    EventMatchList,
    EventPosting,
    EventRequirementCandidate,
    Invitee,
    ItemCandidate,
    ItemGap,
    ItemLine,
    RequirementGap,
    RequirementLine,
)
from app.events.service import get_event
from app.matching import repository as matching_repository
from app.matching.dependencies import default_options
from app.matching.engine import DemandMatches, Filters, Options, SupplyMatches
from app.matching.interest import find_pairs
from app.matching.keeper import MatchKeeper
from app.matching.schemas import InterestRead
from app.matching.scoring import PairScore
from app.matching.service import components_read, covered_read
from app.models import Capability, Registration, Requirement
from app.models.enums import RegistrationRole, RegistrationStatus
from app.postings.repository import load_in_order
from app.postings.schemas import EnterpriseSummary
from app.regions.repository import get_regions

BUYING = (RegistrationRole.buyer, RegistrationRole.both)
SUPPLYING = (RegistrationRole.supplier, RegistrationRole.both)
Posting = Requirement | Capability
P = TypeVar("P", Requirement, Capability)


@dataclass(frozen=True)
class MatchListQuery:
    top: int
    min_score: float
    per_item: int


@dataclass(frozen=True)
class GapQuery:
    threshold: float
    invite: int


@dataclass(frozen=True)
class Registrants:
    """An event's registrants and the open postings the confirmed ones bring."""

    registration_of: dict[int, int]  # enterprise id → its confirmed registration's id
    status_of: dict[int, RegistrationStatus]  # enterprise id → its registration's status
    requirements: list[Requirement]
    capabilities: list[Capability]

    @property
    def registered(self) -> frozenset[int]:
        """Enterprises registered (confirmed or waitlisted): never on the list of whom to invite."""
        return frozenset(e for e, s in self.status_of.items() if s != RegistrationStatus.withdrawn)


def _brought(
    session: Session, confirmed: list[Registration], model: type[P], today: date
) -> list[P]:
    """The open postings the registrants of the model's side bring, in registration order."""
    buying = model is Requirement
    roles = BUYING if buying else SUPPLYING
    side = [r for r in confirmed if r.role in roles]
    named = [i for r in side for i in (r.requirement_ids if buying else r.capability_ids)]
    bring_all = [
        r.enterprise_id for r in side if not (r.requirement_ids if buying else r.capability_ids)
    ]
    if bring_all:
        named += matching_repository.postings_of(session, model, bring_all)
    if not named:
        return []
    order = {r.enterprise_id: i for i, r in enumerate(side)}
    live = matching_repository.live_postings(session, model, today, sorted(set(named)))
    return sorted(live, key=lambda p: (order[p.enterprise_id], p.id))


def registrants(session: Session, event_id: int, today: date) -> Registrants:
    rows = sorted(session.scalars(repository.registrations_select(event_id)), key=lambda r: r.id)
    confirmed = [r for r in rows if r.status == RegistrationStatus.confirmed]
    return Registrants(
        registration_of={r.enterprise_id: r.id for r in confirmed},
        status_of={r.enterprise_id: r.status for r in rows},
        requirements=_brought(session, confirmed, Requirement, today),
        capabilities=_brought(session, confirmed, Capability, today),
    )


def _scope(principal: Principal, event_id: int, found: Registrants) -> int | None:
    """Whose lines the caller sees: all (staff), or its own enterprise's as a confirmed registrant."""
    if principal.is_staff:
        return None
    enterprise = principal.enterprise_id
    status = found.status_of.get(enterprise) if enterprise is not None else None
    if status == RegistrationStatus.confirmed:
        return enterprise
    if enterprise is None:
        why = "your account belongs to no enterprise"
    elif status is None:
        why = "your enterprise is not registered for it"
    else:
        why = f"your enterprise's registration is {status.value}"
    raise Forbidden(
        f"Event {event_id}'s match list is for organisers and confirmed registrants; {why}."
    )


# --- dressing the engine's answer ---------------------------------------------------------------


def _place_names(session: Session, codes: set[str]) -> dict[str, str]:
    """Region code → its full name, province and city first (浙江省嘉兴市嘉善县)."""
    regions = {r.code: r for r in get_regions(session, sorted(codes))}
    above = {c for r in regions.values() for c in (r.province_code, r.city_code) if c}
    regions |= {r.code: r for r in get_regions(session, sorted(above - regions.keys()))}
    return {
        code: "".join(
            regions[c].name
            for c in dict.fromkeys((r.province_code, r.city_code, code))
            if c in regions
        )
        for code, r in regions.items()
        if code in codes
    }


def _dressed(
    session: Session, registration_of: dict[int, int], *groups: Sequence[Posting]
) -> list[dict[int, EventPosting]]:
    names = _place_names(session, {p.enterprise.region_code for group in groups for p in group})
    return [
        {
            p.id: EventPosting(
                id=p.id,
                title=p.title,
                kind=p.kind,
                enterprise=EventEnterprise(
                    **EnterpriseSummary.model_validate(p.enterprise).model_dump(),
                    region_name=names.get(p.enterprise.region_code, p.enterprise.region_code),
                    registration_id=registration_of.get(p.enterprise_id),
                ),
            )
            for p in group
        }
        for group in groups
    ]


def _interests(session: Session, pairs: Sequence[PairScore]) -> dict[tuple[int, int], InterestRead]:
    found = find_pairs(session, sorted({(p.requirement_id, p.capability_id) for p in pairs}))
    return {
        key: InterestRead(buyer=m.buyer_interest, supplier=m.supplier_interest, mutual=m.mutual)
        for key, m in found.items()
    }


def _options(filters: Filters, top: int, per_item: int, min_score: float = 0.0) -> Options:
    return replace(
        default_options(), top=top, per_item=per_item, min_score=min_score, filters=filters
    )


def _requirement_line(
    requirement: EventPosting,
    result: DemandMatches,
    capabilities: dict[int, EventPosting],
    interests: dict[tuple[int, int], InterestRead],
) -> RequirementLine:
    explained = {p.capability_id: p for p in result.ranked}
    return RequirementLine(
        requirement=requirement,
        candidates=[
            EventCapabilityCandidate(
                capability=capabilities[p.capability_id],
                score=p.score,
                components=components_read(p),
                items_covered=covered_read(p),
                interest=interests.get((p.requirement_id, p.capability_id)),
                main_reasons=p.main_reasons(),
            )
            for p in result.ranked
            if p.capability_id in capabilities
        ],
        items=[
            ItemLine(
                item_id=item.unit.item_id,
                position=item.unit.position,
                name=item.unit.name,
                candidates=[
                    ItemCandidate(
                        capability=capabilities[p.capability_id],
                        score=p.score,
                        main_reasons=explained.get(p.capability_id, p).main_reasons(),
                    )
                    for p in item.ranked
                    if p.capability_id in capabilities
                ],
            )
            for item in result.items
            if item.unit.item_id is not None
        ],
    )


def _capability_line(
    capability: EventPosting,
    result: SupplyMatches,
    requirements: dict[int, EventPosting],
    interests: dict[tuple[int, int], InterestRead],
) -> CapabilityLine:
    return CapabilityLine(
        capability=capability,
        candidates=[
            EventRequirementCandidate(
                requirement=requirements[p.requirement_id],
                score=p.score,
                components=components_read(p),
                items_covered=covered_read(p),
                items_total=len(p.items),
                interest=interests.get((p.requirement_id, p.capability_id)),
                main_reasons=p.main_reasons(),
            )
            for p in result.ranked
            if p.requirement_id in requirements
        ],
    )


def match_list(
    session: Session,
    keeper: MatchKeeper,
    principal: Principal,
    event_id: int,
    query: MatchListQuery,
    today: date,
) -> EventMatchList:
    """For each requirement the confirmed buyers bring, the ranked registrant capabilities
    (overall and per line item); for each capability the suppliers bring, the ranked registrant
    requirements. Members see the lines of their own enterprise's postings."""
    event = get_event(session, principal, event_id)
    found = registrants(session, event.id, today)
    scope = _scope(principal, event.id, found)
    engine = keeper.current(session, today)
    now = utcnow()
    among_supplies = _options(
        Filters(documents=frozenset(c.id for c in found.capabilities)),
        query.top,
        query.per_item,
        query.min_score,
    )
    among_demands = replace(
        among_supplies, filters=Filters(documents=frozenset(r.id for r in found.requirements))
    )
    demands = [
        (r, engine.match_demand(keeper.builder.demand(r), among_supplies, now=now, today=today))
        for r in found.requirements
        if scope in (None, r.enterprise_id)
    ]
    supplies = [
        (c, engine.match_supply(keeper.builder.supply(c), among_demands, now=now, today=today))
        for c in found.capabilities
        if scope in (None, c.enterprise_id)
    ]
    requirements, capabilities = _dressed(
        session, found.registration_of, found.requirements, found.capabilities
    )
    ranked = [p for _, m in demands for p in m.ranked] + [p for _, m in supplies for p in m.ranked]
    interests = _interests(session, ranked)
    return EventMatchList(
        event_id=event.id,
        event_title=event.title,
        generated_at=now,
        weights=among_supplies.weights.as_dict(),
        enterprise_id=scope,
        requirements=[
            _requirement_line(requirements[r.id], m, capabilities, interests) for r, m in demands
        ],
        capabilities=[
            _capability_line(capabilities[c.id], m, requirements, interests) for c, m in supplies
        ],
    )


# --- the gap view -------------------------------------------------------------------------------


def _best(pairs: Sequence[PairScore]) -> float | None:
    return pairs[0].score if pairs else None


def _invitees(
    pairs: Sequence[PairScore], explained: dict[int, PairScore], dressed: dict[int, EventPosting]
) -> list[Invitee]:
    return [
        Invitee(
            capability=dressed[p.capability_id],
            score=p.score,
            main_reasons=explained.get(p.capability_id, p).main_reasons(),
        )
        for p in pairs
        if p.capability_id in dressed
    ]


def _open(inside: DemandMatches, threshold: float) -> bool:
    scores = [_best(inside.ranked)] + [
        _best(item.ranked) for item in inside.items if item.unit.item_id is not None
    ]
    return any(s is None or s < threshold for s in scores)


def gaps(
    session: Session,
    keeper: MatchKeeper,
    principal: Principal,
    event_id: int,
    query: GapQuery,
    today: date,
) -> EventGaps:
    """Registrants' requirements, or their line items, that no registrant matches with at least
    the threshold score, each with the best suppliers not registered: whom to invite."""
    event = get_event(session, principal, event_id)
    found = registrants(session, event.id, today)
    engine = keeper.current(session, today)
    now = utcnow()
    defaults = default_options()
    among = _options(
        Filters(documents=frozenset(c.id for c in found.capabilities)),
        defaults.top,
        defaults.per_item,
    )
    beyond = _options(Filters(excluded_parties=found.registered), query.invite, query.invite)
    open_ones: list[tuple[Requirement, DemandMatches, DemandMatches]] = []
    for requirement in found.requirements:
        demand = keeper.builder.demand(requirement)
        inside = engine.match_demand(demand, among, now=now, today=today)
        if _open(inside, query.threshold):
            outside = engine.match_demand(demand, beyond, now=now, today=today)
            open_ones.append((requirement, inside, outside))
    wanted = {p.capability_id for _, _, m in open_ones for p in m.ranked}
    wanted |= {p.capability_id for _, _, m in open_ones for item in m.items for p in item.ranked}
    requirements, invited = _dressed(
        session,
        found.registration_of,
        [r for r, _, _ in open_ones],
        load_in_order(session, Capability, sorted(wanted)),
    )
    return EventGaps(
        event_id=event.id,
        event_title=event.title,
        generated_at=now,
        weights=among.weights.as_dict(),
        threshold=query.threshold,
        gaps=[
            _gap(requirements[r.id], inside, outside, invited, query.threshold)
            for r, inside, outside in open_ones
        ],
    )


def _gap(
    requirement: EventPosting,
    inside: DemandMatches,
    outside: DemandMatches,
    invited: dict[int, EventPosting],
    threshold: float,
) -> RequirementGap:
    best = _best(inside.ranked)
    unmatched = best is None or best < threshold
    explained = {p.capability_id: p for p in outside.ranked}
    items = []
    for mine, theirs in zip(inside.items, outside.items, strict=True):
        score = _best(mine.ranked)
        if mine.unit.item_id is None or (score is not None and score >= threshold):
            continue
        items.append(
            ItemGap(
                item_id=mine.unit.item_id,
                position=mine.unit.position,
                name=mine.unit.name,
                best_registrant_score=score,
                invite=_invitees(theirs.ranked, explained, invited),
            )
        )
    return RequirementGap(
        requirement=requirement,
        best_registrant_score=best,
        unmatched=unmatched,
        invite=_invitees(outside.ranked, explained, invited) if unmatched else [],
        items=items,
    )


def as_format(
    found: EventMatchList | EventGaps, fmt: ExportFormat
) -> EventMatchList | EventGaps | Response:
    """The answer itself for JSON, else its table as a CSV or XLSX download."""
    if fmt is ExportFormat.json:
        return found
    slug, name = (
        ("match-list", "对接清单") if isinstance(found, EventMatchList) else ("gaps", "缺口")
    )
    return file_response(
        fmt, [found.table()], f"event-{found.event_id}-{slug}", f"{found.event_title} {name}"
    )
