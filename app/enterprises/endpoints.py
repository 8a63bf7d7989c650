from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from app.auth.dependencies import (
    AdminPrincipal,
    CurrentPrincipal,
    OptionalPrincipal,
    StaffPrincipal,
)
from app.core.etag import IfMatch, set_etag
from app.core.pagination import PageDep, sort_choices
from app.core.schemas import Page
from app.db.session import SessionDep
from app.enterprises import service
from app.enterprises.dependencies import EditableEnterprise, EnterpriseDep, EnterpriseFiltersDep
from app.enterprises.schemas import EnterpriseCreate, EnterpriseRead, EnterpriseUpdate
from app.errors import problem_responses

router = APIRouter(
    prefix="/enterprises", tags=["enterprises"], responses=problem_responses(401, 403, 422)
)

SORT_HELP = (
    "`name`, `created_at`, `updated_at` (prefix `-` to reverse), or `relevance` (only with `q`). "
    "Default: `relevance` with `q`, else `-created_at`."
)


@router.post(
    "",
    response_model=EnterpriseRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 409),
)
def create_enterprise(
    session: SessionDep,
    principal: StaffPrincipal,
    data: EnterpriseCreate,
    request: Request,
    response: Response,
) -> object:
    """Register an enterprise (organisers and admins; only admins may set `verified`)."""
    enterprise = service.create_enterprise(session, principal, data)
    set_etag(response, enterprise)
    response.headers["Location"] = request.app.url_path_for(
        "read_enterprise", enterprise_id=str(enterprise.id)
    )
    return service.to_read(enterprise, principal)


@router.get("", response_model=Page[EnterpriseRead])
def list_enterprises(
    session: SessionDep,
    principal: OptionalPrincipal,
    filters: EnterpriseFiltersDep,
    page: PageDep,
    sort: Annotated[
        sort_choices(service.SORT_COLUMNS, relevance=True) | None, Query(description=SORT_HELP)
    ] = None,
) -> object:
    """Enterprises, filtered by kind, tiers, region, chain, verification and free text."""
    return service.list_enterprises(session, principal, filters, sort, page)


@router.get("/{enterprise_id}", response_model=EnterpriseRead, responses=problem_responses(404))
def read_enterprise(
    principal: OptionalPrincipal, enterprise: EnterpriseDep, response: Response
) -> object:
    """One enterprise's profile; the contact only for its members, organisers and admins."""
    set_etag(response, enterprise)
    return service.to_read(enterprise, principal)


@router.patch(
    "/{enterprise_id}",
    response_model=EnterpriseRead,
    responses=problem_responses(401, 403, 404, 409, 412),
)
def update_enterprise(
    session: SessionDep,
    principal: CurrentPrincipal,
    enterprise: EditableEnterprise,
    data: EnterpriseUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> object:
    """Change an enterprise: members its profile, staff also uscc, kind and tiers, admins `verified`."""
    enterprise = service.update_enterprise(session, principal, enterprise, data, if_match)
    set_etag(response, enterprise)
    return service.to_read(enterprise, principal)


@router.delete(
    "/{enterprise_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404, 409, 412),
)
def delete_enterprise(
    session: SessionDep,
    principal: AdminPrincipal,
    enterprise: EnterpriseDep,
    if_match: IfMatch = None,
) -> None:
    """Delete an enterprise that has no requirements, capabilities or accounts (admins)."""
    service.delete_enterprise(session, enterprise, if_match)
