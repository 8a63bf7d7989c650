"""Path and query parameter types shared by every router; bounded so nothing overflows the database."""

from typing import Annotated

from fastapi import Path, Query

from app.core.schemas import MAX_ID, IdRef, SafeStr

__all__ = ["MAX_ID", "IdPath", "SearchText"]

IdPath = Annotated[IdRef, Path(description="The object's id.")]
SearchText = Annotated[
    SafeStr | None,
    Query(
        min_length=1,
        max_length=200,
        description="Free text, Chinese or English. Words of five letters or four Chinese "
        "characters and more may have one slip (`invertor`, 光付组件); glossary synonyms count "
        "(`PV` finds 光伏).",
    ),
]
