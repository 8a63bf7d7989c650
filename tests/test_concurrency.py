"""Concurrent writers through a real uvicorn server on loopback, against a database that commits.

SQLite must queue writers (WAL, busy_timeout, BEGIN IMMEDIATE) instead of failing with
"database is locked"; on both databases, of several updates carrying the same If-Match exactly one
wins.
"""

import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import uvicorn
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.auth.service import issue_token
from app.main import create_app
from app.models import Account
from app.models.enums import Role
from tests.factories import Factory

THREADS = 8


@pytest.fixture
def live_url(migrated_engine: Engine) -> Iterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(migrated_engine), host="127.0.0.1", port=port, log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def member_headers(migrated_engine: Engine) -> dict[str, str]:
    with Session(migrated_engine) as session:
        enterprise = Factory(session).enterprise("并发测试有限公司")
        account = Account(name="m", role=Role.member, enterprise_id=enterprise.id)
        session.add(account)
        session.flush()
        _, secret = issue_token(session, account, "t", ttl_days=1)
        session.commit()
    return {"Authorization": f"Bearer {secret}"}


def test_concurrent_creates_all_land(live_url, member_headers):
    def create(i: int) -> int:
        body = {"title": f"并发需求 {i}", "items": [{"name": f"item {j}"} for j in range(5)]}
        return httpx.post(
            f"{live_url}/v1/requirements", json=body, headers=member_headers, timeout=30
        ).status_code

    with ThreadPoolExecutor(THREADS) as pool:
        codes = list(pool.map(create, range(THREADS * 3)))
    assert codes == [201] * (THREADS * 3)
    listed = httpx.get(f"{live_url}/v1/requirements", params={"limit": 200}).json()["items"]
    assert len(listed) == THREADS * 3


def test_same_if_match_has_exactly_one_winner(live_url, member_headers):
    created = httpx.post(
        f"{live_url}/v1/requirements", json={"title": "race"}, headers=member_headers, timeout=30
    )
    rid, etag = created.json()["id"], created.headers["etag"]
    barrier = threading.Barrier(THREADS)

    def update(i: int) -> int:
        barrier.wait()
        return httpx.patch(
            f"{live_url}/v1/requirements/{rid}",
            json={"title": f"winner {i}"},
            headers={**member_headers, "If-Match": etag},
            timeout=30,
        ).status_code

    with ThreadPoolExecutor(THREADS) as pool:
        codes = Counter(pool.map(update, range(THREADS)))
    assert codes[200] == 1
    assert codes[412] + codes[409] == THREADS - 1
    final = httpx.get(f"{live_url}/v1/requirements/{rid}").json()
    assert final["version"] == 2 and final["title"].startswith("winner")
