"""A service keeps its match index fresh on a thread of its own (``app.matching.refresher``), so
that reads of live postings go on being answered from memory between match queries: its own
writes are taken in as they are committed, and while reads come the database is looked at once
the last look is half the refresh interval old. Against a database that really commits, as a
service runs."""

import threading
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, update
from sqlalchemy.orm import Session

from app.config import get_settings
from app.db.types import utcnow
from app.main import create_app
from app.matching.refresher import REFRESHER
from app.models import Requirement
from tests.factories import Factory

REFRESH = 0.2  # seconds


class Statements:
    """The statements request threads send (not the refresher's)."""

    def __init__(self, engine: Engine) -> None:
        self.sent: list[str] = []
        self._engine = engine
        event.listen(engine, "before_cursor_execute", self._record)

    def close(self) -> None:
        event.remove(self._engine, "before_cursor_execute", self._record)

    def _record(self, _conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if threading.current_thread().name != REFRESHER:
            self.sent.append(statement)


@pytest.fixture
def service(
    request: pytest.FixtureRequest, migrated_engine: Engine
) -> Iterator[tuple[TestClient, dict[str, str], Statements]]:
    """A service (its own sessions, its lifespan run) that looks at the database every
    ``REFRESH`` seconds (or as the test's parameter says), its index built, and a member's
    headers."""
    with Session(migrated_engine) as session:
        factory = Factory(session)
        owner = factory.member_of(factory.enterprise("常新链主"))
    settings = get_settings().model_copy(
        update={
            "match_refresh_seconds": getattr(request, "param", REFRESH),
            "rate_limit_enabled": False,
        }
    )
    with TestClient(create_app(migrated_engine, settings=settings)) as client:
        keeper = client.app.state.match_keeper
        deadline = time.monotonic() + 30
        while not keeper.ready or keeper.warming:
            assert time.monotonic() < deadline, "the index was not built"
            time.sleep(0.05)
        statements = Statements(migrated_engine)
        try:
            yield client, owner, statements
        finally:
            statements.close()


def _posted(client: TestClient, owner: dict[str, str]) -> str:
    created = client.post(
        "/v1/requirements",
        json={"title": "氢能管路 hydrogen pipelines", "items": [{"name": "高压管路"}]},
        headers=owner,
    )
    assert created.status_code == 201, created.text
    return f"/v1/requirements/{created.json()['id']}"


def test_reads_between_match_queries_need_no_query(service):
    client, owner, statements = service
    url = _posted(client, owner)
    time.sleep(REFRESH)  # taken in: a read begun before that could not keep what it read
    first = client.get(url)
    assert first.status_code == 200
    time.sleep(3 * REFRESH)  # the last look would be old by now, were it not refreshed
    statements.sent.clear()
    again = client.get(url)
    assert again.status_code == 200 and again.content == first.content
    assert statements.sent == []
    assert client.get(url, headers={"If-None-Match": first.headers["etag"]}).status_code == 304
    assert statements.sent == []


@pytest.mark.parametrize("service", [60.0], indirect=True)  # no look falls due meanwhile
def test_a_write_through_the_service_is_taken_in_without_a_read(service):
    client, owner, statements = service
    url = _posted(client, owner)
    assert client.get(url).status_code == 200
    edited = client.patch(url, json={"title": "氢能阀门 hydrogen valves"}, headers=owner)
    assert edited.status_code == 200
    time.sleep(0.2)
    statements.sent.clear()
    conditional = client.get(url, headers={"If-None-Match": edited.headers["etag"]})
    assert conditional.status_code == 304
    assert statements.sent == []


def test_a_change_by_another_process_is_seen_within_the_interval(service, migrated_engine):
    client, owner, _ = service
    url = _posted(client, owner)
    before = client.get(url)
    with Session(migrated_engine) as session:  # another process: straight to the database
        session.execute(
            update(Requirement)
            .where(Requirement.id == int(url.rsplit("/", 1)[1]))
            .values(title="别处改了 changed elsewhere", version=Requirement.version + 1)
            .values(updated_at=utcnow())
        )
        session.commit()
    time.sleep(2 * REFRESH)
    after = client.get(url)
    assert after.json()["title"] == "别处改了 changed elsewhere"
    assert after.headers["etag"] != before.headers["etag"]
