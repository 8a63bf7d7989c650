"""Concurrent writers through a real uvicorn server on loopback, against a database that commits.

SQLite must queue writers (WAL, busy_timeout, BEGIN IMMEDIATE) instead of failing with
"database is locked"; on both databases, of several updates carrying the same If-Match exactly one
wins.
"""

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from app.auth.service import issue_token
from app.models import Account, Capability, Requirement
from app.models.enums import Role
from tests.factories import Factory
from tests.live import fire

THREADS = 8
PROBLEM = "application/problem+json"


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


@pytest.mark.parametrize("posting", ["requirements", "capabilities"])
def test_same_if_match_has_exactly_one_winner(live_url, member_headers, migrated_engine, posting):
    """Of the updates sent with one ETag, one wins (200); every other finds its precondition gone
    (412, also when it had passed the If-Match check before the winner committed); the row holds
    the winner's title, at the next version."""
    created = httpx.post(
        f"{live_url}/v1/{posting}", json={"title": "race"}, headers=member_headers, timeout=30
    )
    pid, etag = created.json()["id"], created.headers["etag"]

    def update(i: int):  # type: ignore[no-untyped-def]
        return lambda: httpx.patch(
            f"{live_url}/v1/{posting}/{pid}",
            json={"title": f"winner {i}"},
            headers={**member_headers, "If-Match": etag},
            timeout=30,
        )

    responses = fire([update(i) for i in range(THREADS)])
    assert Counter(r.status_code for r in responses) == {200: 1, 412: THREADS - 1}
    assert all(r.headers["content-type"] == PROBLEM for r in responses if r.status_code == 412)
    winner = next(r.json() for r in responses if r.status_code == 200)
    model = {"requirements": Requirement, "capabilities": Capability}[posting]
    with Session(migrated_engine) as session:
        row = session.get_one(model, pid)
        assert (row.title, row.version) == (winner["title"], 2)
