from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from app.models import Account, ApiToken


def find_token_by_hash(session: Session, token_hash: str) -> ApiToken | None:
    stmt = (
        select(ApiToken)
        .options(joinedload(ApiToken.account))
        .where(ApiToken.token_hash == token_hash)
    )
    return session.scalars(stmt).one_or_none()


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
