"""The pure season builder: deterministic, the right sizes and mix, every reference resolvable."""

import hashlib
import os
import re
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from app.core.text import normalise
from app.demo.season import build_season
from app.demo.specs import Sizes
from app.demo.taxonomy import DEMO_CHAINS, node_specs
from app.demo.themes import BUYS, JIASHAN_SIXTEEN, PRODUCTS, PROJECTS, TOPICS
from app.enterprises.uscc import validate_uscc
from app.models.enums import ChainPosition, DockingKind, EnterpriseKind, RequirementStatus, Tier

TODAY = date(2026, 4, 11)
ROOT = Path(__file__).resolve().parents[2]
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z\uff21-\uff3a\uff41-\uff5a]")


@pytest.fixture(scope="module")
def season():
    return build_season(2026, TODAY)


def language(text: str) -> str:
    has_cjk, has_latin = bool(CJK.search(text)), bool(LATIN.search(text))
    return "mixed" if has_cjk and has_latin else "zh" if has_cjk else "en"


def test_same_seed_gives_an_equal_season_and_another_seed_a_different_one(season):
    assert build_season(2026, TODAY) == season
    other = build_season(2027, TODAY)
    assert other != season
    assert [e.name for e in other.enterprises] != [e.name for e in season.enterprises]
    assert [c.title for c in other.capabilities] != [c.title for c in season.capabilities]


def test_dates_move_with_today_and_nothing_else_does(season):
    later = build_season(2026, TODAY + timedelta(days=30))
    assert later.enterprises == season.enterprises and later.capabilities == season.capabilities
    for before, after in zip(season.requirements, later.requirements, strict=True):
        assert after.valid_until - before.valid_until == timedelta(days=30)
        assert replace(after, valid_until=before.valid_until) == before


def test_default_sizes_meet_the_brief(season):
    assert len(season.enterprises) >= 300
    assert len(season.requirements) >= 60
    assert len(season.capabilities) >= 1000


def test_sizes_scale_and_more_capabilities_leave_the_rest_alone(season):
    bigger = build_season(2026, TODAY, Sizes(capabilities=4000))
    assert len(bigger.capabilities) == 4000
    assert bigger.enterprises == season.enterprises and bigger.requirements == season.requirements
    assert bigger.capabilities[:1100] == season.capabilities
    grown = build_season(5, TODAY, Sizes(enterprises=1000, requirements=150, capabilities=50))
    sizes = (len(grown.enterprises), len(grown.requirements), len(grown.capabilities))
    assert sizes == (1000, 150, 50)
    assert len({e.name for e in grown.enterprises}) == 1000
    with pytest.raises(ValueError):
        Sizes(enterprises=20)


@pytest.mark.parametrize("seed", [2026, 1, 99])
def test_every_requirement_has_two_to_sixteen_items(seed):
    requirements = build_season(seed, TODAY).requirements
    counts = Counter(len(r.items) for r in requirements)
    assert min(counts) >= 2 and max(counts) <= 16, counts
    assert len(counts) >= 5  # not all the same length


def test_unified_social_credit_codes_validate_and_are_unique(season):
    codes = [e.uscc for e in season.enterprises]
    assert len(set(codes)) == len(codes)
    for enterprise in season.enterprises:
        assert validate_uscc(enterprise.uscc) == enterprise.uscc
        assert enterprise.uscc[2:8] == enterprise.region_code


def test_everyone_is_in_the_yangtze_river_delta_weighted_to_jiaxing(season):
    regions = Counter(e.region_code for e in season.enterprises)
    assert {code[:2] for code in regions} == {"31", "32", "33", "34"}
    cities = Counter(code[:4] for code in regions.elements() if not code.startswith("31"))
    assert cities.most_common(1)[0][0] == "3304"
    assert regions.most_common(1)[0][0] == "330421"
    for requirement in season.requirements:
        assert requirement.delivery_region_code[:2] in {"31", "32", "33", "34"}


def test_the_mix_of_participants(season):
    firms = season.enterprises
    tiers = Counter(t for e in firms for t in e.tiers)
    kinds = Counter(e.kind for e in firms)
    names = {e.name: e for e in firms}
    assert 18 <= tiers[Tier.chain_owner] <= 22
    assert 90 <= tiers[Tier.srdi] <= 110
    assert tiers[Tier.little_giant] >= 10 and tiers[Tier.multinational] >= 5
    assert tiers[Tier.listed] >= 10 and tiers[Tier.leading] >= 20
    assert all(Tier.srdi in e.tiers for e in firms if Tier.little_giant in e.tiers)
    assert names["浙江大学"].kind is EnterpriseKind.university
    assert names["上海交通大学"].kind is EnterpriseKind.university
    assert names["嘉善农商银行"].kind is EnterpriseKind.financial_institution
    assert names["中国银行嘉兴分行"].kind is EnterpriseKind.financial_institution
    assert kinds[EnterpriseKind.research_institute] >= 3 and kinds[EnterpriseKind.association] >= 3
    assert all(e.contact_person and e.contact_phone and "@" in e.contact_email for e in firms)
    assert all(e.chains for e in firms)


def test_postings_kinds_statuses_and_fields(season):
    kinds = Counter(r.kind for r in season.requirements)
    statuses = Counter(r.status for r in season.requirements)
    assert kinds.most_common(1)[0][0] is DockingKind.procurement and len(kinds) == 5
    assert statuses.most_common(1)[0][0] is RequirementStatus.open and len(statuses) >= 4
    owners = {e.key for e in season.enterprises if Tier.chain_owner in e.tiers}
    procurement = [r for r in season.requirements if r.kind is DockingKind.procurement]
    assert sum(r.enterprise in owners for r in procurement) > len(procurement) / 2
    assert any(r.project_name and r.project_investment_yuan for r in procurement)
    assert any(r.certifications_required for r in procurement)
    capabilities = season.capabilities
    assert Counter(c.status for c in capabilities).most_common(1)[0][0].value == "open"
    assert len({c.kind for c in capabilities}) == 5
    assert sum(bool(c.keywords) for c in capabilities) == len(capabilities)
    assert any(c.cluster_codes for c in capabilities) and any(c.region_codes for c in capabilities)
    assert any("ISO 9001" in c.certifications for c in capabilities)
    assert any(c.capacity_amount and c.capacity_unit and c.capacity_period for c in capabilities)


def test_texts_are_chinese_english_and_mixed(season):
    titles = [r.title for r in season.requirements] + [c.title for c in season.capabilities]
    counts = Counter(language(t) for t in titles)
    assert counts["zh"] > counts["en"] > 0 and counts["mixed"] > 0, counts


def test_texts_carry_realistic_spelling_variation(season):
    texts = [c.title for c in season.capabilities]
    texts += [k for c in season.capabilities for k in c.keywords]
    texts += [r.title for r in season.requirements]
    texts += [i.name for r in season.requirements for i in r.items]
    joined = "\n".join(texts)
    assert re.search(r"[\uff21-\uff3a\uff41-\uff5a\uff10-\uff19]", joined), "no full-width letters"
    assert any(
        typo in joined for typo in ("invertor", "光付", "seperator", "逆变噐", "接线合", "lithum")
    )
    for abbreviation in ("PV", "NCM", "BMS", "MEA", "LFP", "IGBT"):
        assert abbreviation in joined
    assert "光伏" in joined and "photovoltaic" in joined.lower()
    assert normalise("ＰＶ　Ｍｏｄｕｌｅ") == "pv module"


def test_the_jiashan_hydrogen_call_for_sixteen_products(season):
    call = season.requirements[0]
    owner = season.enterprises[call.enterprise]
    assert owner.region_code == "330421" and Tier.chain_owner in owner.tiers
    assert call.chain == "hydrogen" and len(call.items) == 16
    names = " ".join(i.name for i in call.items)
    for word in ("电气设备", "管道", "软件", "阀门", "压缩机", "传感器"):
        assert word in names
    assert call.project_investment_yuan == 200_000_000 and call.status is RequirementStatus.open
    assert call.delivery_region_code == "330421"


def test_taxonomy_is_a_tree_of_valid_slugs_in_all_three_positions():
    assert [c.slug for c in DEMO_CHAINS] == [
        "photovoltaics",
        "lithium-battery",
        "hydrogen",
        "integrated-circuits",
        "nev",
    ]
    for chain in DEMO_CHAINS:
        nodes = [n for n, _, _ in chain.walk()]
        assert SLUG.match(chain.slug) and all(SLUG.match(n.slug) for n in nodes)
        assert len({n.slug for n in nodes}) == len(nodes)
        assert {n.position for n in nodes} == set(ChainPosition)
        assert any(n.children for n in nodes) and all(n.name_zh and n.name_en for n in nodes)
    pv = {n.name_zh for n in node_specs("photovoltaics").values()}
    for name in (
        "多晶硅",
        "硅片",
        "电池片",
        "组件",
        "光伏玻璃",
        "EVA/POE胶膜",
        "背板",
        "焊带",
        "接线盒",
        "铝边框",
        "逆变器",
        "支架",
        "电站EPC",
        "电站运维",
    ):
        assert name in pv


def test_every_node_the_data_names_exists_in_its_chain(season):
    def known(chain, slug):
        return slug in node_specs(chain)

    assert all(known(p.chain, p.node) for p in PRODUCTS)
    assert all(known(c, s) for (c, lead), nodes in BUYS.items() for s in (lead, *nodes))
    assert all(known(c, t[0]) for c, topics in TOPICS.items() for t in topics)
    assert all(known(c, s) for c, projects in PROJECTS.items() for p in projects for s in p.leads)
    assert all(known("hydrogen", row[0]) for row in JIASHAN_SIXTEEN)
    for r in season.requirements:
        assert all(known(r.chain, s) for s in r.nodes)
        assert all(known(r.chain, i.node) for i in r.items if i.node)
    for c in season.capabilities:
        assert all(known(c.chain, s) for s in c.nodes)
    for e in season.enterprises:
        assert all(known(e.chains[0], s) for s in e.focus)


def test_the_season_is_the_same_in_another_process_with_another_hash_seed(season):
    script = (
        "import hashlib; from datetime import date; from app.demo.season import build_season; "
        "print(hashlib.sha256(repr(build_season(2026, date(2026, 4, 11))).encode()).hexdigest())"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    run = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
    )
    assert run.stdout.strip() == hashlib.sha256(repr(season).encode()).hexdigest()
