from datetime import datetime
from typing import Annotated

from pydantic import Field, model_validator

from app.core.schemas import InputModel, ReadModel
from app.models.enums import Role

Email = Annotated[str, Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
IdRef = Annotated[int, Field(ge=1, le=2_147_483_647)]


class AccountCreate(InputModel):
    name: str = Field(min_length=1, max_length=128)
    email: Email | None = None
    role: Role = Role.member
    enterprise_id: IdRef | None = Field(
        default=None, description="Required for members: the enterprise the account acts for."
    )

    @model_validator(mode="after")
    def _member_has_enterprise(self) -> "AccountCreate":
        if self.role is Role.member and self.enterprise_id is None:
            raise ValueError("a member account needs an enterprise_id")
        if self.role is not Role.member and self.enterprise_id is not None:
            raise ValueError("only member accounts belong to an enterprise")
        return self


class AccountUpdate(InputModel):
    name: str | None = Field(default=None, min_length=1, max_length=128)
    email: Email | None = None
    active: bool | None = None


class AccountRead(ReadModel):
    id: int
    name: str
    email: str | None
    role: Role
    enterprise_id: int | None
    active: bool
    created_at: datetime


class TokenCreate(InputModel):
    name: str = Field(
        min_length=1, max_length=128, description="What the token is for, e.g. 'ERP sync'."
    )
    expires_in_days: int = Field(default=90, ge=1, le=730)
    account_id: IdRef | None = Field(
        default=None, description="Admins only: create the token for another account."
    )


class TokenRead(ReadModel):
    id: int
    account_id: int
    name: str
    prefix: str = Field(description="The first characters of the token, to tell tokens apart.")
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None


class TokenCreated(TokenRead):
    token: str = Field(
        description="The secret. It is shown this once and cannot be retrieved again."
    )
