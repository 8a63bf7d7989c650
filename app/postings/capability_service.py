"""Capabilities: a supplier's posting of what it makes, does, lends or teaches."""

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.auth.principal import Principal
from app.db.collections import sync_rows
from app.errors import NotFound
from app.models import Capability, CapabilityCluster, CapabilityNode, CapabilityRegion
from app.postings import editing, references, repository, views
from app.postings.access import CAPABILITY_TRANSITIONS, visible
from app.postings.schemas import CapabilityCreate, CapabilityUpdate

LIST_FIELDS = ("keywords", "certifications")


class CapabilityNotFound(NotFound):
    def __init__(self, capability_id: int) -> None:
        super().__init__(f"Capability {capability_id} does not exist or is not visible to you.")


def get(session: Session, principal: Principal, capability_id: int, today: date) -> Any:
    """The capability as answers show it (``app.postings.views``), if the principal may see it."""
    found = views.load_one(session, Capability, capability_id)
    return visible(found, principal, today, CapabilityNotFound(capability_id))


def _editable(
    session: Session, principal: Principal, capability_id: int, today: date, parts: list[str]
) -> Capability:
    """The mapped capability with the ``parts`` named, to change it, if the principal may see it."""
    found = repository.get_for_edit(session, Capability, capability_id, parts)
    return visible(found, principal, today, CapabilityNotFound(capability_id))


def _set_areas(session: Session, capability: Capability, codes: list[str]) -> None:
    regions, clusters = references.split_areas(session, codes)
    sync_rows(
        capability.region_rows,
        regions,
        lambda r: r.region_code,
        lambda c: CapabilityRegion(region_code=c),
    )
    sync_rows(
        capability.cluster_rows,
        clusters,
        lambda r: r.cluster_code,
        lambda c: CapabilityCluster(cluster_code=c),
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
    return views.load_one(session, Capability, capability.id)


def update(
    session: Session,
    principal: Principal,
    capability_id: int,
    data: CapabilityUpdate,
    if_match: str | None,
    today: date,
) -> Capability:
    area_rows = ("region_rows", "cluster_rows") if data.regions_served is not None else ()
    parts = editing.parts_to_load(data, area_rows)
    capability = _editable(session, principal, capability_id, today, parts)
    changes = editing.start_update(capability, principal, data, if_match, what="capability")
    chain_id, node_ids = editing.pop_chain(session, capability, changes)
    areas = changes.pop("regions_served", None)
    editing.check_status(capability, changes, CAPABILITY_TRANSITIONS, "capability")
    editing.empty_to_defaults(changes, lists=LIST_FIELDS)

    for key, value in changes.items():
        setattr(capability, key, value)
    editing.set_chain(capability, chain_id, node_ids, lambda n: CapabilityNode(node_id=n))
    if areas is not None:
        _set_areas(session, capability, areas)
    return editing.finish_update(session, capability)


def delete(
    session: Session, principal: Principal, capability_id: int, if_match: str | None, today: date
) -> None:
    parts = ["node_rows", "region_rows", "cluster_rows"]  # all, for the audit log's record
    capability = _editable(session, principal, capability_id, today, parts)
    editing.delete_draft(session, capability, principal, if_match, "capability")
