"""The ranking rules, through HTTP: locality and standing, bundles, glossary, who is never matched."""

import time
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import update

from app.matching.keeper import SWEEP_SECONDS, MatchKeeper
from app.models import Capability, Requirement
from app.models.enums import Role, Tier
from tests.matching.conftest import CHENGDU_JINJIANG, HANGZHOU_XIHU

JBOX = [("光伏接线盒 junction box", "junction-box", {})]


def test_same_node_local_srdi_supplier_outranks_a_distant_one_with_the_same_text(market):
    _, far = market.firm("成都接线盒有限公司", region=CHENGDU_JINJIANG)
    near_firm, near = market.firm("嘉善接线盒有限公司", tiers=(Tier.srdi,), verified=True)
    distant = market.capability(far, "光伏接线盒 junction box IP68")
    local = market.capability(near, "光伏接线盒 junction box IP68")
    requirement = market.requirement(JBOX)

    body = market.matches(requirement["id"])
    first, second = body["candidates"][:2]
    assert [first["capability"]["id"], second["capability"]["id"]] == [local["id"], distant["id"]]
    assert first["capability"]["enterprise"]["id"] == near_firm.id
    assert first["components"]["text"]["value"] == second["components"]["text"]["value"] == 1.0
    assert first["components"]["node"]["reason"] == "same chain node"
    assert first["components"]["locality"]["reason"] == "same city"
    assert second["components"]["locality"]["value"] < 0.2
    assert "srdi" in first["components"]["standing"]["reason"]
    assert 0 <= second["score"] < first["score"] <= 100
    assert first["score"] == round(sum(c["points"] for c in first["components"].values()), 2)
    assert first["items_covered"][0]["matched_terms"]  # the words that matched are shown


def test_a_supplier_covering_several_items_ranks_above_one_covering_a_single_item(market):
    _, single = market.firm("单品接线盒有限公司")
    _, bundle = market.firm("组件辅材有限公司")
    one = market.capability(single, "光伏接线盒 junction box")
    several = market.capability(bundle, "光伏接线盒 junction box 及 EVA胶膜 EVA film")
    requirement = market.requirement(
        [
            ("光伏接线盒 junction box", "junction-box", {}),
            ("EVA胶膜 EVA film", "eva-film", {}),
            ("铝边框 aluminium frame", "frame", {}),
        ]
    )

    body = market.matches(requirement["id"])
    ids = [c["capability"]["id"] for c in body["candidates"]]
    assert ids.index(several["id"]) < ids.index(one["id"])
    by_id = {c["capability"]["id"]: c for c in body["candidates"]}
    assert [i["position"] for i in by_id[several["id"]]["items_covered"]] == [0, 1]
    assert [i["position"] for i in by_id[one["id"]]["items_covered"]] == [0]
    assert by_id[several["id"]]["components"]["coverage"]["reason"] == "covers 2 of 3 items"
    per_item = {i["position"]: [c["capability_id"] for c in i["candidates"]] for i in body["items"]}
    assert set(per_item[0]) == {one["id"], several["id"]} and per_item[1] == [several["id"]]
    assert [i["name"] for i in body["uncovered_items"]] == ["铝边框 aluminium frame"]


def test_the_glossary_makes_chinese_english_and_abbreviations_meet(market, client):
    _, chinese = market.firm("纯中文接线盒厂")
    capability = market.capability(chinese, "光伏接线盒", node=None)
    requirement = market.requirement([("PV J-box", None, {})])
    assert market.ranked_ids(requirement["id"]) == [capability["id"]]
    covered = market.matches(requirement["id"])["candidates"][0]["items_covered"][0]
    assert set(covered["matched_terms"]) == {"photovoltaic", "junction_box"}

    # An organiser teaches the glossary a new pair; the next match call knows it.
    _, combiner = market.firm("汇流箱厂")
    box = market.capability(combiner, "智能汇流箱", node=None)
    requirement = market.requirement([("combiner box", None, {})])
    assert box["id"] not in market.ranked_ids(requirement["id"])
    response = client.post(
        "/v1/glossary",
        json={"canonical": "combiner box", "spellings": ["汇流箱", "combiner box"]},
        headers=market.organiser,
    )
    assert response.status_code == 201, response.text
    assert market.ranked_ids(requirement["id"])[0] == box["id"]


def test_a_typo_still_finds_the_supplier(market):
    _, firm = market.firm("Inverter Works")
    capability = market.capability(firm, "hybrid inverter 110 kW", node="inverter")
    requirement = market.requirement([("hybrid invertor 110 kW", None, {})])
    top = market.matches(requirement["id"])["candidates"][0]
    assert top["capability"]["id"] == capability["id"]
    assert "invertor~inverter" in top["items_covered"][0]["matched_terms"]


def test_the_owner_drafts_and_closed_postings_are_never_matched(market, client):
    own = market.capability(market.buyer_headers, "光伏接线盒 junction box")
    _, firm = market.firm("接线盒供应商")
    draft = market.capability(firm, "光伏接线盒 junction box", status="draft")
    closed = market.capability(firm, "光伏接线盒 junction box 二号")
    paused = market.capability(firm, "光伏接线盒 junction box 三号")
    open_one = market.capability(firm, "光伏接线盒 junction box 四号")
    for capability, status in ((closed, "closed"), (paused, "paused")):
        response = client.patch(
            f"/v1/capabilities/{capability['id']}",
            json={"status": status},
            headers=firm,
        )
        assert response.status_code == 200, response.text
    requirement = market.requirement(JBOX)
    assert market.ranked_ids(requirement["id"]) == [open_one["id"]]
    assert own["id"] not in market.ranked_ids(requirement["id"])
    assert draft["id"] not in market.ranked_ids(requirement["id"])


def test_capabilities_see_open_requirements_only(market, client, session):
    _, firm = market.firm("接线盒供应商")
    capability = market.capability(firm, "光伏接线盒 junction box")
    live = market.requirement(JBOX)
    market.requirement(JBOX, status="draft")
    expired = market.requirement(JBOX, title="已过期的接线盒采购")
    # The API refuses a past valid-until; time passing is what expires a requirement.
    row = session.get(Requirement, expired["id"])
    row.valid_until = date.today() - timedelta(days=1)
    session.commit()

    response = client.get(f"/v1/capabilities/{capability['id']}/matches")
    assert response.status_code == 200, response.text
    candidates = response.json()["candidates"]
    assert [c["requirement"]["id"] for c in candidates] == [live["id"]]
    assert candidates[0]["items_total"] == 1 and candidates[0]["items_covered"][0]["position"] == 0


def test_an_edit_is_reflected_in_the_next_match_call(market, client):
    firm, headers = market.firm("转型企业")
    capability = market.capability(headers, "光伏接线盒 junction box")
    requirement = market.requirement(JBOX)
    assert market.ranked_ids(requirement["id"]) == [capability["id"]]

    response = client.patch(
        f"/v1/capabilities/{capability['id']}",
        json={"title": "锂电池隔膜 separator", "node_ids": []},
        headers=headers,
    )
    assert response.status_code == 200, response.text
    assert market.ranked_ids(requirement["id"]) == []

    response = client.patch(
        f"/v1/requirements/{requirement['id']}",
        json={"items": [{"name": "湿法隔膜 separator"}]},
        headers=market.buyer_headers,
    )
    assert response.status_code == 200, response.text
    assert market.ranked_ids(requirement["id"]) == [capability["id"]]

    # An enterprise's verification changes the score of its postings at once.
    before = market.matches(requirement["id"])["candidates"][0]["components"]["standing"]
    admin = market.factory.headers(Role.admin)
    response = client.patch(f"/v1/enterprises/{firm.id}", json={"verified": True}, headers=admin)
    assert response.status_code == 200, response.text
    after = market.matches(requirement["id"])["candidates"][0]["components"]["standing"]
    assert after["value"] > before["value"]


def test_filters_and_weights(market, client):
    _, far = market.firm("成都接线盒有限公司", region=CHENGDU_JINJIANG)
    _, hz = market.firm(
        "杭州接线盒有限公司", region=HANGZHOU_XIHU, tiers=(Tier.srdi,), verified=True
    )
    distant = market.capability(far, "光伏接线盒 junction box")
    nearby = market.capability(hz, "光伏接线盒 junction box")
    requirement = market.requirement(JBOX)
    rid = requirement["id"]

    assert market.ranked_ids(rid, region="yrd") == [nearby["id"]]
    assert market.ranked_ids(rid, region="510000") == [distant["id"]]
    assert market.ranked_ids(rid, verified_only=True) == [nearby["id"]]
    assert market.ranked_ids(rid, tier="srdi") == [nearby["id"]]
    assert market.ranked_ids(rid, top=1) == [nearby["id"]]
    assert market.ranked_ids(rid, min_score=99.9) == []

    body = market.matches(
        rid,
        weights="text:100,coverage:0,node:0,locality:0,certifications:0,"
        "capacity:0,standing:0,freshness:0",
    )
    assert {c["score"] for c in body["candidates"]} == {100.0}
    assert body["weights"]["text"] == 100 and body["weights"]["locality"] == 0
    # Same inputs, same ranking.
    assert market.matches(rid)["candidates"] == market.matches(rid)["candidates"]

    for params, field in (
        ({"weights": "speed:10"}, "weights"),
        ({"weights": "text:-1"}, "weights"),
        (
            {
                "weights": "text:0,coverage:0,node:0,locality:0,certifications:0,capacity:0,"
                "standing:0,freshness:0"
            },
            "weights",
        ),
        ({"region": "999999"}, "region"),
        ({"node": 2_000_000_000}, "node"),
        ({"top": 0}, "top"),
        ({"top": 10**30}, "top"),
        ({"min_score": 101}, "min_score"),
        ({"tier": "emperor"}, "tier"),
    ):
        response = client.get(f"/v1/requirements/{rid}/matches", params=params)
        assert response.status_code == 422, (params, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        assert field in response.text


def test_matches_of_invisible_postings_are_404(market, client):
    draft = market.requirement(JBOX, status="draft")
    assert client.get(f"/v1/requirements/{draft['id']}/matches").status_code == 404
    owner_view = client.get(f"/v1/requirements/{draft['id']}/matches", headers=market.buyer_headers)
    assert owner_view.status_code == 200  # the owner may preview before publishing
    assert client.get("/v1/requirements/2147483647/matches").status_code == 404
    assert client.get("/v1/capabilities/2147483647/matches").status_code == 404


def test_a_change_the_watermark_missed_is_found_by_the_periodic_sweep(market, client, session):
    """A transaction that commits long after it stamped ``updated_at`` slips under the
    watermark's overlap; the sweep compares versions and re-indexes it anyway."""
    _, headers = market.firm("迟到企业")
    capability = market.capability(headers, "光伏接线盒 junction box")
    requirement = market.requirement(JBOX)
    assert market.ranked_ids(requirement["id"]) == [capability["id"]]

    long_ago = datetime(2020, 1, 1, tzinfo=UTC)
    session.execute(
        update(Capability)
        .where(Capability.id == capability["id"])
        .values(status="closed", version=Capability.version + 1, updated_at=long_ago)
    )
    session.commit()
    assert market.ranked_ids(requirement["id"]) == [capability["id"]]  # missed, as designed

    # The sweep is due (monotonic time may start near 0 on a freshly booted machine).
    client.app.state.match_keeper._swept_at = time.monotonic() - SWEEP_SECONDS - 1
    assert market.ranked_ids(requirement["id"]) == []


def test_a_commit_stamped_before_the_last_look_is_seen_by_the_next(market, client, session):
    """A look reads only rows stamped after the one before, and a tally of those stamped in
    the overlap up to it: a transaction that stamped its row before that look and committed
    after it changes the tally, and is read then."""
    _, headers = market.firm("晚提交企业")
    capability = market.capability(headers, "光伏接线盒 junction box")
    requirement = market.requirement(JBOX)
    assert market.ranked_ids(requirement["id"]) == [capability["id"]]  # a look

    stamped = datetime.now(UTC) - timedelta(seconds=5)  # before that look, within the overlap
    session.execute(
        update(Capability)
        .where(Capability.id == capability["id"])
        .values(status="closed", version=Capability.version + 1, updated_at=stamped)
    )
    session.commit()
    assert market.ranked_ids(requirement["id"]) == []


def test_a_process_looks_for_other_processes_writes_at_most_every_refresh_interval(
    market, client, session
):
    """Writes through the process itself are matched at once; a write it did not make (another
    process's, here one straight to the database) once its last look is older than
    ``match_refresh_seconds``."""
    refresh = 0.5
    keeper = client.app.state.match_keeper = MatchKeeper(refresh_seconds=refresh)
    _, headers = market.firm("刷新企业")
    requirement = market.requirement(JBOX)
    assert market.ranked_ids(requirement["id"]) == []
    capability = market.capability(headers, "光伏接线盒 junction box")
    assert market.ranked_ids(requirement["id"]) == [capability["id"]]  # its own write: at once

    session.execute(
        update(Capability)
        .where(Capability.id == capability["id"])
        .values(status="closed", version=Capability.version + 1, updated_at=datetime.now(UTC))
    )
    session.commit()
    looked = keeper._looked_at
    seen = market.ranked_ids(requirement["id"])
    if keeper._looked_at == looked:  # no look since (a slow machine may have looked again)
        assert seen == [capability["id"]]
    time.sleep(refresh)
    assert market.ranked_ids(requirement["id"]) == []

    other = market.capability(headers, "接线盒 junction box IP68")
    assert market.ranked_ids(requirement["id"]) == [other["id"]]
    closed = client.patch(
        f"/v1/capabilities/{other['id']}", json={"status": "closed"}, headers=headers
    )
    assert closed.status_code == 200, closed.text
    assert market.ranked_ids(requirement["id"]) == []  # its own edit: at once, too
