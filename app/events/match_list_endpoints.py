from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from app.auth.dependencies import CurrentPrincipal, StaffPrincipal
from app.core.clock import Today
from app.core.params import IdPath
from app.db.session import SessionDep
from app.errors import problem_responses
from app.events import match_lists
from app.events.exports import FILE_RESPONSES, ExportFormat, FormatParam
from app.events.match_list_schemas import EventGaps, EventMatchList
from app.events.match_lists import GapQuery, MatchListQuery
from app.matching.endpoints import Keeper

router = APIRouter(prefix="/events", tags=["events"], responses=problem_responses(401, 403, 422))

READ_ERRORS = problem_responses(401, 403, 404)


async def match_list_query(
    top: Annotated[
        int, Query(ge=1, le=50, description="Candidates per requirement or capability, 1 to 50.")
    ] = 10,
    min_score: Annotated[
        float,
        Query(
            ge=0,
            le=100,
            allow_inf_nan=False,
            description="Leave out candidates scoring below this.",
        ),
    ] = 0.0,
    per_item: Annotated[
        int, Query(ge=0, le=20, description="Candidates listed under each line item, 0 to 20.")
    ] = 5,
) -> MatchListQuery:
    return MatchListQuery(top=top, min_score=min_score, per_item=per_item)


async def gap_query(
    threshold: Annotated[
        float,
        Query(
            ge=0,
            le=100,
            allow_inf_nan=False,
            description="A registrant match scoring at least this closes a requirement or item.",
        ),
    ] = 50.0,
    invite: Annotated[
        int, Query(ge=1, le=20, description="Suppliers to invite per gap, 1 to 20.")
    ] = 5,
) -> GapQuery:
    return GapQuery(threshold=threshold, invite=invite)


@router.get(
    "/{event_id}/match-list",
    response_model=EventMatchList,
    responses={**READ_ERRORS, **FILE_RESPONSES},
)
def event_match_list(
    session: SessionDep,
    keeper: Keeper,
    principal: CurrentPrincipal,
    today: Today,
    event_id: IdPath,
    query: Annotated[MatchListQuery, Depends(match_list_query)],
    fmt: FormatParam = ExportFormat.json,
) -> EventMatchList | Response:
    """Registrants ranked for each other, both ways, explained; members see their own lines."""
    found = match_lists.match_list(session, keeper, principal, event_id, query, today)
    return match_lists.as_format(found, fmt)


@router.get(
    "/{event_id}/gaps",
    response_model=EventGaps,
    responses={**READ_ERRORS, **FILE_RESPONSES},
)
def event_gaps(
    session: SessionDep,
    keeper: Keeper,
    principal: StaffPrincipal,
    today: Today,
    event_id: IdPath,
    query: Annotated[GapQuery, Depends(gap_query)],
    fmt: FormatParam = ExportFormat.json,
) -> EventGaps | Response:
    """What no registrant matches well, with the best unregistered suppliers to invite (staff)."""
    found = match_lists.gaps(session, keeper, principal, event_id, query, today)
    return match_lists.as_format(found, fmt)
