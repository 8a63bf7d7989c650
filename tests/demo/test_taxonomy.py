"""`load_taxonomy` creates the demo chains as trees, once, and leaves existing chains alone."""

from datetime import date

from sqlalchemy import func, select

from app.demo.seed import seed_demo
from app.demo.taxonomy import CHAIN_SPECS, load_taxonomy
from app.models import Chain, ChainNode, Requirement, RequirementItem


def node_count(session) -> int:
    return session.scalar(select(func.count()).select_from(ChainNode))


def test_load_taxonomy_creates_each_chain_as_a_tree(session):
    chains = load_taxonomy(session)
    assert list(chains) == [
        "photovoltaics",
        "lithium-battery",
        "hydrogen",
        "integrated-circuits",
        "nev",
    ]
    h2 = chains["hydrogen"].id
    rows = session.scalars(select(ChainNode).where(ChainNode.chain_id == h2))
    nodes = {(n.chain_id, n.slug): n for n in rows}
    alkaline = nodes[(h2, "alkaline-electrolyser")]
    electrolyser = nodes[(h2, "electrolyser")]
    assert alkaline.parent_id == electrolyser.id
    assert electrolyser.parent_id == nodes[(h2, "hydrogen-production")].id
    assert nodes[(h2, "hydrogen-production")].parent_id is None
    assert (alkaline.name_zh, alkaline.name_en, alkaline.position.value) == (
        "碱性电解槽",
        "Alkaline electrolyser (ALK)",
        "upstream",
    )
    assert [
        n.slug
        for n in sorted(
            (n for n in nodes.values() if n.parent_id is None), key=lambda n: n.sort_order
        )
    ] == [spec.slug for spec in CHAIN_SPECS["hydrogen"].nodes]
    assert chains["photovoltaics"].name_zh == "光伏"
    assert chains["nev"].name_en == "New-energy vehicles"


def test_load_taxonomy_twice_changes_nothing(session):
    first = load_taxonomy(session)
    session.commit()
    nodes = node_count(session)
    second = load_taxonomy(session)
    assert {slug: chain.id for slug, chain in second.items()} == {
        slug: chain.id for slug, chain in first.items()
    }
    assert node_count(session) == nodes
    assert session.scalar(select(func.count()).select_from(Chain)) == 5


def test_an_existing_chain_is_left_as_it_is_and_seeding_still_works(session, factory):
    mine = factory.chain(slug="hydrogen", nodes=(("stack", "电堆", "Stack"),))
    chains = load_taxonomy(session)
    assert chains["hydrogen"].id == mine.id
    assert session.scalar(select(func.count()).where(ChainNode.chain_id == mine.id)) == 1
    assert session.get(Chain, mine.id).name_zh == "光伏"  # as the factory made it, not renamed

    summary = seed_demo(session, seed=11, today=date(2026, 1, 5))
    assert summary["enterprises"] >= 300
    stack = session.scalars(select(ChainNode).where(ChainNode.chain_id == mine.id)).one()
    hydrogen_items = session.scalars(
        select(RequirementItem.node_id)
        .join(Requirement, Requirement.id == RequirementItem.requirement_id)
        .where(Requirement.chain_id == mine.id)
    ).all()
    assert hydrogen_items and set(hydrogen_items) <= {stack.id, None}
    assert stack.id in hydrogen_items  # the one node the organiser kept is still used
