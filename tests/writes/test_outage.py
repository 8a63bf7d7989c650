"""The database going away under load and coming back, through a real server on loopback.

Writer threads create requirements in a loop (with Idempotency-Keys, retrying on 503) while the
test takes the database away for a few seconds: on PostgreSQL a TCP proxy between the app's
engine and the server is cut (connections reset, new ones refused) or stalled (new ones never
answered: only the connect timeout ends the wait), or the server terminates the app's
connections again and again as a restart does; on SQLite another process holds the write lock.
Meanwhile every answer is a 201 or a 503 problem+json with Retry-After, never a 500 and never
later than a bound; afterwards the same app, not restarted, succeeds again; and the database
holds every acknowledged creation, each exactly once, whole.
"""

import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.config import Settings
from app.db.session import build_engine
from app.main import create_app
from app.models import IdempotencyKey, Requirement, RequirementItem
from tests.conftest import SCRATCH_SCHEMA, is_postgres
from tests.factories import Factory
from tests.live import serve
from tests.writes.helpers import PROBLEM, count
from tests.writes.proxy import TcpProxy
from tests.writes.writers import ITEMS, Writers, title_of

APP_NAME = "chaindock-outage-test"
CONNECT_TIMEOUT = 2  # seconds; libpq's minimum
BUSY_TIMEOUT = 2.5  # seconds a SQLite writer waits for the lock (others' writes queue too)
SLACK = 3  # seconds an answer may take beyond those waits on a busy two-core machine
BEFORE, AFTER = 1.5, 4.0  # seconds of normal load around the outage
RECOVERED = 1.0  # seconds after the database is back from which every request must succeed
# Six writers on a quiet machine make more than a token's 600 a minute: limits are not tested here.
UNLIMITED = {"rate_limit_enabled": False}


@pytest.fixture
def member(migrated_engine: Engine) -> dict[str, str]:
    with Session(migrated_engine) as session:
        factory = Factory(session)
        return factory.member_of(factory.enterprise("断网测试链主"))


@dataclass
class Outage:
    begin: Callable[[], None]
    end: Callable[[], None]
    seconds: float
    all_fail: bool = True  # every request sent during the outage fails (not so for restarts)
    held: float = 0.0  # when ``begin`` returned: SQLite's BEGIN EXCLUSIVE waits for the writers


def run(writers: Writers, outage: Outage) -> tuple[float, float]:
    """Load before, during and after the outage; when it began and ended."""
    writers.start()
    time.sleep(BEFORE)
    began = time.monotonic()
    outage.begin()
    outage.held = time.monotonic()
    time.sleep(outage.seconds)
    ended = time.monotonic()
    outage.end()
    time.sleep(AFTER)
    writers.stop()
    return began, ended


def check(
    engine: Engine, writers: Writers, outage: Outage, began: float, ended: float, bound: float
) -> str:
    """The assertions every outage shares; a line of what was measured."""
    attempts = writers.attempts
    statuses = Counter(a.status for a in attempts)
    assert set(statuses) == {201, 503}, statuses
    for failed in (a for a in attempts if a.status == 503):
        assert failed.content_type == PROBLEM and failed.retry_after == "5", failed
        assert failed.body["status"] == 503 and "retry" in failed.body["detail"]
    slowest = max(a.seconds for a in attempts)
    assert slowest < bound, f"an answer took {slowest:.2f} s"
    assert all(a.status == 201 for a in attempts if a.done < began)
    during = writers.between(outage.held + 0.1, ended)
    assert during, "no request was answered during the outage"
    if outage.all_fail:
        assert all(a.status == 503 for a in during), Counter(a.status for a in during)
    else:
        assert any(a.status == 503 for a in during)
    later = writers.sent_after(ended + RECOVERED)
    assert later and all(a.status == 201 for a in later), Counter(a.status for a in later)
    back = min(a.done for a in attempts if a.status == 201 and a.sent >= ended) - ended

    # Every creation was acknowledged in the end (503s were retried with the same key), and the
    # database holds each exactly once, with all its items; nothing else.
    assert set(writers.acknowledged) == writers.keys
    with Session(engine) as session:
        rows = session.execute(
            select(Requirement.id, Requirement.title, func.count(RequirementItem.id))
            .outerjoin(RequirementItem)
            .group_by(Requirement.id)
        ).all()
        keys = count(session, IdempotencyKey)
    assert sorted((title, rid) for rid, title, _ in rows) == sorted(
        (title_of(key), rid) for key, rid in writers.acknowledged.items()
    )
    assert {items for _, _, items in rows} == {ITEMS}
    assert keys == len(writers.keys)
    unavailable = [a for a in attempts if a.status == 503]
    return (
        f"{len(writers.keys)} creations in {len(attempts)} requests: {statuses[503]} were 503 "
        f"(slowest {max(a.seconds for a in unavailable):.2f} s, median "
        f"{sorted(a.seconds for a in unavailable)[len(unavailable) // 2]:.3f} s); "
        f"slowest answer {slowest:.2f} s; first 201 {back:.2f} s after the database was back; "
        f"{sum(a.replayed for a in attempts)} committed creations answered 503 were replayed"
    )


# --- PostgreSQL ----------------------------------------------------------------------------------

postgres_only = pytest.mark.skipif(not is_postgres(), reason="a PostgreSQL server to cut off")


@pytest.fixture
def proxy(migrated_engine: Engine) -> Iterator[TcpProxy]:
    url = migrated_engine.url
    proxy = TcpProxy((url.host or "127.0.0.1", url.port or 5432))
    yield proxy
    proxy.close()


@pytest.fixture
def proxied(migrated_engine: Engine, proxy: TcpProxy, member) -> Iterator[Writers]:  # type: ignore[no-untyped-def]
    """Writers against a live app whose engine reaches the database through the proxy."""
    url = migrated_engine.url.set(
        host="127.0.0.1",
        port=proxy.port,
        query={"options": f"-csearch_path={SCRATCH_SCHEMA}", "application_name": APP_NAME},
    )
    settings = Settings(
        db_connect_timeout_seconds=CONNECT_TIMEOUT, db_pool_timeout_seconds=3, **UNLIMITED
    )
    engine = build_engine(url.render_as_string(hide_password=False), settings=settings)
    with serve(create_app(engine, settings=settings)) as base:
        yield Writers(base, member)
    engine.dispose()


@postgres_only
def test_cutting_the_database_off(proxied: Writers, proxy: TcpProxy, migrated_engine: Engine):
    outage = Outage(proxy.cut, proxy.restore, seconds=2.5)
    began, ended = run(proxied, outage)
    print("cut:", check(migrated_engine, proxied, outage, began, ended, bound=SLACK))


@postgres_only
def test_a_database_host_that_stops_answering(
    proxied: Writers, proxy: TcpProxy, migrated_engine: Engine
):
    """New connections hang: each request during the stall gives up after the connect timeout."""
    outage = Outage(proxy.stall, proxy.restore, seconds=6)
    began, ended = run(proxied, outage)
    print(
        "stall:",
        check(migrated_engine, proxied, outage, began, ended, bound=CONNECT_TIMEOUT + SLACK),
    )
    during = [a for a in proxied.between(began + 0.1, ended) if a.status == 503]
    assert all(a.seconds >= CONNECT_TIMEOUT - 0.1 for a in during)


@postgres_only
def test_a_database_restarting_again_and_again(proxied: Writers, migrated_engine: Engine):
    """The server ends every connection of the app (SQLSTATE 57P01, as at a shutdown) every
    0.2 s for three seconds."""
    stop = threading.Event()

    def terminate() -> None:
        with migrated_engine.connect() as admin:
            while not stop.is_set():
                admin.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE application_name = :name"
                    ),
                    {"name": APP_NAME},
                )
                admin.commit()
                stop.wait(0.2)

    killer = threading.Thread(target=terminate, daemon=True)

    def end() -> None:
        stop.set()
        killer.join(timeout=10)

    outage = Outage(killer.start, end, seconds=3, all_fail=False)
    began, ended = run(proxied, outage)
    print("restarts:", check(migrated_engine, proxied, outage, began, ended, bound=SLACK))


# --- SQLite --------------------------------------------------------------------------------------


@pytest.mark.skipif(is_postgres(), reason="SQLite's file lock")
def test_a_sqlite_database_locked_by_another_process(migrated_engine: Engine, member):
    """Another process holds the write lock (a backup, a long migration) for 6 s: writers give
    up after the busy timeout (2.5 s here, so that six writers queueing on a busy machine do
    not) with a 503 and succeed once it lets go."""
    settings = Settings(sqlite_busy_timeout_ms=round(BUSY_TIMEOUT * 1000), **UNLIMITED)
    engine = build_engine(str(migrated_engine.url), settings=settings)
    path = make_url(str(migrated_engine.url)).database
    # Patient: the app's writers hand the lock on to each other at once, so a poller from outside
    # may wait long for a gap on a busy machine.
    holder = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    outage = Outage(
        lambda: holder.execute("BEGIN EXCLUSIVE"), lambda: holder.execute("ROLLBACK"), seconds=6
    )
    try:
        with serve(create_app(engine, settings=settings)) as base:
            writers = Writers(base, member)
            began, ended = run(writers, outage)
    finally:
        holder.close()
        engine.dispose()
    print(
        "sqlite lock:",
        check(migrated_engine, writers, outage, began, ended, bound=BUSY_TIMEOUT + SLACK),
    )


@pytest.mark.skipif(is_postgres(), reason="SQLite's file lock")
def test_sqlite_writers_of_one_process_take_turns(migrated_engine: Engine, member):
    """Sixteen writers and no one else on the file: every write waits its turn and succeeds.
    Left to SQLite's busy handler, which polls, some writer loses every poll for the two seconds
    of its busy timeout in nearly every run of this test (a 503 though nothing blocked it)."""
    settings = Settings(sqlite_busy_timeout_ms=2000, **UNLIMITED)
    engine = build_engine(str(migrated_engine.url), settings=settings)
    try:
        with serve(create_app(engine, settings=settings)) as base:
            writers = Writers(base, member, threads=16)
            writers.start()
            time.sleep(4)
            writers.stop()
    finally:
        engine.dispose()
    statuses = Counter(a.status for a in writers.attempts)
    assert statuses[201] > 50 and set(statuses) == {201}, statuses
