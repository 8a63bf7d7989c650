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
from app.models import Capability
from app.models.enums import CapabilityStatus
from app.postings import capability_service as service
from app.postings.answers import (
    PublicBodies,
    from_database,
    page_answer,
    public_bodies,
    remembered,
)
from app.postings.dependencies import SearchText, SortParam, posting_filters
from app.postings.listing import list_postings
from app.postings.reads import capability_read
from app.postings.repository import PostingFilters
from app.postings.schemas import CapabilityCreate, CapabilityRead, CapabilityUpdate

router = APIRouter(
    prefix="/capabilities",
    tags=["capabilities"],
    responses=problem_responses(401, 403, 422),
    route_class=IdempotentRoute,
)


@router.get("", response_model=Page[CapabilityRead])
def list_capabilities(
    request: Request,
    session: SessionDep,
    keeper: Keeper,
    principal: OptionalPrincipal,
    today: Today,
    page: PageDep,
    filters: Annotated[PostingFilters, Depends(posting_filters)],
    status_filter: Annotated[
        CapabilityStatus | None,
        Query(alias="status"),
    ] = None,
    q: SearchText = None,
    sort: SortParam = None,
) -> Response:
    """Capabilities you may see, filtered, searched and sorted; anonymous callers see open ones."""
    keeper.freshen(session, today)
    ids, next_cursor = list_postings(
        session,
        Capability,
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
        Capability,
        principal,
        today,
        ids,
        lambda c: capability_read(c, principal),
        next_cursor,
        page.limit,
    )


@router.post(
    "",
    response_model=CapabilityRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 409),
    dependencies=[IDEMPOTENT],
)
async def create_capability(
    session: SessionDep,
    principal: CurrentPrincipal,
    data: CapabilityCreate,
    request: Request,
    response: Response,
) -> CapabilityRead:
    """Post a capability: what your enterprise makes, does, lends or teaches."""
    capability = await run_in_threadpool(service.create, session, principal, data)
    set_etag(response, capability)
    response.headers["Location"] = request.app.url_path_for(
        "read_capability", capability_id=str(capability.id)
    )
    return capability_read(capability, principal)


@router.get(
    "/{capability_id}",
    response_model=CapabilityRead,
    responses={**NOT_MODIFIED, **problem_responses(404)},
)
async def read_capability(
    request: Request,
    session: SessionDep,
    keeper: Keeper,
    principal: OptionalPrincipal,
    today: Today,
    capability_id: IdPath,
    response: Response,
    if_none_match: IfNoneMatch = None,
) -> CapabilityRead | Response:
    """One capability; the ETag header names its version. Send it back in If-None-Match to get
    304 while it is unchanged."""
    cached = remembered(request, keeper, Capability, capability_id, principal, today, if_none_match)
    if cached is not None:
        return cached
    return await run_in_threadpool(
        _read_capability,
        session,
        keeper,
        public_bodies(request),
        principal,
        today,
        capability_id,
        response,
        if_none_match,
    )


def _read_capability(
    session: Session,
    keeper: MatchKeeper,
    bodies: PublicBodies,
    principal: Principal,
    today: date,
    capability_id: int,
    response: Response,
    if_none_match: str | None,
) -> CapabilityRead | Response:
    return from_database(
        session,
        keeper,
        bodies,
        Capability,
        principal,
        capability_id,
        today,
        if_none_match,
        response,
        service.CapabilityNotFound(capability_id),
        lambda: capability_read(service.get(session, principal, capability_id, today), principal),
    )


@router.patch(
    "/{capability_id}",
    response_model=CapabilityRead,
    responses=problem_responses(401, 403, 404, 409, 412),
)
async def update_capability(
    session: SessionDep,
    principal: CurrentPrincipal,
    today: Today,
    capability_id: IdPath,
    data: CapabilityUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> CapabilityRead:
    """Change a capability (its own enterprise's members, organisers, admins); send If-Match."""
    capability = await run_in_threadpool(
        service.update, session, principal, capability_id, data, if_match, today
    )
    set_etag(response, capability)
    return capability_read(capability, principal)


@router.delete(
    "/{capability_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(401, 403, 404, 409, 412),
)
def delete_capability(
    session: SessionDep,
    principal: CurrentPrincipal,
    today: Today,
    capability_id: IdPath,
    if_match: IfMatch = None,
) -> None:
    """Delete a draft capability; published ones are closed instead, to keep their history."""
    service.delete(session, principal, capability_id, if_match, today)
