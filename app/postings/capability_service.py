"""Capabilities: a supplier's posting of what it makes, does, lends or teaches."""

from typing import Any

from sqlalchemy.orm import Session

from app.auth.principal import Principal
from app.core.etag import check_if_match
from app.db.collections import sync_rows
from app.db.types import utcnow
from app.errors import Conflict, NotFound, Unprocessable
from app.models import Capability, CapabilityCluster, CapabilityNode, CapabilityRegion
from app.models.enums import CapabilityStatus
from app.postings import references, repository
from app.postings.access import (
    CAPABILITY_TRANSITIONS,
    ensure_transition,
    ensure_visible,
    ensure_writable,
    status_value,
)
from app.postings.schemas import CapabilityCreate, CapabilityUpdate

LIST_FIELDS = ("keywords", "certifications")


class CapabilityNotFound(NotFound):
    def __init__(self, capability_id: int) -> None:
        super().__init__(f"Capability {capability_id} does not exist or is not visible to you.")


def get(session: Session, principal: Principal, capability_id: int, today: Any) -> Capability:
    capability = repository.get_posting(session, Capability, capability_id)
    ensure_visible(capability, principal, today, CapabilityNotFound(capability_id))
    return capability


def _set_areas(session: Session, capability: Capability, codes: list[str]) -> None:
    regions, clusters = references.split_areas(session, codes)
    sync_rows(capability.region_rows, regions, lambda r: r.region_code, lambda c: CapabilityRegion(region_code=c))
    sync_rows(
        capability.cluster_rows, clusters, lambda r: r.cluster_code, lambda c: CapabilityCluster(cluster_code=c)
    )


def create(session: Session, principal: Principal, data: CapabilityCreate) -> Capability:
    enterprise = references.resolve_owner(session, principal, data.enterprise_id)
    chain_id, node_ids = references.resolve_chain(session, data.chain_id, data.node_ids or [])
    fields = data.model_dump(exclude={"enterprise_id", "chain_id", "node_ids", "regions_served"})
    fields["description"] = data.description or ""
    for key in LIST_FIELDS:
        fields[key] = fields[key] or []
    capability = Capability(**fields, enterprise_id=enterprise.id, chain_id=chain_id)
    capability.node_rows = [CapabilityNode(node_id=n) for n in node_ids]
    capability.region_rows, capability.cluster_rows = [], []
    _set_areas(session, capability, data.regions_served or [])
    capability.refresh_search_text()
    session.add(capability)
    session.flush()
    return repository.get_posting(session, Capability, capability.id)


def update(
    session: Session,
    principal: Principal,
    capability_id: int,
    data: CapabilityUpdate,
    if_match: str | None,
    today: Any,
) -> Capability:
    capability = get(session, principal, capability_id, today)
    ensure_writable(capability, principal, "capability")
    check_if_match(if_match, capability)
    changes: dict[str, Any] = data.model_dump(exclude_unset=True)
    for key in ("title", "kind", "status"):
        if key in changes and changes[key] is None:
            raise Unprocessable(f"{key} cannot be null.", field=f"body.{key}")

    chain_id = changes.pop("chain_id", capability.chain_id)
    node_ids = changes.pop("node_ids", None)
    if node_ids is None and "chain_id" in data.model_fields_set and chain_id != capability.chain_id:
        node_ids = []  # a new chain drops the old chain's nodes unless new ones are given
    chain_id, node_ids = references.resolve_chain(
        session, chain_id, node_ids if node_ids is not None else capability.node_ids
    )
    areas = changes.pop("regions_served", None)
    new_status = status_value(changes.get("status", capability.status))
    ensure_transition(status_value(capability.status), new_status, CAPABILITY_TRANSITIONS, "capability")

    if "description" in changes:
        changes["description"] = changes["description"] or ""
    for key in LIST_FIELDS:
        if key in changes:
            changes[key] = changes[key] or []
    for key, value in changes.items():
        setattr(capability, key, value)
    capability.chain_id = chain_id
    sync_rows(capability.node_rows, node_ids, lambda r: r.node_id, lambda n: CapabilityNode(node_id=n))
    if areas is not None:
        _set_areas(session, capability, areas)
    capability.refresh_search_text()
    capability.updated_at = utcnow()  # always an UPDATE of the row, so the version (ETag) moves
    session.flush()
    session.expire(capability)
    return repository.get_posting(session, Capability, capability.id)


def delete(session: Session, principal: Principal, capability_id: int, if_match: str | None, today: Any) -> None:
    capability = get(session, principal, capability_id, today)
    ensure_writable(capability, principal, "capability")
    check_if_match(if_match, capability)
    if capability.status != CapabilityStatus.draft:
        raise Conflict("Only drafts can be deleted; a published capability keeps its history: close it.")
    session.delete(capability)
    session.flush()
