from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from app.analytics import local_share
from app.analytics.charts import ANALYTICS_RESPONSES, AnalyticsFormat, AnalyticsFormatParam
from app.analytics.local_share import ShareQuery
from app.analytics.schemas import GroupBy, Level, LocalShareReport, OrderKind, Period
from app.auth.dependencies import CurrentPrincipal
from app.core.clock import Today
from app.core.schemas import AreaCode, IdRef
from app.db.session import SessionDep
from app.errors import problem_responses
from app.events.schemas import EventDate

router = APIRouter(
    prefix="/analytics", tags=["analytics"], responses=problem_responses(401, 403, 422)
)


async def share_query(
    period: Annotated[Period, Query(description="Orders counted per month, quarter or year.")] = (
        Period.month
    ),
    group_by: Annotated[
        GroupBy,
        Query(
            description="`owner`: the buyer; `chain`: the requirement's chain, else the "
            "capability's; `region`: the buyer's province."
        ),
    ] = GroupBy.owner,
    level: Annotated[
        Level, Query(description="The closeness the CSV and the chart show (JSON shows all).")
    ] = Level.province,
    kind: Annotated[
        OrderKind | None, Query(description="Only intended or only signed orders (default both).")
    ] = None,
    from_date: Annotated[
        EventDate | None, Query(alias="from", description="Orders recorded on or after this day.")
    ] = None,
    to_date: Annotated[
        EventDate | None, Query(alias="to", description="Orders recorded on or before this day.")
    ] = None,
    chain: Annotated[IdRef | None, Query(description="Orders of this chain.")] = None,
    region: Annotated[
        AreaCode | None,
        Query(description="Buyers inside this region (a region code) or cluster (`yrd`)."),
    ] = None,
    owner: Annotated[IdRef | None, Query(description="Orders this enterprise placed.")] = None,
) -> ShareQuery:
    return ShareQuery(
        period=period,
        group_by=group_by,
        level=level,
        kind=kind,
        from_date=from_date,
        to_date=to_date,
        chain_id=chain,
        region=region,
        owner_id=owner,
    )


@router.get(
    "/local-share",
    response_model=LocalShareReport,
    responses={**problem_responses(401, 403), **ANALYTICS_RESPONSES},
)
def local_share_over_time(
    session: SessionDep,
    principal: CurrentPrincipal,
    today: Today,
    query: Annotated[ShareQuery, Depends(share_query)],
    fmt: AnalyticsFormatParam = AnalyticsFormat.json,
) -> LocalShareReport | Response:
    """Share of orders placed with local suppliers over time (organisers; members: their own)."""
    report = local_share.local_share(session, principal, query, today)
    return local_share.as_format(report, fmt)
