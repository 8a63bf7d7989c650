from collections.abc import Sequence

from sqlalchemy import ColumnElement, Select, delete, func, select, update
from sqlalchemy.orm import Session

from app.core.pagination import PageParams, Sort, keyset_page
from app.models import (
    Capability,
    CapabilityNode,
    Chain,
    ChainNode,
    EnterpriseChain,
    EventChain,
    EventNode,
    Requirement,
    RequirementItem,
    RequirementNode,
)
from app.models.enums import ChainPosition

CHAIN_SORTS = {"id": Chain.id, "slug": Chain.slug, "created_at": Chain.created_at}
NODE_SORTS = {
    "id": ChainNode.id,
    "slug": ChainNode.slug,
    "sort_order": ChainNode.sort_order,
    "created_at": ChainNode.created_at,
}


def get_chain(session: Session, chain_id: int, *, lock: bool = False) -> Chain | None:
    """``lock`` takes the chain's row lock: writes to a chain's tree queue on it (PostgreSQL)."""
    stmt = select(Chain).where(Chain.id == chain_id)
    if lock:
        stmt = stmt.with_for_update()
    return session.scalars(stmt).one_or_none()


def find_chain_by_slug(session: Session, slug: str) -> Chain | None:
    return session.scalars(select(Chain).where(Chain.slug == slug)).one_or_none()


def chain_filters(*, slug: str | None = None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if slug is not None:
        conditions.append(Chain.slug == slug)
    return conditions


def chain_names(
    session: Session, conditions: list[ColumnElement[bool]]
) -> list[tuple[int, str, str]]:
    stmt = select(Chain.id, Chain.name_zh, Chain.name_en).where(*conditions)
    return [(row.id, row.name_zh, row.name_en) for row in session.execute(stmt)]


def chains_select(conditions: list[ColumnElement[bool]]) -> Select[tuple[Chain]]:
    return select(Chain).where(*conditions)


def chains_by_ids(session: Session, ids: Sequence[int]) -> list[Chain]:
    by_id = {c.id: c for c in session.scalars(select(Chain).where(Chain.id.in_(ids)))}
    return [by_id[i] for i in ids if i in by_id]


def chain_nodes(session: Session, chain_id: int) -> list[ChainNode]:
    stmt = (
        select(ChainNode)
        .where(ChainNode.chain_id == chain_id)
        .order_by(ChainNode.sort_order, ChainNode.id)
    )
    return list(session.scalars(stmt))


def page_nodes(
    session: Session,
    chain_id: int,
    sort: Sort,
    page: PageParams,
    *,
    position: ChainPosition | None = None,
) -> tuple[list[ChainNode], str | None]:
    stmt = select(ChainNode).where(ChainNode.chain_id == chain_id)
    if position is not None:
        stmt = stmt.where(ChainNode.position == position)
    return keyset_page(
        session, stmt, sort=sort, column=NODE_SORTS[sort.key], id_column=ChainNode.id, page=page
    )


def get_node(session: Session, node_id: int) -> ChainNode | None:
    return session.get(ChainNode, node_id)


def find_node_by_slug(session: Session, chain_id: int, slug: str) -> ChainNode | None:
    stmt = select(ChainNode).where(ChainNode.chain_id == chain_id, ChainNode.slug == slug)
    return session.scalars(stmt).one_or_none()


def parent_links(session: Session, chain_id: int) -> dict[int, int | None]:
    """Every node of the chain mapped to its parent, for walking the tree without loading it."""
    stmt = select(ChainNode.id, ChainNode.parent_id).where(ChainNode.chain_id == chain_id)
    return {row.id: row.parent_id for row in session.execute(stmt)}


def _count(session: Session, stmt: Select[tuple[int]]) -> int:
    return session.scalar(stmt) or 0


def chain_references(session: Session, chain_id: int) -> dict[str, int]:
    """How many postings, enterprises and events use the chain or any of its nodes, by kind of
    reference."""
    nodes = select(ChainNode.id).where(ChainNode.chain_id == chain_id).scalar_subquery()
    count = select(func.count())
    return {
        "enterprises": _count(
            session, count.select_from(EnterpriseChain).where(EnterpriseChain.chain_id == chain_id)
        ),
        "requirements": _count(
            session, count.select_from(Requirement).where(Requirement.chain_id == chain_id)
        ),
        "capabilities": _count(
            session, count.select_from(Capability).where(Capability.chain_id == chain_id)
        ),
        "requirement node links": _count(
            session, count.select_from(RequirementNode).where(RequirementNode.node_id.in_(nodes))
        ),
        "capability node links": _count(
            session, count.select_from(CapabilityNode).where(CapabilityNode.node_id.in_(nodes))
        ),
        "requirement items": _count(
            session, count.select_from(RequirementItem).where(RequirementItem.node_id.in_(nodes))
        ),
        "events": _count(
            session, count.select_from(EventChain).where(EventChain.chain_id == chain_id)
        ),
        "event node links": _count(
            session, count.select_from(EventNode).where(EventNode.node_id.in_(nodes))
        ),
    }


def node_references(session: Session, node_id: int) -> dict[str, int]:
    """What stands in the way of deleting a node: its children, and the postings and events that
    name it."""
    count = select(func.count())
    return {
        "child nodes": _count(
            session, count.select_from(ChainNode).where(ChainNode.parent_id == node_id)
        ),
        "requirements": _count(
            session, count.select_from(RequirementNode).where(RequirementNode.node_id == node_id)
        ),
        "capabilities": _count(
            session, count.select_from(CapabilityNode).where(CapabilityNode.node_id == node_id)
        ),
        "requirement items": _count(
            session, count.select_from(RequirementItem).where(RequirementItem.node_id == node_id)
        ),
        "events": _count(session, count.select_from(EventNode).where(EventNode.node_id == node_id)),
    }


def delete_chain(session: Session, chain: Chain) -> None:
    """The chain and its nodes; parents are unlinked first so no delete trips the tree's key."""
    session.execute(
        update(ChainNode).where(ChainNode.chain_id == chain.id).values(parent_id=None),
        execution_options={"synchronize_session": False},
    )
    session.execute(
        delete(ChainNode).where(ChainNode.chain_id == chain.id),
        execution_options={"synchronize_session": False},
    )
    session.execute(
        delete(Chain).where(Chain.id == chain.id), execution_options={"synchronize_session": False}
    )
    session.expunge(chain)


def delete_node(session: Session, node: ChainNode) -> None:
    session.delete(node)
    session.flush()
