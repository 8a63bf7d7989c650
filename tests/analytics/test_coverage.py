"""Chain coverage, weak links, whom to attract and single-source risk, through HTTP, on a
constructed season: a Jiashan chain owner needs junction boxes (two Zhejiang suppliers), EVA
film (one supplier, in Chengdu) and frames (no one makes them)."""

import csv
import io
import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from app.matching.keeper import MatchKeeper
from app.models import Requirement
from app.models.enums import Tier
from tests.matching.conftest import CHENGDU_JINJIANG, HANGZHOU_XIHU

ZHEJIANG = "330000"


@pytest.fixture
def season(market):
    _, jiashan = market.firm("嘉善接线盒有限公司", tiers=(Tier.srdi,))
    _, hangzhou = market.firm("杭州接线盒有限公司", region=HANGZHOU_XIHU)
    chengdu_firm, chengdu = market.firm("成都胶膜有限公司", region=CHENGDU_JINJIANG)
    market.capability(jiashan, "光伏接线盒 junction box IP68")
    market.capability(hangzhou, "光伏接线盒 junction box")
    market.capability(chengdu, "EVA胶膜 EVA film", node="eva-film")
    requirement = market.requirement(
        [
            (
                "光伏接线盒 junction box",
                "junction-box",
                {"quantity": 1000, "target_price_yuan": 50},
            ),
            ("EVA胶膜 EVA film", "eva-film", {"quantity": 200, "target_price_yuan": 100}),
            ("铝边框 aluminium frame", "frame", {}),
        ],
        budget_yuan=100_000,
    )
    market.chengdu = chengdu_firm
    market.posted = requirement
    return market


def analytics(market, view, headers=None, **params):
    params.setdefault("region", ZHEJIANG)
    params = {name: value for name, value in params.items() if value is not None}
    response = market.client.get(
        f"/v1/analytics/chains/{market.chain.id}/{view}",
        params=params,
        headers=headers or market.organiser,
    )
    assert response.status_code == 200, response.text
    return response


def nodes_of(body):
    return {node["slug"]: node for node in body["nodes"]}


def test_coverage_counts_demand_local_supply_and_covered_items_per_node(season):
    body = analytics(season, "coverage", k=2).json()
    nodes = nodes_of(body)
    assert [n["slug"] for n in body["nodes"]] == [
        "module", "junction-box", "eva-film", "frame", "inverter"
    ]  # fmt: skip
    assert [n["depth"] for n in body["nodes"]] == [0, 1, 1, 1, 0]
    box, film, frame = nodes["junction-box"], nodes["eva-film"], nodes["frame"]
    assert (box["items"], box["amount_yuan"], box["chain_owners"]) == (1, 50_000, 1)
    assert (box["local_capabilities"], box["local_suppliers"]) == (2, 2)
    assert (box["qualified_local_suppliers"], box["covered_items"], box["status"]) == (
        2, 1, "covered"
    )  # fmt: skip
    assert box["covered_share"] == box["amount_share"] == 1.0
    assert (film["items"], film["amount_yuan"], film["local_capabilities"]) == (1, 20_000, 0)
    assert (film["covered_items"], film["covered_share"], film["status"]) == (0, 0.0, "weak")
    # the frames take what the budget leaves after the priced items
    assert (frame["amount_yuan"], frame["stuck_items"], frame["status"]) == (
        30_000, 1, "stuck_neck"
    )  # fmt: skip
    assert nodes["module"]["status"] == nodes["inverter"]["status"] == "no_demand"
    assert nodes["module"]["covered_share"] is None
    totals = body["totals"]
    assert (totals["requirements"], totals["items"], totals["covered_items"]) == (1, 3, 1)
    assert (totals["amount_yuan"], totals["covered_amount_yuan"]) == (100_000, 50_000)
    assert (totals["local_suppliers"], totals["stuck_items"], totals["single_source_items"]) == (
        2, 1, 1
    )  # fmt: skip
    assert (body["k"], body["min_score"], body["region"]["code"]) == (2, 50.0, ZHEJIANG)


def test_a_higher_bar_or_a_bigger_k_uncovers_links(season):
    nodes = nodes_of(analytics(season, "coverage", k=3).json())
    assert nodes["junction-box"]["status"] == "weak"  # two local suppliers are not three
    nodes = nodes_of(analytics(season, "coverage", k=1, min_score=100).json())
    assert nodes["junction-box"]["qualified_local_suppliers"] == 0
    whole = nodes_of(analytics(season, "coverage", k=1, region=None).json())
    assert whole["eva-film"]["status"] == "covered"  # Chengdu is local to the whole country


def test_weak_links_rank_unmet_demand_and_name_whom_to_attract(season):
    body = analytics(season, "weak-links", k=2).json()
    assert [link["slug"] for link in body["links"]] == ["frame", "eva-film"]  # 30,000 > 20,000
    frame, film = body["links"]
    assert (frame["status"], frame["stuck_items"], frame["attract"]) == ("stuck_neck", 1, [])
    assert (film["status"], film["unmet_items"], film["unmet_amount_yuan"]) == ("weak", 1, 20_000)
    assert (film["chain_owners_waiting"], film["buyers_waiting"]) == (1, 1)
    assert film["items"][0]["name"] == "EVA胶膜 EVA film"
    assert (film["items"][0]["local_suppliers"], film["items"][0]["suppliers_anywhere"]) == (0, 1)
    (prospect,) = film["attract"]
    assert prospect["enterprise_id"] == season.chengdu.id
    assert prospect["region_code"] == CHENGDU_JINJIANG
    assert 1500 < prospect["distance_km"] < 2000  # Hangzhou to Chengdu
    assert prospect["items"] == 1 and 50 <= prospect["best_score"] <= 100


def test_a_matching_local_supplier_removes_a_weak_link_and_one_alone_is_a_single_source(season):
    before = analytics(season, "single-source", k=1).json()
    assert [(i["name"], i["scope"]) for i in before["items"]] == [("EVA胶膜 EVA film", "country")]
    assert before["items"][0]["supplier_id"] == season.chengdu.id
    assert "eva-film" in [
        link["slug"] for link in analytics(season, "weak-links", k=1).json()["links"]
    ]

    local_firm, local = season.firm("嘉兴胶膜有限公司", region="330402")
    season.capability(local, "EVA胶膜 EVA film", node="eva-film")

    links = analytics(season, "weak-links", k=1).json()["links"]
    assert [link["slug"] for link in links] == ["frame"]
    film = nodes_of(analytics(season, "coverage", k=1).json())["eva-film"]
    assert (film["status"], film["covered_items"], film["local_suppliers"]) == ("covered", 1, 1)
    after = analytics(season, "single-source", k=1).json()
    assert [(i["name"], i["scope"], i["supplier_id"]) for i in after["items"]] == [
        ("EVA胶膜 EVA film", "region", local_firm.id)
    ]
    assert [(n["slug"], n["supplier_id"]) for n in after["nodes"]] == [("eva-film", local_firm.id)]


def test_closed_or_expired_requirements_and_buyers_outside_the_region_are_not_demand(
    season, client, session
):
    assert analytics(season, "coverage", region="510000").json()["totals"]["items"] == 0
    session.execute(
        update(Requirement)
        .where(Requirement.id == season.posted["id"])
        .values(valid_until=date.today() - timedelta(days=1))
    )  # lapsed in the night: no edit tells the index
    session.flush()
    season.client.app.state.match_keeper = MatchKeeper()
    assert analytics(season, "coverage").json()["totals"]["items"] == 0


def test_closed_requirements_are_not_demand(season, client):
    url = f"/v1/requirements/{season.posted['id']}"
    etag = client.get(url, headers=season.buyer_headers).headers["ETag"]
    response = client.patch(
        url, json={"status": "closed"}, headers={**season.buyer_headers, "If-Match": etag}
    )
    assert response.status_code == 200, response.text
    assert analytics(season, "coverage").json()["totals"]["items"] == 0


def test_tables_equal_the_json_and_the_chart_draws_the_tree(season):
    body = analytics(season, "coverage", k=2).json()
    text = analytics(season, "coverage", k=2, format="csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [int(r["node_id"]) for r in rows] == [n["node_id"] for n in body["nodes"]]
    assert [r["status"] for r in rows] == [n["status"] for n in body["nodes"]]
    assert [float(r["amount_yuan"]) for r in rows] == [n["amount_yuan"] for n in body["nodes"]]

    weak = analytics(season, "weak-links", k=2).json()
    book = load_workbook(io.BytesIO(analytics(season, "weak-links", k=2, format="xlsx").content))
    links, attract = book.worksheets
    assert [row[1] for row in links.iter_rows(min_row=2, values_only=True)] == [
        link["name_zh"] for link in weak["links"]
    ]
    assert [row[3] for row in attract.iter_rows(min_row=2, values_only=True)] == [
        p["enterprise_id"] for link in weak["links"] for p in link["attract"]
    ]

    svg = analytics(season, "coverage", k=2, format="svg")
    assert svg.headers["content-type"].startswith("image/svg+xml")
    ET.fromstring(svg.content)  # well-formed
    for name in ("接线盒", "EVA胶膜", "边框", "逆变器"):
        assert name in svg.text
    png = analytics(season, "coverage", k=2, format="png")
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")


@pytest.mark.parametrize(
    ("view", "params", "field"),
    [
        ("coverage", {"region": "999999"}, "query.region"),
        ("coverage", {"region": "nowhere"}, "query.region"),
        ("coverage", {"k": 0}, "query.k"),
        ("coverage", {"min_score": 0}, "query.min_score"),
        ("coverage", {"min_score": 101}, "query.min_score"),
        ("weak-links", {"attract": 51}, "query.attract"),
        ("weak-links", {"format": "svg"}, "query.format"),
        ("single-source", {"kind": "barter"}, "query.kind"),
    ],
)
def test_bad_questions_get_a_clear_422(season, view, params, field):
    response = season.client.get(
        f"/v1/analytics/chains/{season.chain.id}/{view}", params=params, headers=season.organiser
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert field in response.text


def test_an_unknown_chain_is_404_and_analytics_need_a_sign_in(season):
    missing = season.client.get("/v1/analytics/chains/999999/coverage", headers=season.organiser)
    assert missing.status_code == 404 and "999999" in missing.json()["detail"]
    assert season.client.get(f"/v1/analytics/chains/{season.chain.id}/coverage").status_code == 401
    member = analytics(season, "coverage", headers=season.buyer_headers)
    assert member.json()["totals"]["items"] == 3
