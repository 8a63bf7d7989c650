from typing import Any

from sqlalchemy import Row, Table, bindparam, select
from sqlalchemy.orm import Session

from app.models import Account, ApiToken

_TOKENS: Table = ApiToken.__table__  # type: ignore[assignment]
_ACCOUNTS: Table = Account.__table__  # type: ignore[assignment]
_CREDENTIALS = (
    select(
        _TOKENS.c.token_hash,
        _TOKENS.c.expires_at,
        _TOKENS.c.revoked_at,
        _TOKENS.c.scopes,
        _ACCOUNTS.c.id.label("account_id"),
        _ACCOUNTS.c.role,
        _ACCOUNTS.c.enterprise_id,
        _ACCOUNTS.c.active,
    )
    .join(_ACCOUNTS, _ACCOUNTS.c.id == _TOKENS.c.account_id)
    .where(_TOKENS.c.token_hash == bindparam("token_hash"))
)


def find_credentials(session: Session, token_hash: str) -> Row[Any] | None:
    """What authenticating a request needs of the token with this hash and its account, as one
    plain row (asked on every authenticated request: a row is cheaper than mapped objects, and
    the query is built once)."""
    return session.execute(_CREDENTIALS, {"token_hash": token_hash}).one_or_none()


def get_account(session: Session, account_id: int) -> Account | None:
    return session.get(Account, account_id)


def find_account_by_email(session: Session, email: str) -> Account | None:
    return session.scalars(select(Account).where(Account.email == email)).one_or_none()


def list_accounts(session: Session, *, enterprise_id: int | None = None) -> list[Account]:
    stmt = select(Account).order_by(Account.id)
    if enterprise_id is not None:
        stmt = stmt.where(Account.enterprise_id == enterprise_id)
    return list(session.scalars(stmt))


def get_token(session: Session, token_id: int) -> ApiToken | None:
    return session.get(ApiToken, token_id)


def list_tokens(session: Session, account_id: int) -> list[ApiToken]:
    stmt = select(ApiToken).where(ApiToken.account_id == account_id).order_by(ApiToken.id)
    return list(session.scalars(stmt))
