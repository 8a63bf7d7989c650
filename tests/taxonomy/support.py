"""Arranging taxonomy tests: chains and nodes through the API, postings that use them directly."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import (
    Capability,
    CapabilityNode,
    Enterprise,
    Requirement,
    RequirementItem,
    RequirementNode,
)
from app.models.enums import CapabilityStatus, DockingKind, LocalityPreference, RequirementStatus

PROBLEM = "application/problem+json"


def problem(response, status):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    return response.json()


def fields(body):
    return [e["field"] for e in body.get("errors") or []]


def new_chain(client, headers, slug="pv", name_zh="光伏", name_en="Photovoltaics", **extra):
    response = client.post(
        "/v1/chains",
        json={"slug": slug, "name_zh": name_zh, "name_en": name_en, **extra},
        headers=headers,
    )
    assert response.status_code == 201, response.text
    return response.json()


def new_node(
    client, headers, chain_id, slug, parent_id=None, position="midstream", sort_order=0, **extra
):
    body = {
        "slug": slug,
        "name_zh": extra.pop("name_zh", slug),
        "name_en": extra.pop("name_en", slug),
        "position": position,
        "sort_order": sort_order,
        **extra,
    }
    if parent_id is not None:
        body["parent_id"] = parent_id
    response = client.post(f"/v1/chains/{chain_id}/nodes", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def count(session: Session, model, *where) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where))


def requirement_using(
    session: Session,
    enterprise: Enterprise,
    *,
    chain_id: int | None = None,
    node_id: int | None = None,
    item_node_id: int | None = None,
) -> Requirement:
    requirement = Requirement(
        enterprise_id=enterprise.id,
        kind=DockingKind.procurement,
        title="采购光伏玻璃 PV glass",
        chain_id=chain_id,
        locality_preference=LocalityPreference.anywhere,
        status=RequirementStatus.open,
    )
    session.add(requirement)
    session.flush()
    if node_id is not None:
        session.add(RequirementNode(requirement_id=requirement.id, node_id=node_id))
    if item_node_id is not None:
        session.add(
            RequirementItem(
                requirement_id=requirement.id,
                position=0,
                name="3.2mm 镀膜玻璃",
                node_id=item_node_id,
            )
        )
    session.commit()
    return requirement


def capability_using(
    session: Session,
    enterprise: Enterprise,
    *,
    chain_id: int | None = None,
    node_id: int | None = None,
) -> Capability:
    capability = Capability(
        enterprise_id=enterprise.id,
        kind=DockingKind.procurement,
        title="光伏组件 PV modules",
        chain_id=chain_id,
        status=CapabilityStatus.open,
    )
    session.add(capability)
    session.flush()
    if node_id is not None:
        session.add(CapabilityNode(capability_id=capability.id, node_id=node_id))
    session.commit()
    return capability
