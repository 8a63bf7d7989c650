from fastapi import APIRouter, Request, Response, status

from app.auth.dependencies import CurrentPrincipal, OptionalPrincipal, StaffPrincipal
from app.core.clock import Today
from app.core.etag import IfMatch, set_etag
from app.core.pagination import PageDep
from app.core.params import IdPath
from app.core.schemas import Page
from app.db.session import SessionDep
from app.errors import problem_responses
from app.events import registration_service, service
from app.events.dependencies import EventFiltersDep, EventSort, RegistrationFiltersDep
from app.events.schemas import (
    EventCreate,
    EventRead,
    EventUpdate,
    RegistrationCreate,
    RegistrationRead,
    RegistrationUpdate,
)
from app.idempotency.dependencies import IDEMPOTENT, IdempotentRoute

router = APIRouter(
    prefix="/events",
    tags=["events"],
    responses=problem_responses(401, 403, 422),
    route_class=IdempotentRoute,
)

WRITE_ERRORS = problem_responses(401, 403, 404, 409, 412)


@router.get("", response_model=Page[EventRead])
def list_events(
    session: SessionDep,
    principal: OptionalPrincipal,
    page: PageDep,
    filters: EventFiltersDep,
    sort: EventSort = None,
) -> Page[EventRead]:
    """Docking events you may see (drafts only for organisers and admins), filtered and sorted."""
    return service.list_events(session, principal, filters, sort, page)


@router.post(
    "",
    response_model=EventRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 409),
    dependencies=[IDEMPOTENT],
)
def create_event(
    session: SessionDep,
    principal: StaffPrincipal,
    data: EventCreate,
    request: Request,
    response: Response,
) -> EventRead:
    """Announce a docking event with its sessions (organisers and admins)."""
    event = service.create_event(session, principal, data)
    set_etag(response, event)
    response.headers["Location"] = request.app.url_path_for("read_event", event_id=str(event.id))
    return service.read_event(session, event)


@router.get("/{event_id}", response_model=EventRead, responses=problem_responses(404))
def read_event(
    session: SessionDep, principal: OptionalPrincipal, event_id: IdPath, response: Response
) -> EventRead:
    """One event with its sessions and registration counts; the ETag header names its version."""
    event = service.get_event(session, principal, event_id)
    set_etag(response, event)
    return service.read_event(session, event)


@router.patch("/{event_id}", response_model=EventRead, responses=WRITE_ERRORS)
def update_event(
    session: SessionDep,
    principal: StaffPrincipal,
    event_id: IdPath,
    data: EventUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> EventRead:
    """Change an event or move its status on (organisers and admins); send If-Match."""
    event = service.update_event(session, principal, event_id, data, if_match)
    set_etag(response, event)
    return service.read_event(session, event)


@router.get(
    "/{event_id}/registrations",
    response_model=Page[RegistrationRead],
    responses=problem_responses(401, 404),
)
def list_registrations(
    session: SessionDep,
    principal: CurrentPrincipal,
    event_id: IdPath,
    page: PageDep,
    filters: RegistrationFiltersDep,
) -> Page[RegistrationRead]:
    """An event's registrations in the order they came: all for organisers, members see their own."""
    return registration_service.list_registrations(
        session, principal, event_id, status=filters.status, role=filters.role, page=page
    )


@router.post(
    "/{event_id}/registrations",
    response_model=RegistrationRead,
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(401, 403, 404, 409),
    dependencies=[IDEMPOTENT],
)
def register_enterprise(
    session: SessionDep,
    principal: CurrentPrincipal,
    today: Today,
    event_id: IdPath,
    data: RegistrationCreate,
    request: Request,
    response: Response,
) -> RegistrationRead:
    """Register your enterprise (organisers: any enterprise); past capacity it is waitlisted."""
    registration = registration_service.register(session, principal, event_id, data, today)
    set_etag(response, registration)
    response.headers["Location"] = request.app.url_path_for(
        "read_registration", event_id=str(event_id), registration_id=str(registration.id)
    )
    return registration_service.read_registration(session, registration)


@router.get(
    "/{event_id}/registrations/{registration_id}",
    response_model=RegistrationRead,
    responses=problem_responses(401, 404),
)
def read_registration(
    session: SessionDep,
    principal: CurrentPrincipal,
    event_id: IdPath,
    registration_id: IdPath,
    response: Response,
) -> RegistrationRead:
    """One registration (your enterprise's, or any for organisers); the ETag names its version."""
    registration = registration_service.get_registration(
        session, principal, event_id, registration_id
    )
    set_etag(response, registration)
    return registration_service.read_registration(session, registration)


@router.patch(
    "/{event_id}/registrations/{registration_id}",
    response_model=RegistrationRead,
    responses=WRITE_ERRORS,
)
def update_registration(
    session: SessionDep,
    principal: CurrentPrincipal,
    today: Today,
    event_id: IdPath,
    registration_id: IdPath,
    data: RegistrationUpdate,
    response: Response,
    if_match: IfMatch = None,
) -> RegistrationRead:
    """Change a registration's role, postings or availability; send If-Match."""
    registration = registration_service.update_registration(
        session, principal, event_id, registration_id, data, if_match, today
    )
    set_etag(response, registration)
    return registration_service.read_registration(session, registration)


@router.post(
    "/{event_id}/registrations/{registration_id}/withdraw",
    response_model=RegistrationRead,
    responses=WRITE_ERRORS,
)
def withdraw_registration(
    session: SessionDep,
    principal: CurrentPrincipal,
    event_id: IdPath,
    registration_id: IdPath,
    response: Response,
    if_match: IfMatch = None,
) -> RegistrationRead:
    """Withdraw a registration; its confirmed place goes to the first on the waiting list."""
    registration = registration_service.withdraw(
        session, principal, event_id, registration_id, if_match
    )
    set_etag(response, registration)
    return registration_service.read_registration(session, registration)
