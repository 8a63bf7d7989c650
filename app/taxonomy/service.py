"""Industrial chains and their trees of nodes; organisers extend them, postings point into them."""

from sqlalchemy.orm import Session

from app.core.etag import check_if_match
from app.core.pagination import PageParams, Sort, list_order, list_page
from app.core.search import search_scores
from app.core.text import search_text
from app.errors import Conflict, NotFound, Unprocessable, conflict_on_integrity
from app.models import Chain, ChainNode
from app.models.enums import ChainPosition
from app.taxonomy import repository
from app.taxonomy.schemas import (
    ChainCreate,
    ChainRead,
    ChainTreeRead,
    ChainUpdate,
    NodeCreate,
    NodeRead,
    NodeTreeRead,
    NodeUpdate,
)

MAX_DEPTH = 12  # levels of nodes under a chain; real taxonomies need 3 or 4
DEFAULT_CHAIN_SORT = "slug"
DEFAULT_NODE_SORT = "sort_order"


class ChainNotFound(NotFound):
    def __init__(self, chain_id: int) -> None:
        super().__init__(f"Chain {chain_id} does not exist.")


class NodeNotFound(NotFound):
    def __init__(self, node_id: int) -> None:
        super().__init__(f"Chain node {node_id} does not exist.")


def _in_use(what: str, references: dict[str, int]) -> None:
    used = [f"{label}: {count}" for label, count in references.items() if count]
    if used:
        raise Conflict(
            f"{what} is still referenced ({', '.join(used)}); remove those references first."
        )


# Chains


def list_chains(
    session: Session, page: PageParams, *, slug: str | None, q: str | None, sort: str | None
) -> tuple[list[Chain], str | None]:
    """Chains by ``sort`` (default slug); with ``q`` only those whose names match, best first."""
    order = list_order(sort, q, repository.CHAIN_SORTS, DEFAULT_CHAIN_SORT)
    conditions = repository.chain_filters(slug=slug)
    scores = None
    if q is not None:
        names = repository.chain_names(session, conditions)
        scores = search_scores(session, q, [(cid, search_text(zh, en)) for cid, zh, en in names])
    return list_page(
        session,
        repository.chains_select(conditions),
        order=order,
        columns=repository.CHAIN_SORTS,
        id_column=Chain.id,
        page=page,
        scores=scores,
        load=lambda ids: repository.chains_by_ids(session, ids),
    )


def get_chain(session: Session, chain_id: int, *, lock: bool = False) -> Chain:
    chain = repository.get_chain(session, chain_id, lock=lock)
    if chain is None:
        raise ChainNotFound(chain_id)
    return chain


def chain_tree(session: Session, chain_id: int) -> ChainTreeRead:
    chain = get_chain(session, chain_id)
    nodes = repository.chain_nodes(session, chain_id)
    return ChainTreeRead(**ChainRead.model_validate(chain).model_dump(), nodes=build_tree(nodes))


def build_tree(nodes: list[ChainNode]) -> list[NodeTreeRead]:
    """Nest nodes under their parents; ``nodes`` come in sibling order, which the nesting keeps."""
    trees = {
        n.id: NodeTreeRead(**NodeRead.model_validate(n).model_dump(), children=[]) for n in nodes
    }
    roots: list[NodeTreeRead] = []
    for node in nodes:
        parent = trees.get(node.parent_id) if node.parent_id is not None else None
        (parent.children if parent is not None else roots).append(trees[node.id])
    return roots


def _check_chain_slug_free(session: Session, slug: str, chain_id: int | None = None) -> None:
    existing = repository.find_chain_by_slug(session, slug)
    if existing is not None and existing.id != chain_id:
        raise Conflict(f"A chain with slug '{slug}' already exists (chain {existing.id}).")


def create_chain(session: Session, data: ChainCreate) -> Chain:
    _check_chain_slug_free(session, data.slug)
    chain = Chain(**data.model_dump())
    session.add(chain)
    with conflict_on_integrity(f"A chain with slug '{data.slug}' already exists."):
        session.flush()
    return chain


def update_chain(session: Session, chain_id: int, data: ChainUpdate, if_match: str | None) -> Chain:
    chain = get_chain(session, chain_id)
    check_if_match(if_match, chain)
    changes = data.model_dump(exclude_unset=True)
    if "slug" in changes:
        _check_chain_slug_free(session, changes["slug"], chain.id)
    for key, value in changes.items():
        setattr(chain, key, value)
    with conflict_on_integrity(f"A chain with slug '{chain.slug}' already exists."):
        session.flush()
    return chain


def delete_chain(session: Session, chain_id: int, if_match: str | None) -> None:
    chain = get_chain(session, chain_id, lock=True)
    check_if_match(if_match, chain)
    what = f"Chain {chain.id} ({chain.slug})"
    _in_use(what, repository.chain_references(session, chain.id))
    with conflict_on_integrity(
        f"{what} was just put to use by another request; it cannot be deleted."
    ):
        repository.delete_chain(session, chain)


# Nodes


def list_nodes(
    session: Session,
    chain_id: int,
    page: PageParams,
    *,
    position: ChainPosition | None,
    sort: str | None,
) -> tuple[list[ChainNode], str | None]:
    get_chain(session, chain_id)
    order = Sort.parse(sort or DEFAULT_NODE_SORT, set(repository.NODE_SORTS))
    return repository.page_nodes(session, chain_id, order, page, position=position)


def get_node(session: Session, node_id: int) -> ChainNode:
    node = repository.get_node(session, node_id)
    if node is None:
        raise NodeNotFound(node_id)
    return node


def _depth(links: dict[int, int | None], node_id: int | None) -> int:
    """Levels from the top down to ``node_id`` (a top-level node is 1; no node is 0)."""
    depth = 0
    while node_id is not None:
        depth += 1
        node_id = links.get(node_id)
    return depth


def _height(links: dict[int, int | None], node_id: int) -> int:
    """Levels in the subtree under and including ``node_id``."""
    children: dict[int | None, list[int]] = {}
    for child, parent in links.items():
        children.setdefault(parent, []).append(child)
    height, level = 0, [node_id]
    while level:
        height += 1
        level = [c for n in level for c in children.get(n, [])]
    return height


def _check_parent(
    session: Session, chain: Chain, parent_id: int, links: dict[int, int | None], moving: int | None
) -> None:
    """``parent_id`` must be a node of ``chain``, outside the subtree being moved, not too deep."""
    if parent_id not in links:
        exists = repository.get_node(session, parent_id) is not None
        where = "belongs to another chain" if exists else "does not exist"
        raise Unprocessable(
            f"Node {parent_id} {where}; a parent must be a node of chain {chain.id}.",
            field="body.parent_id",
        )
    if moving is not None:
        ancestor: int | None = parent_id
        while ancestor is not None:
            if ancestor == moving:
                raise Unprocessable(
                    f"Node {moving} cannot move under node {parent_id}: that is itself or one of "
                    "its descendants, which would make a cycle.",
                    field="body.parent_id",
                )
            ancestor = links.get(ancestor)
    height = _height(links, moving) if moving is not None else 1
    if _depth(links, parent_id) + height > MAX_DEPTH:
        raise Unprocessable(
            f"Under node {parent_id} the tree would be more than {MAX_DEPTH} levels deep.",
            field="body.parent_id",
        )


def _check_node_slug_free(
    session: Session, chain_id: int, slug: str, node_id: int | None = None
) -> None:
    existing = repository.find_node_by_slug(session, chain_id, slug)
    if existing is not None and existing.id != node_id:
        raise Conflict(
            f"Chain {chain_id} already has a node with slug '{slug}' (node {existing.id})."
        )


def create_node(session: Session, chain_id: int, data: NodeCreate) -> ChainNode:
    chain = get_chain(session, chain_id, lock=True)
    if data.parent_id is not None:
        _check_parent(
            session, chain, data.parent_id, repository.parent_links(session, chain.id), None
        )
    _check_node_slug_free(session, chain.id, data.slug)
    node = ChainNode(chain_id=chain.id, **data.model_dump())
    session.add(node)
    with conflict_on_integrity(f"Chain {chain.id} already has a node with slug '{data.slug}'."):
        session.flush()
    return node


def update_node(
    session: Session, node_id: int, data: NodeUpdate, if_match: str | None
) -> ChainNode:
    node = get_node(session, node_id)
    chain = get_chain(session, node.chain_id, lock=True)
    check_if_match(if_match, node)
    changes = data.model_dump(exclude_unset=True)
    new_parent = changes.get("parent_id")
    if new_parent is not None and new_parent != node.parent_id:
        _check_parent(
            session, chain, new_parent, repository.parent_links(session, chain.id), node.id
        )
    if "slug" in changes:
        _check_node_slug_free(session, chain.id, changes["slug"], node.id)
    for key, value in changes.items():
        setattr(node, key, value)
    with conflict_on_integrity(f"Chain {chain.id} already has a node with slug '{node.slug}'."):
        session.flush()
    return node


def delete_node(session: Session, node_id: int, if_match: str | None) -> None:
    node = get_node(session, node_id)
    get_chain(session, node.chain_id, lock=True)
    check_if_match(if_match, node)
    what = f"Chain node {node.id} ({node.slug})"
    _in_use(what, repository.node_references(session, node.id))
    with conflict_on_integrity(
        f"{what} was just put to use by another request; it cannot be deleted."
    ):
        repository.delete_node(session, node)
