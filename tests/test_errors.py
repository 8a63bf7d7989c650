"""Database failures: only an unreachable database is a 503 (retry later); any other
OperationalError is a bug, a logged 500."""

import sqlite3
from pathlib import Path

import psycopg
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine
from sqlalchemy.exc import InterfaceError, OperationalError

from app.config import Settings
from app.db.session import build_engine
from app.errors import is_database_unavailable
from app.main import create_app
from tests.conftest import database_url, is_postgres


def get(engine, path: str):
    with TestClient(create_app(engine), raise_server_exceptions=False) as client:
        return client.get(path)


def test_an_unreachable_database_is_503_with_retry_after():
    unreachable = build_engine("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1")
    response = get(unreachable, "/v1/enterprises")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert response.headers["content-type"].startswith("application/problem+json")


def test_a_failing_query_is_a_500_not_a_503(scratch_engine, caplog):
    """A database without our tables answers, but the query fails: that is our bug, not an outage
    (SQLite reports it as an OperationalError, PostgreSQL as a ProgrammingError)."""
    response = get(scratch_engine, "/v1/enterprises")
    assert response.status_code == 500
    assert response.json()["type"].endswith("/internal")
    assert "unhandled error on GET /v1/enterprises" in caplog.text


@pytest.mark.skipif(is_postgres(), reason="SQLite's own lock")
def test_a_database_locked_past_the_busy_timeout_is_503(tmp_path: Path):
    path = tmp_path / "locked.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        impatient = create_engine(f"sqlite:///{path}", connect_args={"timeout": 0.05})
        response = get(impatient, "/v1/enterprises")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert response.status_code == 503
    assert "retry" in response.json()["detail"]


@pytest.mark.parametrize(
    ("orig", "unavailable"),
    [
        (psycopg.OperationalError("connection refused"), True),  # no SQLSTATE: no server answered
        (psycopg.errors.ConnectionFailure(), True),  # 08006
        (psycopg.errors.AdminShutdown(), True),  # 57P01
        (psycopg.errors.TooManyConnections(), True),  # 53300
        (psycopg.errors.QueryCanceled(), False),  # 57014, a statement timeout
        (psycopg.errors.SerializationFailure(), False),  # 40001
        (psycopg.errors.LockNotAvailable(), False),  # 55P03
    ],
    ids=lambda value: type(value).__name__ if not isinstance(value, bool) else str(value),
)
def test_which_postgresql_errors_mean_unavailable(orig, unavailable):
    assert is_database_unavailable(OperationalError("SELECT 1", {}, orig)) is unavailable


def test_which_sqlite_errors_mean_unavailable(tmp_path: Path):
    def error_of(statement: str, path: Path) -> OperationalError:
        try:
            sqlite3.connect(path).execute(statement)
        except sqlite3.OperationalError as exc:
            return OperationalError(statement, {}, exc)
        raise AssertionError("no error")

    assert is_database_unavailable(error_of("SELECT 1", tmp_path / "missing" / "x.db"))
    assert not is_database_unavailable(error_of("SELECT * FROM nowhere", tmp_path / "x.db"))


def test_a_dropped_connection_is_unavailable_whatever_the_error_class():
    """psycopg reports some broken connections as an InterfaceError; SQLAlchemy's verdict that
    the connection dropped is what counts."""
    lost = psycopg.InterfaceError("the connection is lost")
    assert is_database_unavailable(
        InterfaceError("SELECT 1", {}, lost, connection_invalidated=True)
    )
    assert not is_database_unavailable(InterfaceError("SELECT 1", {}, lost))


def test_no_free_connection_in_time_is_503(tmp_path: Path):
    """Every pooled connection busy past CHAINDOCK_DB_POOL_TIMEOUT_SECONDS: a 503, not a 500."""
    settings = Settings(db_pool_size=1, db_max_overflow=0, db_pool_timeout_seconds=0.2)
    engine = build_engine(database_url(tmp_path), settings=settings)
    with engine.connect():  # the only connection
        response = get(engine, "/v1/enterprises")
    engine.dispose()
    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "no database connection became free" in response.json()["detail"]
