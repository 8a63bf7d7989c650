"""Engine and the per-request session: the request owns the transaction."""

from collections.abc import AsyncIterator
from functools import lru_cache, partial
from pathlib import Path
from typing import Annotated, Any

from anyio import CapacityLimiter, to_thread
from fastapi import Depends, Request
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from app.config import Settings, get_settings
from app.db import sqlite, writes

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def build_engine(url: str, *, echo: bool = False, settings: Settings | None = None) -> Engine:
    """An engine for ``url`` configured from ``settings`` (the process's, by default).

    A bounded pool with a bounded wait for a free connection (then a 503). PostgreSQL: a
    connect timeout, so that an unreachable server fails a request in seconds (a
    503) instead of hanging it; pre-ping and recycling, so that connections broken by a restart
    are replaced by the pool instead of failing requests once the server is back.
    """
    settings = settings or get_settings()
    parsed = make_url(url)
    pool: dict[str, Any] = {
        "pool_size": settings.db_pool_size,
        "max_overflow": settings.db_max_overflow,
        "pool_timeout": settings.db_pool_timeout_seconds,
    }
    if parsed.get_backend_name() == "sqlite":
        in_memory = parsed.database in (None, "", ":memory:")
        if not in_memory:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)  # type: ignore[arg-type]
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"check_same_thread": False},
            **({} if in_memory else pool),  # one connection per thread in memory: no queue
        )
        sqlite.configure(engine, settings.sqlite_busy_timeout_ms)
        return engine
    connect_args: dict[str, Any] = {}
    if "connect_timeout" not in parsed.query:
        connect_args["connect_timeout"] = settings.db_connect_timeout_seconds
    return create_engine(
        url,
        echo=echo,
        connect_args=connect_args,
        pool_pre_ping=settings.db_pool_pre_ping,
        pool_recycle=settings.db_pool_recycle_seconds,
        **pool,
    )


@lru_cache
def get_engine() -> Engine:
    settings = get_settings()
    return build_engine(settings.database_url, echo=settings.sql_echo)


def writer_bind(engine: Engine) -> Engine:
    """The engine as a writing transaction should use it (``BEGIN IMMEDIATE`` on SQLite)."""
    return engine.execution_options(sqlite_immediate=True)


class SessionFactory:
    """Builds the session for a request; tests replace it to run inside a rolled-back transaction.

    On PostgreSQL a reading session runs in autocommit: each statement sees what was committed
    when it started, as in the default READ COMMITTED transaction, without the BEGIN and COMMIT
    round trips; finishing such a session sends nothing (``quiet_reads``). SQLite keeps a
    transaction for reads, so that a request sees one snapshot.
    """

    quiet_reads = False

    def __init__(self, engine: Engine) -> None:
        reader = engine
        if engine.dialect.name == "postgresql":
            reader = engine.execution_options(isolation_level="AUTOCOMMIT")
            self.quiet_reads = True
        self._reader = sessionmaker(bind=reader, expire_on_commit=False)
        self._writer = sessionmaker(bind=writer_bind(engine), expire_on_commit=False)

    def __call__(self, *, write: bool) -> Session:
        return (self._writer if write else self._reader)()


def _finish(session: Session, *, commit: bool, write: bool) -> None:
    try:
        if commit:
            session.commit()
            if write:
                writes.committed(session)
        else:
            session.rollback()
    finally:
        session.close()


async def get_session(request: Request) -> AsyncIterator[Session]:
    """Commit when the request succeeds, roll back when it raises.

    The session is made here and used by the endpoint in the thread pool; it connects on first
    use there. A quiet read is finished here, saving a thread hop. Finishing any other session
    may talk to the database, so it goes to a thread under a limiter of its own (as FastAPI
    gives a sync dependency's exit): a commit never waits behind request threads, which may
    themselves wait for the lock or the connection it frees.
    """
    factory: SessionFactory = request.app.state.session_factory
    write = request.method not in SAFE_METHODS
    session = factory(write=write)

    async def finish(*, commit: bool) -> None:
        if factory.quiet_reads and not write:
            _finish(session, commit=commit, write=write)
        else:
            done = partial(_finish, session, commit=commit, write=write)
            await to_thread.run_sync(done, limiter=CapacityLimiter(1))

    try:
        yield session
    except BaseException:
        await finish(commit=False)
        raise
    await finish(commit=True)


# scope="function": commit before the response is sent, so a failed commit is an error response.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
