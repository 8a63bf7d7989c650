"""Enterprises: registration, public profiles with private contacts, and who may change what."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.auth.principal import Principal
from app.core.etag import check_if_match, touch_if_changed
from app.core.pagination import PageParams, list_order, list_page
from app.core.schemas import Page
from app.core.search import search_scores
from app.db.collections import sync_rows
from app.enterprises import repository
from app.enterprises.schemas import ContactRead, EnterpriseCreate, EnterpriseRead, EnterpriseUpdate
from app.errors import Conflict, Forbidden, NotFound, Unprocessable, conflict_on_integrity
from app.models import Enterprise, EnterpriseChain, EnterpriseTier, Region
from app.models.enums import EnterpriseKind, Tier
from app.regions.scope import within_area

SORT_COLUMNS = {
    "name": Enterprise.name,
    "created_at": Enterprise.created_at,
    "updated_at": Enterprise.updated_at,
}
DEFAULT_SORT = "-created_at"

# Contact field in the API → column.
CONTACT_COLUMNS = {"person": "contact_person", "phone": "contact_phone", "email": "contact_email"}
SEARCHED_FIELDS = {"name", "name_en", "description"}
# What the verification vouches for: only organisers and admins change these.
STAFF_ONLY_FIELDS = ("uscc", "kind", "tiers")
# The names verification checked: a member may change them, and the enterprise is checked again.
NAME_FIELDS = ("name", "name_en")


class EnterpriseNotFound(NotFound):
    def __init__(self, enterprise_id: int) -> None:
        super().__init__(f"Enterprise {enterprise_id} does not exist.")


class UsccTaken(Conflict):
    def __init__(self, uscc: str, existing_id: int) -> None:
        super().__init__(
            f"The unified social credit code {uscc} is already registered to enterprise "
            f"{existing_id}."
        )


class VerifiedByAdminsOnly(Forbidden):
    def __init__(self) -> None:
        super().__init__("Only admins may set `verified`; leave the field out.")


class StaffOnlyFields(Forbidden):
    def __init__(self, fields: list[str]) -> None:
        super().__init__(
            f"Only organisers and admins may change {', '.join(fields)} (what verification "
            "vouches for); ask them, or leave the field out."
        )


@dataclass(frozen=True)
class EnterpriseFilters:
    kind: EnterpriseKind | None = None
    tiers: tuple[Tier, ...] = ()
    region: str | None = None
    chain: int | None = None
    verified: bool | None = None
    q: str | None = None


def contact_for(enterprise: Enterprise, principal: Principal) -> ContactRead | None:
    """The enterprise's contact, for its own members and staff only (None for anyone else)."""
    if not principal.acts_for(enterprise.id):
        return None
    return ContactRead(
        person=enterprise.contact_person,
        phone=enterprise.contact_phone,
        email=enterprise.contact_email,
    )


def to_read(enterprise: Enterprise, principal: Principal) -> EnterpriseRead:
    """The public profile; the contact only for the enterprise's own members and staff."""
    return EnterpriseRead(
        id=enterprise.id,
        name=enterprise.name,
        name_en=enterprise.name_en,
        uscc=enterprise.uscc,
        kind=enterprise.kind,
        tiers=enterprise.tiers,
        region_code=enterprise.region_code,
        region_name=enterprise.region.name,
        chain_ids=enterprise.chain_ids,
        description=enterprise.description,
        website=enterprise.website,
        contact=contact_for(enterprise, principal),
        verified=enterprise.verified,
        created_at=enterprise.created_at,
        updated_at=enterprise.updated_at,
    )


def get_enterprise(session: Session, enterprise_id: int) -> Enterprise:
    enterprise = repository.get_enterprise(session, enterprise_id)
    if enterprise is None:
        raise EnterpriseNotFound(enterprise_id)
    return enterprise


def _check_uscc_free(session: Session, uscc: str, enterprise_id: int | None = None) -> None:
    existing = repository.find_by_uscc(session, uscc)
    if existing is not None and existing.id != enterprise_id:
        raise UsccTaken(uscc, existing.id)


def _region(session: Session, code: str) -> Region:
    region = repository.get_region(session, code)
    if region is None:
        raise Unprocessable(f"There is no region with code {code}.", field="body.region_code")
    return region


def _check_chains(session: Session, chain_ids: list[int]) -> None:
    missing = repository.missing_chain_ids(session, chain_ids)
    if missing:
        listed = ", ".join(str(i) for i in missing)
        raise Unprocessable(f"No chain with id {listed} exists.", field="body.chain_ids")


def _set_tiers(enterprise: Enterprise, tiers: list[Tier]) -> None:
    sync_rows(enterprise.tier_rows, tiers, lambda r: r.tier, lambda t: EnterpriseTier(tier=t))


def _set_chains(enterprise: Enterprise, chain_ids: list[int]) -> None:
    sync_rows(
        enterprise.chain_rows,
        chain_ids,
        lambda r: r.chain_id,
        lambda c: EnterpriseChain(chain_id=c),
    )


def _set_contact(enterprise: Enterprise, contact: dict[str, Any] | None) -> None:
    """Merge the fields sent; ``None`` (the client sent null) clears the contact."""
    for field, column in CONTACT_COLUMNS.items():
        if contact is None:
            setattr(enterprise, column, None)
        elif field in contact:
            setattr(enterprise, column, contact[field])


def _flush(session: Session, uscc: str) -> None:
    # Another request may register the same code between our check and this write.
    with conflict_on_integrity(
        f"The unified social credit code {uscc} was just registered by another request."
    ):
        session.flush()


def create_enterprise(session: Session, principal: Principal, data: EnterpriseCreate) -> Enterprise:
    if "verified" in data.model_fields_set and not principal.is_admin:
        raise VerifiedByAdminsOnly()
    _check_uscc_free(session, data.uscc)
    region = _region(session, data.region_code)
    _check_chains(session, data.chain_ids)
    enterprise = Enterprise(
        name=data.name,
        name_en=data.name_en,
        uscc=data.uscc,
        kind=data.kind,
        region_code=region.code,
        region=region,
        description=data.description,
        website=data.website,
        verified=bool(data.verified),
        tier_rows=[],
        chain_rows=[],
    )
    _set_contact(enterprise, data.contact.model_dump() if data.contact else None)
    _set_tiers(enterprise, data.tiers)
    _set_chains(enterprise, data.chain_ids)
    enterprise.refresh_search_text()
    session.add(enterprise)
    _flush(session, data.uscc)
    return enterprise


def _staff_only_changes(enterprise: Enterprise, changes: dict[str, Any]) -> list[str]:
    """The verified-identity fields the update would really change (sending a value unchanged is
    not a change)."""
    current = {"uscc": enterprise.uscc, "kind": enterprise.kind, "tiers": set(enterprise.tiers)}
    sent = {**changes, "tiers": set(changes["tiers"])} if "tiers" in changes else changes
    return [field for field in STAFF_ONLY_FIELDS if field in sent and sent[field] != current[field]]


def update_enterprise(
    session: Session,
    principal: Principal,
    enterprise: Enterprise,
    data: EnterpriseUpdate,
    if_match: str | None,
) -> Enterprise:
    """Apply a partial update; the caller has checked that the principal acts for the enterprise.

    Members may not change what verification vouches for (uscc, kind, tiers), and a member who
    renames the enterprise (in Chinese or in English) clears `verified` until an admin checks it
    again. A PATCH that changes nothing keeps the version and ETag.
    """
    changes = data.model_dump(exclude_unset=True)
    if "verified" in changes and not principal.is_admin:
        raise VerifiedByAdminsOnly()
    check_if_match(if_match, enterprise)
    if not principal.is_staff:
        refused = _staff_only_changes(enterprise, changes)
        if refused:
            raise StaffOnlyFields(refused)
        if any(f in changes and changes[f] != getattr(enterprise, f) for f in NAME_FIELDS):
            changes["verified"] = False
    if "uscc" in changes:
        _check_uscc_free(session, changes["uscc"], enterprise.id)
    if "region_code" in changes:
        region = _region(session, changes.pop("region_code"))
        enterprise.region_code, enterprise.region = region.code, region
    if "chain_ids" in changes:
        chain_ids = changes.pop("chain_ids")
        _check_chains(session, chain_ids)
        _set_chains(enterprise, chain_ids)
    if "tiers" in changes:
        _set_tiers(enterprise, changes.pop("tiers"))
    if "contact" in changes:
        _set_contact(enterprise, changes.pop("contact"))
    for field, value in changes.items():
        setattr(enterprise, field, value)
    if SEARCHED_FIELDS & changes.keys():
        enterprise.refresh_search_text()
    # The row itself is bumped, so list-only changes (tiers, chains) also move the version.
    if touch_if_changed(session, enterprise):
        _flush(session, enterprise.uscc)
    return enterprise


def delete_enterprise(session: Session, enterprise: Enterprise, if_match: str | None) -> None:
    check_if_match(if_match, enterprise)
    held = {label: n for label, n in repository.dependents(session, enterprise.id).items() if n}
    if held:
        listed = ", ".join(f"{label}: {n}" for label, n in held.items())
        raise Conflict(
            f"Enterprise {enterprise.id} still has {listed}; delete or reassign them before "
            "deleting the enterprise."
        )
    session.delete(enterprise)
    session.flush()


def list_enterprises(
    session: Session,
    principal: Principal,
    filters: EnterpriseFilters,
    sort_by: str | None,
    page: PageParams,
) -> Page[EnterpriseRead]:
    order = list_order(sort_by, filters.q, SORT_COLUMNS, DEFAULT_SORT)
    region_condition = None
    if filters.region is not None:
        region_condition = within_area(
            session, Enterprise.region_code, filters.region, field="query.region"
        )
    if filters.chain is not None and not repository.chain_exists(session, filters.chain):
        raise Unprocessable(f"No chain with id {filters.chain} exists.", field="query.chain")
    conditions = repository.list_conditions(
        kind=filters.kind,
        tiers=filters.tiers,
        region_condition=region_condition,
        chain_id=filters.chain,
        verified=filters.verified,
    )
    scores = None
    if filters.q:
        scores = search_scores(session, filters.q, repository.search_rows(session, conditions))
    rows, next_cursor = list_page(
        session,
        repository.list_statement(conditions),
        order=order,
        columns=SORT_COLUMNS,
        id_column=Enterprise.id,
        page=page,
        scores=scores,
        load=lambda ids: repository.enterprises_by_ids(session, ids),
    )
    return Page[EnterpriseRead](
        items=[to_read(e, principal) for e in rows], next_cursor=next_cursor, limit=page.limit
    )
