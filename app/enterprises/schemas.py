from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, ConfigDict, Field
from pydantic_core import PydanticCustomError

from app.auth.schemas import Email
from app.core.schemas import (
    IdRef,
    InputModel,
    NoNul,
    ReadModel,
    RegionCode,
    SafeStr,
    not_null,
)
from app.enterprises.uscc import validate_uscc
from app.models.enums import EnterpriseKind, Tier


def _uscc(value: str) -> str:
    try:
        return validate_uscc(value.upper())
    except ValueError as exc:
        raise PydanticCustomError("uscc", str(exc)) from None


def _no_duplicates(values: list[Any]) -> list[Any]:
    if len(set(values)) != len(values):
        raise PydanticCustomError("duplicates", "each value may appear only once")
    return values


Uscc = Annotated[
    SafeStr,
    Field(
        max_length=40,
        description="Unified social credit code (统一社会信用代码): 18 characters with a GB 32100-2015 "
        "check character; stored in upper case.",
        examples=["91330421MA2BCDEF0U"],
    ),
    AfterValidator(_uscc),
]
Tiers = Annotated[
    list[Tier],
    Field(max_length=len(Tier), description="Any combination of tiers, each at most once."),
    AfterValidator(_no_duplicates),
]
ChainIds = Annotated[
    list[IdRef],
    Field(max_length=50, description="The industrial chains the enterprise works in."),
    AfterValidator(_no_duplicates),
]
Name = Annotated[SafeStr, Field(min_length=1, max_length=200)]
NameEn = Annotated[SafeStr, Field(max_length=200)]
Description = Annotated[SafeStr, Field(max_length=10_000)]
Website = Annotated[str, Field(max_length=255, pattern=r"^https?://[^\s]+$"), NoNul]
Phone = Annotated[str, Field(max_length=32, pattern=r"^[0-9+()\- ]{3,32}$"), NoNul]


class Contact(InputModel):
    """Private: shown only to the enterprise's own members, organisers and admins."""

    person: Annotated[SafeStr, Field(max_length=64)] | None = None
    phone: Phone | None = None
    email: Email | None = None


class EnterpriseCreate(InputModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "嘉善光伏组件有限公司",
                    "name_en": "Jiashan PV Modules Co., Ltd.",
                    "uscc": "91330421MA2BCDEF0U",
                    "kind": "company",
                    "tiers": ["srdi", "little_giant"],
                    "region_code": "330421",
                    "chain_ids": [],
                    "description": "单晶 PERC / TOPCon 光伏组件",
                    "website": "https://pv.example.cn",
                    "contact": {
                        "person": "王五",
                        "phone": "0573-84111111",
                        "email": "wang@example.cn",
                    },
                }
            ]
        }
    )

    name: Name
    name_en: NameEn | None = None
    uscc: Uscc
    kind: EnterpriseKind
    tiers: Tiers = []
    region_code: RegionCode
    chain_ids: ChainIds = []
    description: Description = ""
    website: Website | None = None
    contact: Contact | None = None
    verified: bool | None = Field(default=None, strict=True, description="Admins only.")


class EnterpriseUpdate(InputModel):
    """A partial update: only the fields sent change; `tiers` and `chain_ids` replace the lists."""

    name: Name | None = None
    name_en: NameEn | None = None
    uscc: Uscc | None = None
    kind: EnterpriseKind | None = None
    tiers: Tiers | None = None
    region_code: RegionCode | None = None
    chain_ids: ChainIds | None = None
    description: Description | None = None
    website: Website | None = None
    contact: Contact | None = Field(
        default=None, description="Fields sent replace those stored; null clears the contact."
    )
    verified: bool | None = Field(default=None, strict=True, description="Admins only.")

    _not_null = not_null(
        "name", "uscc", "kind", "tiers", "region_code", "chain_ids", "description", "verified"
    )


class ContactRead(ReadModel):
    """An enterprise's contact, as its own members, organisers and admins see it."""

    person: str | None
    phone: str | None
    email: str | None


class EnterpriseRead(ReadModel):
    id: int
    name: str
    name_en: str | None
    uscc: str
    kind: EnterpriseKind
    tiers: list[Tier]
    region_code: str
    region_name: str
    chain_ids: list[int]
    description: str
    website: str | None
    contact: ContactRead | None = Field(
        description="Null unless you are a member of this enterprise, an organiser or an admin."
    )
    verified: bool
    created_at: datetime
    updated_at: datetime
