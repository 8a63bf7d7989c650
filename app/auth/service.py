"""Accounts and API tokens."""

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from app.auth import repository
from app.auth.principal import Principal
from app.auth.schemas import AccountCreate, AccountUpdate, TokenCreate
from app.config import get_settings
from app.core.security import display_prefix, hash_token, new_token_secret
from app.db.types import utcnow
from app.errors import Conflict, Forbidden, NotFound, Unprocessable, conflict_on_integrity
from app.models import Account, ApiToken, Enterprise
from app.models.enums import ALL_SCOPES, Role, TokenScope


class AccountNotFound(NotFound):
    def __init__(self, account_id: int) -> None:
        super().__init__(f"Account {account_id} does not exist.")


class TokenNotFound(NotFound):
    def __init__(self, token_id: int) -> None:
        super().__init__(f"Token {token_id} does not exist.")


def _email_taken(email: str | None) -> str:
    if email is None:
        return "Another request changed the accounts at the same time; retry."
    return f"An account with email {email} already exists."


def _check_email_free(session: Session, email: str | None, account_id: int | None = None) -> None:
    if email is None:
        return
    existing = repository.find_account_by_email(session, email)
    if existing is not None and existing.id != account_id:
        raise Conflict(_email_taken(email))


def create_account(session: Session, principal: Principal, data: AccountCreate) -> Account:
    if principal.role is Role.organiser and data.role is not Role.member:
        raise Forbidden("Organisers may create member accounts only; ask an admin for other roles.")
    if data.enterprise_id is not None and session.get(Enterprise, data.enterprise_id) is None:
        raise Unprocessable(
            f"Enterprise {data.enterprise_id} does not exist.", field="body.enterprise_id"
        )
    _check_email_free(session, data.email)
    account = Account(**data.model_dump())
    session.add(account)
    with conflict_on_integrity(_email_taken(data.email)):
        session.flush()
    return account


def visible_account(session: Session, principal: Principal, account_id: int) -> Account:
    account = repository.get_account(session, account_id)
    if account is None or not (principal.is_staff or account.id == principal.account_id):
        raise AccountNotFound(account_id)
    return account


def update_account(
    session: Session, principal: Principal, account_id: int, data: AccountUpdate
) -> Account:
    account = visible_account(session, principal, account_id)
    changes = data.model_dump(exclude_unset=True)
    if "active" in changes and not principal.is_admin:
        raise Forbidden("Only admins may activate or deactivate accounts.")
    if not principal.manages_account(account.role, account.id):
        raise Forbidden("Organisers may change member accounts only.")
    _check_email_free(session, changes.get("email"), account.id)
    for key, value in changes.items():
        setattr(account, key, value)
    with conflict_on_integrity(_email_taken(changes.get("email"))):
        session.flush()
    return account


def issue_token(
    session: Session,
    account: Account,
    name: str,
    ttl_days: int,
    scopes: tuple[TokenScope, ...] = ALL_SCOPES,
) -> tuple[ApiToken, str]:
    return _issue(session, account, name, utcnow() + timedelta(days=ttl_days), scopes)


def _issue(
    session: Session,
    account: Account,
    name: str,
    expires_at: datetime,
    scopes: tuple[TokenScope, ...],
) -> tuple[ApiToken, str]:
    secret = new_token_secret()
    token = ApiToken(
        account_id=account.id,
        name=name,
        prefix=display_prefix(secret),
        token_hash=hash_token(secret),
        expires_at=expires_at,
        scopes=[scope.value for scope in TokenScope if scope in scopes],
    )
    session.add(token)
    session.flush()
    return token, secret


def token_expiry(principal: Principal, expires_in_days: int | None) -> datetime:
    """When a token made by this request expires: never later than the configured maximum, nor
    than the token making the request, so revoking or outliving a token ends what it made.

    Asked-for days past a limit are a 422 naming it; the default is shortened to fit.
    """
    settings = get_settings()
    now = utcnow()
    limit = now + timedelta(days=settings.token_max_ttl_days)
    why = f"the longest a token may live is {settings.token_max_ttl_days} days"
    creator = principal.token_expires_at
    if creator is not None and creator < limit:
        limit = creator
        why = (
            "a token cannot outlive the token that creates it, and yours expires at "
            f"{creator.isoformat(timespec='seconds')}"
        )
    if expires_in_days is None:
        return min(now + timedelta(days=settings.token_default_ttl_days), limit)
    expires_at = now + timedelta(days=expires_in_days)
    if expires_at > limit:
        most = (limit - now).days
        hint = (
            f"ask for at most {most} days"
            if most >= 1
            else "leave expires_in_days out to get a token that expires with yours"
        )
        raise Unprocessable(
            f"expires_in_days={expires_in_days} is too long: {why}; {hint}.",
            field="body.expires_in_days",
        )
    return expires_at


def create_token(session: Session, principal: Principal, data: TokenCreate) -> tuple[ApiToken, str]:
    """A token for the caller or, for staff, for an account they manage (see Principal)."""
    assert principal.account_id is not None
    account_id = data.account_id or principal.account_id
    if account_id != principal.account_id and not principal.is_staff:
        raise Forbidden("Only organisers and admins may create tokens for another account.")
    account = repository.get_account(session, account_id)
    if account is None:
        raise Unprocessable(f"Account {account_id} does not exist.", field="body.account_id")
    if not principal.manages_account(account.role, account.id):
        raise Forbidden(
            f"Organisers may create tokens for member accounts only; account {account_id} is "
            f"an {account.role.value}."
        )
    if not account.active:
        raise Conflict(f"Account {account_id} is deactivated; activate it before issuing tokens.")
    scopes = granted_scopes(principal, data.scopes)
    expires_at = token_expiry(principal, data.expires_in_days)
    return _issue(session, account, data.name, expires_at, scopes)


def granted_scopes(principal: Principal, asked: list[TokenScope] | None) -> tuple[TokenScope, ...]:
    """The new token's scopes: those asked for, by default the creating token's own; a token
    never grants a scope it does not hold, so a read-only token cannot mint a writing one."""
    held = principal.scopes
    wanted = held if asked is None else frozenset(asked)
    beyond = [scope.value for scope in TokenScope if scope in wanted - held]
    if beyond:
        has = ", ".join(scope.value for scope in TokenScope if scope in held)
        raise Forbidden(
            f"A token cannot grant scopes it does not hold: yours has {has}, not "
            f"{', '.join(beyond)}; leave {', '.join(beyond)} out of `scopes`."
        )
    return tuple(scope for scope in TokenScope if scope in wanted)


def list_tokens(session: Session, principal: Principal, account_id: int | None) -> list[ApiToken]:
    target = account_id or principal.account_id
    assert target is not None
    if target != principal.account_id:
        refused = Forbidden(
            "Only admins, and organisers for member accounts, may list another account's tokens."
        )
        if not principal.is_staff:
            raise refused
        account = repository.get_account(session, target)
        if account is None:
            raise AccountNotFound(target)
        if not principal.manages_account(account.role, account.id):
            raise refused
    return repository.list_tokens(session, target)


def revoke_token(session: Session, principal: Principal, token_id: int) -> None:
    token = repository.get_token(session, token_id)
    if token is None:
        raise TokenNotFound(token_id)
    if token.account_id != principal.account_id:
        owner = repository.get_account(session, token.account_id) if principal.is_staff else None
        if owner is None or not principal.manages_account(owner.role, owner.id):
            raise TokenNotFound(token_id)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.flush()
