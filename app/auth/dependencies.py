"""Bearer-token authentication and role checks, as FastAPI dependencies."""

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.auth import repository
from app.auth.principal import ANONYMOUS, Principal
from app.core.security import hash_matches, hash_token
from app.db.session import SessionDep
from app.db.types import utcnow
from app.errors import Forbidden, NotAuthenticated
from app.models.enums import Role

_bearer = HTTPBearer(auto_error=False, description="An API token: `Authorization: Bearer cd_...`")


def optional_principal(
    request: Request,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    if credentials is None:
        return ANONYMOUS
    token_hash = hash_token(credentials.credentials)
    token = repository.find_token_by_hash(session, token_hash)
    if token is None or not hash_matches(token_hash, token.token_hash):
        raise NotAuthenticated("The API token is not known; check it or create a new one.")
    if token.revoked_at is not None:
        raise NotAuthenticated("The API token has been revoked; create a new one.")
    if token.expires_at <= utcnow():
        raise NotAuthenticated("The API token has expired; create a new one.")
    account = token.account
    if not account.active:
        raise NotAuthenticated("The account of this token is deactivated.")
    request.state.account_id = account.id  # for the access log
    return Principal(
        account_id=account.id,
        role=account.role,
        enterprise_id=account.enterprise_id,
        token_expires_at=token.expires_at,
    )


OptionalPrincipal = Annotated[Principal, Depends(optional_principal)]


def current_principal(principal: OptionalPrincipal) -> Principal:
    if principal.is_anonymous:
        raise NotAuthenticated(
            "This request needs an API token: send `Authorization: Bearer <token>`."
        )
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def staff_principal(principal: CurrentPrincipal) -> Principal:
    if not principal.is_staff:
        raise Forbidden("Only organisers and admins may do this.")
    return principal


StaffPrincipal = Annotated[Principal, Depends(staff_principal)]


def admin_principal(principal: CurrentPrincipal) -> Principal:
    if principal.role is not Role.admin:
        raise Forbidden("Only admins may do this.")
    return principal


AdminPrincipal = Annotated[Principal, Depends(admin_principal)]
