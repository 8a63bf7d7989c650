from datetime import datetime
from typing import Annotated

from pydantic import Field, field_validator

from app.core.schemas import IdRef, InputModel, ReadModel, SafeStr
from app.core.text import normalise

Spelling = Annotated[SafeStr, Field(min_length=1, max_length=64)]
Description = Annotated[SafeStr, Field(max_length=2000)]


def _spellings(values: list[str] | None) -> list[str] | None:
    if values is None:
        return None
    for value in values:
        if not normalise(value):
            raise ValueError(f"'{value}' has no letters, digits or Chinese characters")
    return list(dict.fromkeys(v.strip() for v in values))


class GlossaryEntryCreate(InputModel):
    canonical: Spelling = Field(description="The name the spellings map to, e.g. `junction box`.")
    spellings: Annotated[list[Spelling], Field(min_length=1, max_length=50)] = Field(
        description="Every way the concept is written: 接线盒, J-box, junction box..."
    )
    chain_id: IdRef | None = None
    description: Description = ""

    _check = field_validator("spellings")(_spellings)


class GlossaryEntryUpdate(InputModel):
    canonical: Spelling | None = None
    spellings: Annotated[list[Spelling], Field(min_length=1, max_length=50)] | None = None
    chain_id: IdRef | None = None
    description: Description | None = None

    _check = field_validator("spellings")(_spellings)


class GlossaryEntryRead(ReadModel):
    id: int
    canonical: str
    spellings: list[str]
    chain_id: int | None
    description: str
    created_at: datetime
    updated_at: datetime
    version: int


class TextAnalysis(ReadModel):
    text: str
    tokens: list[str] = Field(
        description="What matching reads: glossary concepts as their canonical token, other words "
        "segmented (Chinese with jieba)."
    )
