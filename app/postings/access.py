"""Who may see and change a posting, and the statuses it may move between."""

from datetime import date
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, and_, false, or_, true

from app.auth.principal import Principal
from app.errors import Conflict, Forbidden, NotFound
from app.models.enums import CapabilityStatus, RequirementStatus

T = TypeVar("T")

DRAFT = "draft"
OPEN = "open"

REQUIREMENT_TRANSITIONS: dict[str, set[str]] = {
    "draft": {"open", "closed"},
    "open": {"paused", "fulfilled", "closed"},
    "paused": {"open", "fulfilled", "closed"},
    "fulfilled": {"closed"},
    "closed": {"open"},
}
CAPABILITY_TRANSITIONS: dict[str, set[str]] = {
    "draft": {"open", "closed"},
    "open": {"paused", "closed"},
    "paused": {"open", "closed"},
    "closed": {"open"},
}


def visible_condition(model: Any, principal: Principal, today: date) -> ColumnElement[bool]:
    """Anonymous callers see open postings; members also others' non-drafts and all their own."""
    if principal.is_staff:
        return true()
    if principal.is_anonymous:
        return live_condition(model, today)
    own = model.enterprise_id == principal.enterprise_id if principal.enterprise_id else false()
    return or_(own, model.status != DRAFT)


def live_condition(model: Any, today: date | ColumnElement[date]) -> ColumnElement[bool]:
    """Open and, for requirements, not past valid_until."""
    condition = model.status == OPEN
    if hasattr(model, "valid_until"):
        condition = and_(condition, or_(model.valid_until.is_(None), model.valid_until >= today))
    return condition


def status_condition(model: Any, status: str, today: date) -> ColumnElement[bool]:
    """Filter by the status a reader sees: `expired` is an open requirement past valid_until."""
    if not hasattr(model, "valid_until"):
        return model.status == status
    if status == RequirementStatus.expired:
        return and_(model.status == OPEN, model.valid_until < today)
    if status == OPEN:
        return live_condition(model, today)
    return model.status == status


def effective_status(status: str, valid_until: date | None, today: date) -> str:
    if status == OPEN and valid_until is not None and valid_until < today:
        return RequirementStatus.expired.value
    return status


def can_see(posting: Any, principal: Principal, today: date) -> bool:
    if principal.is_staff or principal.enterprise_id == posting.enterprise_id:
        return True
    if principal.is_anonymous:
        return (
            effective_status(posting.status, getattr(posting, "valid_until", None), today) == OPEN
        )
    return posting.status != DRAFT


def ensure_visible(posting: Any, principal: Principal, today: date, not_found: NotFound) -> None:
    if posting is None or not can_see(posting, principal, today):
        raise not_found


def visible(posting: T | None, principal: Principal, today: date, not_found: NotFound) -> T:
    """``posting`` when the principal may see it; else ``not_found`` is raised."""
    ensure_visible(posting, principal, today, not_found)
    assert posting is not None
    return posting


def ensure_writable(posting: Any, principal: Principal, what: str) -> None:
    if not principal.acts_for(posting.enterprise_id):
        raise Forbidden(f"Only members of the enterprise that posted this {what} may change it.")


def ensure_transition(current: str, new: str, transitions: dict[str, set[str]], what: str) -> None:
    if new == current:
        return
    allowed = transitions.get(current, set())
    if new not in allowed:
        options = ", ".join(sorted(allowed)) or "none"
        raise Conflict(
            f"A {current} {what} cannot become {new}; from {current} it can become: {options}."
        )


def status_value(status: RequirementStatus | CapabilityStatus | str) -> str:
    return status.value if hasattr(status, "value") else str(status)
