"""Small helpers shared by the tests of writes under load and faults."""

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

PROBLEM = "application/problem+json"


def count(session: Session, model: Any) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def keyed(headers: dict[str, str], key: str) -> dict[str, str]:
    """The headers with an Idempotency-Key."""
    return {**headers, "Idempotency-Key": key}
