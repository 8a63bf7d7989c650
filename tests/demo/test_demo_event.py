"""The demo season's docking event (`seed_demo`): held in Jiashan with registrations, a schedule
without double booking, and outcomes whose figures add up; read through the API.

The season is written once for this module, inside a transaction rolled back at the end; the
module's client works inside that transaction.
"""

import csv
import io
from collections import Counter
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, selectinload

from app.demo.event import TITLE
from app.demo.seed import seed_demo
from app.events.access import Grid, zone
from app.events.scheduling import Placement, Request, Schedule, Unplaced, check
from app.matching.keeper import MatchKeeper
from app.models import Chain, Event, Meeting, MeetingSeat, Outcome, Registration
from app.models.enums import MeetingStatus, OutcomeKind, RegistrationStatus, Role, Tier
from tests import conftest
from tests.factories import Factory

TODAY = date(2026, 4, 11)


class Demo:
    def __init__(self, session: Session, client: TestClient, summary: dict[str, int]) -> None:
        self.session = session
        self.client = client
        self.summary = summary
        self.organiser = Factory(session).headers(Role.organiser)
        self.event = session.scalars(
            select(Event).options(selectinload(Event.sessions)).where(Event.title == TITLE)
        ).one()

    def get(self, path: str, **params):
        response = self.client.get(f"/v1/events/{self.event.id}{path}", params=params)
        assert response.status_code == 200, response.text
        return response.json()

    def all(self, path: str, **params) -> list[dict]:
        """Every item of a paged list (organiser's view)."""
        items, cursor = [], None
        while True:
            response = self.client.get(
                path, params={**params, "limit": 200, "cursor": cursor}, headers=self.organiser
            )
            assert response.status_code == 200, response.text
            body = response.json()
            items += body["items"]
            if (cursor := body["next_cursor"]) is None:
                return items


@pytest.fixture(scope="module")
def demo(engine: Engine, app: FastAPI) -> Iterator[Demo]:
    with engine.connect() as connection:
        outer = connection.begin()
        with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
            summary = seed_demo(session, seed=2026, today=TODAY)
            session.commit()
            app.state.session_factory = conftest.TestSessionFactory(connection)
            app.state.match_keeper = MatchKeeper()
            with TestClient(app, raise_server_exceptions=False) as client:
                yield Demo(session, client, summary)
        outer.rollback()


def test_a_held_docking_event_in_jiashan_two_weeks_ago(demo):
    event = demo.get("")
    assert (
        event["title"] == "新能源产业链供需对接会（嘉善站）" and "Jiashan" in event["description"]
    )
    assert (event["status"], event["region_code"], event["venue"][:3]) == (
        "held",
        "330421",
        "嘉善县",
    )
    assert event["starts_on"] == event["ends_on"] == (TODAY - timedelta(days=14)).isoformat()
    assert (event["slot_minutes"], event["tables"]) == (20, 30)
    slugs = demo.session.scalars(select(Chain.slug).where(Chain.id.in_(event["chain_ids"])))
    assert set(slugs) == {"photovoltaics", "lithium-battery", "hydrogen"}
    day = demo.event.starts_on
    assert [
        (datetime.fromisoformat(s["starts_at"]), datetime.fromisoformat(s["ends_at"]))
        for s in event["sessions"]
    ] == [
        (datetime.combine(day, time(9), zone()), datetime.combine(day, time(12), zone())),
        (datetime.combine(day, time(13, 30), zone()), datetime.combine(day, time(17), zone())),
    ]
    assert event["confirmed_count"] == event["capacity"] and event["waitlisted_count"] == 4
    assert event["node_ids"] and demo.summary["events"] == 1


def test_chain_owners_come_as_buyers_and_suppliers_bring_capabilities(demo):
    registrations = demo.all(f"/v1/events/{demo.event.id}/registrations")
    assert len(registrations) == demo.summary["registrations"]
    buyers = [r for r in registrations if r["role"] == "buyer"]
    owners = [r for r in buyers if Tier.chain_owner in r["enterprise"]["tiers"]]
    assert len(owners) == 6 and all(r["requirement_ids"] for r in owners)
    assert all(not r["capability_ids"] for r in buyers)
    suppliers = [r for r in registrations if r["role"] in ("supplier", "both")]
    assert 150 <= len(suppliers) <= 300
    bringing = [r for r in suppliers if r["capability_ids"]]
    assert len(bringing) > 0.8 * len(suppliers)
    kinds = Counter(r["enterprise"]["kind"] for r in registrations)
    assert kinds["university"] and kinds["financial_institution"]
    waitlisted = [r for r in registrations if r["status"] == "waitlisted"]
    assert sorted(r["waitlist_position"] for r in waitlisted) == [1, 2, 3, 4]
    halves = Counter(len(r["availability"]) for r in registrations)
    assert halves[1] > 10  # some are there only in the morning or the afternoon


def test_the_schedule_has_no_double_booking_and_respects_availability(demo):
    session, event = demo.session, demo.event
    meetings = session.scalars(
        select(Meeting)
        .options(selectinload(Meeting.seats))
        .where(Meeting.event_id == event.id)
        .order_by(Meeting.id)
    ).all()
    registrations = {
        r.id: r
        for r in session.scalars(
            select(Registration)
            .options(selectinload(Registration.windows))
            .where(Registration.event_id == event.id)
        )
    }
    statuses = Counter(m.status for m in meetings)
    assert statuses[MeetingStatus.accepted] >= 200 and len(statuses) == 4
    grid = Grid(event)
    accepted = [m for m in meetings if m.status is MeetingStatus.accepted]
    placed = [m for m in accepted if m.placed]
    assert len(placed) >= 200 and all(m.confirmed for m in placed)
    assert all(not m.placed and m.held is None for m in meetings if m not in placed)
    assert Counter(m.held for m in placed)[True] > 0.85 * len(placed)

    # The stored schedule, checked by the scheduler's own checker.
    sides = {m.id: (registrations[m.requester_id], registrations[m.invitee_id]) for m in accepted}
    assert all(r.status is RegistrationStatus.confirmed for pair in sides.values() for r in pair)
    requests = [Request(m.id, tuple(r.enterprise_id for r in sides[m.id])) for m in accepted]
    availability = {
        r.enterprise_id: slots
        for pair in sides.values()
        for r in pair
        if (slots := grid.available(r.windows)) is not None
    }
    stored = Schedule(
        placed=[Placement(m.id, grid.at(m.slot_starts_at).index, m.table_no - 1) for m in placed],
        unplaced=[Unplaced(m.id, "not placed") for m in accepted if not m.placed],
    )
    assert check(stored, grid.slots, event.tables, requests, availability) == []
    # And as the database holds it: one meeting per table and slot, two seats per meeting.
    assert max(Counter((m.slot_starts_at, m.table_no) for m in placed).values()) == 1
    seats = session.scalars(select(MeetingSeat).where(MeetingSeat.event_id == event.id)).all()
    assert len(seats) == 2 * len(placed)
    assert max(Counter((s.slot_starts_at, s.registration_id) for s in seats).values()) == 1


def test_the_events_figures_add_up_to_its_outcomes(demo):
    stats = demo.get("/stats")
    outcomes = demo.session.scalars(select(Outcome).where(Outcome.event_id == demo.event.id)).all()
    assert stats["outcomes"]["count"] == len(outcomes) == demo.summary["outcomes"]
    for kind in OutcomeKind:
        mine = [o for o in outcomes if o.kind is kind]
        figure = stats["outcomes"]["by_kind"][kind.value]
        assert figure["count"] == len(mine) > 0, kind
        total = sum((o.amount_yuan or Decimal(0) for o in mine), Decimal(0))
        assert Decimal(str(figure["amount_yuan"])) == total
    total = sum((o.amount_yuan or Decimal(0) for o in outcomes), Decimal(0))
    assert Decimal(str(stats["outcomes"]["amount_yuan"])) == total > 100_000_000
    assert stats["outcomes"]["signed_orders"]["amount_yuan"] > 0
    assert stats["outcomes"]["projects"] == stats["outcomes"]["by_kind"]["project_landing"]["count"]
    local = stats["outcomes"]["local"]
    assert 0 < local["same_city"]["count"] <= local["same_province"]["count"] <= len(outcomes)

    meetings = stats["meetings"]
    assert meetings["requested"] == demo.summary["meetings"]
    assert meetings["requested"] == sum(
        meetings[k] for k in ("pending", "accepted", "declined", "cancelled")
    )
    assert meetings["scheduled"] == meetings["confirmed"] == meetings["held"] + meetings["not_held"]
    participants = stats["participants"]
    assert participants["registrations"]["confirmed"] == participants["enterprises"]
    assert sum(participants["by_kind"].values()) == participants["enterprises"]
    assert participants["by_tier"]["chain_owner"] >= 6

    # Every outcome is between a meeting's two sides, held, or signed on stage by registrants.
    meetings_by_id = {
        m.id: m
        for m in demo.session.scalars(select(Meeting).where(Meeting.event_id == demo.event.id))
    }
    registered = {
        r.id: r.enterprise_id
        for r in demo.session.scalars(
            select(Registration).where(Registration.event_id == demo.event.id)
        )
    }
    for o in outcomes:
        if o.meeting_id is None:
            assert o.kind is OutcomeKind.signed_order and "stage" in o.note
            continue
        meeting = meetings_by_id[o.meeting_id]
        assert meeting.held is True
        assert {o.buyer_id, o.supplier_id} == {
            registered[meeting.requester_id],
            registered[meeting.invitee_id],
        }
        assert o.recorded_at.date() <= TODAY


def test_the_demo_schedule_downloads_as_files(demo):
    response = demo.client.get(
        f"/v1/events/{demo.event.id}/tables", params={"format": "xlsx"}, headers=demo.organiser
    )
    assert response.status_code == 200, response.text
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header, *rows = list(sheet.iter_rows(values_only=True))
    tables = demo.client.get(f"/v1/events/{demo.event.id}/tables", headers=demo.organiser).json()
    assert len(rows) == sum(len(t["meetings"]) for t in tables["tables"]) >= 200
    assert all(r[7] or r[8] for r in rows)  # every demo meeting is about a posting

    owner = next(
        r
        for r in demo.all(f"/v1/events/{demo.event.id}/registrations", role="buyer")
        if Tier.chain_owner in r["enterprise"]["tiers"]
    )
    response = demo.client.get(
        f"/v1/events/{demo.event.id}/agenda",
        params={"enterprise_id": owner["enterprise"]["id"], "format": "csv"},
        headers=demo.organiser,
    )
    assert response.status_code == 200, response.text
    header, *rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    slots = [int(r[0]) for r in rows if r[0]]
    assert 10 <= len(slots) == len(set(slots)) <= 19 and slots == sorted(slots)
