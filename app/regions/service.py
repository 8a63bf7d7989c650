"""Looking regions and clusters up."""

import unicodedata

from sqlalchemy.orm import Session

from app.core.pagination import PageParams
from app.errors import NotFound, Unprocessable
from app.models import Cluster, Region
from app.models.enums import RegionLevel
from app.regions import repository
from app.regions.schemas import ClusterDetail, ClusterRead, RegionDetail, RegionRead, RegionRef
from app.regions.scope import within_area


class RegionNotFound(NotFound):
    def __init__(self, code: str) -> None:
        super().__init__(f"There is no region with code {code}.")


class ClusterNotFound(NotFound):
    def __init__(self, code: str) -> None:
        super().__init__(f"There is no cluster '{code}'; see /v1/clusters for the list.")


def list_regions(
    session: Session,
    page: PageParams,
    *,
    prefix: str | None = None,
    level: RegionLevel | None = None,
    parent: str | None = None,
    within: str | None = None,
) -> tuple[list[Region], str | None]:
    """Regions matching every filter; ``prefix`` is a name prefix, or a code prefix if digits."""
    name_prefix = code_prefix = None
    if prefix:
        # NFKC folds full-width digits (３３ → 33), which phones and IMEs often produce.
        folded = unicodedata.normalize("NFKC", prefix).strip()
        if folded.isascii() and folded.isdigit():
            code_prefix = folded
        else:
            name_prefix = folded
    if parent is not None and repository.get_region(session, parent) is None:
        raise Unprocessable(f"There is no region with code {parent}.", field="query.parent")
    conditions = repository.region_filters(
        name_prefix=name_prefix, code_prefix=code_prefix, level=level, parent=parent
    )
    if within is not None:
        conditions.append(within_area(session, Region.code, within, field="query.within"))
    return repository.page_regions(session, conditions, page)


def region_detail(session: Session, code: str) -> RegionDetail:
    region = repository.get_region(session, code)
    if region is None:
        raise RegionNotFound(code)
    ancestry = [region.province_code, region.city_code, region.code]
    codes = list(dict.fromkeys(c for c in ancestry if c is not None))
    by_code = {r.code: r for r in repository.get_regions(session, codes)}
    return RegionDetail(
        **RegionRead.model_validate(region).model_dump(),
        path=[RegionRef.model_validate(by_code[c]) for c in codes if c in by_code],
        clusters=repository.cluster_codes_of(session, region),
    )


def list_clusters(session: Session) -> list[Cluster]:
    return repository.list_clusters(session)


def cluster_detail(session: Session, code: str) -> ClusterDetail:
    cluster = repository.get_cluster(session, code)
    if cluster is None:
        raise ClusterNotFound(code)
    return ClusterDetail(
        **ClusterRead.model_validate(cluster).model_dump(),
        members=[RegionRead.model_validate(r) for r in repository.cluster_members(session, code)],
    )
