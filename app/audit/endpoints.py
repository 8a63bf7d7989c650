from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import AwareDatetime

from app.audit.repository import AuditFilters, list_entries
from app.audit.schemas import AuditEntryRead
from app.auth.dependencies import AdminPrincipal
from app.core.pagination import PageDep
from app.core.schemas import IdRef, Page
from app.db.session import SessionDep
from app.errors import Unprocessable, problem_responses
from app.models.enums import AuditObject

router = APIRouter(tags=["audit"], responses=problem_responses(401, 403, 422))


async def audit_filters(
    object_type: Annotated[
        AuditObject | None, Query(description="Only changes to objects of this type.")
    ] = None,
    object_id: Annotated[
        IdRef | None, Query(description="Only changes to the object with this id.")
    ] = None,
    account_id: Annotated[
        IdRef | None, Query(description="Only changes made by this account.")
    ] = None,
    since: Annotated[
        AwareDatetime | None,
        Query(description="Changes at or after this moment (ISO 8601 with a time zone)."),
    ] = None,
    until: Annotated[
        AwareDatetime | None,
        Query(description="Changes before this moment (ISO 8601 with a time zone)."),
    ] = None,
) -> AuditFilters:
    if since is not None and until is not None and until <= since:
        raise Unprocessable(
            f"`until` ({until.isoformat()}) must be after `since` ({since.isoformat()}).",
            field="query.until",
        )
    return AuditFilters(object_type, object_id, account_id, since, until)


@router.get("/audit", response_model=Page[AuditEntryRead])
def list_audit_entries(
    session: SessionDep,
    principal: AdminPrincipal,
    page: PageDep,
    filters: Annotated[AuditFilters, Depends(audit_filters)],
) -> Page[AuditEntryRead]:
    """Who changed which posting, event, registration, session, meeting or outcome, newest
    first (admins)."""
    rows, next_cursor = list_entries(session, filters, page)
    items = [AuditEntryRead.model_validate(row) for row in rows]
    return Page[AuditEntryRead](items=items, next_cursor=next_cursor, limit=page.limit)
