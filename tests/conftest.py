"""Test database and HTTP client.

The database is built once per run by ``alembic upgrade head`` (so every run tests the
migrations), on SQLite in a temporary directory, or on PostgreSQL when ``TEST_DATABASE_URL`` is
set. Each test runs inside an outer transaction that is rolled back afterwards; the app's own
commits become savepoints, so a test sees exactly what the API did and leaves nothing behind.
"""

import os
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from fastapi import FastAPI
from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.db.session import SessionFactory, build_engine
from app.main import create_app
from app.matching.keeper import MatchKeeper
from tests.factories import Factory
from tests.live import serve

warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
from fastapi.testclient import TestClient  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def alembic_config(connection: Connection) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.attributes["connection"] = connection
    config.attributes["configure_logging"] = False
    return config


def reset_database(engine: Engine) -> None:
    """An empty database: on PostgreSQL the public schema is dropped and made again."""
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))


def database_url(tmp_dir: Path) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_dir / 'test.db'}"


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    url = database_url(tmp_path_factory.mktemp("db"))
    engine = build_engine(url)
    reset_database(engine)
    with engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as connection:
        outer = connection.begin()
        yield connection
        outer.rollback()


class TestSessionFactory(SessionFactory):
    """Every request's session joins the test's outer transaction through a savepoint."""

    def __init__(self, connection: Connection) -> None:  # noqa: D107
        self.connection = connection

    def __call__(self, *, write: bool) -> Session:
        return Session(
            bind=self.connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )


@pytest.fixture
def session(connection: Connection) -> Iterator[Session]:
    """A session for arranging data directly; it shares the test's transaction."""
    with Session(bind=connection, join_transaction_mode="create_savepoint") as session:
        yield session


@pytest.fixture(scope="session")
def app(engine: Engine) -> FastAPI:
    """One app for the run; each test points its session factory at the test's transaction."""
    return create_app(engine, SessionFactory(engine))


@pytest.fixture
def client(app: FastAPI, connection: Connection) -> Iterator[TestClient]:
    app.state.session_factory = TestSessionFactory(connection)
    app.state.match_keeper = MatchKeeper()  # the index must not outlive the rolled-back data
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def factory(session: Session) -> Factory:
    return Factory(session)


def is_postgres() -> bool:
    url = os.environ.get("TEST_DATABASE_URL")
    return bool(url) and make_url(url).get_backend_name() == "postgresql"


SCRATCH_SCHEMA = "scratch"


@pytest.fixture
def scratch_engine(tmp_path: Path) -> Iterator[Engine]:
    """An empty database of the test's own, for tests that must really commit: a fresh SQLite file,
    or on PostgreSQL a schema of its own that every connection is pointed at."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        engine = build_engine(f"sqlite:///{tmp_path / 'scratch.db'}")
        yield engine
        engine.dispose()
        return
    admin = build_engine(url)
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {SCRATCH_SCHEMA} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {SCRATCH_SCHEMA}"))
    engine = build_engine(url)

    @event.listens_for(engine, "connect")
    def _search_path(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET search_path TO {SCRATCH_SCHEMA}")
        dbapi_connection.commit()

    yield engine
    engine.dispose()
    with admin.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {SCRATCH_SCHEMA} CASCADE"))
    admin.dispose()


@pytest.fixture
def migrated_engine(scratch_engine: Engine) -> Engine:
    with scratch_engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    return scratch_engine


@pytest.fixture
def live_url(migrated_engine: Engine) -> Iterator[str]:
    """A real uvicorn server on loopback over a database that commits (see tests/live.py)."""
    with serve(create_app(migrated_engine)) as url:
        yield url
