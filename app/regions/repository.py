from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from app.core.pagination import PageParams, Sort, keyset_page
from app.models import Cluster, ClusterMember, Region
from app.models.enums import RegionLevel

CODE_ORDER = Sort(key="code", descending=False)


def get_region(session: Session, code: str) -> Region | None:
    return session.get(Region, code)


def get_regions(session: Session, codes: list[str]) -> list[Region]:
    return list(session.scalars(select(Region).where(Region.code.in_(codes)).order_by(Region.code)))


def region_filters(
    *,
    name_prefix: str | None = None,
    code_prefix: str | None = None,
    level: RegionLevel | None = None,
    parent: str | None = None,
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if name_prefix:
        conditions.append(Region.name.startswith(name_prefix, autoescape=True))
    if code_prefix:
        conditions.append(Region.code.startswith(code_prefix, autoescape=True))
    if level is not None:
        conditions.append(Region.level == level)
    if parent is not None:
        conditions.append(Region.parent_code == parent)
    return conditions


def page_regions(
    session: Session, conditions: list[ColumnElement[bool]], page: PageParams
) -> tuple[list[Region], str | None]:
    """Regions in code order, after the cursor; the code is the key."""
    stmt = select(Region).where(*conditions)
    return keyset_page(
        session, stmt, sort=CODE_ORDER, column=Region.code, id_column=Region.code, page=page
    )


def cluster_codes_of(session: Session, region: Region) -> list[str]:
    ancestors = {region.code, region.province_code}
    if region.city_code:
        ancestors.add(region.city_code)
    stmt = (
        select(ClusterMember.cluster_code)
        .where(ClusterMember.region_code.in_(ancestors))
        .distinct()
        .order_by(ClusterMember.cluster_code)
    )
    return list(session.scalars(stmt))


def list_clusters(session: Session) -> list[Cluster]:
    return list(session.scalars(select(Cluster).order_by(Cluster.code)))


def get_cluster(session: Session, code: str) -> Cluster | None:
    return session.get(Cluster, code)


def cluster_members(session: Session, code: str) -> list[Region]:
    stmt = (
        select(Region)
        .join(ClusterMember, ClusterMember.region_code == Region.code)
        .where(ClusterMember.cluster_code == code)
        .order_by(Region.code)
    )
    return list(session.scalars(stmt))
