"""A real uvicorn server on loopback, firing requests from many threads at once, and (on
PostgreSQL) holding a row lock while watching the server's connections wait for it.

For tests of concurrent writers against a database that really commits (``migrated_engine``).
"""

import socket
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

import httpx
import uvicorn
from fastapi import FastAPI
from sqlalchemy import Connection, Engine, Executable, text

T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """Serve ``app`` on a free loopback port in a thread; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        assert thread.is_alive(), "uvicorn stopped at start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def fire(calls: list[Callable[[], T]]) -> list[T]:
    """Run the calls on threads of their own, released together by a barrier; their results in
    order."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], T]) -> T:
        barrier.wait()
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


class Call(threading.Thread):
    """One HTTP request on a thread of its own; ``response`` once it is done."""

    def __init__(self, send: Callable[[], httpx.Response]) -> None:
        super().__init__(daemon=True)
        self.send = send
        self.response: httpx.Response | None = None

    def run(self) -> None:
        self.response = self.send()


WAITING = text(
    "SELECT count(*) FROM pg_stat_activity "
    "WHERE datname = current_database() AND wait_event_type = 'Lock' AND state = 'active'"
)


def until_waiting(engine: Engine, done: Callable[[int], bool], what: str) -> None:
    """Poll how many connections wait on a lock until ``done(waiting)``; fail after ten seconds
    (PostgreSQL)."""
    deadline = time.monotonic() + 10
    with engine.connect() as watcher:
        while not done(watcher.execute(WAITING).scalar_one()):
            assert time.monotonic() < deadline, f"timed out waiting until {what}"
            time.sleep(0.02)
            watcher.rollback()


@contextmanager
def holding(engine: Engine, stmt: Executable) -> Iterator[Connection]:
    """Hold the row locks ``stmt`` takes (e.g. ``FOR SHARE``: readers pass, writers wait) until
    the block ends."""
    with engine.connect() as locker:
        locker.execute(stmt)
        try:
            yield locker
        finally:
            locker.rollback()
