"""Response bodies of chain analytics: the local supply share of orders over time."""

from datetime import date
from enum import StrEnum

from pydantic import Field

from app.core.schemas import ReadModel
from app.events.outcome_schemas import Total
from app.models.enums import OutcomeKind


class Period(StrEnum):
    month = "month"
    quarter = "quarter"
    year = "year"


class GroupBy(StrEnum):
    owner = "owner"
    chain = "chain"
    region = "region"


class Level(StrEnum):
    city = "city"
    province = "province"
    cluster = "cluster"


class OrderKind(StrEnum):
    """The outcomes that are orders."""

    intention = OutcomeKind.intention.value
    signed_order = OutcomeKind.signed_order.value


class LevelShare(ReadModel):
    count: int = Field(description="Deals with a supplier at this level of closeness.")
    amount_yuan: Total
    count_share: float | None = Field(description="Of the deals, 0–1 (4 decimals); null: none.")
    amount_share: float | None = Field(
        description="Of their amount, 0–1 (4 decimals); null when that amount is zero."
    )


class ShareFigures(ReadModel):
    """Deals, and those whose supplier lies in the buyer's city, province or cluster (each
    counted alone: a same-city deal also counts as same-province)."""

    deals: int
    amount_yuan: Total
    same_city: LevelShare
    same_province: LevelShare
    same_cluster: LevelShare


class PeriodSpan(ReadModel):
    period: str = Field(description="`2026-05`, `2026-Q2` or `2026`.")
    starts_on: date
    ends_on: date = Field(description="The period's last day.")


class PeriodFigures(ShareFigures, PeriodSpan):
    pass


class ShareGroup(ReadModel):
    id: int | str | None = Field(
        description="The buyer's or the chain's id, or the province's code; null for orders "
        "with no chain."
    )
    name: str = Field(description="The buyer's name, the chain's Chinese name, the province's.")
    name_en: str | None
    chain_owner: bool | None = Field(
        description="With group_by=owner: whether the buyer is a chain owner (链主)."
    )
    total: ShareFigures = Field(description="All the periods together.")
    periods: list[PeriodFigures] = Field(description="Every period, those without orders too.")


class LocalShareReport(ReadModel):
    period: Period
    group_by: GroupBy
    level: Level = Field(description="The level the CSV and the chart show; JSON shows all three.")
    kinds: list[OutcomeKind]
    from_date: date | None
    to_date: date | None
    chain_id: int | None
    region: str | None
    owner_id: int | None = Field(description="The buyer asked about (a member's own enterprise).")
    periods: list[PeriodSpan]
    total: ShareFigures = Field(description="All the groups and periods together.")
    groups: list[ShareGroup] = Field(description="Largest amount first.")
