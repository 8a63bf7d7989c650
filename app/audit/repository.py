from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.core.pagination import PageParams, Sort, keyset_page
from app.models import AuditEntry
from app.models.enums import AuditObject


@dataclass(frozen=True)
class AuditFilters:
    object_type: AuditObject | None = None
    object_id: int | None = None
    account_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None


def entries_select(filters: AuditFilters) -> Select[Any]:
    """Entries passing the filters: ``since`` inclusive, ``until`` exclusive."""
    stmt = select(AuditEntry)
    if filters.object_type is not None:
        stmt = stmt.where(AuditEntry.object_type == filters.object_type)
    if filters.object_id is not None:
        stmt = stmt.where(AuditEntry.object_id == filters.object_id)
    if filters.account_id is not None:
        stmt = stmt.where(AuditEntry.account_id == filters.account_id)
    if filters.since is not None:
        stmt = stmt.where(AuditEntry.at >= filters.since)
    if filters.until is not None:
        stmt = stmt.where(AuditEntry.at < filters.until)
    return stmt


NEWEST_FIRST = Sort(key="id", descending=True)


def list_entries(
    session: Session, filters: AuditFilters, page: PageParams
) -> tuple[list[AuditEntry], str | None]:
    """One page of entries, newest first."""
    return keyset_page(
        session,
        entries_select(filters),
        sort=NEWEST_FIRST,
        column=AuditEntry.id,
        id_column=AuditEntry.id,
        page=page,
    )
