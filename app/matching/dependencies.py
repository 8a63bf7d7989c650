"""Query parameters of the match lists: how many, how good, which counterparts, which weights."""

from dataclasses import dataclass, replace
from typing import Annotated

from fastapi import Depends, Query, Request

from app.config import get_settings
from app.core.schemas import MAX_ID, SafeStr
from app.errors import Unprocessable
from app.matching.engine import Options
from app.matching.keeper import MatchKeeper
from app.matching.scoring import Weights
from app.models.enums import Tier


async def match_keeper(request: Request) -> MatchKeeper:
    return request.app.state.match_keeper


Keeper = Annotated[MatchKeeper, Depends(match_keeper)]

WEIGHTS_HELP = (
    "Override component weights for this request, e.g. `text:40,locality:20`; components: "
    + ", ".join(Weights.names())
    + ". Unnamed components keep the service's weights."
)


@dataclass(frozen=True)
class MatchQuery:
    top: int
    min_score: float
    per_item: int
    chain_id: int | None
    node_id: int | None
    region: str | None
    tiers: frozenset[str]
    verified_only: bool
    weights: dict[str, float]


def weights_for(overrides: dict[str, float]) -> Weights:
    """The built-in weights, then the service's settings, then the request's overrides."""
    return replace(replace(Weights(), **get_settings().match_weights), **overrides)


def default_options() -> Options:
    return Options(weights=weights_for({}), cover_threshold=get_settings().match_cover_threshold)


def parse_weights(text: str | None) -> dict[str, float]:
    """``text:40,locality:20`` → {"text": 40.0, "locality": 20.0}; anything else is a 422."""
    if not text:
        return {}
    known = Weights.names()
    out: dict[str, float] = {}
    for part in text.split(","):
        name, sep, value = part.strip().partition(":")
        if name not in known or not sep:
            raise Unprocessable(
                f"'{part.strip()}' is not name:number with a component name from: "
                + ", ".join(known)
                + ".",
                field="weights",
            )
        try:
            number = float(value)
        except ValueError:
            number = -1.0
        if not 0 <= number <= 1000:
            raise Unprocessable(
                f"The weight of {name} must be a number from 0 to 1000, not '{value}'.",
                field="weights",
            )
        out[name] = number
    return out


async def match_query(
    top: Annotated[int, Query(ge=1, le=100, description="How many candidates, 1 to 100.")] = 10,
    min_score: Annotated[
        float, Query(ge=0, le=100, description="Leave out candidates scoring below this.")
    ] = 0.0,
    per_item: Annotated[
        int, Query(ge=0, le=20, description="Candidates listed under each line item.")
    ] = 5,
    chain: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Chain id.")] = None,
    node: Annotated[
        int | None, Query(ge=1, le=MAX_ID, description="Chain node id (and below).")
    ] = None,
    region: Annotated[
        SafeStr | None,
        Query(
            pattern=r"^([0-9]{6}|[a-z][a-z0-9-]{1,31})$",
            description="Counterparts located in this region (a province or city includes what "
            "lies inside) or cluster.",
        ),
    ] = None,
    tier: Annotated[
        list[Tier] | None,
        Query(max_length=len(Tier), description="Counterparts holding any of these tiers."),
    ] = None,
    verified_only: Annotated[bool, Query(description="Only verified counterparts.")] = False,
    weights: Annotated[SafeStr | None, Query(max_length=300, description=WEIGHTS_HELP)] = None,
) -> MatchQuery:
    return MatchQuery(
        top=top,
        min_score=min_score,
        per_item=per_item,
        chain_id=chain,
        node_id=node,
        region=region,
        tiers=frozenset(t.value for t in tier or ()),
        verified_only=verified_only,
        weights=parse_weights(weights),
    )


MatchQueryDep = Annotated[MatchQuery, Depends(match_query)]
