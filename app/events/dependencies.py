"""Query parameters of the event, registration and meeting lists."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query

from app.core.pagination import sort_choices
from app.core.schemas import AreaCode, Day, IdRef
from app.events.repository import EventFilters
from app.events.service import SORT_COLUMNS as EVENT_SORTS
from app.models.enums import EventStatus, MeetingStatus, RegistrationRole, RegistrationStatus


async def event_filters(
    status: Annotated[EventStatus | None, Query(description="Only events in this status.")] = None,
    chain: Annotated[
        IdRef | None, Query(description="Events with this chain in focus; an unknown one is a 422.")
    ] = None,
    region: Annotated[
        AreaCode | None,
        Query(
            description="A region code (a province or city includes what lies inside) or a "
            "cluster code such as `yrd`."
        ),
    ] = None,
    from_date: Annotated[
        Day | None, Query(alias="from", description="Events still running on or after this day.")
    ] = None,
    to_date: Annotated[
        Day | None, Query(alias="to", description="Events starting on or before this day.")
    ] = None,
) -> EventFilters:
    return EventFilters(
        status=status, chain_id=chain, region=region, from_date=from_date, to_date=to_date
    )


EventFiltersDep = Annotated[EventFilters, Depends(event_filters)]

EventSort = Annotated[
    sort_choices(EVENT_SORTS) | None,
    Query(
        description="starts_on or created_at; prefix '-' for descending. Default: -starts_on.",
    ),
]


@dataclass(frozen=True)
class RegistrationFilters:
    status: RegistrationStatus | None
    role: RegistrationRole | None


async def registration_filters(
    status: Annotated[
        RegistrationStatus | None, Query(description="confirmed, waitlisted or withdrawn.")
    ] = None,
    role: Annotated[
        RegistrationRole | None,
        Query(
            description="buyer: those who buy (buyer or both); supplier: those who supply "
            "(supplier or both); both: only those registered as both."
        ),
    ] = None,
) -> RegistrationFilters:
    return RegistrationFilters(status=status, role=role)


RegistrationFiltersDep = Annotated[RegistrationFilters, Depends(registration_filters)]


@dataclass(frozen=True)
class MeetingFilters:
    status: MeetingStatus | None
    enterprise_id: int | None


async def meeting_filters(
    status: Annotated[
        MeetingStatus | None, Query(description="requested, accepted, declined or cancelled.")
    ] = None,
    enterprise: Annotated[
        IdRef | None,
        Query(description="Meetings of this enterprise, on either side (organisers)."),
    ] = None,
) -> MeetingFilters:
    return MeetingFilters(status=status, enterprise_id=enterprise)


MeetingFiltersDep = Annotated[MeetingFilters, Depends(meeting_filters)]
