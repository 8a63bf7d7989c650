"""SQLite as a server's database: WAL, a busy timeout, and writers that queue in turn.

SQLite lets one writer in at a time. Writers in other processes wait in SQLite's busy handler,
which sleeps and polls (up to 100 ms between tries); among many writers that polling is a
lottery, and under a steady stream of writes an unlucky one can lose every draw until its busy
timeout ends in "database is locked" although the database was never blocked. So the writers of
one process queue on a lock of their own first (``WriteGate``), held from ``BEGIN IMMEDIATE`` to
the end of the transaction, the span over which SQLite's lock is held anyway: only the head of
the queue meets the busy handler, where it waits for other processes alone. A writer waits at
most the busy timeout in all, at the gate and at the lock together.
"""

import sqlite3
import threading
import time
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy.exc import OperationalError

_HELD = "chaindock_write_gate"  # marks, in a pooled connection's info, that it holds the gate


class WriteGate:
    """The writers of one engine in turn: a lock taken at ``BEGIN IMMEDIATE``, given back when
    the transaction ends (or its connection goes back to the pool or is thrown away)."""

    def __init__(self, timeout_ms: int) -> None:
        self.timeout = timeout_ms / 1000
        self._lock = threading.Lock()

    def enter(self, info: dict[str, Any]) -> float:
        """Wait for the writers ahead; the seconds left of the busy timeout."""
        began = time.monotonic()
        if not self._lock.acquire(timeout=self.timeout):
            raise OperationalError(
                "BEGIN IMMEDIATE",
                None,
                sqlite3.OperationalError("database is locked (writers of this process queued)"),
            )
        info[_HELD] = True
        return self.timeout - (time.monotonic() - began)

    def leave(self, info: dict[str, Any]) -> None:
        if info.pop(_HELD, False):
            self._lock.release()


def configure(engine: Engine, busy_timeout_ms: int) -> None:
    """WAL, a busy timeout, foreign keys, and explicit BEGIN so writers take the lock up front.

    pysqlite's own transaction handling is switched off (isolation_level=None) so that SAVEPOINTs
    work and so that a writing transaction can start with ``BEGIN IMMEDIATE``: two writers then
    queue on the lock instead of one failing with "database is locked" halfway through.
    """
    gate = WriteGate(busy_timeout_ms)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if not conn.get_execution_options().get("sqlite_immediate", False):
            conn.exec_driver_sql("BEGIN")
            return
        left = gate.enter(conn.info)
        try:
            if left < gate.timeout - 0.01:  # waited at the gate: only the rest at the lock
                conn.exec_driver_sql(f"PRAGMA busy_timeout={max(1, int(left * 1000))}")
                try:
                    conn.exec_driver_sql("BEGIN IMMEDIATE")
                finally:
                    conn.exec_driver_sql(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
            else:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            gate.leave(conn.info)
            raise

    # The transaction ends: just before its COMMIT or ROLLBACK is sent, so the next writer may
    # meet the lock for the moment that takes (the busy handler's first retry, after 1 ms).
    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _on_end(conn: Any) -> None:
        gate.leave(conn.info)

    # A connection that leaves without either (returned to the pool, invalidated, closed).
    @event.listens_for(engine, "checkin")
    @event.listens_for(engine, "invalidate")
    @event.listens_for(engine, "close")
    def _on_gone(_dbapi_conn: Any, record: Any, *_: Any) -> None:
        if record is not None:
            gate.leave(record.info)
