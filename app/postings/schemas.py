"""Request and response bodies for requirements (buyers' postings) and capabilities (suppliers')."""

from datetime import date, datetime
from typing import Annotated

from pydantic import Field, field_validator

from app.core.schemas import (
    Amount,
    AreaCode,
    Day,
    IdRef,
    InputModel,
    ReadModel,
    RegionCode,
    SafeStr,
    Yuan,
    not_null,
)
from app.enterprises.schemas import ContactRead
from app.models.enums import (
    CapabilityStatus,
    CapacityPeriod,
    DockingKind,
    EnterpriseKind,
    LocalityPreference,
    RequirementStatus,
    Tier,
)

# The one contact schema lives with enterprises; this name stays for code that imports it here.
Contact = ContactRead

Label = Annotated[SafeStr, Field(min_length=1, max_length=64)]
Title = Annotated[SafeStr, Field(min_length=1, max_length=200)]
Text = Annotated[SafeStr, Field(max_length=10_000)]
Unit = Annotated[SafeStr, Field(max_length=32)]


def _dedupe(values: list[str]) -> list[str]:
    return list(dict.fromkeys(v.strip() for v in values if v.strip()))


class EnterpriseSummary(ReadModel):
    id: int
    name: str
    kind: EnterpriseKind
    region_code: str
    verified: bool
    tiers: list[Tier]


# --- requirements -----------------------------------------------------------------------------


class RequirementItemIn(InputModel):
    name: Title = Field(description="What is needed, e.g. 接线盒 / junction box.")
    spec: Text = ""
    quantity: Amount | None = None
    unit: Unit | None = None
    target_price_yuan: Yuan | None = Field(default=None, description="Target unit price in yuan.")
    node_id: IdRef | None = Field(default=None, description="The chain node this item belongs to.")


class RequirementItemRead(ReadModel):
    id: int
    position: int
    name: str
    spec: str
    quantity: Amount | None
    unit: str | None
    target_price_yuan: Yuan | None
    node_id: int | None


SettableRequirementStatus = Annotated[
    RequirementStatus,
    Field(
        description="draft, open, paused, fulfilled or closed; `expired` is derived from valid_until."
    ),
]


class RequirementFields(InputModel):
    kind: DockingKind | None = None
    title: Title | None = None
    description: Text | None = None
    chain_id: IdRef | None = None
    node_ids: Annotated[list[IdRef], Field(max_length=50)] | None = None
    items: Annotated[list[RequirementItemIn], Field(max_length=200)] | None = Field(
        default=None, description="The line items; on update the given list replaces the old one."
    )
    budget_yuan: Yuan | None = None
    project_name: Title | None = Field(default=None, description="The project the purchase serves.")
    project_investment_yuan: Yuan | None = None
    delivery_region_code: RegionCode | None = None
    locality_preference: LocalityPreference | None = None
    certifications_required: Annotated[list[Label], Field(max_length=30)] | None = None
    valid_until: Day | None = None
    status: SettableRequirementStatus | None = None

    @field_validator("certifications_required")
    @classmethod
    def _unique_certifications(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _dedupe(value)

    @field_validator("status")
    @classmethod
    def _not_expired(cls, value: RequirementStatus | None) -> RequirementStatus | None:
        if value is RequirementStatus.expired:
            raise ValueError("expired cannot be set: a requirement expires when valid_until passes")
        return value


class RequirementCreate(RequirementFields):
    enterprise_id: IdRef | None = Field(
        default=None,
        description="Organisers and admins post for this enterprise; members always post for their own.",
    )
    kind: DockingKind = DockingKind.procurement
    title: Title
    locality_preference: LocalityPreference = LocalityPreference.anywhere
    status: SettableRequirementStatus = RequirementStatus.open


class RequirementUpdate(RequirementFields):
    """Only the fields sent are changed; `items`, `node_ids` and lists are replaced whole."""

    _not_null = not_null("title", "kind", "locality_preference", "status")


class RequirementRead(ReadModel):
    id: int
    enterprise: EnterpriseSummary
    contact: ContactRead | None = Field(
        description="The enterprise's contact; only for its own members, organisers and admins."
    )
    kind: DockingKind
    title: str
    description: str
    chain_id: int | None
    node_ids: list[int]
    items: list[RequirementItemRead]
    budget_yuan: Yuan | None
    project_name: str | None
    project_investment_yuan: Yuan | None
    delivery_region_code: str | None
    locality_preference: LocalityPreference
    certifications_required: list[str]
    valid_until: date | None
    status: RequirementStatus
    created_at: datetime
    updated_at: datetime
    version: int


# --- capabilities -----------------------------------------------------------------------------


class CapabilityFields(InputModel):
    kind: DockingKind | None = None
    title: Title | None = None
    description: Text | None = None
    keywords: Annotated[list[Label], Field(max_length=50)] | None = Field(
        default=None, description="Products, materials, services: 接线盒, junction box, IP68..."
    )
    chain_id: IdRef | None = None
    node_ids: Annotated[list[IdRef], Field(max_length=50)] | None = None
    capacity_amount: Amount | None = None
    capacity_unit: Unit | None = None
    capacity_period: CapacityPeriod | None = None
    min_order_quantity: Amount | None = Field(default=None, description="In capacity_unit.")
    regions_served: Annotated[list[AreaCode], Field(max_length=100)] | None = Field(
        default=None, description="Region or cluster codes served; empty means nationwide."
    )
    certifications: Annotated[list[Label], Field(max_length=30)] | None = None
    status: CapabilityStatus | None = None

    @field_validator("keywords", "certifications", "regions_served")
    @classmethod
    def _unique(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _dedupe(value)


class CapabilityCreate(CapabilityFields):
    enterprise_id: IdRef | None = Field(
        default=None,
        description="Organisers and admins post for this enterprise; members always post for their own.",
    )
    kind: DockingKind = DockingKind.procurement
    title: Title
    status: CapabilityStatus = CapabilityStatus.open


class CapabilityUpdate(CapabilityFields):
    """Only the fields sent are changed; lists are replaced whole."""

    _not_null = not_null("title", "kind", "status")


class CapabilityRead(ReadModel):
    id: int
    enterprise: EnterpriseSummary
    contact: ContactRead | None = Field(
        description="The enterprise's contact; only for its own members, organisers and admins."
    )
    kind: DockingKind
    title: str
    description: str
    keywords: list[str]
    chain_id: int | None
    node_ids: list[int]
    capacity_amount: Amount | None
    capacity_unit: str | None
    capacity_period: CapacityPeriod | None
    min_order_quantity: Amount | None
    regions_served: list[str]
    certifications: list[str]
    status: CapabilityStatus
    created_at: datetime
    updated_at: datetime
    version: int
