"""Accounts and API tokens."""

from datetime import timedelta

from sqlalchemy.orm import Session

from app.auth import repository
from app.auth.principal import Principal
from app.auth.schemas import AccountCreate, AccountUpdate, TokenCreate
from app.core.security import display_prefix, hash_token, new_token_secret
from app.db.types import utcnow
from app.errors import Conflict, Forbidden, NotFound, Unprocessable
from app.models import Account, ApiToken, Enterprise
from app.models.enums import Role


class AccountNotFound(NotFound):
    def __init__(self, account_id: int) -> None:
        super().__init__(f"Account {account_id} does not exist.")


class TokenNotFound(NotFound):
    def __init__(self, token_id: int) -> None:
        super().__init__(f"Token {token_id} does not exist.")


def _check_email_free(session: Session, email: str | None, account_id: int | None = None) -> None:
    if email is None:
        return
    existing = repository.find_account_by_email(session, email)
    if existing is not None and existing.id != account_id:
        raise Conflict(f"An account with email {email} already exists.")


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
    if principal.role is Role.organiser and account.role is not Role.member:
        raise Forbidden("Organisers may change member accounts only.")
    _check_email_free(session, changes.get("email"), account.id)
    for key, value in changes.items():
        setattr(account, key, value)
    session.flush()
    return account


def issue_token(
    session: Session, account: Account, name: str, ttl_days: int
) -> tuple[ApiToken, str]:
    secret = new_token_secret()
    token = ApiToken(
        account_id=account.id,
        name=name,
        prefix=display_prefix(secret),
        token_hash=hash_token(secret),
        expires_at=utcnow() + timedelta(days=ttl_days),
    )
    session.add(token)
    session.flush()
    return token, secret


def create_token(session: Session, principal: Principal, data: TokenCreate) -> tuple[ApiToken, str]:
    account_id = data.account_id or principal.account_id
    assert account_id is not None
    if account_id != principal.account_id and not principal.is_admin:
        raise Forbidden("Only admins may create tokens for another account.")
    account = repository.get_account(session, account_id)
    if account is None:
        raise Unprocessable(f"Account {account_id} does not exist.", field="body.account_id")
    if not account.active:
        raise Conflict(f"Account {account_id} is deactivated; activate it before issuing tokens.")
    return issue_token(session, account, data.name, data.expires_in_days)


def list_tokens(session: Session, principal: Principal, account_id: int | None) -> list[ApiToken]:
    target = account_id or principal.account_id
    assert target is not None
    if target != principal.account_id and not principal.is_admin:
        raise Forbidden("Only admins may list another account's tokens.")
    return repository.list_tokens(session, target)


def revoke_token(session: Session, principal: Principal, token_id: int) -> None:
    token = repository.get_token(session, token_id)
    if token is None or (token.account_id != principal.account_id and not principal.is_admin):
        raise TokenNotFound(token_id)
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.flush()
