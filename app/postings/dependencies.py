"""Query parameters shared by the requirement and capability lists."""

from typing import Annotated

from fastapi import Query

from app.core.params import MAX_ID
from app.models.enums import DockingKind, Tier
from app.postings.repository import PostingFilters

OptionalId = Annotated[int | None, Query(ge=1, le=MAX_ID)]
SearchText = Annotated[
    str | None,
    Query(
        min_length=1, max_length=200, description="Free text, Chinese or English; tolerates typos."
    ),
]
SortParam = Annotated[
    str | None,
    Query(
        max_length=32,
        description="created_at, updated_at, title or relevance (with q); prefix '-' for descending. "
        "Default: relevance with q, else -created_at.",
    ),
]


def posting_filters(
    chain: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Chain id.")] = None,
    node: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="Chain node id (and below).")
    ] = None,
    kind: DockingKind | None = None,
    tier: Annotated[
        list[Tier] | None, Query(description="Enterprise tier; repeat to require several.")
    ] = None,
    region: Annotated[
        str | None,
        Query(
            pattern=r"^(\d{6}|[a-z][a-z0-9-]{1,31})$",
            description="A region code (a province or city includes what lies inside) or a cluster code.",
        ),
    ] = None,
    enterprise_id: OptionalId = None,
    verified: Annotated[
        bool | None, Query(description="Only verified enterprises' postings.")
    ] = None,
) -> PostingFilters:
    return PostingFilters(
        chain_id=chain,
        node_id=node,
        kind=kind,
        tiers=tuple(tier or ()),
        region=region,
        enterprise_id=enterprise_id,
        verified=verified,
    )
