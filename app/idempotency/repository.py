"""SQL for idempotency keys: look one up, claim one, purge the expired."""

from datetime import datetime

from sqlalchemy import delete, select, text
from sqlalchemy.orm import Session

from app.models import IdempotencyKey


def find(session: Session, account_id: int, key: str) -> IdempotencyKey | None:
    stmt = select(IdempotencyKey).where(
        IdempotencyKey.account_id == account_id, IdempotencyKey.key == key
    )
    return session.scalars(stmt).one_or_none()


def purge(session: Session, before: datetime, account_id: int | None = None) -> int:
    """Delete keys created before ``before`` (of one account, or of all); how many went."""
    stmt = delete(IdempotencyKey).where(IdempotencyKey.created_at < before)
    if account_id is not None:
        stmt = stmt.where(IdempotencyKey.account_id == account_id)
    return session.execute(stmt.execution_options(synchronize_session=False)).rowcount


def insert(session: Session, row: IdempotencyKey, wait_seconds: float) -> None:
    """Insert a claimed key inside a savepoint of its own.

    A request holding the same key and not yet finished holds its uncommitted row: on
    PostgreSQL the insert waits on the unique index until that request commits (then this one
    fails with an IntegrityError) or rolls back (then this one goes ahead), for at most
    ``wait_seconds`` (then an OperationalError, SQLSTATE 55P03). The wait limit is set for this
    statement alone. SQLite runs one writer at a time, so there is nothing to wait for.
    """
    postgres = session.get_bind().dialect.name == "postgresql"
    with session.begin_nested():
        if postgres:
            session.execute(
                text("SELECT set_config('lock_timeout', :limit, true)"),
                {"limit": f"{max(1, round(wait_seconds * 1000))}ms"},
            )
        session.add(row)
        session.flush()
        if postgres:
            session.execute(text("RESET lock_timeout"))
