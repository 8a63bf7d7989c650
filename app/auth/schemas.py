from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, Field, model_validator

from app.core.schemas import IdRef, InputModel, NoNul, ReadModel, SafeStr, not_null
from app.models.enums import Role, TokenScope

Email = Annotated[str, Field(max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$"), NoNul]
ShortName = Annotated[SafeStr, Field(min_length=1, max_length=128)]


class AccountCreate(InputModel):
    name: ShortName
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
    name: ShortName | None = None
    email: Email | None = Field(default=None, description="null removes the email.")
    active: bool | None = Field(default=None, strict=True, description="Admins only.")

    _not_null = not_null("name", "active")


class AccountRead(ReadModel):
    id: int
    name: str
    email: str | None
    role: Role
    enterprise_id: int | None
    active: bool
    created_at: datetime


def _in_order(scopes: list[TokenScope]) -> list[TokenScope]:
    """Each scope once, in the order read, write, admin."""
    return [scope for scope in TokenScope if scope in scopes]


Scopes = Annotated[
    list[TokenScope],
    Field(
        min_length=1,
        max_length=len(TokenScope),
        description="`read`: GET and HEAD requests; `write`: every other method; `admin`: with "
        "`write`, creating and changing accounts and tokens.",
    ),
    AfterValidator(_in_order),
]


class TokenCreate(InputModel):
    name: ShortName = Field(description="What the token is for, e.g. 'ERP sync'.")
    expires_in_days: int | None = Field(
        default=None,
        ge=1,
        le=36_500,
        description="Days until the token expires. Default 90 (`CHAINDOCK_TOKEN_DEFAULT_TTL_DAYS`); "
        "at most 730 (`CHAINDOCK_TOKEN_MAX_TTL_DAYS`), and never past the expiry of the token "
        "making the request: a longer request is a 422, the default is shortened to fit.",
    )
    account_id: IdRef | None = Field(
        default=None,
        description="Create the token for another account: admins for any account, "
        "organisers for member accounts.",
    )
    scopes: Scopes | None = Field(
        default=None,
        description="What the token may do, within its account's role. Default: the scopes of "
        "the token making the request; asking for one that token lacks is a 403.",
    )


class TokenRead(ReadModel):
    id: int
    account_id: int
    name: str
    prefix: str = Field(description="The first characters of the token, to tell tokens apart.")
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    scopes: list[TokenScope] = Field(description="What the token may do (see TokenCreate).")


class TokenCreated(TokenRead):
    token: str = Field(
        description="The secret. It is shown this once and cannot be retrieved again."
    )
