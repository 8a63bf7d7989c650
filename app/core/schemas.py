"""Base classes for request and response bodies."""

from decimal import Decimal
from typing import Annotated, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

T = TypeVar("T")


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
