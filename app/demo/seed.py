"""`chaindock seed-demo`: load the demo taxonomy and write a docking season into the database,
with a docking event held in Jiashan (app/demo/event.py).

The season is built as plain data first (app/demo/season.py); this module only turns it into
rows, with add_all and a few flushes. The caller commits.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core import clock
from app.demo.event import write_event
from app.demo.season import build_season
from app.demo.specs import CapabilitySpec, EnterpriseSpec, RequirementSpec, Season, Sizes
from app.demo.taxonomy import load_taxonomy
from app.models import (
    Capability,
    CapabilityCluster,
    CapabilityNode,
    CapabilityRegion,
    Chain,
    ChainNode,
    Cluster,
    Enterprise,
    EnterpriseChain,
    EnterpriseTier,
    Region,
    Requirement,
    RequirementItem,
    RequirementNode,
)

NodeIds = dict[tuple[str, str], int]


def seed_demo(session: Session, seed: int = 2026, today: date | None = None) -> dict[str, int]:
    """Load the demo chains (if missing), a season of enterprises and postings and its docking
    event; count them.

    Dates are relative to ``today``, by default today in the service's calendar
    (``CHAINDOCK_TIMEZONE``), the one that decides when postings expire.
    """
    chains = load_taxonomy(session)
    season = build_season(seed, today or clock.today(), Sizes())
    written = insert_season(session, season, chains)
    event = write_event(session, seed, season.today, chains,
                        written.enterprises, written.requirements, written.capabilities)
    return written.summary | event


@dataclass(frozen=True)
class Written:
    enterprises: list[Enterprise]
    requirements: list[Requirement]
    capabilities: list[Capability]
    summary: dict[str, int]


def write_season(session: Session, season: Season, chains: dict[str, Chain]) -> dict[str, int]:
    """Insert a built season; ``chains`` are the demo chains by slug (from load_taxonomy)."""
    return insert_season(session, season, chains).summary


def insert_season(session: Session, season: Season, chains: dict[str, Chain]) -> Written:
    """Insert a built season and keep its rows, in the season's order."""
    _check_places(session, season)
    node_ids = _node_ids(session, chains)

    enterprises = [_enterprise(spec, chains) for spec in season.enterprises]
    session.add_all(enterprises)
    session.flush()
    owner_ids = [enterprise.id for enterprise in enterprises]

    requirements = [_requirement(spec, owner_ids, chains, node_ids) for spec in season.requirements]
    capabilities = [_capability(spec, owner_ids, chains, node_ids) for spec in season.capabilities]
    session.add_all(requirements)
    session.add_all(capabilities)
    session.flush()
    summary = {
        "chains": len(chains),
        "chain nodes": len(node_ids),
        "enterprises": len(enterprises),
        "requirements": len(requirements),
        "requirement items": sum(len(spec.items) for spec in season.requirements),
        "capabilities": len(capabilities),
    }
    return Written(enterprises, requirements, capabilities, summary)


def _enterprise(spec: EnterpriseSpec, chains: dict[str, Chain]) -> Enterprise:
    enterprise = Enterprise(
        name=spec.name,
        name_en=spec.name_en,
        uscc=spec.uscc,
        kind=spec.kind,
        region_code=spec.region_code,
        description=spec.description,
        website=spec.website,
        contact_person=spec.contact_person,
        contact_phone=spec.contact_phone,
        contact_email=spec.contact_email,
        verified=spec.verified,
        tier_rows=[EnterpriseTier(tier=tier) for tier in spec.tiers],
        chain_rows=[EnterpriseChain(chain_id=chains[slug].id) for slug in spec.chains],
    )
    enterprise.refresh_search_text()
    return enterprise


def _requirement(
    spec: RequirementSpec, owner_ids: list[int], chains: dict[str, Chain], node_ids: NodeIds
) -> Requirement:
    requirement = Requirement(
        enterprise_id=owner_ids[spec.enterprise],
        kind=spec.kind,
        title=spec.title,
        description=spec.description,
        chain_id=chains[spec.chain].id,
        budget_yuan=spec.budget_yuan,
        project_name=spec.project_name,
        project_investment_yuan=spec.project_investment_yuan,
        delivery_region_code=spec.delivery_region_code,
        locality_preference=spec.locality_preference,
        certifications_required=list(spec.certifications_required),
        valid_until=spec.valid_until,
        status=spec.status,
        items=[
            RequirementItem(
                position=position,
                name=item.name,
                spec=item.spec,
                quantity=item.quantity,
                unit=item.unit,
                target_price_yuan=item.target_price_yuan,
                node_id=node_ids.get((spec.chain, item.node)) if item.node else None,
            )
            for position, item in enumerate(spec.items)
        ],
        node_rows=[RequirementNode(node_id=i) for i in _known(spec.chain, spec.nodes, node_ids)],
    )
    requirement.refresh_search_text()
    return requirement


def _capability(
    spec: CapabilitySpec, owner_ids: list[int], chains: dict[str, Chain], node_ids: NodeIds
) -> Capability:
    capability = Capability(
        enterprise_id=owner_ids[spec.enterprise],
        kind=spec.kind,
        title=spec.title,
        description=spec.description,
        keywords=list(spec.keywords),
        chain_id=chains[spec.chain].id,
        capacity_amount=spec.capacity_amount,
        capacity_unit=spec.capacity_unit,
        capacity_period=spec.capacity_period,
        min_order_quantity=spec.min_order_quantity,
        certifications=list(spec.certifications),
        status=spec.status,
        node_rows=[CapabilityNode(node_id=i) for i in _known(spec.chain, spec.nodes, node_ids)],
        region_rows=[CapabilityRegion(region_code=code) for code in spec.region_codes],
        cluster_rows=[CapabilityCluster(cluster_code=code) for code in spec.cluster_codes],
    )
    capability.refresh_search_text()
    return capability


def _known(chain: str, slugs: tuple[str, ...], node_ids: NodeIds) -> list[int]:
    """Node ids of the slugs; a node an organiser has since removed from a demo chain is skipped."""
    return sorted({node_ids[(chain, slug)] for slug in slugs if (chain, slug) in node_ids})


def _node_ids(session: Session, chains: dict[str, Chain]) -> NodeIds:
    slug_of = {chain.id: slug for slug, chain in chains.items()}
    rows = session.execute(
        select(ChainNode.chain_id, ChainNode.slug, ChainNode.id).where(
            ChainNode.chain_id.in_(slug_of)
        )
    )
    return {(slug_of[chain_id], slug): node_id for chain_id, slug, node_id in rows}


def _check_places(session: Session, season: Season) -> None:
    """Fail with a clear message, not a foreign-key error, when regions are not loaded."""
    regions = {e.region_code for e in season.enterprises}
    regions |= {r.delivery_region_code for r in season.requirements if r.delivery_region_code}
    regions |= {code for c in season.capabilities for code in c.region_codes}
    clusters = {code for c in season.capabilities for code in c.cluster_codes}
    found = session.scalar(select(func.count()).select_from(Region).where(Region.code.in_(regions)))
    found_clusters = session.scalar(
        select(func.count()).select_from(Cluster).where(Cluster.code.in_(clusters))
    )
    if found != len(regions) or found_clusters != len(clusters):
        raise RuntimeError(
            "the demo season uses region or cluster codes missing from the database; "
            "run `chaindock migrate` first (it loads the regions)"
        )
