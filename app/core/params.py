"""Path and query parameter types shared by every router; bounded so nothing overflows the database."""

from typing import Annotated

from fastapi import Path

MAX_ID = 2_147_483_647

IdPath = Annotated[int, Path(ge=1, le=MAX_ID, description="The object's id.")]
