"""One Idempotency-Key sent by many threads at once, through a real server on loopback: exactly
one creation, whatever the database. On PostgreSQL the duplicates wait for the first request and
replay its response, or get a 409 once they have waited ``CHAINDOCK_IDEMPOTENCY_WAIT_SECONDS``;
SQLite runs one writer at a time, so they simply come after it."""

from collections import Counter
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from app.config import get_settings
from app.models import Enterprise, IdempotencyKey, Meeting, Requirement
from app.models.enums import Role
from tests.conftest import is_postgres
from tests.factories import Factory
from tests.live import Call, fire, holding, until_waiting
from tests.writes.helpers import PROBLEM, count, keyed

THREADS = 12
BODY = {"title": "并发幂等需求", "items": [{"name": f"零件 {i}"} for i in range(5)]}


@pytest.fixture
def buyer(migrated_engine: Engine) -> tuple[int, dict[str, str]]:
    with Session(migrated_engine) as session:
        factory = Factory(session)
        enterprise = factory.enterprise("幂等并发链主")
        return enterprise.id, factory.member_of(enterprise)


def post(url: str, body: dict, headers: dict[str, str]):  # type: ignore[no-untyped-def]
    return lambda: httpx.post(url, json=body, headers=headers, timeout=60)


def test_one_key_from_many_threads_creates_once(live_url, migrated_engine, buyer):
    _, headers = buyer
    url = f"{live_url}/v1/requirements"
    responses = fire([post(url, BODY, keyed(headers, "storm-1"))] * THREADS)
    assert Counter(r.status_code for r in responses) == {201: THREADS}
    assert len({r.content for r in responses}) == 1
    assert len({r.headers["etag"] for r in responses}) == 1
    originals = [r for r in responses if "idempotent-replayed" not in r.headers]
    assert len(originals) == 1
    with Session(migrated_engine) as session:
        assert session.scalars(select(Requirement.id)).all() == [originals[0].json()["id"]]
        assert count(session, IdempotencyKey) == 1


def test_one_key_with_two_bodies_at_once_creates_once(live_url, migrated_engine, buyer):
    """Half the threads send one body, half another, all with one key: one body wins and is
    replayed to its senders; the others learn the key was used for another request."""
    _, headers = buyer
    url = f"{live_url}/v1/requirements"
    other = {**BODY, "title": "另一份需求"}
    calls = [post(url, BODY if i % 2 else other, keyed(headers, "storm-2")) for i in range(THREADS)]
    responses = fire(calls)
    codes = Counter(r.status_code for r in responses)
    assert codes == {201: THREADS // 2, 422: THREADS // 2}
    titles = {r.json()["title"] for r in responses if r.status_code == 201}
    assert len(titles) == 1
    refused = [r for r in responses if r.status_code == 422]
    assert all(r.headers["content-type"] == PROBLEM for r in refused)
    assert all("already used for another request" in r.json()["detail"] for r in refused)
    with Session(migrated_engine) as session:
        assert session.scalars(select(Requirement.title)).all() == list(titles)


def test_one_key_for_a_meeting_from_many_threads_creates_once(live_url, migrated_engine):
    with Session(migrated_engine) as session:
        factory = Factory(session)
        event = factory.event()
        a, b = factory.enterprise("幂等会谈甲"), factory.enterprise("幂等会谈乙")
        factory.registration(event, a)
        factory.registration(event, b)
        organiser = factory.headers(Role.organiser)
        event_id, body = event.id, {"requester_enterprise_id": a.id, "invitee_enterprise_id": b.id}
    url = f"{live_url}/v1/events/{event_id}/meetings"
    responses = fire([post(url, body, keyed(organiser, "meet-1"))] * THREADS)
    assert Counter(r.status_code for r in responses) == {201: THREADS}
    assert len({r.json()["id"] for r in responses}) == 1
    with Session(migrated_engine) as session:
        assert count(session, Meeting) == 1


@pytest.fixture
def short_wait(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("CHAINDOCK_IDEMPOTENCY_WAIT_SECONDS", "0.5")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.mark.skipif(not is_postgres(), reason="waiting on a row lock: PostgreSQL only")
def test_a_duplicate_waiting_too_long_is_409_and_the_first_still_wins(
    live_url, migrated_engine, buyer, short_wait
):
    """The first request holds its key and is stopped, inside its transaction, at the insert of
    the requirement (the test holds its enterprise's row); a duplicate waits half a second for
    the key, then gets a 409 to retry; once the first goes on and commits, the retry replays it."""
    enterprise_id, headers = buyer
    url = f"{live_url}/v1/requirements"
    send = post(url, BODY, keyed(headers, "slow-1"))
    first = Call(send)
    lock = select(Enterprise.id).where(Enterprise.id == enterprise_id).with_for_update()
    with holding(migrated_engine, lock):
        first.start()
        until_waiting(migrated_engine, lambda n: n >= 1, "the first request waits on the test")
        duplicate = send()
        assert first.is_alive()
    first.join(timeout=30)
    assert duplicate.status_code == 409, duplicate.text
    assert duplicate.headers["content-type"] == PROBLEM
    assert duplicate.headers["retry-after"] == "1"
    assert "still being processed" in duplicate.json()["detail"]
    assert first.response is not None and first.response.status_code == 201
    retried = send()
    assert retried.status_code == 201 and retried.headers["idempotent-replayed"] == "true"
    assert retried.content == first.response.content
    with Session(migrated_engine) as session:
        assert count(session, Requirement) == 1
