from datetime import date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Depends

from app.config import get_settings


def today() -> date:
    """Today in the service's calendar (China Standard Time by default)."""
    return datetime.now(ZoneInfo(get_settings().timezone)).date()


async def _today() -> date:  # async: a dependency that needs no thread of the pool
    return today()


Today = Annotated[date, Depends(_today)]
