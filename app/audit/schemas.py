from datetime import datetime
from typing import Any

from pydantic import Field

from app.core.schemas import ReadModel
from app.models.enums import AuditAction, AuditObject


class FieldChange(ReadModel):
    before: Any = Field(description="The value before the change; null for a new object.")
    after: Any = Field(description="The value after it; null for a deleted object.")


class AuditEntryRead(ReadModel):
    id: int
    at: datetime = Field(description="When the change was committed (UTC).")
    account_id: int | None = Field(description="The account whose token made the change.")
    enterprise_id: int | None = Field(
        description="That account's enterprise (null for organisers and admins)."
    )
    action: AuditAction = Field(
        description="create, update, delete, or status: an update that moved the status."
    )
    object_type: AuditObject
    object_id: int
    changes: dict[str, FieldChange] = Field(
        description="The fields that changed, each with its value before and after; line items, "
        "chain nodes, regions served and availability are fields of the object holding them."
    )
    request_id: str | None = Field(description="The request's X-Request-ID, if it sent one.")
