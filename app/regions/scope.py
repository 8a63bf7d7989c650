""" "Inside a region": a province or city includes what lies inside it; a cluster, its members."""

import re
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from app.errors import Unprocessable
from app.models import ClusterMember, Region
from app.models.region import Cluster


def area_codes(session: Session, area: str, *, field: str) -> list[str]:
    """The region codes an area stands for: itself, or a cluster's members. Unknown → 422."""
    if re.fullmatch(r"[0-9]{6}", area):
        if session.get(Region, area) is None:
            raise Unprocessable(f"There is no region with code {area}.", field=field)
        return [area]
    if session.get(Cluster, area) is None:
        raise Unprocessable(
            f"'{area}' is neither a 6-digit region code nor a cluster code (see /v1/clusters).",
            field=field,
        )
    return list(
        session.scalars(select(ClusterMember.region_code).where(ClusterMember.cluster_code == area))
    )


def regions_within(codes: list[str]) -> Any:
    """A subquery of every region code lying inside (or equal to) one of ``codes``."""
    return select(Region.code).where(
        or_(Region.code.in_(codes), Region.city_code.in_(codes), Region.province_code.in_(codes))
    )


def within_area(session: Session, column: Any, area: str, *, field: str) -> ColumnElement[bool]:
    """A WHERE condition: ``column`` (a region code) lies inside ``area`` (region or cluster)."""
    return column.in_(regions_within(area_codes(session, area, field=field)))
