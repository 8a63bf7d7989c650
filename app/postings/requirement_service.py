"""Requirements: a buyer's posting with line items."""

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from app.auth.principal import Principal
from app.errors import NotFound, Unprocessable
from app.models import Requirement, RequirementItem, RequirementNode
from app.models.enums import RequirementStatus
from app.postings import editing, references, repository, views
from app.postings.access import REQUIREMENT_TRANSITIONS, visible
from app.postings.schemas import RequirementCreate, RequirementItemIn, RequirementUpdate


class RequirementNotFound(NotFound):
    def __init__(self, requirement_id: int) -> None:
        super().__init__(f"Requirement {requirement_id} does not exist or is not visible to you.")


def get(session: Session, principal: Principal, requirement_id: int, today: date) -> Any:
    """The requirement as answers show it (``app.postings.views``), if the principal may see it."""
    found = views.load_one(session, Requirement, requirement_id)
    return visible(found, principal, today, RequirementNotFound(requirement_id))


def _editable(
    session: Session, principal: Principal, requirement_id: int, today: date, parts: list[str]
) -> Requirement:
    """The mapped requirement with the ``parts`` named, to change it, if the principal may see
    it."""
    found = repository.get_for_edit(session, Requirement, requirement_id, parts)
    return visible(found, principal, today, RequirementNotFound(requirement_id))


def _items(data: list[RequirementItemIn]) -> list[RequirementItem]:
    return [RequirementItem(position=i, **item.model_dump()) for i, item in enumerate(data)]


def _same_items(current: list[RequirementItem], data: list[RequirementItemIn]) -> bool:
    """Whether the items sent equal those stored, in order (then the list is left as it is)."""
    fields = list(RequirementItemIn.model_fields)
    stored = [{name: getattr(item, name) for name in fields} for item in current]
    return stored == [item.model_dump() for item in data]


def _check_open_dates(status: str, valid_until: date | None, today: date) -> None:
    if status == RequirementStatus.open and valid_until is not None and valid_until < today:
        raise Unprocessable(
            f"valid_until {valid_until} is in the past; an open requirement needs a future date.",
            field="body.valid_until",
        )


def create(
    session: Session, principal: Principal, data: RequirementCreate, today: date
) -> Requirement:
    enterprise = references.resolve_owner(session, principal, data.enterprise_id)
    chain_id, node_ids = references.resolve_chain(session, data.chain_id, data.node_ids or [])
    items = data.items or []
    references.check_item_nodes(session, chain_id, [item.node_id for item in items])
    references.check_region(session, data.delivery_region_code, "body.delivery_region_code")
    _check_open_dates(data.status, data.valid_until, today)
    fields = data.model_dump(exclude={"enterprise_id", "chain_id", "node_ids", "items"})
    requirement = Requirement(
        **{
            **fields,
            "description": data.description or "",
            "certifications_required": data.certifications_required or [],
        },
        enterprise_id=enterprise.id,
        chain_id=chain_id,
    )
    requirement.items = _items(items)
    requirement.node_rows = [RequirementNode(node_id=n) for n in node_ids]
    requirement.refresh_search_text()
    session.add(requirement)
    session.flush()
    return views.load_one(session, Requirement, requirement.id)


def update(
    session: Session,
    principal: Principal,
    requirement_id: int,
    data: RequirementUpdate,
    if_match: str | None,
    today: date,
) -> Requirement:
    # the items always: the search text is made of them
    parts = editing.parts_to_load(data, ("items",))
    requirement = _editable(session, principal, requirement_id, today, parts)
    changes = editing.start_update(requirement, principal, data, if_match, what="requirement")
    chain_id, node_ids = editing.pop_chain(session, requirement, changes)
    items = changes.pop("items", None)
    item_nodes = [
        item.node_id for item in (data.items or [] if items is not None else requirement.items)
    ]
    references.check_item_nodes(session, chain_id, item_nodes)
    references.check_region(
        session, changes.get("delivery_region_code"), "body.delivery_region_code"
    )
    new_status = editing.check_status(requirement, changes, REQUIREMENT_TRANSITIONS, "requirement")
    if "status" in changes or "valid_until" in changes:
        _check_open_dates(new_status, changes.get("valid_until", requirement.valid_until), today)
    editing.empty_to_defaults(changes, lists=("certifications_required",))

    for key, value in changes.items():
        setattr(requirement, key, value)
    editing.set_chain(requirement, chain_id, node_ids, lambda n: RequirementNode(node_id=n))
    if items is not None and not _same_items(requirement.items, data.items or []):
        requirement.items = _items(data.items or [])
    return editing.finish_update(session, requirement)


def delete(
    session: Session, principal: Principal, requirement_id: int, if_match: str | None, today: date
) -> None:
    parts = ["items", "node_rows"]  # all, for the audit log's record
    requirement = _editable(session, principal, requirement_id, today, parts)
    editing.delete_draft(session, requirement, principal, if_match, "requirement")
