from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from app.auth.dependencies import AdminPrincipal, StaffPrincipal
from app.core.etag import IfMatch, set_etag
from app.core.pagination import PageDep, sort_choices
from app.core.params import IdPath, SearchText
from app.core.schemas import Page, SafeStr
from app.db.session import SessionDep
from app.errors import problem_responses
from app.models.enums import ChainPosition
from app.taxonomy import repository, service
from app.taxonomy.schemas import (
    ChainCreate,
    ChainRead,
    ChainTreeRead,
    ChainUpdate,
    NodeCreate,
    NodeRead,
    NodeUpdate,
)

router = APIRouter(tags=["taxonomy"], responses=problem_responses(422))

WRITE_ERRORS = problem_responses(401, 403, 404, 409, 412)


@router.get("/chains", response_model=Page[ChainRead])
def list_chains(
    session: SessionDep,
    page: PageDep,
    slug: Annotated[
        SafeStr | None, Query(max_length=64, description="Only the chain with this slug.")
    ] = None,
    q: SearchText = None,
    sort: Annotated[
        sort_choices(repository.CHAIN_SORTS, relevance=True) | None,
        Query(
            description="`slug` (default), `id` or `created_at`, `-` to reverse, or `relevance` "
            "(only with `q`); with `q` and no `sort`, best match first.",
        ),
    ] = None,
) -> object:
    """Industrial chains, by slug or by how well their names match `q`."""
    items, next_cursor = service.list_chains(session, page, slug=slug, q=q, sort=sort)
    return Page[ChainRead](
        items=[ChainRead.model_validate(c) for c in items],
        next_cursor=next_cursor,
        limit=page.limit,
    )


@router.post(
    "/chains",
    response_model=ChainRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 409),
)
def create_chain(
    session: SessionDep,
    principal: StaffPrincipal,
    data: ChainCreate,
    request: Request,
    response: Response,
) -> object:
    """Add an industrial chain (organisers and admins)."""
    chain = service.create_chain(session, data)
    set_etag(response, chain)
    response.headers["Location"] = request.app.url_path_for("read_chain", chain_id=str(chain.id))
    return chain


@router.get("/chains/{chain_id}", response_model=ChainTreeRead, responses=problem_responses(404))
def read_chain(session: SessionDep, chain_id: IdPath, response: Response) -> object:
    """One chain with its nodes nested as a tree; the ETag is for If-Match on updates."""
    tree = service.chain_tree(session, chain_id)
    set_etag(response, tree)
    return tree


@router.patch("/chains/{chain_id}", response_model=ChainRead, responses=WRITE_ERRORS)
def update_chain(
    session: SessionDep,
    principal: StaffPrincipal,
    chain_id: IdPath,
    data: ChainUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> object:
    """Rename a chain or change its slug or description (organisers and admins)."""
    chain = service.update_chain(session, chain_id, data, if_match)
    set_etag(response, chain)
    return chain


@router.delete("/chains/{chain_id}", status_code=status.HTTP_204_NO_CONTENT, responses=WRITE_ERRORS)
def delete_chain(
    session: SessionDep, principal: AdminPrincipal, chain_id: IdPath, if_match: IfMatch = None
) -> None:
    """Delete a chain and its nodes, if no enterprise or posting uses them (admins)."""
    service.delete_chain(session, chain_id, if_match)


@router.get(
    "/chains/{chain_id}/nodes",
    response_model=Page[NodeRead],
    responses=problem_responses(404),
)
def list_nodes(
    session: SessionDep,
    page: PageDep,
    chain_id: IdPath,
    position: Annotated[
        ChainPosition | None, Query(description="Only up-, mid- or downstream.")
    ] = None,
    sort: Annotated[
        sort_choices(repository.NODE_SORTS) | None,
        Query(
            description="`sort_order` (default), `slug`, `id` or `created_at`; `-` to reverse.",
        ),
    ] = None,
) -> object:
    """A chain's nodes as a flat list, optionally of one position."""
    items, next_cursor = service.list_nodes(session, chain_id, page, position=position, sort=sort)
    return Page[NodeRead](
        items=[NodeRead.model_validate(n) for n in items], next_cursor=next_cursor, limit=page.limit
    )


@router.post(
    "/chains/{chain_id}/nodes",
    response_model=NodeRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 404, 409),
)
def create_node(
    session: SessionDep,
    principal: StaffPrincipal,
    chain_id: IdPath,
    data: NodeCreate,
    request: Request,
    response: Response,
) -> object:
    """Add a node to a chain, at the top or under another of its nodes (organisers and admins)."""
    node = service.create_node(session, chain_id, data)
    set_etag(response, node)
    response.headers["Location"] = request.app.url_path_for("read_node", node_id=str(node.id))
    return node


@router.get("/chain-nodes/{node_id}", response_model=NodeRead, responses=problem_responses(404))
def read_node(session: SessionDep, node_id: IdPath, response: Response) -> object:
    """One chain node; the ETag is for If-Match on updates."""
    node = service.get_node(session, node_id)
    set_etag(response, node)
    return node


@router.patch("/chain-nodes/{node_id}", response_model=NodeRead, responses=WRITE_ERRORS)
def update_node(
    session: SessionDep,
    principal: StaffPrincipal,
    node_id: IdPath,
    data: NodeUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> object:
    """Rename, reorder or move a node within its chain (organisers and admins)."""
    node = service.update_node(session, node_id, data, if_match)
    set_etag(response, node)
    return node


@router.delete(
    "/chain-nodes/{node_id}", status_code=status.HTTP_204_NO_CONTENT, responses=WRITE_ERRORS
)
def delete_node(
    session: SessionDep, principal: StaffPrincipal, node_id: IdPath, if_match: IfMatch = None
) -> None:
    """Delete a node that has no children and no posting uses (organisers and admins)."""
    service.delete_node(session, node_id, if_match)
