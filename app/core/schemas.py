"""Base classes for request and response bodies, and the value types every schema shares."""

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

T = TypeVar("T")

MAX_ID = 2_147_483_647  # ids are INTEGER columns on both databases


def _admits_bool(annotation: Any) -> bool:
    return annotation is bool or any(_admits_bool(arg) for arg in get_args(annotation))


class InputModel(BaseModel):
    """A request body: unknown fields (a forged ``owner_id``, ``verified``, ``id``...) are a 422."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="before")
    @classmethod
    def _booleans_only_where_declared(cls, value: Any, info: ValidationInfo) -> Any:
        """JSON `true`/`false` only in boolean fields: pydantic's lax mode reads them as 1 and 0
        in a number field, so `{"account_id": true}` meant account 1."""
        items = value if isinstance(value, list) else [value]
        if any(isinstance(item, bool) for item in items) and info.field_name is not None:
            if not _admits_bool(cls.model_fields[info.field_name].annotation):
                raise PydanticCustomError(
                    "bool_not_allowed", "true and false are not values of this field"
                )
        return value


class ReadModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        description="Pass as `cursor` to get the next page; null on the last page."
    )
    limit: int


def _reject_nul(value: Any) -> Any:
    if isinstance(value, str) and "\x00" in value:
        raise PydanticCustomError("nul_character", "text may not contain the NUL character (\\x00)")
    return value


# PostgreSQL cannot store NUL in text, so every string the API accepts (bodies, query and path
# parameters) goes through this check. Add constraints *before* it:
# `Annotated[str, Field(pattern=...), NoNul]` keeps the pattern in the OpenAPI document, while a
# pattern added on top of SafeStr would still validate but vanish from the document.
NoNul = AfterValidator(_reject_nul)
SafeStr = Annotated[str, NoNul]

# What pydantic then parses in full: a day, or a day and a time (with seconds, zone... after it).
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_ISO_DATE_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}")


def _written_as(pattern: re.Pattern[str], kind: str, example: str) -> BeforeValidator:
    """Dates and times as the OpenAPI document declares them: ISO 8601 text. Left to itself,
    pydantic also takes a number (or numeric text) as a Unix timestamp, so ``0`` became 1970-01-01."""

    def check(value: Any) -> Any:
        if isinstance(value, date) or (isinstance(value, str) and pattern.match(value)):
            return value
        raise PydanticCustomError(
            f"{kind}_format",
            "must be written as ISO 8601 text, e.g. {example}",
            {"example": example},
        )

    return BeforeValidator(check)


DateText = _written_as(_ISO_DATE, "date", "2026-05-20")
DateTimeText = _written_as(_ISO_DATE_TIME, "datetime", "2026-05-20T09:00:00+08:00")
Day = Annotated[date, DateText]

IdRef = Annotated[int, Field(ge=1, le=MAX_ID)]
RegionCode = Annotated[
    str,
    Field(
        pattern=r"^[0-9]{6}$", description="A 6-digit administrative code (e.g. 330421 Jiashan)."
    ),
    NoNul,
]
AreaCode = Annotated[
    str,
    Field(
        min_length=2,
        max_length=32,
        pattern=r"^([0-9]{6}|[a-z][a-z0-9-]*)$",
        description="A 6-digit region code or a cluster code such as `yrd`.",
    ),
    NoNul,
]


def _refuse_null(value: Any) -> Any:
    if value is None:
        raise PydanticCustomError("not_null", "this field cannot be null; leave it out to keep it")
    return value


def not_null(*fields: str) -> Any:
    """For an update body: these fields may be left out but not sent as null.

    Use as a class attribute: ``_not_null = not_null("name", "kind")``.
    """
    return field_validator(*fields, mode="before")(_refuse_null)


# Money and quantities: exact decimals in, JSON numbers out.
Amount = Annotated[
    Decimal,
    Field(ge=0, le=Decimal("1e15"), max_digits=18, decimal_places=3),
    PlainSerializer(float, return_type=float, when_used="json"),
]

# One trillion yuan: an amount in fen then stays exact as a JSON number (a double holds whole
# numbers exactly up to 2^53, some 9e15 fen) and as SQLite's float.
MAX_YUAN = Decimal(10**12)


def _cap_yuan(value: Decimal, info: ValidationInfo) -> Decimal:
    # Only what is sent is capped: a read model (from_attributes) shows an amount stored before
    # the cap as it is rather than failing the whole response.
    if value > MAX_YUAN and not (info.config or {}).get("from_attributes"):
        raise PydanticCustomError(
            "yuan_too_large",
            "an amount in yuan is at most 1000000000000 (one trillion); larger sums are not "
            "kept exactly",
        )
    return value


Yuan = Annotated[
    Decimal,
    Field(ge=0, decimal_places=2, json_schema_extra={"maximum": 10**12}),
    AfterValidator(_cap_yuan),
    PlainSerializer(float, return_type=float, when_used="json"),
]
