"""Query parameters shared by the requirement and capability lists."""

from typing import Annotated

from fastapi import Query

from app.core.pagination import sort_choices
from app.core.params import SearchText
from app.core.schemas import AreaCode, IdRef
from app.models.enums import DockingKind, Tier
from app.postings.listing import SORT_COLUMNS
from app.postings.repository import PostingFilters

__all__ = ["SearchText", "SortParam", "posting_filters"]

SortParam = Annotated[
    sort_choices(SORT_COLUMNS, relevance=True) | None,
    Query(
        description="created_at, updated_at, title or relevance (with q); prefix '-' for descending. "
        "Default: relevance with q, else -created_at.",
    ),
]


async def posting_filters(
    chain: Annotated[IdRef | None, Query(description="Chain id; an unknown one is a 422.")] = None,
    node: Annotated[
        IdRef | None,
        Query(description="Chain node id (and the nodes below it); an unknown one is a 422."),
    ] = None,
    kind: DockingKind | None = None,
    tier: Annotated[
        list[Tier],
        Query(
            max_length=len(Tier),
            description="Enterprise tier; repeat to require several (each counts once).",
        ),
    ] = [],  # noqa: B006 - never mutated
    region: Annotated[
        AreaCode | None,
        Query(
            description="A region code (a province or city includes what lies inside) or a "
            "cluster code such as `yrd`."
        ),
    ] = None,
    enterprise_id: Annotated[IdRef | None, Query(description="Only this enterprise's.")] = None,
    verified: Annotated[
        bool | None, Query(description="Only verified enterprises' postings.")
    ] = None,
) -> PostingFilters:
    return PostingFilters(
        chain_id=chain,
        node_id=node,
        kind=kind,
        tiers=tuple(dict.fromkeys(tier)),
        region=region,
        enterprise_id=enterprise_id,
        verified=verified,
    )
