"""The demo season as plain frozen dataclasses: no database ids, chains and nodes by slug,
enterprises by their position in the season. Equal seeds give equal seasons."""

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from random import Random
from typing import TypeVar

from app.models.enums import (
    CapabilityStatus,
    CapacityPeriod,
    DockingKind,
    EnterpriseKind,
    LocalityPreference,
    RequirementStatus,
    Tier,
)


@dataclass(frozen=True)
class Sizes:
    enterprises: int = 320
    requirements: int = 64
    capabilities: int = 1100

    def __post_init__(self) -> None:
        if self.enterprises < 100:
            raise ValueError("a season needs at least 100 enterprises")
        if self.requirements < 1 or self.capabilities < 0:
            raise ValueError("a season needs at least one requirement")


@dataclass(frozen=True)
class EnterpriseSpec:
    key: int  # position in Season.enterprises; postings refer to their owner by it
    name: str
    name_en: str | None
    uscc: str
    kind: EnterpriseKind
    tiers: tuple[Tier, ...]
    region_code: str
    chains: tuple[str, ...]  # chain slugs, the home chain first
    focus: tuple[str, ...]  # node slugs of the home chain it is known for
    description: str
    website: str | None
    contact_person: str
    contact_phone: str
    contact_email: str
    verified: bool


@dataclass(frozen=True)
class ItemSpec:
    name: str
    spec: str
    quantity: Decimal | None
    unit: str | None
    target_price_yuan: Decimal | None
    node: str | None  # node slug in the requirement's chain


@dataclass(frozen=True)
class RequirementSpec:
    enterprise: int
    kind: DockingKind
    title: str
    description: str
    chain: str
    nodes: tuple[str, ...]
    items: tuple[ItemSpec, ...]
    budget_yuan: Decimal | None
    project_name: str | None
    project_investment_yuan: Decimal | None
    delivery_region_code: str | None
    locality_preference: LocalityPreference
    certifications_required: tuple[str, ...]
    valid_until: date
    status: RequirementStatus


@dataclass(frozen=True)
class CapabilitySpec:
    enterprise: int
    kind: DockingKind
    title: str
    description: str
    keywords: tuple[str, ...]
    chain: str
    nodes: tuple[str, ...]
    capacity_amount: Decimal | None
    capacity_unit: str | None
    capacity_period: CapacityPeriod | None
    min_order_quantity: Decimal | None
    certifications: tuple[str, ...]
    status: CapabilityStatus
    region_codes: tuple[str, ...]
    cluster_codes: tuple[str, ...]


@dataclass(frozen=True)
class Season:
    seed: int
    today: date
    enterprises: tuple[EnterpriseSpec, ...]
    requirements: tuple[RequirementSpec, ...]
    capabilities: tuple[CapabilitySpec, ...]


class Lang(StrEnum):
    """The language a posting is written in; mixed is Chinese with English terms, or the reverse."""

    zh = "zh"
    en = "en"
    mixed = "mixed"


def pick_lang(rng: Random, zh: float = 0.55, en: float = 0.15) -> Lang:
    roll = rng.random()
    return Lang.zh if roll < zh else Lang.en if roll < zh + en else Lang.mixed


T = TypeVar("T")


def pick(rng: Random, weighted: dict[T, int]) -> T:
    return rng.choices(list(weighted), weights=list(weighted.values()))[0]


def spread(rng: Random, bounds: tuple[float, float]) -> float:
    """A value between the bounds, spread evenly on a log scale (orders are 10, 100 or 10,000)."""
    low, high = bounds
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def round_significant(value: float, digits: int) -> float:
    if value <= 0:
        return 0.0
    return round(value, digits - 1 - math.floor(math.log10(value)))


def quantity(value: float) -> Decimal:
    """A count as people write it: 2, 35, 1200, 250000."""
    return Decimal(max(1, int(round_significant(value, 2))))


def money(value: float) -> Decimal:
    """Yuan to three significant figures, in fen."""
    return Decimal(f"{round_significant(value, 3):.2f}")


def show(value: Decimal | float) -> str:
    """12000 → 12,000; 2.5 → 2.5."""
    number = float(value)
    return f"{number:,.0f}" if number == int(number) else f"{number:,.2f}".rstrip("0")


def wan(yuan: float) -> str:
    """A yuan amount as 万元 or 亿元, the way Chinese postings give budgets."""
    if yuan >= 100_000_000:
        return f"{show(round_significant(yuan / 100_000_000, 3))}亿元"
    return f"{show(round_significant(yuan / 10_000, 3))}万元"


def yuan_en(yuan: float) -> str:
    if yuan >= 1_000_000:
        return f"{show(round_significant(yuan / 1_000_000, 3))} M yuan"
    return f"{show(round_significant(yuan, 3))} yuan"
