"""The demo season's docking event: 新能源产业链供需对接会（嘉善站）, held two weeks before the
demo's today, so that every part of the events feature has something to show.

Chain owners of the photovoltaic, lithium-battery and hydrogen chains come as buyers with their
open requirements; the firms, universities, institutes, banks and agencies of those chains come
with their open capabilities, the last few in the queue on the waiting list. Meetings pair a
brought requirement with brought capabilities that share a chain node (or, beyond procurement, the
same kind of docking); the accepted ones are laid out by the pure scheduler, confirmed and, the
event being over, mostly held. Outcomes follow the held meetings: intended and signed orders,
project landings, technology cooperation and financing; one order is signed on stage.

Built from the season's rows just written (they carry the chain node ids, which depend on the
taxonomy in the database), with its own random stream: the same seed and day give the same event.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from random import Random

from sqlalchemy.orm import Session

from app.demo.specs import money, spread
from app.events.access import Grid, zone
from app.events.scheduling import Request, schedule
from app.models import (
    Capability,
    Chain,
    Enterprise,
    Event,
    EventChain,
    EventNode,
    EventSession,
    Meeting,
    Outcome,
    Registration,
    RegistrationCapability,
    RegistrationRequirement,
    RegistrationWindow,
    Requirement,
)
from app.models.enums import (
    CapabilityStatus,
    DockingKind,
    EnterpriseKind,
    EventStatus,
    MeetingStatus,
    OutcomeKind,
    RegistrationRole,
    RegistrationStatus,
    RequirementStatus,
    Tier,
)

TITLE = "新能源产业链供需对接会（嘉善站）"
DESCRIPTION = (
    "“十链百场万企”系列活动：光伏、锂电池、氢能产业链链主企业发布配套需求，与长三角供应商一对一"
    "洽谈。New-energy chain docking session, Jiashan: chain owners of the photovoltaic, "
    "lithium-battery and hydrogen chains meet suppliers, universities and banks at 30 tables."
)
VENUE, JIASHAN = "嘉善县会展中心 Jiashan Convention and Exhibition Centre", "330421"
CHAINS = ("photovoltaics", "lithium-battery", "hydrogen")
SESSIONS = (("上午场 morning", time(9), time(12)), ("下午场 afternoon", time(13, 30), time(17)))
DAYS_AGO, SLOT_MINUTES, TABLES, WAITLISTED, OWNERS_PER_CHAIN = 14, 20, 30, 4, 2
INVITES = {True: 16, False: 12}  # suppliers invited per requirement: a chain owner's, another's
ANSWERS = ((0.85, MeetingStatus.accepted), (0.92, MeetingStatus.declined),  # (share so far, answer)
           (0.97, MeetingStatus.cancelled), (1.0, MeetingStatus.requested))
INSTITUTIONS = {EnterpriseKind.university, EnterpriseKind.research_institute,
                EnterpriseKind.financial_institution, EnterpriseKind.public_agency,
                EnterpriseKind.association}
RESEARCH = {EnterpriseKind.university, EnterpriseKind.research_institute}


@dataclass(eq=False)
class Party:
    enterprise: Enterprise
    requirements: list[Requirement]
    capabilities: list[Capability]
    registration: Registration | None = None

    @property
    def owner(self) -> bool:
        return Tier.chain_owner in self.enterprise.tiers

    @property
    def city(self) -> str:
        return self.enterprise.region_code[:4]


@dataclass(eq=False)
class Planned:
    """A meeting with the parties and postings it is about, kept together for the outcomes."""

    meeting: Meeting
    buyer: Party
    supplier: Party
    requirement: Requirement
    capability: Capability


@dataclass(frozen=True)
class Amount:
    """An outcome's amount: a share of the requirement's budget, or one of the usual size
    (spread on a log scale between ``bounds``) when there is no budget or no share."""

    share: tuple[float, float] | None
    bounds: tuple[float, float]

    def draw(self, rng: Random, requirement: Requirement) -> Decimal:
        if self.share and requirement.budget_yuan:
            return money(float(requirement.budget_yuan) * rng.uniform(*self.share))
        return money(spread(rng, self.bounds))


Fits = Callable[[Planned], bool]


def write_event(session: Session, seed: int, today: date, chains: dict[str, Chain],
                enterprises: Sequence[Enterprise], requirements: Sequence[Requirement],
                capabilities: Sequence[Capability]) -> dict[str, int]:
    """Insert the held event with its registrations, schedule and outcomes; count them."""
    rng = Random(f"{seed}:event")
    day = today - timedelta(days=DAYS_AGO)
    chain_ids = {chains[slug].id for slug in CHAINS}
    parties = _parties(day, chain_ids, enterprises, requirements, capabilities)
    buyers = _chain_owners(parties, chains)
    for buyer in buyers:  # chain owners come as buyers
        buyer.capabilities = []
    others = [p for p in parties.values() if p not in buyers]
    rng.shuffle(others)
    queue = buyers + others
    capacity = max(TABLES, (len(queue) - WAITLISTED) // 10 * 10)
    queue = queue[: capacity + WAITLISTED]

    event = _event(day, capacity, chain_ids, buyers)
    session.add(event)
    session.flush()
    queued_at = datetime.combine(day - timedelta(days=30), time(10), zone())
    registrations = []
    for place, party in enumerate(queue):
        queued_at += timedelta(minutes=rng.randrange(10, 200))
        party.registration = _registration(rng, event, party, queued_at, place < capacity,
                                           alone=party in buyers)
        registrations.append(party.registration)
    session.add_all(registrations)
    session.flush()

    present = [p for p in queue
               if p.registration and p.registration.status is RegistrationStatus.confirmed]
    planned = _meetings(rng, event, day, present)
    _schedule(rng, event, planned)
    session.add_all(p.meeting for p in planned)
    session.flush()

    outcomes = _outcomes(rng, event, planned)
    session.add_all(outcomes)
    session.flush()
    return {"events": 1, "registrations": len(registrations), "meetings": len(planned),
            "outcomes": len(outcomes)}


def _parties(day: date, chain_ids: set[int], enterprises: Sequence[Enterprise],
             requirements: Sequence[Requirement],
             capabilities: Sequence[Capability]) -> dict[int, Party]:
    """Everyone of the event's chains with something to bring, and the institutions there."""
    by_id = {e.id: e for e in enterprises}
    parties = {e.id: Party(e, [], []) for e in enterprises
               if e.kind in INSTITUTIONS and chain_ids & set(e.chain_ids)}
    for r in requirements:
        live = r.valid_until is None or r.valid_until >= day
        if r.chain_id in chain_ids and r.status == RequirementStatus.open and live:
            parties.setdefault(r.enterprise_id, Party(by_id[r.enterprise_id], [], [])
                               ).requirements.append(r)
    for c in capabilities:
        if c.chain_id in chain_ids and c.status == CapabilityStatus.open:
            parties.setdefault(c.enterprise_id, Party(by_id[c.enterprise_id], [], [])
                               ).capabilities.append(c)
    return dict(sorted(parties.items()))


def _chain_owners(parties: dict[int, Party], chains: dict[str, Chain]) -> list[Party]:
    """Per chain, the chain owners bringing the most requirements of it: the event's buyers."""
    chosen: list[Party] = []
    for slug in CHAINS:
        count = {p.enterprise.id: sum(r.chain_id == chains[slug].id for r in p.requirements)
                 for p in parties.values() if p.owner and p not in chosen}
        ranked = sorted((-n, i) for i, n in count.items() if n)
        chosen += [parties[i] for _, i in ranked[:OWNERS_PER_CHAIN]]
    return chosen


def _event(day: date, capacity: int, chain_ids: set[int], buyers: list[Party]) -> Event:
    event = Event(
        title=TITLE, description=DESCRIPTION, venue=VENUE, region_code=JIASHAN,
        kinds=[k.value for k in DockingKind if k is not DockingKind.talent],
        starts_on=day, ends_on=day, slot_minutes=SLOT_MINUTES, tables=TABLES, capacity=capacity,
        status=EventStatus.held,
    )
    event.sessions = [
        EventSession(name=name, starts_at=datetime.combine(day, start, zone()),
                     ends_at=datetime.combine(day, end, zone()))
        for name, start, end in SESSIONS
    ]
    event.chain_rows = [EventChain(chain_id=i) for i in sorted(chain_ids)]
    nodes = {n for p in buyers for r in p.requirements for n in r.node_ids}
    event.node_rows = [EventNode(node_id=n) for n in sorted(nodes)]
    return event


def _registration(rng: Random, event: Event, party: Party, queued_at: datetime, confirmed: bool,
                  alone: bool) -> Registration:
    """A registration bringing what the party has; unless it is a chain owner, one in ten is
    there only in the morning and one in ten only in the afternoon."""
    role = (RegistrationRole.supplier if not party.requirements
            else RegistrationRole.both if party.capabilities else RegistrationRole.buyer)
    windows = []
    roll = rng.random()
    if not alone and roll < 0.2:
        half = event.sessions[0 if roll < 0.1 else 1]
        windows.append(RegistrationWindow(starts_at=half.starts_at, ends_at=half.ends_at))
    return Registration(
        event_id=event.id, enterprise_id=party.enterprise.id, role=role, queued_at=queued_at,
        status=RegistrationStatus.confirmed if confirmed else RegistrationStatus.waitlisted,
        requirement_rows=[RegistrationRequirement(requirement_id=r.id) for r in party.requirements],
        capability_rows=[RegistrationCapability(capability_id=c.id) for c in party.capabilities],
        windows=windows,
    )


def _fit(requirement: Requirement, nodes: frozenset[int], capability: Capability) -> int:
    """How well a capability answers a requirement about ``nodes``: chain nodes in common, and
    a docking kind other than procurement in common (a bank for financing); 0 is no fit."""
    if requirement.chain_id != capability.chain_id:
        return 0
    same_kind = requirement.kind == capability.kind != DockingKind.procurement
    return len(nodes.intersection(capability.node_ids)) + 2 * same_kind


def _meetings(rng: Random, event: Event, day: date, present: list[Party]) -> list[Planned]:
    """For each brought requirement, chain owners' first, meetings with the best-fitting
    suppliers (each pair of enterprises once): most accepted, some declined or cancelled, a few
    never answered."""
    offers = [(p, c) for p in present for c in p.capabilities]
    met: set[frozenset[int]] = set()
    planned = []
    for buyer in sorted(present, key=lambda p: not p.owner):
        for requirement in buyer.requirements:
            nodes = frozenset(requirement.node_ids) | {i.node_id for i in requirement.items}
            ranked = sorted((-fit, rng.random(), i) for i, (p, c) in enumerate(offers)
                            if p is not buyer and (fit := _fit(requirement, nodes, c)))
            invited = 0
            for _, _, i in ranked:
                if invited == INVITES[buyer.owner]:
                    break
                supplier, capability = offers[i]
                pair = frozenset((buyer.enterprise.id, supplier.enterprise.id))
                if pair in met:
                    continue
                met.add(pair)
                invited += 1
                meeting = _meeting(rng, event, day, (buyer, supplier), requirement, capability)
                planned.append(Planned(meeting, buyer, supplier, requirement, capability))
    return planned


def _meeting(rng: Random, event: Event, day: date, sides: tuple[Party, Party],
             requirement: Requirement, capability: Capability) -> Meeting:
    """Suppliers ask more often than buyers; answers came in the fortnight before the day."""
    roll = rng.random()
    status = next(answer for share, answer in ANSWERS if roll < share)
    requester, invitee = sides[::-1] if rng.random() < 0.7 else sides
    assert requester.registration is not None and invitee.registration is not None
    answered = datetime.combine(day - timedelta(days=rng.randrange(2, 12)), time(15), zone())
    return Meeting(
        event_id=event.id, requester_id=requester.registration.id,
        invitee_id=invitee.registration.id, requirement_id=requirement.id,
        capability_id=capability.id, message="", status=status, confirmed=False, seats=[],
        answered_at=None if status is MeetingStatus.requested else answered,
    )


def _schedule(rng: Random, event: Event, planned: list[Planned]) -> None:
    """Lay the accepted meetings out with the scheduler, chain owners' first; confirm them and,
    the event being over, record who came (most did)."""
    grid = Grid(event)
    accepted = [p for p in planned if p.meeting.status is MeetingStatus.accepted]
    availability = {}
    for side in {id(s): s for p in accepted for s in (p.buyer, p.supplier)}.values():
        assert side.registration is not None
        if (slots := grid.available(side.registration.windows)) is not None:
            availability[side.enterprise.id] = slots
    requests = [Request(id=i, parties=(p.buyer.enterprise.id, p.supplier.enterprise.id))
                for i, p in enumerate(accepted)]
    for placement in schedule(grid.slots, event.tables, requests, availability).placed:
        meeting = accepted[placement.meeting_id].meeting
        meeting.place(grid.slots[placement.slot].starts_at, placement.table + 1)
        meeting.confirmed = True
        meeting.held = rng.random() < 0.94


def _outcomes(rng: Random, event: Event, planned: list[Planned]) -> list[Outcome]:
    """What came of the held meetings, recorded on the day (signed orders) or in the days after;
    and an order signed on stage by a chain owner whose meeting found no free slot."""
    day = event.starts_on
    held = [p for p in planned if p.meeting.held]
    rng.shuffle(held)
    orders = {id(p) for p in held if p.requirement.kind is DockingKind.procurement}

    def is_order(p: Planned) -> bool:
        return id(p) in orders

    deals: list[tuple[OutcomeKind, int, Fits, Amount | None, str]] = [
        (OutcomeKind.technology_cooperation, 3, lambda p: p.supplier.enterprise.kind in RESEARCH,
         None, "产学研合作协议 joint research agreement"),
        (OutcomeKind.financing, 2, lambda p: p.capability.kind is DockingKind.financing,
         Amount(None, (5e6, 2e8)), "授信 a credit line for the new line"),
        (OutcomeKind.project_landing, 2, lambda p: p.buyer.owner and p.supplier.city != p.buyer.city,
         Amount(None, (3e7, 3e8)), "配套工厂落地链主身边 a supplier's plant next to its customer"),
        (OutcomeKind.signed_order, max(1, len(orders) // 12), is_order,
         Amount((0.02, 0.2), (1e5, 1e7)), "现场签约 signed at the table"),
        (OutcomeKind.intention, len(orders) // 4, is_order,
         Amount((0.05, 0.4), (2e5, 2e7)), "意向订单 an intended order"),
    ]
    on_the_day = datetime.combine(day, time(17, 30), zone())
    outcomes = []
    for kind, wanted, fits, amount, note in deals:
        found = [p for p in held if fits(p)][:wanted]
        held = [p for p in held if p not in found]
        for p in found:
            recorded = on_the_day
            if kind is not OutcomeKind.signed_order:
                later = day + timedelta(days=rng.randrange(1, DAYS_AGO - 3))
                recorded = datetime.combine(later, time(rng.randrange(9, 18)), zone())
            value = None if amount is None else amount.draw(rng, p.requirement)
            outcomes.append(_outcome(event, p, kind, value, recorded, note))
    unplaced = [p for p in planned if p.buyer.owner and p.meeting.status is MeetingStatus.accepted
                and not p.meeting.placed]
    if unplaced:  # they never met at a table, but signed on stage with the others
        value = Amount((0.1, 0.3), (1e6, 5e7)).draw(rng, unplaced[0].requirement)
        outcomes.append(_outcome(event, unplaced[0], OutcomeKind.signed_order, value, on_the_day,
                                 "主会场集中签约 signed on stage", meeting=False))
    return outcomes


def _outcome(event: Event, planned: Planned, kind: OutcomeKind, amount: Decimal | None,
             recorded_at: datetime, note: str, meeting: bool = True) -> Outcome:
    """The requirement's enterprise buys and the capability's supplies, as the API has it."""
    return Outcome(
        kind=kind, amount_yuan=amount, event_id=event.id,
        meeting_id=planned.meeting.id if meeting else None,
        requirement_id=planned.requirement.id, capability_id=planned.capability.id,
        buyer_id=planned.buyer.enterprise.id, supplier_id=planned.supplier.enterprise.id,
        note=note, recorded_at=recorded_at,
    )
