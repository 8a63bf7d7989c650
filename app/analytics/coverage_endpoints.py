"""Chain coverage, weak links and single-source risk under ``/v1/analytics/chains/{id}``."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from app.analytics import coverage_views
from app.analytics.charts import (
    ANALYTICS_RESPONSES,
    AnalyticsFormat,
    AnalyticsFormatParam,
    table_format,
)
from app.analytics.coverage_schemas import ChainCoverage, SingleSource, WeakLinks
from app.analytics.coverage_service import CoverageQuery, analyse
from app.auth.dependencies import CurrentPrincipal
from app.core.clock import Today
from app.core.params import IdPath
from app.core.schemas import AreaCode
from app.db.session import SessionDep
from app.errors import problem_responses
from app.events.exports import FILE_RESPONSES
from app.matching.endpoints import Keeper
from app.models.enums import DockingKind

router = APIRouter(
    prefix="/analytics/chains/{chain_id}",
    tags=["analytics"],
    responses=problem_responses(401, 403, 404, 422),
)


async def coverage_query(
    chain_id: IdPath,
    region: Annotated[
        AreaCode | None,
        Query(
            description="Count suppliers and demand inside this region (a region code, e.g. "
            "`330000` for Zhejiang) or cluster (`yrd`); omitted: the whole country's data."
        ),
    ] = None,
    kind: Annotated[
        DockingKind | None,
        Query(description="Only requirements and capabilities of this docking kind."),
    ] = None,
    k: Annotated[
        int, Query(ge=1, le=50, description="Qualified local suppliers an item needs, 1 to 50.")
    ] = 3,
    min_score: Annotated[
        float,
        Query(ge=1, le=100, description="The match score (1–100) that qualifies a supplier."),
    ] = 50.0,
) -> CoverageQuery:
    return CoverageQuery(chain_id=chain_id, region=region, kind=kind, k=k, min_score=min_score)


Scoped = Annotated[CoverageQuery, Depends(coverage_query)]


@router.get("/coverage", response_model=ChainCoverage, responses=ANALYTICS_RESPONSES)
def chain_coverage(
    session: SessionDep,
    keeper: Keeper,
    principal: CurrentPrincipal,
    today: Today,
    query: Scoped,
    fmt: AnalyticsFormatParam = AnalyticsFormat.json,
) -> ChainCoverage | Response:
    """Each node of the chain tree: open demand of buyers in the region (requirements, items,
    amount), supply there (capabilities, enterprises), and how much of the demand has at least
    k qualified local suppliers. `format=svg|png` draws the tree coloured by coverage."""
    return coverage_views.coverage_as(analyse(session, keeper, query, today), fmt)


@router.get("/weak-links", response_model=WeakLinks, responses=FILE_RESPONSES)
def chain_weak_links(
    session: SessionDep,
    keeper: Keeper,
    principal: CurrentPrincipal,
    today: Today,
    query: Scoped,
    attract: Annotated[
        int, Query(ge=0, le=50, description="Suppliers outside the region to list per link.")
    ] = 10,
    fmt: AnalyticsFormatParam = AnalyticsFormat.json,
) -> WeakLinks | Response:
    """Nodes with an item that has fewer than k qualified local suppliers, by the demand they
    leave unmet; at a stuck-neck link no one in the data qualifies for any of those items. Each
    lists the best suppliers outside the region, with distance: whom to attract."""
    table_format(fmt, "The weak-link list")  # a 422 before the work, not after
    return coverage_views.weak_links_as(analyse(session, keeper, query, today), attract, fmt)


@router.get("/single-source", response_model=SingleSource, responses=FILE_RESPONSES)
def chain_single_source(
    session: SessionDep,
    keeper: Keeper,
    principal: CurrentPrincipal,
    today: Today,
    query: Scoped,
    fmt: AnalyticsFormatParam = AnalyticsFormat.json,
) -> SingleSource | Response:
    """Line items with exactly one qualified supplier (in the region, or in the whole data),
    and nodes whose qualified local supply is one enterprise."""
    table_format(fmt, "The single-source list")
    return coverage_views.single_source_as(analyse(session, keeper, query, today), fmt)
