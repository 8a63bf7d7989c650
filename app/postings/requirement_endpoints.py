from dataclasses import replace
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from app.auth.dependencies import CurrentPrincipal, OptionalPrincipal
from app.auth.principal import Principal
from app.core.clock import Today
from app.core.etag import NOT_MODIFIED, IfMatch, IfNoneMatch, set_etag
from app.core.pagination import PageDep
from app.core.params import IdPath
from app.core.schemas import Page
from app.db.session import SessionDep
from app.errors import problem_responses
from app.idempotency.dependencies import IDEMPOTENT, IdempotentRoute
from app.matching.dependencies import Keeper
from app.matching.keeper import MatchKeeper
from app.models import Requirement
from app.models.enums import RequirementStatus
from app.postings import requirement_service as service
from app.postings.answers import (
    PublicBodies,
    from_database,
    page_answer,
    public_bodies,
    remembered,
)
from app.postings.dependencies import SearchText, SortParam, posting_filters
from app.postings.listing import list_postings
from app.postings.reads import requirement_read
from app.postings.repository import PostingFilters
from app.postings.schemas import RequirementCreate, RequirementRead, RequirementUpdate

router = APIRouter(
    prefix="/requirements",
    tags=["requirements"],
    responses=problem_responses(401, 403, 422),
    route_class=IdempotentRoute,
)


@router.get("", response_model=Page[RequirementRead])
def list_requirements(
    request: Request,
    session: SessionDep,
    keeper: Keeper,
    principal: OptionalPrincipal,
    today: Today,
    page: PageDep,
    filters: Annotated[PostingFilters, Depends(posting_filters)],
    status_filter: Annotated[
        RequirementStatus | None,
        Query(alias="status", description="As readers see it: `expired` is open past valid_until."),
    ] = None,
    q: SearchText = None,
    sort: SortParam = None,
) -> Response:
    """Requirements you may see, filtered, searched and sorted; anonymous callers see open ones."""
    keeper.freshen(session, today)
    ids, next_cursor = list_postings(
        session,
        Requirement,
        principal,
        replace(filters, status=status_filter),
        q=q,
        sort=sort,
        page=page,
        today=today,
    )
    return page_answer(
        session,
        keeper,
        public_bodies(request),
        Requirement,
        principal,
        today,
        ids,
        lambda r: requirement_read(r, principal, today),
        next_cursor,
        page.limit,
    )


@router.post(
    "",
    response_model=RequirementRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 409),
    dependencies=[IDEMPOTENT],
)
async def create_requirement(
    session: SessionDep,
    principal: CurrentPrincipal,
    today: Today,
    data: RequirementCreate,
    request: Request,
    response: Response,
) -> RequirementRead:
    """Post a requirement with its line items."""
    requirement = await run_in_threadpool(service.create, session, principal, data, today)
    set_etag(response, requirement)
    response.headers["Location"] = request.app.url_path_for(
        "read_requirement", requirement_id=str(requirement.id)
    )
    return requirement_read(requirement, principal, today)


@router.get(
    "/{requirement_id}",
    response_model=RequirementRead,
    responses={**NOT_MODIFIED, **problem_responses(404)},
)
async def read_requirement(
    request: Request,
    session: SessionDep,
    keeper: Keeper,
    principal: OptionalPrincipal,
    today: Today,
    requirement_id: IdPath,
    response: Response,
    if_none_match: IfNoneMatch = None,
) -> RequirementRead | Response:
    """One requirement with its items; the ETag header names its version. Send it back in
    If-None-Match to get 304 while it is unchanged (past valid_until the full answer comes, with
    status `expired`)."""
    cached = remembered(
        request, keeper, Requirement, requirement_id, principal, today, if_none_match
    )
    if cached is not None:
        return cached
    return await run_in_threadpool(
        _read_requirement,
        session,
        keeper,
        public_bodies(request),
        principal,
        today,
        requirement_id,
        response,
        if_none_match,
    )


def _read_requirement(
    session: Session,
    keeper: MatchKeeper,
    bodies: PublicBodies,
    principal: Principal,
    today: date,
    requirement_id: int,
    response: Response,
    if_none_match: str | None,
) -> RequirementRead | Response:
    return from_database(
        session,
        keeper,
        bodies,
        Requirement,
        principal,
        requirement_id,
        today,
        if_none_match,
        response,
        service.RequirementNotFound(requirement_id),
        lambda: requirement_read(
            service.get(session, principal, requirement_id, today), principal, today
        ),
    )


@router.patch(
    "/{requirement_id}",
    response_model=RequirementRead,
    responses=problem_responses(401, 403, 404, 409, 412),
)
async def update_requirement(
    session: SessionDep,
    principal: CurrentPrincipal,
    today: Today,
    requirement_id: IdPath,
    data: RequirementUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> RequirementRead:
    """Change a requirement (its own enterprise's members, organisers, admins); send If-Match."""
    requirement = await run_in_threadpool(
        service.update, session, principal, requirement_id, data, if_match, today
    )
    set_etag(response, requirement)
    return requirement_read(requirement, principal, today)


@router.delete(
    "/{requirement_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404, 409, 412),
)
def delete_requirement(
    session: SessionDep,
    principal: CurrentPrincipal,
    today: Today,
    requirement_id: IdPath,
    if_match: IfMatch = None,
) -> None:
    """Delete a draft requirement; published ones are closed instead, to keep their history."""
    service.delete(session, principal, requirement_id, if_match, today)
