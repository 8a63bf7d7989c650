from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status

from app.auth.dependencies import CurrentPrincipal, OptionalPrincipal
from app.core.clock import Today
from app.core.etag import IfMatch, set_etag
from app.core.pagination import PageDep
from app.core.params import IdPath
from app.core.schemas import AreaCode, IdRef, Page
from app.db.session import SessionDep
from app.errors import problem_responses
from app.events import outcome_service, stats
from app.events.outcome_repository import OutcomeFilters
from app.events.outcome_schemas import (
    EventStats,
    OutcomeCreate,
    OutcomeRead,
    OutcomeUpdate,
    SeasonStats,
)
from app.events.schemas import EventDate
from app.idempotency.dependencies import IDEMPOTENT, IdempotentRoute
from app.models.enums import OutcomeKind

router = APIRouter(tags=["outcomes"], responses=problem_responses(422), route_class=IdempotentRoute)

WRITE_ERRORS = problem_responses(401, 403, 404, 409, 412)


async def outcome_filters(
    event: Annotated[IdRef | None, Query(description="Outcomes of this event.")] = None,
    enterprise: Annotated[
        IdRef | None, Query(description="Outcomes with this enterprise on either side.")
    ] = None,
    kind: Annotated[OutcomeKind | None, Query(description="Outcomes of this kind.")] = None,
) -> OutcomeFilters:
    return OutcomeFilters(event_id=event, enterprise_id=enterprise, kind=kind)


@router.get("/outcomes", response_model=Page[OutcomeRead], responses=problem_responses(401, 403))
def list_outcomes(
    session: SessionDep,
    principal: CurrentPrincipal,
    page: PageDep,
    filters: Annotated[OutcomeFilters, Depends(outcome_filters)],
) -> Page[OutcomeRead]:
    """Outcomes, newest first: all for organisers, members see those of their enterprise."""
    return outcome_service.list_outcomes(session, principal, filters, page)


@router.post(
    "/outcomes",
    response_model=OutcomeRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 409),
    dependencies=[IDEMPOTENT],
)
def record_outcome(
    session: SessionDep,
    principal: CurrentPrincipal,
    today: Today,
    data: OutcomeCreate,
    request: Request,
    response: Response,
) -> OutcomeRead:
    """Record what came of a meeting or a match (either side, or organisers)."""
    outcome = outcome_service.record(session, principal, data, today)
    set_etag(response, outcome)
    response.headers["Location"] = request.app.url_path_for(
        "read_outcome", outcome_id=str(outcome.id)
    )
    return outcome_service.outcome_read(outcome)


@router.get(
    "/outcomes/{outcome_id}", response_model=OutcomeRead, responses=problem_responses(401, 403, 404)
)
def read_outcome(
    session: SessionDep, principal: CurrentPrincipal, outcome_id: IdPath, response: Response
) -> OutcomeRead:
    """One outcome your enterprise is a side of (organisers: any); the ETag names its version."""
    outcome = outcome_service.get_outcome(session, principal, outcome_id)
    set_etag(response, outcome)
    return outcome_service.outcome_read(outcome)


@router.patch("/outcomes/{outcome_id}", response_model=OutcomeRead, responses=WRITE_ERRORS)
def update_outcome(
    session: SessionDep,
    principal: CurrentPrincipal,
    outcome_id: IdPath,
    data: OutcomeUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> OutcomeRead:
    """Change an outcome's kind, amount or note (either side, or organisers); send If-Match."""
    outcome = outcome_service.update(session, principal, outcome_id, data, if_match)
    set_etag(response, outcome)
    return outcome_service.outcome_read(outcome)


@router.delete(
    "/outcomes/{outcome_id}", status_code=status.HTTP_204_NO_CONTENT, responses=WRITE_ERRORS
)
def delete_outcome(
    session: SessionDep, principal: CurrentPrincipal, outcome_id: IdPath, if_match: IfMatch = None
) -> None:
    """Delete an outcome recorded in error (either side, or organisers); send If-Match."""
    outcome_service.delete(session, principal, outcome_id, if_match)


@router.get(
    "/events/{event_id}/stats",
    response_model=EventStats,
    responses=problem_responses(401, 403, 404),
)
def event_stats(session: SessionDep, principal: OptionalPrincipal, event_id: IdPath) -> EventStats:
    """An event's figures: participants, meetings, outcomes, local share (public once announced)."""
    return stats.event_stats(session, principal, event_id)


@router.get("/stats/season", response_model=SeasonStats)
def season_stats(
    session: SessionDep,
    from_date: Annotated[
        EventDate | None, Query(alias="from", description="Events starting on or after this day.")
    ] = None,
    to_date: Annotated[
        EventDate | None, Query(alias="to", description="Events starting on or before this day.")
    ] = None,
    region: Annotated[
        AreaCode | None,
        Query(description="A region code (what lies inside counts) or a cluster code."),
    ] = None,
) -> SeasonStats:
    """The figures of a season of events (not drafts), as published: public."""
    return stats.season_stats(session, from_date, to_date, region)
