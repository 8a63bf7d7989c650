"""Base classes for request and response bodies, and the value types every schema shares."""

from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, PlainSerializer, field_validator
from pydantic_core import PydanticCustomError

T = TypeVar("T")

MAX_ID = 2_147_483_647  # ids are INTEGER columns on both databases


class InputModel(BaseModel):
    """A request body: unknown fields (a forged ``owner_id``, ``verified``, ``id``...) are a 422."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


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
Yuan = Annotated[
    Decimal,
    Field(ge=0, le=Decimal("1e15"), max_digits=18, decimal_places=2),
    PlainSerializer(float, return_type=float, when_used="json"),
]
