"""Bearer-token authentication, token scopes and role checks, as FastAPI dependencies.

Every request that presents a token goes through ``optional_principal``: it authenticates the
token, checks its scopes (``read`` for GET and HEAD, ``write`` for any other method, plus any
scope a route asks for with ``Security(..., scopes=[...])``) and names the actor for the audit
log. Routes that change data all depend on it, through ``CurrentPrincipal`` or a role check.
"""

from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer, SecurityScopes
from sqlalchemy.orm import Session

from app.audit.recorder import bind_actor
from app.auth import repository
from app.auth.principal import ANONYMOUS, Principal
from app.core.security import hash_matches, hash_token
from app.db.session import SAFE_METHODS, SessionDep
from app.db.types import utcnow
from app.errors import Forbidden, NotAuthenticated
from app.models.enums import Role, TokenScope

KNOWN_SCOPES = frozenset(scope.value for scope in TokenScope)
_bearer = HTTPBearer(auto_error=False, description="An API token: `Authorization: Bearer cd_...`")


class MissingScope(Forbidden):
    """The token is valid but was not given a scope this request needs (RFC 6750 §3.1)."""

    slug = "insufficient-scope"

    def __init__(self, missing: list[TokenScope], method: str, held: frozenset[TokenScope]) -> None:
        names = ", ".join(f"`{scope.value}`" for scope in missing)
        has = ", ".join(s.value for s in TokenScope if s in held) or "none"
        why = " (creating or changing accounts and tokens)" if TokenScope.admin in missing else ""
        super().__init__(
            f"This token lacks the {names} scope{'s' if len(missing) > 1 else ''} needed for "
            f"this {method} request{why}; it has: {has}. Use a token created with "
            f"{names} (POST /v1/tokens with `scopes`).",
            headers={
                "WWW-Authenticate": 'Bearer realm="chaindock", error="insufficient_scope", '
                f'scope="{" ".join(s.value for s in missing)}"'
            },
        )


def method_scope(method: str) -> TokenScope:
    """The scope a request of this method needs: reading or writing."""
    return TokenScope.read if method.upper() in SAFE_METHODS else TokenScope.write


async def optional_principal(
    request: Request,
    security_scopes: SecurityScopes,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """Anonymous without a token (answered on the event loop); a token is looked up in the
    database on a worker thread, as sync dependencies are."""
    if credentials is None:
        return ANONYMOUS
    return await run_in_threadpool(
        _authenticate, request, security_scopes, session, credentials.credentials
    )


def _authenticate(
    request: Request, security_scopes: SecurityScopes, session: Session, secret: str
) -> Principal:
    token_hash = hash_token(secret)
    token = repository.find_credentials(session, token_hash)
    if token is None or not hash_matches(token_hash, token.token_hash):
        raise NotAuthenticated("The API token is not known; check it or create a new one.")
    if token.revoked_at is not None:
        raise NotAuthenticated("The API token has been revoked; create a new one.")
    if token.expires_at <= utcnow():
        raise NotAuthenticated("The API token has expired; create a new one.")
    if not token.active:
        raise NotAuthenticated("The account of this token is deactivated.")
    request.state.account_id = token.account_id  # for the access log
    principal = Principal(
        account_id=token.account_id,
        role=token.role,
        enterprise_id=token.enterprise_id,
        token_expires_at=token.expires_at,
        scopes=frozenset(TokenScope(s) for s in token.scopes if s in KNOWN_SCOPES),
    )
    needed = {method_scope(request.method), *map(TokenScope, security_scopes.scopes)}
    missing = [scope for scope in TokenScope if scope in needed - principal.scopes]
    if missing:
        raise MissingScope(missing, request.method, principal.scopes)
    bind_actor(session, principal, request)
    return principal


OptionalPrincipal = Annotated[Principal, Depends(optional_principal)]


async def current_principal(principal: OptionalPrincipal) -> Principal:
    if principal.is_anonymous:
        raise NotAuthenticated(
            "This request needs an API token: send `Authorization: Bearer <token>`."
        )
    return principal


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
# Creating or changing accounts and tokens also needs the token's `admin` scope.
AccountManager = Annotated[Principal, Security(current_principal, scopes=[TokenScope.admin])]


async def staff_principal(principal: CurrentPrincipal) -> Principal:
    if not principal.is_staff:
        raise Forbidden("Only organisers and admins may do this.")
    return principal


StaffPrincipal = Annotated[Principal, Depends(staff_principal)]
StaffAccountManager = Annotated[Principal, Security(staff_principal, scopes=[TokenScope.admin])]


async def admin_principal(principal: CurrentPrincipal) -> Principal:
    if principal.role is not Role.admin:
        raise Forbidden("Only admins may do this.")
    return principal


AdminPrincipal = Annotated[Principal, Depends(admin_principal)]
