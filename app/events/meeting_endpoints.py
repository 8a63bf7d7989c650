from typing import Annotated

from fastapi import APIRouter, Body, Query, Request, Response, status

from app.auth.dependencies import CurrentPrincipal, StaffPrincipal
from app.core.clock import Today
from app.core.etag import IfMatch, set_etag
from app.core.pagination import PageDep
from app.core.params import IdPath
from app.core.schemas import IdRef, Page
from app.db.session import SessionDep
from app.errors import problem_responses
from app.events import meeting_service, schedule_exports, schedule_service, seating
from app.events.dependencies import MeetingFiltersDep
from app.events.exports import FILE_RESPONSES, ExportFormat, FormatParam
from app.events.meeting_schemas import (
    AgendaRead,
    MeetingCreate,
    MeetingRead,
    MeetingUpdate,
    ScheduleRead,
    ScheduleRun,
    TablesRead,
)
from app.idempotency.dependencies import IDEMPOTENT, IdempotentRoute
from app.matching.endpoints import Keeper

router = APIRouter(
    prefix="/events",
    tags=["meetings"],
    responses=problem_responses(401, 403, 422),
    route_class=IdempotentRoute,
)

WRITE_ERRORS = problem_responses(401, 403, 404, 409, 412)
MEETING = "/{event_id}/meetings/{meeting_id}"


@router.get(
    "/{event_id}/meetings",
    response_model=Page[MeetingRead],
    responses=problem_responses(401, 403, 404),
)
def list_meetings(
    session: SessionDep,
    principal: CurrentPrincipal,
    event_id: IdPath,
    page: PageDep,
    filters: MeetingFiltersDep,
) -> Page[MeetingRead]:
    """An event's meetings in the order asked: all for organisers, members see their own."""
    return meeting_service.list_meetings(
        session,
        principal,
        event_id,
        status=filters.status,
        enterprise_id=filters.enterprise_id,
        page=page,
    )


@router.post(
    "/{event_id}/meetings",
    response_model=MeetingRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 404, 409),
    dependencies=[IDEMPOTENT],
)
def request_meeting(
    session: SessionDep,
    keeper: Keeper,
    principal: CurrentPrincipal,
    today: Today,
    event_id: IdPath,
    data: MeetingCreate,
    request: Request,
    response: Response,
) -> MeetingRead:
    """Ask another registrant for a 1:1 meeting; organisers add meetings, accepted at once."""
    meeting = meeting_service.request_meeting(session, keeper, principal, event_id, data, today)
    set_etag(response, meeting)
    response.headers["Location"] = request.app.url_path_for(
        "read_meeting", event_id=str(event_id), meeting_id=str(meeting.id)
    )
    return meeting


@router.get(MEETING, response_model=MeetingRead, responses=problem_responses(401, 404))
def read_meeting(
    session: SessionDep,
    principal: CurrentPrincipal,
    event_id: IdPath,
    meeting_id: IdPath,
    response: Response,
) -> MeetingRead:
    """One meeting (your enterprise's, or any for organisers); the ETag names its version."""
    meeting = meeting_service.get_meeting(session, principal, event_id, meeting_id)
    set_etag(response, meeting)
    return meeting


@router.patch(MEETING, response_model=MeetingRead, responses=WRITE_ERRORS)
def update_meeting(
    session: SessionDep,
    principal: StaffPrincipal,
    event_id: IdPath,
    meeting_id: IdPath,
    data: MeetingUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> MeetingRead:
    """Place a meeting at a slot and table by hand, take it off, confirm it or record attendance."""
    meeting = seating.update_meeting(session, principal, event_id, meeting_id, data, if_match)
    set_etag(response, meeting)
    return meeting


@router.post(MEETING + "/accept", response_model=MeetingRead, responses=WRITE_ERRORS)
def accept_meeting(
    session: SessionDep,
    principal: CurrentPrincipal,
    event_id: IdPath,
    meeting_id: IdPath,
    response: Response,
    if_match: IfMatch = None,
) -> MeetingRead:
    """Accept a meeting you were asked to (the invitee, or an organiser)."""
    meeting = meeting_service.answer(session, principal, event_id, meeting_id, True, if_match)
    set_etag(response, meeting)
    return meeting


@router.post(MEETING + "/decline", response_model=MeetingRead, responses=WRITE_ERRORS)
def decline_meeting(
    session: SessionDep,
    principal: CurrentPrincipal,
    event_id: IdPath,
    meeting_id: IdPath,
    response: Response,
    if_match: IfMatch = None,
) -> MeetingRead:
    """Decline a meeting you were asked to (the invitee, or an organiser)."""
    meeting = meeting_service.answer(session, principal, event_id, meeting_id, False, if_match)
    set_etag(response, meeting)
    return meeting


@router.post(MEETING + "/cancel", response_model=MeetingRead, responses=WRITE_ERRORS)
def cancel_meeting(
    session: SessionDep,
    principal: CurrentPrincipal,
    event_id: IdPath,
    meeting_id: IdPath,
    response: Response,
    if_match: IfMatch = None,
) -> MeetingRead:
    """Call a meeting off (either side, or an organiser); its slot and table become free."""
    meeting = meeting_service.cancel(session, principal, event_id, meeting_id, if_match)
    set_etag(response, meeting)
    return meeting


@router.post(
    "/{event_id}/schedule",
    response_model=ScheduleRead,
    responses=problem_responses(401, 403, 404, 409),
)
def run_schedule(
    session: SessionDep,
    principal: StaffPrincipal,
    event_id: IdPath,
    data: Annotated[ScheduleRun | None, Body()] = None,
) -> ScheduleRead:
    """Lay accepted meetings out on slots and tables; confirmed ones stay (organisers)."""
    return schedule_service.run_schedule(
        session, principal, event_id, confirm=data is not None and data.confirm
    )


@router.get(
    "/{event_id}/agenda",
    response_model=AgendaRead,
    responses={**problem_responses(401, 403, 404), **FILE_RESPONSES},
)
def read_agenda(
    session: SessionDep,
    principal: CurrentPrincipal,
    event_id: IdPath,
    enterprise_id: Annotated[
        IdRef | None,
        Query(
            description="Organisers name the enterprise (or leave it out of a CSV or XLSX "
            "export for every enterprise's agenda); members get their own."
        ),
    ] = None,
    fmt: FormatParam = ExportFormat.json,
) -> AgendaRead | Response:
    """An enterprise's meetings in time order, with table and counterpart; or as a file."""
    return schedule_exports.read_agenda(session, principal, event_id, enterprise_id, fmt)


@router.get(
    "/{event_id}/tables",
    response_model=TablesRead,
    responses={**problem_responses(401, 403, 404), **FILE_RESPONSES},
)
def read_tables(
    session: SessionDep,
    principal: StaffPrincipal,
    event_id: IdPath,
    fmt: FormatParam = ExportFormat.json,
) -> TablesRead | Response:
    """Per table, its meetings slot by slot: the sheets laid on the tables (organisers)."""
    return schedule_exports.read_tables(session, principal, event_id, fmt)
