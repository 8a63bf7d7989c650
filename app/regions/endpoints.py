from typing import Annotated

from fastapi import APIRouter, Path, Query

from app.core.pagination import PageDep
from app.core.schemas import AreaCode, NoNul, Page, RegionCode, SafeStr
from app.db.session import SessionDep
from app.errors import problem_responses
from app.models.enums import RegionLevel
from app.regions import service
from app.regions.schemas import ClusterDetail, ClusterRead, RegionDetail, RegionRead

router = APIRouter(tags=["regions"], responses=problem_responses(422))

CLUSTER_CODE = r"^[a-z0-9]+(-[a-z0-9]+)*$"

RegionCodePath = Annotated[
    RegionCode, Path(description="6-digit administrative code, e.g. 330421.")
]
ClusterCodePath = Annotated[
    str,
    Path(max_length=32, pattern=CLUSTER_CODE, description="Cluster code, e.g. `yrd`."),
    NoNul,
]


@router.get("/regions", response_model=Page[RegionRead])
def list_regions(
    session: SessionDep,
    page: PageDep,
    prefix: Annotated[
        SafeStr | None,
        Query(
            min_length=1,
            max_length=64,
            description="Start of the name (`嘉`: 嘉兴市, 嘉善县…) or, if digits, of the code.",
        ),
    ] = None,
    level: Annotated[
        RegionLevel | None, Query(description="Only provinces, cities or districts.")
    ] = None,
    parent: Annotated[
        RegionCode | None, Query(description="Only the direct children of this region.")
    ] = None,
    within: Annotated[
        AreaCode | None,
        Query(
            description="A region or cluster code: only regions lying inside it (itself included).",
        ),
    ] = None,
) -> object:
    """Regions by name or code prefix, level, parent or enclosing area, in code order."""
    items, next_cursor = service.list_regions(
        session, page, prefix=prefix, level=level, parent=parent, within=within
    )
    return Page[RegionRead](
        items=[RegionRead.model_validate(r) for r in items],
        next_cursor=next_cursor,
        limit=page.limit,
    )


@router.get("/regions/{code}", response_model=RegionDetail, responses=problem_responses(404))
def read_region(session: SessionDep, code: RegionCodePath) -> object:
    """One region, with its province and city and the clusters it lies in."""
    return service.region_detail(session, code)


@router.get("/clusters", response_model=list[ClusterRead])
def list_clusters(session: SessionDep) -> object:
    """The named clusters of regions (Yangtze River Delta, Pearl River Delta...)."""
    return service.list_clusters(session)


@router.get("/clusters/{code}", response_model=ClusterDetail, responses=problem_responses(404))
def read_cluster(session: SessionDep, code: ClusterCodePath) -> object:
    """One cluster with its member provinces and cities."""
    return service.cluster_detail(session, code)
