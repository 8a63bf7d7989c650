"""Checks that a posting's references exist and fit together: owner, chain, nodes, regions."""

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.auth.principal import Principal
from app.errors import Forbidden, Unprocessable
from app.models import ChainNode, Cluster, Enterprise, Region
from app.models.chain import Chain


def resolve_owner(
    session: Session,
    principal: Principal,
    enterprise_id: int | None,
    *,
    doing: str = "post",
    doing_for: str = "post for",
) -> Enterprise:
    """Members act for their own enterprise; organisers and admins name the enterprise.
    ``doing`` and ``doing_for`` word the refusals ("register", "register")."""
    if not principal.is_staff:
        if principal.enterprise_id is None:
            raise Forbidden(f"This account does not belong to an enterprise, so it cannot {doing}.")
        if enterprise_id is not None and enterprise_id != principal.enterprise_id:
            raise Forbidden(
                f"Members {doing_for} their own enterprise only; leave enterprise_id out."
            )
        enterprise_id = principal.enterprise_id
    if enterprise_id is None:
        raise Unprocessable(
            f"Organisers and admins must name the enterprise they {doing_for}.",
            field="body.enterprise_id",
        )
    enterprise = session.get(Enterprise, enterprise_id)
    if enterprise is None:
        raise Unprocessable(
            f"Enterprise {enterprise_id} does not exist.", field="body.enterprise_id"
        )
    return enterprise


def resolve_chain(
    session: Session, chain_id: int | None, node_ids: Iterable[int], *, field: str = "body.node_ids"
) -> tuple[int | None, list[int]]:
    """The chain and distinct nodes; nodes must belong to the chain, which is inferred if omitted."""
    wanted = list(dict.fromkeys(node_ids))
    if chain_id is not None and session.get(Chain, chain_id) is None:
        raise Unprocessable(f"Chain {chain_id} does not exist.", field="body.chain_id")
    if not wanted:
        return chain_id, []
    nodes = {n.id: n for n in session.scalars(select(ChainNode).where(ChainNode.id.in_(wanted)))}
    missing = [n for n in wanted if n not in nodes]
    if missing:
        raise Unprocessable(f"Chain node(s) {missing} do not exist.", field=field)
    chains = {node.chain_id for node in nodes.values()}
    if chain_id is None:
        if len(chains) > 1:
            raise Unprocessable(
                "The nodes belong to different chains; name one chain_id.", field=field
            )
        chain_id = chains.pop()
    elif chains - {chain_id}:
        others = sorted(n.id for n in nodes.values() if n.chain_id != chain_id)
        raise Unprocessable(f"Chain node(s) {others} are not in chain {chain_id}.", field=field)
    return chain_id, wanted


def check_item_nodes(session: Session, chain_id: int | None, node_ids: list[int | None]) -> None:
    """Every item's node exists and, with a chain, belongs to it; one query for all items."""
    wanted = {n for n in node_ids if n is not None}
    if not wanted:
        return
    rows = session.execute(select(ChainNode.id, ChainNode.chain_id).where(ChainNode.id.in_(wanted)))
    chain_of: dict[int, int] = {node_id: chain_id for node_id, chain_id in rows}
    for position, node_id in enumerate(node_ids):
        if node_id is None:
            continue
        field = f"body.items.{position}.node_id"
        if node_id not in chain_of:
            raise Unprocessable(f"Chain node {node_id} does not exist.", field=field)
        if chain_id is not None and chain_of[node_id] != chain_id:
            raise Unprocessable(f"Chain node {node_id} is not in chain {chain_id}.", field=field)


def check_region(session: Session, code: str | None, field: str) -> None:
    if code is not None and session.get(Region, code) is None:
        raise Unprocessable(f"There is no region with code {code}.", field=field)


def split_areas(session: Session, codes: list[str]) -> tuple[list[str], list[str]]:
    """Region codes and cluster codes from a mixed list; an unknown code is a 422 naming it.

    Two queries whatever the length of the list: one for the regions, one for the clusters.
    """
    region_codes = [c for c in codes if c.isascii() and c.isdigit()]
    cluster_codes = [c for c in codes if c not in region_codes]
    known_regions = (
        set(session.scalars(select(Region.code).where(Region.code.in_(region_codes))))
        if region_codes
        else set()
    )
    known_clusters = (
        set(session.scalars(select(Cluster.code).where(Cluster.code.in_(cluster_codes))))
        if cluster_codes
        else set()
    )
    for position, code in enumerate(codes):
        field = f"body.regions_served.{position}"
        if code in region_codes and code not in known_regions:
            raise Unprocessable(f"There is no region with code {code}.", field=field)
        if code in cluster_codes and code not in known_clusters:
            raise Unprocessable(
                f"'{code}' is not a known cluster code (see /v1/clusters).", field=field
            )
    return region_codes, cluster_codes
