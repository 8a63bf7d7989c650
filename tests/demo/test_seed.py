"""`seed_demo` writes the default season into the migrated test database (SQLite or PostgreSQL).

The season is written once for this module, inside a transaction rolled back at the end.
"""

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from app.core.text import normalise
from app.demo.season import build_season
from app.demo.seed import seed_demo, write_season
from app.demo.taxonomy import load_taxonomy
from app.enterprises.uscc import validate_uscc
from app.models import (
    Capability,
    CapabilityCluster,
    CapabilityNode,
    CapabilityRegion,
    Chain,
    ChainNode,
    Enterprise,
    EnterpriseChain,
    EnterpriseTier,
    Event,
    Meeting,
    Outcome,
    Registration,
    Requirement,
    RequirementItem,
    RequirementNode,
)
from app.models.enums import DockingKind, Tier

TODAY = date(2026, 4, 11)
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z\uff21-\uff3a\uff41-\uff5a]")


@pytest.fixture(scope="module")
def seeded(engine: Engine) -> Iterator[tuple[Session, dict[str, int]]]:
    with engine.connect() as connection:
        outer = connection.begin()
        with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
            yield session, seed_demo(session, seed=2026, today=TODAY)
        outer.rollback()


@pytest.fixture
def db(seeded) -> Session:
    return seeded[0]


def count(db: Session, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


def test_summary_reports_what_is_in_the_database(seeded):
    db, summary = seeded
    assert summary == {
        "chains": 5,
        "chain nodes": count(db, ChainNode),
        "enterprises": count(db, Enterprise),
        "requirements": count(db, Requirement),
        "requirement items": count(db, RequirementItem),
        "capabilities": count(db, Capability),
        "events": count(db, Event),
        "registrations": count(db, Registration),
        "meetings": count(db, Meeting),
        "outcomes": count(db, Outcome),
    }
    assert summary["enterprises"] >= 300 and summary["requirements"] >= 60
    assert summary["capabilities"] >= 1000 and summary["chain nodes"] >= 100


def test_every_requirement_has_two_to_sixteen_items(db):
    per_requirement = db.execute(
        select(Requirement.id, func.count(RequirementItem.id))
        .outerjoin(RequirementItem, RequirementItem.requirement_id == Requirement.id)
        .group_by(Requirement.id)
    ).all()
    assert len(per_requirement) == count(db, Requirement)
    assert all(2 <= n <= 16 for _, n in per_requirement), per_requirement
    positions = db.execute(
        select(RequirementItem.requirement_id, func.min(RequirementItem.position)).group_by(
            RequirementItem.requirement_id
        )
    ).all()
    assert {p for _, p in positions} == {0}


def test_every_social_credit_code_validates(db):
    codes = db.scalars(select(Enterprise.uscc)).all()
    assert len(codes) == len(set(codes)) >= 300
    for code in codes:
        assert validate_uscc(code) == code


def test_every_enterprise_lies_in_the_yangtze_river_delta(db):
    regions = Counter(db.scalars(select(Enterprise.region_code)).all())
    assert {code[:2] for code in regions} == {"31", "32", "33", "34"}
    jiaxing = sum(n for code, n in regions.items() if code.startswith("3304"))
    assert jiaxing > sum(regions.values()) / 5
    assert regions.most_common(1)[0][0] == "330421"


def test_participants_include_chain_owners_srdi_universities_and_banks(db):
    tiers = Counter(db.scalars(select(EnterpriseTier.tier)).all())
    assert tiers[Tier.chain_owner] >= 18 and tiers[Tier.srdi] >= 90 and tiers[Tier.little_giant] > 0
    kinds = dict(db.execute(select(Enterprise.name, Enterprise.kind)).all())
    assert kinds["浙江大学"] == "university" and kinds["嘉善农商银行"] == "financial_institution"
    assert count(db, EnterpriseChain) >= count(db, Enterprise)
    assert db.scalar(select(func.count()).where(Enterprise.contact_email.is_(None))) == 0


def test_texts_in_the_database_are_chinese_english_and_mixed(db):
    titles = [*db.scalars(select(Requirement.title)), *db.scalars(select(Capability.title))]
    kinds = Counter(
        "mixed" if CJK.search(t) and LATIN.search(t) else "zh" if CJK.search(t) else "en"
        for t in titles
    )
    assert kinds["zh"] > 0 and kinds["en"] > 0 and kinds["mixed"] > 0, kinds


def test_the_jiashan_hydrogen_requirement_with_sixteen_item_types(db):
    requirement = db.scalars(
        select(Requirement)
        .join(Enterprise, Enterprise.id == Requirement.enterprise_id)
        .join(Chain, Chain.id == Requirement.chain_id)
        .where(Enterprise.region_code == "330421", Chain.slug == "hydrogen")
        .where(Requirement.project_investment_yuan == 200_000_000)
    ).one()
    items = db.scalars(
        select(RequirementItem).where(RequirementItem.requirement_id == requirement.id)
    ).all()
    assert len(items) == 16 and all(i.node_id is not None for i in items)
    names = " ".join(i.name for i in items)
    assert all(word in names for word in ("电气设备", "管道", "软件", "阀门", "压缩机", "传感器"))
    node_slugs = db.scalars(
        select(ChainNode.slug)
        .join(RequirementNode, RequirementNode.node_id == ChainNode.id)
        .where(RequirementNode.requirement_id == requirement.id)
    ).all()
    assert {"electrical-equipment", "pipeline", "control-software", "valves"} <= set(node_slugs)
    assert "316l" in requirement.search_text and "管道" in requirement.search_text


def test_postings_have_their_chain_nodes_regions_and_search_text(db):
    assert db.scalar(select(func.count()).where(Requirement.chain_id.is_(None))) == 0
    assert db.scalar(select(func.count()).where(Capability.chain_id.is_(None))) == 0
    procurement = select(Requirement.id).where(Requirement.kind == DockingKind.procurement)
    with_nodes = select(RequirementNode.requirement_id).distinct()
    assert set(db.scalars(procurement)) <= set(db.scalars(with_nodes))
    assert count(db, CapabilityNode) >= 0.8 * count(db, Capability)
    assert count(db, CapabilityRegion) > 0 and count(db, CapabilityCluster) > 0
    # an item's node belongs to its requirement's chain
    mismatched = db.scalar(
        select(func.count())
        .select_from(RequirementItem)
        .join(Requirement, Requirement.id == RequirementItem.requirement_id)
        .join(ChainNode, ChainNode.id == RequirementItem.node_id)
        .where(ChainNode.chain_id != Requirement.chain_id)
    )
    assert mismatched == 0
    for capability in db.scalars(select(Capability).limit(200)):
        assert capability.search_text == normalise(capability.search_text) != ""
        assert normalise(capability.title) in capability.search_text


def test_a_season_with_unknown_places_is_refused_before_anything_is_written(db):
    season = build_season(3, TODAY)
    broken = replace(
        season,
        enterprises=(replace(season.enterprises[0], region_code="999999"), *season.enterprises[1:]),
    )
    before = count(db, Enterprise)
    with pytest.raises(RuntimeError, match="chaindock migrate"):
        write_season(db, broken, load_taxonomy(db))
    assert count(db, Enterprise) == before
