from datetime import datetime
from typing import Annotated

from pydantic import Field

from app.core.schemas import IdRef, InputModel, NoNul, ReadModel, SafeStr, not_null
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
    NoNul,
]
NameZh = Annotated[
    SafeStr, Field(min_length=1, max_length=128, description="Name in Chinese, e.g. 光伏玻璃.")
]
NameEn = Annotated[
    SafeStr, Field(min_length=1, max_length=128, description="Name in English, e.g. PV glass.")
]
Description = Annotated[SafeStr, Field(max_length=4000)]
SortOrder = Annotated[
    int, Field(ge=-1_000_000, le=1_000_000, description="Siblings are listed by this, then by id.")
]


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

    _not_null = not_null("slug", "name_zh", "name_en", "description")


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
    parent_id: IdRef | None = Field(
        default=None, description="A node of the same chain; leave out for a top-level node."
    )
    slug: Slug
    name_zh: NameZh
    name_en: NameEn
    position: ChainPosition
    sort_order: SortOrder = 0
    description: Description = ""


class NodeUpdate(InputModel):
    parent_id: IdRef | None = Field(
        default=None,
        description="Move under another node of the same chain; null moves it to the top.",
    )
    slug: Slug | None = None
    name_zh: NameZh | None = None
    name_en: NameEn | None = None
    position: ChainPosition | None = None
    sort_order: SortOrder | None = None
    description: Description | None = None

    _not_null = not_null("slug", "name_zh", "name_en", "position", "sort_order", "description")


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
