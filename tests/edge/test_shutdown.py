"""`chaindock serve` stops gracefully: on SIGTERM it takes no new connections, lets a request in
flight finish (its write committed), then shuts the app down and exits.

A real uvicorn server in a subprocess, on a SQLite file of the test's own whichever database the
suite runs on: what is tested is the server's shutdown, not a database.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def chaindock(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def wait_until_up(port: int, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, server.stderr.read() if server.stderr else ""
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    pytest.fail("the server did not come up within 60 s")


def _refusing(port: int, within: float) -> bool:
    """Whether the port refuses connections within that many seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
        except ConnectionRefusedError:
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def served(tmp_path: Path, request: pytest.FixtureRequest):
    """A migrated database, an admin token and a running `chaindock serve` (the grace period
    is the test's parameter, 20 s unless it says)."""
    database = tmp_path / "served.db"
    grace = getattr(request, "param", 20)
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "CHAINDOCK_GRACEFUL_SHUTDOWN_SECONDS": str(grace),
    }
    env.pop("REDIS_URL", None)
    chaindock(env, "migrate")
    secret = chaindock(env, "create-token", "--role", "admin").splitlines()[-1]
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_until_up(port, server)
        yield server, port, secret, database
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(10)


def test_a_request_in_flight_finishes_after_sigterm(served):
    server, port, secret, database = served
    body = json.dumps({"canonical": "busbar ribbon", "spellings": ["汇流带"]}).encode()
    head = (
        "POST /v1/glossary HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: Bearer {secret}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nX-Request-ID: in-flight-1\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(head + body[:10])  # the request has begun; the body is not all here
        time.sleep(0.5)
        server.send_signal(signal.SIGTERM)
        refusing = _refusing(port, within=10)  # soon, however busy the machine
        assert server.poll() is None, "the server must wait for the request in flight"
        assert refusing, "the server still takes new connections"
        connection.sendall(body[10:])
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    status_line, _, rest = answer.partition(b"\r\n")
    assert status_line == b"HTTP/1.1 201 Created", answer
    assert b"x-request-id: in-flight-1" in rest.lower()
    # uvicorn re-raises the signal once it has shut down, so the exit is "ended by SIGTERM"
    assert server.wait(30) in (0, -signal.SIGTERM)
    log = [json.loads(line) for line in server.stderr.read().splitlines() if line.startswith("{")]
    served_line = [r for r in log if r.get("request_id") == "in-flight-1"]
    assert served_line and served_line[0]["status"] == 201 and served_line[0]["account_id"]
    assert any(r["event"] == "Application shutdown complete." for r in log)
    engine = create_engine(f"sqlite:///{database}")
    with engine.connect() as check:
        saved = check.execute(
            text("SELECT count(*) FROM glossary_entries WHERE canonical = 'busbar ribbon'")
        ).scalar_one()
    engine.dispose()
    assert saved == 1


@pytest.mark.parametrize("served", [1], indirect=True)
def test_the_grace_period_ends_a_request_that_never_finishes(served):
    """CHAINDOCK_GRACEFUL_SHUTDOWN_SECONDS reaches uvicorn: a client that never sends the rest of
    its body does not keep the server from stopping."""
    server, port, secret, _ = served
    head = (
        "POST /v1/glossary HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: Bearer {secret}\r\nContent-Type: application/json\r\n"
        "Content-Length: 1000\r\n\r\n{"
    ).encode()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as connection:
        connection.sendall(head)
        time.sleep(0.5)
        started = time.monotonic()
        server.send_signal(signal.SIGTERM)
        server.wait(15)
        assert time.monotonic() - started < 10
