from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool

from app.auth.dependencies import CurrentPrincipal, OptionalPrincipal
from app.auth.principal import Principal
from app.core.clock import Today
from app.core.pagination import PageDep
from app.core.params import IdPath
from app.core.schemas import MAX_ID, Page
from app.db.session import SessionDep
from app.errors import Forbidden, Unprocessable, problem_responses
from app.matching import interest, service
from app.matching.dependencies import Keeper, MatchQueryDep
from app.matching.schemas import CapabilityMatches, MatchAct, MatchRead, RequirementMatches
from app.models.enums import MatchSide

router = APIRouter(tags=["matching"], responses=problem_responses(401, 403, 422))


@router.get(
    "/requirements/{requirement_id}/matches",
    response_model=RequirementMatches,
    responses=problem_responses(404),
)
async def requirement_matches(
    session: SessionDep,
    keeper: Keeper,
    principal: OptionalPrincipal,
    today: Today,
    requirement_id: IdPath,
    query: MatchQueryDep,
) -> RequirementMatches:
    """Ranked, explained capabilities for a requirement, overall and per line item."""
    return await run_in_threadpool(  # one thread hop; the answer is checked on the event loop
        service.requirement_matches, session, keeper, principal, requirement_id, query, today
    )


@router.get(
    "/capabilities/{capability_id}/matches",
    response_model=CapabilityMatches,
    responses=problem_responses(404),
)
async def capability_matches(
    session: SessionDep,
    keeper: Keeper,
    principal: OptionalPrincipal,
    today: Today,
    capability_id: IdPath,
    query: MatchQueryDep,
) -> CapabilityMatches:
    """Ranked, explained open requirements that a capability fits."""
    return await run_in_threadpool(
        service.capability_matches, session, keeper, principal, capability_id, query, today
    )


@router.put(
    "/matches/{requirement_id}/{capability_id}",
    response_model=MatchRead,
    responses=problem_responses(401, 403, 404, 409),
)
def act_on_match(
    session: SessionDep,
    keeper: Keeper,
    principal: CurrentPrincipal,
    today: Today,
    requirement_id: IdPath,
    capability_id: IdPath,
    data: MatchAct,
) -> MatchRead:
    """Express interest in, decline, or withdraw from a requirement–capability match, for your side."""
    match = interest.act(session, keeper, principal, requirement_id, capability_id, data, today)
    return interest.to_read(match, principal, today)


@router.get(
    "/matches/{requirement_id}/{capability_id}",
    response_model=MatchRead,
    responses=problem_responses(401, 404),
)
def get_match(
    session: SessionDep,
    principal: CurrentPrincipal,
    today: Today,
    requirement_id: IdPath,
    capability_id: IdPath,
) -> MatchRead:
    """One match that either side has acted on; contacts show once interest is mutual."""
    match = interest.get(session, principal, requirement_id, capability_id)
    return interest.to_read(match, principal, today)


def _enterprise_of(principal: Principal, enterprise_id: int | None) -> int:
    if principal.is_staff:
        if enterprise_id is None:
            raise Unprocessable(
                "Organisers and admins name the enterprise whose matches they want.",
                field="enterprise_id",
            )
        return enterprise_id
    if principal.enterprise_id is None:
        raise Unprocessable("Your account belongs to no enterprise.", field="enterprise_id")
    if enterprise_id not in (None, principal.enterprise_id):
        raise Forbidden(
            f"Members see their own enterprise's matches only (enterprise "
            f"{principal.enterprise_id}); leave enterprise_id out."
        )
    return principal.enterprise_id


@router.get(
    "/me/matches",
    response_model=Page[MatchRead],
    responses=problem_responses(401),
)
def my_matches(
    session: SessionDep,
    principal: CurrentPrincipal,
    today: Today,
    page: PageDep,
    state: Annotated[
        str | None,
        Query(
            pattern="^(" + "|".join(interest.STATES) + ")$",
            description="From your side: " + ", ".join(interest.STATES) + ".",
        ),
    ] = None,
    side: Annotated[MatchSide | None, Query(description="As buyer or as supplier.")] = None,
    enterprise_id: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="Staff only: whose matches.")
    ] = None,
) -> Page[MatchRead]:
    """Your enterprise's matches that either side acted on, newest change first."""
    enterprise = _enterprise_of(principal, enterprise_id)
    rows, next_cursor = interest.list_for(session, enterprise, state, side, page)
    if principal.is_staff:
        principal = replace(principal, enterprise_id=enterprise)
    items = [interest.to_read(m, principal, today) for m in rows]
    return Page(items=items, next_cursor=next_cursor, limit=page.limit)
