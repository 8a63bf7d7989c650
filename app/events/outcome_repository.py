"""SQL for outcomes and the figures of events and seasons: counts by status, kind and tier, the
deals with their buyers' and suppliers' regions, and where those regions lie."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, or_, select
from sqlalchemy.orm import Session, aliased, joinedload

from app.models import (
    ClusterMember,
    Enterprise,
    EnterpriseTier,
    Event,
    Meeting,
    Outcome,
    Region,
    Registration,
)
from app.models.enums import EventStatus, MeetingStatus, OutcomeKind, RegistrationStatus
from app.regions.scope import within_area

OUTCOME_OPTIONS = (
    joinedload(Outcome.buyer).selectinload(Enterprise.tier_rows),
    joinedload(Outcome.supplier).selectinload(Enterprise.tier_rows),
)


def get_outcome(session: Session, outcome_id: int) -> Outcome | None:
    stmt = select(Outcome).options(*OUTCOME_OPTIONS).where(Outcome.id == outcome_id)
    return session.scalars(stmt).unique().one_or_none()


@dataclass(frozen=True)
class OutcomeFilters:
    event_id: int | None = None
    enterprise_id: int | None = None
    kind: OutcomeKind | None = None


def _either_side(enterprise_id: int) -> ColumnElement[bool]:
    return or_(Outcome.buyer_id == enterprise_id, Outcome.supplier_id == enterprise_id)


def outcomes_select(filters: OutcomeFilters, party: int | None) -> Select[Any]:
    """Outcomes passing the filters; ``party`` keeps those where that enterprise is a side."""
    stmt = select(Outcome).options(*OUTCOME_OPTIONS)
    if party is not None:
        stmt = stmt.where(_either_side(party))
    if filters.event_id is not None:
        stmt = stmt.where(Outcome.event_id == filters.event_id)
    if filters.enterprise_id is not None:
        stmt = stmt.where(_either_side(filters.enterprise_id))
    if filters.kind is not None:
        stmt = stmt.where(Outcome.kind == filters.kind)
    return stmt


def participates(session: Session, event_id: int, enterprise_ids: Iterable[int]) -> set[int]:
    """Those of the enterprises with a confirmed registration for the event."""
    stmt = select(Registration.enterprise_id).where(
        Registration.event_id == event_id,
        Registration.status == RegistrationStatus.confirmed,
        Registration.enterprise_id.in_(list(enterprise_ids)),
    )
    return set(session.scalars(stmt))


# --- figures ------------------------------------------------------------------------------------

EventIds = Select[Any]  # a SELECT of event ids: one event, or a season's


def one_event(event_id: int) -> EventIds:
    return select(Event.id).where(Event.id == event_id)


def season_events(
    session: Session, from_date: date | None, to_date: date | None, region: str | None
) -> EventIds:
    """Events that are not drafts, starting from ``from_date`` to ``to_date``, in the region (a
    region code or a cluster)."""
    stmt = select(Event.id).where(Event.status != EventStatus.draft)
    if region is not None:
        stmt = stmt.where(within_area(session, Event.region_code, region, field="query.region"))
    if from_date is not None:
        stmt = stmt.where(Event.starts_on >= from_date)
    if to_date is not None:
        stmt = stmt.where(Event.starts_on <= to_date)
    return stmt


def buyers_in(session: Session, region: str) -> ColumnElement[bool]:
    return within_area(session, Enterprise.region_code, region, field="query.region")


def count_events(session: Session, events: EventIds) -> int:
    return session.scalar(select(func.count()).select_from(events.subquery())) or 0


def registration_counts(session: Session, events: EventIds) -> dict[str, int]:
    stmt = (
        select(Registration.status, func.count())
        .where(Registration.event_id.in_(events))
        .group_by(Registration.status)
    )
    counts = {status.value: 0 for status in RegistrationStatus}
    counts.update({status.value: n for status, n in session.execute(stmt)})
    return counts


def _participants(events: EventIds) -> Select[Any]:
    return select(Registration.enterprise_id).where(
        Registration.event_id.in_(events), Registration.status == RegistrationStatus.confirmed
    )


def participant_counts(
    session: Session, events: EventIds
) -> tuple[int, dict[str, int], dict[str, int]]:
    """Distinct enterprises with a confirmed registration, by kind and by tier."""
    who = _participants(events)
    total = session.scalar(
        select(func.count(func.distinct(Registration.enterprise_id))).where(
            Registration.event_id.in_(events), Registration.status == RegistrationStatus.confirmed
        )
    )
    kinds = session.execute(
        select(Enterprise.kind, func.count())
        .where(Enterprise.id.in_(who))
        .group_by(Enterprise.kind)
    )
    tiers = session.execute(
        select(EnterpriseTier.tier, func.count())
        .where(EnterpriseTier.enterprise_id.in_(who))
        .group_by(EnterpriseTier.tier)
    )
    return (
        total or 0,
        {kind.value: n for kind, n in kinds},
        {tier.value: n for tier, n in tiers},
    )


def meeting_counts(session: Session, events: EventIds) -> dict[str, int]:
    accepted = Meeting.status == MeetingStatus.accepted
    stmt = select(
        func.count(),
        *(func.count(case((Meeting.status == s, 1))) for s in MeetingStatus),
        func.count(case((accepted & Meeting.slot_starts_at.is_not(None), 1))),
        func.count(case((accepted & Meeting.confirmed.is_(True), 1))),
        func.count(case((accepted & Meeting.held.is_(True), 1))),
        func.count(case((accepted & Meeting.held.is_(False), 1))),
    ).where(Meeting.event_id.in_(events))
    total, *by_status, scheduled, confirmed, held, not_held = session.execute(stmt).one()
    counts = dict(zip((s.value for s in MeetingStatus), by_status, strict=True))
    return {
        "requested": total,
        "pending": counts[MeetingStatus.requested],
        "accepted": counts[MeetingStatus.accepted],
        "declined": counts[MeetingStatus.declined],
        "cancelled": counts[MeetingStatus.cancelled],
        "scheduled": scheduled,
        "confirmed": confirmed,
        "held": held,
        "not_held": not_held,
    }


@dataclass(frozen=True)
class Deal:
    kind: OutcomeKind
    amount_yuan: Decimal | None
    buyer_region: str
    supplier_region: str


def deals(session: Session, condition: ColumnElement[bool]) -> list[Deal]:
    """Every outcome meeting the condition, with its buyer's and supplier's region codes."""
    buyer, supplier = aliased(Enterprise), aliased(Enterprise)
    stmt = (
        select(Outcome.kind, Outcome.amount_yuan, buyer.region_code, supplier.region_code)
        .join(buyer, buyer.id == Outcome.buyer_id)
        .join(supplier, supplier.id == Outcome.supplier_id)
        .where(condition)
        .order_by(Outcome.id)
    )
    return [Deal(*row) for row in session.execute(stmt)]


def event_outcomes(events: EventIds) -> ColumnElement[bool]:
    return Outcome.event_id.in_(events)


def outside_outcomes(
    start: datetime | None, end: datetime | None, buyer_area: ColumnElement[bool] | None
) -> ColumnElement[bool]:
    """Outcomes outside any event recorded in [start, end), whose buyer passes ``buyer_area``
    (a condition on ``Enterprise.region_code``)."""
    condition: ColumnElement[bool] = Outcome.event_id.is_(None)
    if start is not None:
        condition &= Outcome.recorded_at >= start
    if end is not None:
        condition &= Outcome.recorded_at < end
    if buyer_area is not None:
        condition &= Outcome.buyer_id.in_(select(Enterprise.id).where(buyer_area))
    return condition


@dataclass(frozen=True)
class Place:
    city: str | None
    province: str
    clusters: frozenset[str]


def places(session: Session, codes: Iterable[str]) -> dict[str, Place]:
    """Where each region lies: its city (a city itself, or a district's city; a municipality's
    districts count the municipality as their city), province and clusters (its own, its
    city's and its province's)."""
    codes = sorted(set(codes))
    if not codes:
        return {}
    rows = list(
        session.execute(
            select(Region.code, Region.level, Region.city_code, Region.province_code).where(
                Region.code.in_(codes)
            )
        )
    )
    around = {c for row in rows for c in (row.code, row.city_code, row.province_code) if c}
    clusters: dict[str, set[str]] = {}
    member_rows = session.execute(
        select(ClusterMember.region_code, ClusterMember.cluster_code).where(
            ClusterMember.region_code.in_(sorted(around))
        )
    )
    for region, cluster in member_rows:
        clusters.setdefault(region, set()).add(cluster)
    found = {}
    for code, level, city_code, province in rows:
        city = city_code or (code if level == "city" else province if level == "district" else None)
        inside = set().union(*(clusters.get(c, set()) for c in (code, city_code, province) if c))
        found[code] = Place(city=city, province=province, clusters=frozenset(inside))
    return found
