"""The local supply share over time through HTTP, on a constructed season of orders: the figures
add up to the orders recorded, periods follow China's calendar, the groups are named, files and
charts carry the same figures, and members see only their own orders."""

import csv
import io
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from app.core.clock import today
from app.models.enums import OutcomeKind, Role, Tier
from tests.events.test_meetings import problem
from tests.factories import CST

URL = "/v1/analytics/local-share"
SPRING = {"from": "2026-03-01", "to": "2026-05-31"}


def cst(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=CST)


class Season:
    """Two buyers (a chain owner in Jiashan, a firm in Shanghai Pudong), suppliers from the
    same city to the other end of China, two chains, and five orders from March to May 2026."""

    def __init__(self, factory):
        self.factory = factory
        self.pv = factory.chain("pv-share")
        self.h2 = factory.chain("h2-share")
        self.h2.name_zh, self.h2.name_en = "氢能", "Hydrogen"
        factory.session.commit()
        self.owner = factory.enterprise("嘉善光伏链主有限公司", tiers=(Tier.chain_owner,))
        self.pudong = factory.enterprise("上海浦东储能有限公司", region_code="310115")
        self.jiashan = factory.enterprise("嘉善接线盒有限公司")  # 330421, city Jiaxing
        self.jiaxing = factory.enterprise("嘉兴胶膜有限公司", region_code="330400")
        self.hangzhou = factory.enterprise("杭州储氢瓶有限公司", region_code="330106")
        self.shanghai = factory.enterprise("上海电池有限公司", region_code="310115")
        self.chengdu = factory.enterprise("成都逆变器有限公司", region_code="510104")
        pv_need = factory.requirement(self.owner, "光伏接线盒采购", chain_id=self.pv.id)
        pudong_need = factory.requirement(self.pudong, "光伏胶膜采购", chain_id=self.pv.id)
        h2_offer = factory.capability(self.hangzhou, "储氢瓶", chain_id=self.h2.id)
        self.order(self.owner, self.jiashan, "1000.00", cst(3, 10), requirement_id=pv_need.id)
        self.order(self.owner, self.chengdu, "3000.00", cst(3, 20), OutcomeKind.intention)
        self.order(self.owner, self.hangzhou, "500.50", cst(4, 5), capability_id=h2_offer.id)
        self.order(self.pudong, self.shanghai, "2000.00", cst(4, 15), OutcomeKind.intention)
        self.order(
            self.pudong, self.jiaxing, "250.25", cst(5, 31, 23, 30), requirement_id=pudong_need.id
        )
        # Not orders: left out of every figure.
        self.order(self.owner, self.jiashan, "99999", cst(3, 11), OutcomeKind.financing)
        self.order(self.owner, self.chengdu, None, cst(4, 1), OutcomeKind.project_landing)
        self.staff = factory.headers(Role.organiser)

    def order(self, buyer, supplier, amount, at, kind=OutcomeKind.signed_order, **fields):
        value = None if amount is None else Decimal(amount)
        return self.factory.outcome(
            buyer, supplier, kind, amount_yuan=value, recorded_at=at, **fields
        )


@pytest.fixture
def season(factory):
    return Season(factory)


def report(client, headers, **params):
    response = client.get(URL, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


def by_name(found):
    return {g["name"]: g for g in found["groups"]}


def test_figures_by_owner_per_month(client, season):
    found = report(client, season.staff, **SPRING)
    assert [p["period"] for p in found["periods"]] == ["2026-03", "2026-04", "2026-05"]
    assert found["kinds"] == ["intention", "signed_order"]
    assert [g["name"] for g in found["groups"]] == ["嘉善光伏链主有限公司", "上海浦东储能有限公司"]
    owner, pudong = found["groups"]
    assert owner["id"] == season.owner.id
    assert owner["chain_owner"] is True and pudong["chain_owner"] is False
    march, april, may = owner["periods"]
    assert (march["deals"], march["amount_yuan"]) == (2, 4000.0)
    assert march["same_city"] == {
        "count": 1,
        "amount_yuan": 1000.0,
        "count_share": 0.5,
        "amount_share": 0.25,
    }
    assert march["same_cluster"]["count"] == 1  # Chengdu lies in no cluster with Jiashan
    assert april["deals"] == 1  # from Hangzhou: the province, not the city
    assert (april["same_city"]["count"], april["same_province"]["count"]) == (0, 1)
    assert may["deals"] == 0 and may["amount_yuan"] == 0
    assert may["same_province"] == {
        "count": 0,
        "amount_yuan": 0.0,
        "count_share": None,
        "amount_share": None,
    }
    total = owner["total"]
    assert (total["deals"], total["amount_yuan"]) == (3, 4500.5)
    assert total["same_province"]["amount_share"] == round(1500.5 / 4500.5, 4)
    # Pudong buys in Shanghai (city, province, cluster) and in Jiaxing (the cluster only).
    assert pudong["total"]["same_city"]["amount_share"] == round(2000 / 2250.25, 4)
    assert pudong["total"]["same_cluster"]["amount_share"] == 1.0
    assert found["total"]["deals"] == 5 and found["total"]["amount_yuan"] == 6750.75


def test_groups_by_chain_and_by_region_are_named(client, season):
    chains = report(client, season.staff, group_by="chain", **SPRING)
    assert [(g["id"], g["name"], g["name_en"]) for g in chains["groups"]] == [
        (None, "无产业链", "no chain"),  # 3000 + 2000
        (season.pv.id, "光伏", "Photovoltaics"),  # the requirements' chain: 1000 + 250.25
        (season.h2.id, "氢能", "Hydrogen"),  # the capability's chain: 500.50
    ]
    assert [g["total"]["amount_yuan"] for g in chains["groups"]] == [5000.0, 1250.25, 500.5]
    regions = report(client, season.staff, group_by="region", **SPRING)
    assert [(g["id"], g["name"], g["total"]["deals"]) for g in regions["groups"]] == [
        ("330000", "浙江省", 3),
        ("310000", "上海市", 2),
    ]
    for found in (chains, regions):
        assert sum(g["total"]["deals"] for g in found["groups"]) == found["total"]["deals"] == 5


def test_filters_narrow_the_orders(client, season):
    signed = report(client, season.staff, kind="signed_order", **SPRING)
    assert signed["kinds"] == ["signed_order"] and signed["total"]["deals"] == 3
    pv = report(client, season.staff, chain=season.pv.id, group_by="chain", **SPRING)
    assert [g["name"] for g in pv["groups"]] == ["光伏"] and pv["total"]["deals"] == 2
    zhejiang = report(client, season.staff, region="330000", **SPRING)
    assert [g["id"] for g in zhejiang["groups"]] == [season.owner.id]
    delta = report(client, season.staff, region="yrd", **SPRING)
    assert delta["total"]["deals"] == 5
    pudong = report(client, season.staff, owner=season.pudong.id, period="year", **SPRING)
    assert [p["period"] for p in pudong["periods"]] == ["2026"]
    assert [g["name"] for g in pudong["groups"]] == ["上海浦东储能有限公司"]


def test_periods_follow_the_service_calendar_across_a_month_boundary(client, season):
    """23:30 on 31 May in China is 15:30 UTC; 16:00 UTC is already 1 June there."""
    june_first = season.order(
        season.owner, season.jiaxing, "40.00", datetime(2026, 5, 31, 16, 0, tzinfo=UTC)
    )
    season.order(season.owner, season.jiaxing, "60.00", datetime(2026, 5, 31, 15, 59, tzinfo=UTC))
    found = report(client, season.staff, **{"from": "2026-05-01", "to": "2026-06-30"})
    owner = by_name(found)["嘉善光伏链主有限公司"]
    may, june = owner["periods"]
    assert (may["period"], may["deals"], may["amount_yuan"]) == ("2026-05", 1, 60.0)
    assert (june["period"], june["deals"], june["amount_yuan"]) == ("2026-06", 1, 40.0)
    assert june_first.recorded_at.astimezone(CST).date() == date(2026, 6, 1)
    until_may = report(client, season.staff, **{"from": "2026-05-01", "to": "2026-05-31"})
    assert by_name(until_may)["嘉善光伏链主有限公司"]["total"]["amount_yuan"] == 60.0
    spring_to_summer = {"from": "2026-02-01", "to": "2026-07-15"}
    quarters = report(client, season.staff, period="quarter", **spring_to_summer)
    assert [(p["period"], p["starts_on"], p["ends_on"]) for p in quarters["periods"]] == [
        ("2026-Q1", "2026-01-01", "2026-03-31"),
        ("2026-Q2", "2026-04-01", "2026-06-30"),
        ("2026-Q3", "2026-07-01", "2026-09-30"),
    ]
    owner = by_name(quarters)["嘉善光伏链主有限公司"]
    assert [p["deals"] for p in owner["periods"]] == [2, 3, 0]
    assert owner["periods"][2]["same_city"]["amount_share"] is None


def test_a_signed_local_order_moves_the_share_exactly(client, season, factory):
    """Recorded now through the API: the owner's province share goes from 0 to 600 / 1000."""
    now = datetime.now(UTC)
    season.order(season.owner, season.shanghai, "100.00", now)  # the cluster only
    season.order(season.owner, season.chengdu, "300.00", now, OutcomeKind.intention)
    day = today()
    window = {"from": str(day - timedelta(days=1)), "to": str(day + timedelta(days=1))}
    params = {"owner": season.owner.id, "period": "year", **window}

    def owner_total():
        return report(client, season.staff, **params)["groups"][0]["total"]

    before = owner_total()
    assert (before["deals"], before["amount_yuan"]) == (2, 400.0)
    assert before["same_province"]["amount_share"] == 0.0
    assert before["same_cluster"]["amount_share"] == 0.25
    need = factory.requirement(season.owner, "储氢瓶采购")
    offer = factory.capability(season.hangzhou, "储氢瓶")
    body = {
        "kind": "signed_order",
        "amount_yuan": "600",
        "requirement_id": need.id,
        "capability_id": offer.id,
    }
    recorded = client.post("/v1/outcomes", json=body, headers=season.staff)
    assert recorded.status_code == 201, recorded.text
    after = owner_total()
    assert (after["deals"], after["amount_yuan"]) == (3, 1000.0)
    assert after["same_province"] == {
        "count": 1,
        "amount_yuan": 600.0,
        "count_share": 0.3333,
        "amount_share": 0.6,
    }
    assert after["same_cluster"]["amount_share"] == 0.7
    assert after["same_city"] == {**before["same_city"], "count_share": 0.0}


def read_csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def expected_rows(found, level):
    rows = []
    for group in found["groups"]:
        for p in group["periods"]:
            near = p[f"same_{level}"]
            rows.append(
                [group["id"], group["name"], p["period"], p["starts_on"], p["ends_on"]]
                + [p["deals"], p["amount_yuan"], near["count"], near["amount_yuan"]]
                + [near["count_share"], near["amount_share"]]
            )
    return rows


def test_csv_and_xlsx_rows_equal_the_json(client, season):
    params = {"group_by": "chain", "level": "city", **SPRING}
    found = report(client, season.staff, **params)
    expected = expected_rows(found, "city")
    assert len(expected) == 3 * 3
    as_csv = client.get(URL, params={**params, "format": "csv"}, headers=season.staff)
    assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
    rows = read_csv(as_csv)
    assert "same city" in rows[0][7]
    assert rows[1:] == [["" if v is None else str(v) for v in row] for row in expected]
    as_xlsx = client.get(URL, params={**params, "format": "xlsx"}, headers=season.staff)
    book = load_workbook(io.BytesIO(as_xlsx.content))
    sheet, totals = book.worksheets
    cells = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
    for row in expected:
        row[3], row[4] = (datetime.fromisoformat(d) for d in row[3:5])
    assert cells == expected
    total_rows = [list(r) for r in totals.iter_rows(min_row=2, values_only=True)]
    assert [r[:3] for r in total_rows] == [
        [g["id"], g["name"], g["total"]["deals"]] for g in found["groups"]
    ]


def svg_text(content):
    return " ".join(t for t in ET.fromstring(content).itertext())


def test_charts_of_the_share(client, season):
    svg = client.get(URL, params={"format": "svg", **SPRING}, headers=season.staff)
    assert svg.status_code == 200, svg.text
    assert svg.headers["content-type"] == "image/svg+xml"
    assert svg.headers["content-disposition"].startswith("inline;")
    text = svg_text(svg.content)
    assert "本地配套率" in text and "same province" in text
    assert "嘉善光伏链主有限公司" in text and "上海浦东储能有限公司" in text
    png = client.get(URL, params={"format": "png", "group_by": "chain"}, headers=season.staff)
    assert png.status_code == 200 and png.headers["content-type"] == "image/png"
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")


def test_a_chart_shows_the_eight_largest_groups(client, season, factory):
    buyers = [factory.enterprise(f"买方{i:02d}号") for i in range(10)]
    for i, buyer in enumerate(buyers):
        season.order(buyer, season.jiashan, f"{10 + i}.00", cst(4, 1))
    found = report(client, season.staff, **{"from": "2026-04-01", "to": "2026-04-30"})
    assert len(found["groups"]) == 12  # the ten, and the season's two buyers
    april = {"from": "2026-04-01", "to": "2026-04-30"}
    text = svg_text(
        client.get(URL, params={"format": "svg", **april}, headers=season.staff).content
    )
    shown = [g["name"] for g in found["groups"][:8]]
    assert all(name in text for name in shown)
    assert "买方00号" not in text and "买方01号" not in text  # the two smallest


def test_members_see_their_own_orders_only(client, season, factory):
    member = factory.member_of(season.owner)
    mine = report(client, member, group_by="chain", **SPRING)
    assert mine["owner_id"] == season.owner.id
    assert {g["name"]: g["total"]["amount_yuan"] for g in mine["groups"]} == {
        "无产业链": 3000.0,
        "光伏": 1000.0,
        "氢能": 500.5,
    }
    assert report(client, member, owner=season.owner.id)["owner_id"] == season.owner.id
    other = client.get(URL, params={"owner": season.pudong.id}, headers=member)
    assert "own enterprise" in problem(other, 403)["detail"]
    no_firm = factory.headers(Role.member)
    problem(client.get(URL, headers=no_firm), 403)
    problem(client.get(URL), 401)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-06-01", "to": "2026-05-01"}, "query.to"),
        ({"chain": 999_999}, "query.chain"),
        ({"owner": 999_999}, "query.owner"),
        ({"region": "atlantis"}, "query.region"),
        ({"region": "999999"}, "query.region"),
        ({"from": "2000-01-01", "to": "2020-12-31"}, "query.from"),
        ({"period": "week"}, "query.period"),
        ({"kind": "financing"}, "query.kind"),
        ({"format": "pdf"}, "query.format"),
    ],
)
def test_bad_questions_are_422(client, season, params, field):
    found = problem(client.get(URL, params=params, headers=season.staff), 422)
    assert found["errors"][0]["field"] == field
    if field == "query.from":
        assert "narrow the dates" in found["detail"]


def test_no_orders_still_lists_the_periods(client, factory):
    staff = factory.headers(Role.organiser)
    found = report(client, staff, period="quarter", **{"from": "2030-01-01", "to": "2030-12-31"})
    assert [p["period"] for p in found["periods"]] == ["2030-Q1", "2030-Q2", "2030-Q3", "2030-Q4"]
    assert found["groups"] == [] and found["total"]["same_city"]["count_share"] is None
    empty = client.get(URL, params={"format": "svg", "from": "2030-01-01"}, headers=staff)
    assert empty.status_code == 200 and "本地配套率" in svg_text(empty.content)
