"""Reading the audit trail back, through the API as an admin and straight from the table."""

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import AuditEntry


def trail(client: Any, admin: dict[str, str], **params: Any) -> list[dict[str, Any]]:
    """Every entry matching ``params``, oldest first, through GET /v1/audit (all pages)."""
    entries: list[dict[str, Any]] = []
    cursor = None
    while True:
        page = client.get(
            "/v1/audit", params={**params, "limit": 200, "cursor": cursor}, headers=admin
        )
        assert page.status_code == 200, page.text
        entries += page.json()["items"]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return entries[::-1]


def of(entries: list[dict[str, Any]], object_type: str, object_id: int) -> list[dict[str, Any]]:
    return [e for e in entries if (e["object_type"], e["object_id"]) == (object_type, object_id)]


def count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


def change(entry: dict[str, Any], name: str) -> tuple[Any, Any]:
    field = entry["changes"][name]
    return field["before"], field["after"]
