"""Figures through HTTP: the whole organiser flow ending in an event's stats, and stats (event and
season) that add up exactly to the outcomes recorded."""

import random
from datetime import date
from decimal import Decimal

from app.models.enums import EnterpriseKind, EventStatus, OutcomeKind, Tier
from tests.events.conftest import create_event, iso
from tests.events.test_meetings import problem
from tests.factories import at

KINDS = list(OutcomeKind)


def amount(value) -> Decimal:
    return Decimal(str(value))


def test_the_whole_organiser_flow(client, cast, factory):
    """Announce → register (one waits) → ask, accept, decline → schedule → agendas and table
    sheets → the day → outcomes → figures."""
    uni = factory.enterprise("浙江大学光伏研究院", kind=EnterpriseKind.university)
    bank = factory.enterprise(
        "嘉善农商银行", kind=EnterpriseKind.financial_institution, tiers=(Tier.leading,)
    )
    late = factory.enterprise("晚到的企业")
    members = {e.id: factory.member_of(e) for e in (uni, bank, late)}
    event = create_event(
        client,
        cast.organiser,
        status="registration_open",
        capacity=5,
        tables=2,
        sessions=[{"name": "上午场", "starts_at": iso(at(9)), "ends_at": iso(at(10))}],
    ).json()
    base = f"/v1/events/{event['id']}"
    requirement = factory.requirement(cast.buyer, "光伏接线盒采购")
    capability = factory.capability(cast.supplier, "光伏接线盒")

    def register(headers, role, **body):
        response = client.post(
            f"{base}/registrations", json={"role": role, **body}, headers=headers
        )
        assert response.status_code == 201, response.text
        return response.json()

    register(cast.buyer_member, "buyer", requirement_ids=[requirement.id])
    register(cast.supplier_member, "supplier", capability_ids=[capability.id])
    register(
        cast.third_member,
        "supplier",
        availability=[{"starts_at": iso(at(9, 20)), "ends_at": iso(at(10))}],
    )
    register(members[uni.id], "supplier")
    register(members[bank.id], "both")
    assert register(members[late.id], "buyer")["status"] == "waitlisted"

    def ask(headers, invitee, **body):
        response = client.post(
            f"{base}/meetings", json={"invitee_enterprise_id": invitee.id, **body}, headers=headers
        )
        assert response.status_code == 201, response.text
        return response.json()["id"]

    m1 = ask(
        cast.buyer_member, cast.supplier, requirement_id=requirement.id, capability_id=capability.id
    )
    m2 = ask(cast.third_member, cast.buyer)
    m3 = ask(members[uni.id], cast.buyer)
    m4 = ask(members[bank.id], cast.supplier)
    waiting = client.post(
        f"{base}/meetings", json={"invitee_enterprise_id": cast.buyer.id}, headers=members[late.id]
    )
    assert "waitlisted" in problem(waiting, 409)["detail"]
    for mid, headers, action in (
        (m1, cast.supplier_member, "accept"),
        (m2, cast.buyer_member, "accept"),
        (m3, cast.buyer_member, "decline"),
        (m4, cast.supplier_member, "accept"),
    ):
        assert client.post(f"{base}/meetings/{mid}/{action}", headers=headers).status_code == 200
    m5 = ask(cast.organiser, uni, requester_enterprise_id=bank.id)  # the organiser's own idea

    schedule = client.post(f"{base}/schedule", json={"confirm": True}, headers=cast.organiser)
    assert schedule.status_code == 200, schedule.text
    result = schedule.json()
    assert {p["meeting_id"] for p in result["placed"]} == {m1, m2, m4, m5}
    assert result["unplaced"] == [] and all(p["confirmed"] for p in result["placed"])
    agenda = client.get(f"{base}/agenda", headers=cast.buyer_member).json()["meetings"]
    assert [m["meeting_id"] for m in agenda] == [m1, m2]  # in time order
    third_slot = next(m for m in agenda if m["meeting_id"] == m2)["slot"]
    assert third_slot >= 2  # the third firm only arrives at 9:20
    sheets = client.get(f"{base}/tables", headers=cast.organiser).json()["tables"]
    assert sum(len(t["meetings"]) for t in sheets) == 4

    client.patch(base, json={"status": "closed"}, headers=cast.organiser)
    for mid, held in ((m1, True), (m2, True), (m4, False)):
        response = client.patch(
            f"{base}/meetings/{mid}", json={"held": held}, headers=cast.organiser
        )
        assert response.status_code == 200, response.text
    client.patch(base, json={"status": "held"}, headers=cast.organiser)

    def outcome(headers, **body):
        response = client.post("/v1/outcomes", json=body, headers=headers)
        assert response.status_code == 201, response.text
        return response.json()

    outcome(cast.buyer_member, kind="signed_order", amount_yuan="1250000.50", meeting_id=m1)
    outcome(cast.supplier_member, kind="intention", amount_yuan="300000", meeting_id=m1)
    outcome(cast.third_member, kind="intention", amount_yuan="45000.25", meeting_id=m2)
    outcome(
        cast.organiser,
        kind="financing",
        amount_yuan="2000000",
        meeting_id=m5,
        buyer_enterprise_id=uni.id,
    )
    outcome(cast.organiser, kind="project_landing", meeting_id=m4, buyer_enterprise_id=bank.id)

    stats = client.get(f"{base}/stats")  # public
    assert stats.status_code == 200, stats.text
    figures = stats.json()
    people = figures["participants"]
    assert people["registrations"] == {"confirmed": 5, "waitlisted": 1, "withdrawn": 0}
    assert people["enterprises"] == 5
    assert people["by_kind"]["company"] == 3 and people["by_kind"]["university"] == 1
    assert people["by_kind"]["financial_institution"] == 1
    assert people["by_tier"]["chain_owner"] == 1 and people["by_tier"]["leading"] == 1
    assert figures["meetings"] == {
        "requested": 5,
        "pending": 0,
        "accepted": 4,
        "declined": 1,
        "cancelled": 0,
        "scheduled": 4,
        "confirmed": 4,
        "held": 2,
        "not_held": 1,
    }
    outcomes = figures["outcomes"]
    assert outcomes["count"] == 5
    assert amount(outcomes["amount_yuan"]) == Decimal("3595000.75")
    assert outcomes["signed_orders"] == {"count": 1, "amount_yuan": 1250000.5}
    assert outcomes["intended_orders"] == {"count": 2, "amount_yuan": 345000.25}
    assert outcomes["by_kind"]["financing"] == {"count": 1, "amount_yuan": 2000000.0}
    assert outcomes["projects"] == 1
    local = outcomes["local"]
    # Buyers in Jiashan: from the Shanghai supplier (the cluster only) three times, from the
    # Hangzhou firm (the province) once, and the university's financing from the Jiashan bank
    # (the city).
    assert local["deals"] == 5
    assert local["same_city"]["count"] == 1
    assert amount(local["same_city"]["amount_yuan"]) == Decimal("2000000")
    assert local["same_province"]["count"] == 2 and local["same_cluster"]["count"] == 5
    assert local["same_city"]["count_share"] == 0.2
    assert local["same_province"]["amount_share"] == round(2045000.25 / 3595000.75, 4)


def test_event_and_season_stats_add_up_to_the_outcomes(client, cast, factory):
    rng = random.Random(20260520)
    places = {
        "330421": ("same_city", "same_province", "same_cluster"),  # Jiashan
        "330400": ("same_city", "same_province", "same_cluster"),  # Jiaxing (the city itself)
        "330106": ("same_province", "same_cluster"),  # Hangzhou
        "310115": ("same_cluster",),  # Shanghai Pudong: Yangtze River Delta
        "510104": (),  # Chengdu
    }
    suppliers = {code: factory.enterprise(f"供应商{code}", region_code=code) for code in places}
    spring = factory.event(starts_on=date(2026, 5, 20), status=EventStatus.held)
    autumn = factory.event(
        starts_on=date(2026, 10, 20),
        status=EventStatus.reported,
        sessions=(("上午场", at(9, day=date(2026, 10, 20)), at(12, day=date(2026, 10, 20))),),
    )
    elsewhere = factory.event(
        starts_on=date(2026, 6, 1), region_code="510104", status=EventStatus.held
    )
    draft = factory.event(starts_on=date(2026, 5, 21), status=EventStatus.draft)
    expected: dict[str, list] = {"spring": [], "autumn": [], "elsewhere": [], "outside": []}
    for key, event in (
        ("spring", spring),
        ("autumn", autumn),
        ("elsewhere", elsewhere),
        ("outside", None),
    ):
        for _ in range(12):
            code = rng.choice(list(places))
            kind = rng.choice(KINDS)
            value = (
                None
                if kind == OutcomeKind.project_landing and rng.random() < 0.5
                else (Decimal(rng.randrange(0, 10**9)) / 100)
            )
            factory.outcome(
                cast.buyer,
                suppliers[code],
                kind,
                amount_yuan=value,
                event_id=None if event is None else event.id,
            )
            expected[key].append((kind, value, code))
    factory.outcome(
        cast.buyer, suppliers["330421"], OutcomeKind.intention, amount_yuan=1, event_id=draft.id
    )

    def check(figures, rows):
        total = sum((v or Decimal(0) for _, v, _ in rows), Decimal(0))
        assert figures["count"] == len(rows)
        assert amount(figures["amount_yuan"]) == total
        for kind in OutcomeKind:
            mine = [v or Decimal(0) for k, v, _ in rows if k == kind]
            assert figures["by_kind"][kind.value]["count"] == len(mine)
            assert amount(figures["by_kind"][kind.value]["amount_yuan"]) == sum(mine, Decimal(0))
        assert figures["signed_orders"] == figures["by_kind"]["signed_order"]
        assert figures["intended_orders"] == figures["by_kind"]["intention"]
        assert figures["projects"] == figures["by_kind"]["project_landing"]["count"]
        local = figures["local"]
        assert (local["deals"], amount(local["amount_yuan"])) == (len(rows), total)
        for level in ("same_city", "same_province", "same_cluster"):
            near = [v or Decimal(0) for _, v, code in rows if level in places[code]]
            assert local[level]["count"] == len(near)
            assert amount(local[level]["amount_yuan"]) == sum(near, Decimal(0))
            assert local[level]["count_share"] == round(len(near) / len(rows), 4)
            assert local[level]["amount_share"] == round(float(sum(near, Decimal(0)) / total), 4)

    spring_stats = client.get(f"/v1/events/{spring.id}/stats").json()
    check(spring_stats["outcomes"], expected["spring"])
    everything = client.get("/v1/stats/season").json()
    assert everything["events"] == 3 and everything["outside_events"] == 12
    check(everything["outcomes"], [r for rows in expected.values() for r in rows])
    zhejiang = client.get("/v1/stats/season", params={"region": "330000"}).json()
    assert zhejiang["events"] == 2
    check(zhejiang["outcomes"], expected["spring"] + expected["autumn"] + expected["outside"])
    first_half = client.get(
        "/v1/stats/season", params={"from": "2026-01-01", "to": "2026-06-30", "region": "yrd"}
    ).json()
    assert first_half["events"] == 1 and first_half["outside_events"] == 0  # recorded today
    check(first_half["outcomes"], expected["spring"])


def test_who_sees_figures(client, cast, factory):
    draft = factory.event(status=EventStatus.draft)
    problem(client.get(f"/v1/events/{draft.id}/stats"), 404)
    problem(client.get(f"/v1/events/{draft.id}/stats", headers=cast.buyer_member), 404)
    staff = client.get(f"/v1/events/{draft.id}/stats", headers=cast.organiser)
    assert staff.status_code == 200 and staff.json()["outcomes"]["count"] == 0
    assert staff.json()["outcomes"]["local"]["same_city"]["count_share"] == 0.0
    bad = client.get("/v1/stats/season", params={"from": "2026-06-01", "to": "2026-05-01"})
    assert problem(bad, 422)["errors"][0]["field"] == "query.to"
    problem(client.get("/v1/stats/season", params={"region": "atlantis"}), 422)
    problem(client.get("/v1/stats/season", params={"to": "9999-12-31"}), 422)
