from datetime import datetime
from typing import Annotated, Any

from pydantic import Field, field_validator

from app.core.params import MAX_ID
from app.core.schemas import InputModel, ReadModel
from app.models.enums import ChainPosition

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"

Slug = Annotated[
    str,
    Field(
        min_length=1,
        max_length=64,
        pattern=SLUG_PATTERN,
        description="Lower-case letters and digits in words joined by '-', e.g. `pv-glass`.",
    ),
]
NameZh = Annotated[
    str, Field(min_length=1, max_length=128, description="Name in Chinese, e.g. 光伏玻璃.")
]
NameEn = Annotated[
    str, Field(min_length=1, max_length=128, description="Name in English, e.g. PV glass.")
]
Description = Annotated[str, Field(max_length=4000)]
SortOrder = Annotated[
    int, Field(ge=-1_000_000, le=1_000_000, description="Siblings are listed by this, then by id.")
]
NodeRef = Annotated[int, Field(ge=1, le=MAX_ID)]


def _refuse_null(value: Any) -> Any:
    if value is None:
        raise ValueError("may be left out but not null")
    return value


class ChainCreate(InputModel):
    slug: Slug
    name_zh: NameZh
    name_en: NameEn
    description: Description = ""


class ChainUpdate(InputModel):
    slug: Slug | None = None
    name_zh: NameZh | None = None
    name_en: NameEn | None = None
    description: Description | None = None

    _not_null = field_validator("slug", "name_zh", "name_en", "description", mode="before")(
        _refuse_null
    )


class ChainRead(ReadModel):
    id: int
    slug: str
    name_zh: str
    name_en: str
    description: str
    version: int
    created_at: datetime
    updated_at: datetime


class NodeCreate(InputModel):
    parent_id: NodeRef | None = Field(
        default=None, description="A node of the same chain; leave out for a top-level node."
    )
    slug: Slug
    name_zh: NameZh
    name_en: NameEn
    position: ChainPosition
    sort_order: SortOrder = 0
    description: Description = ""


class NodeUpdate(InputModel):
    parent_id: NodeRef | None = Field(
        default=None,
        description="Move under another node of the same chain; null moves it to the top.",
    )
    slug: Slug | None = None
    name_zh: NameZh | None = None
    name_en: NameEn | None = None
    position: ChainPosition | None = None
    sort_order: SortOrder | None = None
    description: Description | None = None

    _not_null = field_validator(
        "slug", "name_zh", "name_en", "position", "sort_order", "description", mode="before"
    )(_refuse_null)


class NodeRead(ReadModel):
    id: int
    chain_id: int
    parent_id: int | None
    slug: str
    name_zh: str
    name_en: str
    position: ChainPosition
    sort_order: int
    description: str
    version: int
    created_at: datetime
    updated_at: datetime


class NodeTreeRead(NodeRead):
    children: list["NodeTreeRead"] = Field(description="Child nodes, by sort_order then id.")


class ChainTreeRead(ChainRead):
    nodes: list[NodeTreeRead] = Field(description="Top-level nodes, each with its children nested.")
