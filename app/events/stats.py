"""The figures organisers publish: participants by kind and tier, meetings, outcomes and their
amounts, and the share of deals done with local suppliers; for one event or a season of them.

Amounts are summed as exact decimals from the stored outcomes, so the figures equal the sum of
the outcomes to the fen. Figures are public for events that are not drafts.
"""

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from app.auth.principal import Principal
from app.errors import Unprocessable
from app.events import outcome_repository as figures_repository
from app.events.access import zone
from app.events.outcome_repository import Deal, EventIds, Place
from app.events.outcome_schemas import (
    EventStats,
    LocalShare,
    MeetingFigures,
    OutcomeFigures,
    Participants,
    SeasonStats,
    Share,
    Tally,
)
from app.events.service import get_event
from app.models.enums import EnterpriseKind, OutcomeKind, Tier

ZERO = Decimal("0.00")


def _ratio(part: Decimal | int, whole: Decimal | int) -> float:
    return round(float(Decimal(part) / Decimal(whole)), 4) if whole else 0.0


def _tally(deals: Sequence[Deal]) -> Tally:
    return Tally(count=len(deals), amount_yuan=sum((d.amount_yuan or ZERO for d in deals), ZERO))


def _local(deals: Sequence[Deal], places: dict[str, Place]) -> LocalShare:
    total = _tally(deals)
    tests = {
        "same_city": lambda b, s: b.city is not None and b.city == s.city,
        "same_province": lambda b, s: b.province == s.province,
        "same_cluster": lambda b, s: bool(b.clusters & s.clusters),
    }
    shares = {}
    for name, same in tests.items():
        local = _tally(
            [
                d
                for d in deals
                if d.buyer_region in places
                and d.supplier_region in places
                and same(places[d.buyer_region], places[d.supplier_region])
            ]
        )
        shares[name] = Share(
            count=local.count,
            amount_yuan=local.amount_yuan,
            count_share=_ratio(local.count, total.count),
            amount_share=_ratio(local.amount_yuan, total.amount_yuan),
        )
    return LocalShare(deals=total.count, amount_yuan=total.amount_yuan, **shares)


def outcome_figures(deals: Sequence[Deal], places: dict[str, Place]) -> OutcomeFigures:
    """Pure: the outcomes counted and summed by kind, and the local shares."""
    by_kind = {kind: _tally([d for d in deals if d.kind == kind]) for kind in OutcomeKind}
    total = _tally(deals)
    return OutcomeFigures(
        count=total.count,
        amount_yuan=total.amount_yuan,
        by_kind=by_kind,
        intended_orders=by_kind[OutcomeKind.intention],
        signed_orders=by_kind[OutcomeKind.signed_order],
        projects=by_kind[OutcomeKind.project_landing].count,
        local=_local(deals, places),
    )


def _outcomes(session: Session, deals: list[Deal]) -> OutcomeFigures:
    codes = {d.buyer_region for d in deals} | {d.supplier_region for d in deals}
    return outcome_figures(deals, figures_repository.places(session, codes))


def _participants(session: Session, events: EventIds) -> Participants:
    enterprises, kinds, tiers = figures_repository.participant_counts(session, events)
    return Participants(
        registrations=figures_repository.registration_counts(session, events),
        enterprises=enterprises,
        by_kind={kind.value: kinds.get(kind.value, 0) for kind in EnterpriseKind},
        by_tier={tier.value: tiers.get(tier.value, 0) for tier in Tier},
    )


def event_stats(session: Session, principal: Principal, event_id: int) -> EventStats:
    """One event's figures (anyone, for an event that is not a draft)."""
    event = get_event(session, principal, event_id)
    events = figures_repository.one_event(event.id)
    deals = figures_repository.deals(session, figures_repository.event_outcomes(events))
    return EventStats(
        event_id=event.id,
        title=event.title,
        participants=_participants(session, events),
        meetings=MeetingFigures(**figures_repository.meeting_counts(session, events)),
        outcomes=_outcomes(session, deals),
    )


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=zone())


def season_stats(
    session: Session, from_date: date | None, to_date: date | None, region: str | None
) -> SeasonStats:
    """The events (not drafts) starting from ``from_date`` to ``to_date`` in the region, with
    their figures, and the outcomes outside any event recorded then with a buyer there."""
    if from_date and to_date and to_date < from_date:
        raise Unprocessable(f"`to` ({to_date}) is before `from` ({from_date}).", field="query.to")
    events = figures_repository.season_events(session, from_date, to_date, region)
    buyer_area = None if region is None else figures_repository.buyers_in(session, region)
    outside = figures_repository.outside_outcomes(
        None if from_date is None else _local_midnight(from_date),
        None if to_date is None else _local_midnight(to_date + timedelta(days=1)),
        buyer_area,
    )
    at_events = figures_repository.deals(session, figures_repository.event_outcomes(events))
    elsewhere = figures_repository.deals(session, outside)
    return SeasonStats(
        from_date=from_date,
        to_date=to_date,
        region=region,
        events=figures_repository.count_events(session, events),
        participants=_participants(session, events),
        meetings=MeetingFigures(**figures_repository.meeting_counts(session, events)),
        outcomes=_outcomes(session, at_events + elsewhere),
        outside_events=len(elsewhere),
    )
