from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from app.models import Account, ApiToken


def find_credentials(session: Session, token_hash: str) -> Row[Any] | None:
    """What authenticating a request needs of the token with this hash and its account, as one
    plain row (asked on every authenticated request: a row is cheaper than mapped objects)."""
    stmt = (
        select(
            ApiToken.token_hash,
            ApiToken.expires_at,
            ApiToken.revoked_at,
            ApiToken.scopes,
            Account.id.label("account_id"),
            Account.role,
            Account.enterprise_id,
            Account.active,
        )
        .join(Account, Account.id == ApiToken.account_id)
        .where(ApiToken.token_hash == token_hash)
    )
    return session.execute(stmt).one_or_none()


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
