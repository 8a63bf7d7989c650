"""Conditional GET of one posting: If-None-Match with the ETag held answers 304 without a body
while the posting is unchanged, and the full answer once it changed or expired."""

import time
from datetime import date, timedelta

import pytest
from sqlalchemy import update

from app.db.types import utcnow
from app.matching.keeper import MatchKeeper
from app.models import Capability, Requirement
from tests.postings import test_capabilities, test_requirements


@pytest.fixture(params=["requirements", "capabilities"])
def posting(request, client, world):
    module = test_requirements if request.param == "requirements" else test_capabilities
    created = module.post(client, world)
    owner = world.buyer_member if request.param == "requirements" else world.supplier_member
    return f"/v1/{request.param}/{created.json()['id']}", created.headers["etag"], owner


def test_a_current_copy_gets_304_without_a_body(client, posting):
    url, etag, _ = posting
    for held in (etag, f"W/{etag}", f'"0.0", {etag}', "*"):
        response = client.get(url, headers={"If-None-Match": held})
        assert response.status_code == 304, held
        assert response.content == b""
        assert response.headers["etag"] == etag
        assert response.headers["cache-control"] == "private, no-cache"


def test_a_stale_copy_gets_the_posting_again(client, posting):
    url, etag, owner = posting
    changed = client.patch(url, json={"title": "新标题 new title"}, headers=owner)
    assert changed.status_code == 200
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response.json()["title"] == "新标题 new title"
    assert response.headers["etag"] == changed.headers["etag"] != etag
    assert client.get(url, headers={"If-None-Match": '"1.999"'}).status_code == 200


def test_an_expired_requirement_is_sent_whole(client, world, session):
    created = test_requirements.post(client, world)
    rid, etag = created.json()["id"], created.headers["etag"]
    # valid_until passes without a write: the version (and ETag) stay, the status shown does not
    table = Requirement.__table__
    yesterday = date.today() - timedelta(days=1)
    session.execute(update(table).where(table.c.id == rid).values(valid_until=yesterday))
    response = client.get(
        f"/v1/requirements/{rid}", headers={**world.buyer_member, "If-None-Match": etag}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "expired"
    assert response.headers["etag"] == etag


def test_someone_who_may_not_see_it_gets_404_not_304(client, world, posting):
    url, etag, owner = posting
    assert client.patch(url, json={"status": "paused"}, headers=owner).status_code == 200
    response = client.get(url, headers={"If-None-Match": "*"})
    assert response.status_code == 404


def _behind_its_back(session, url: str) -> None:
    """A change made by another process: straight to the database, not through this app."""
    model = Requirement if url.startswith("/v1/requirements/") else Capability
    posting_id = int(url.rsplit("/", 1)[1])
    session.execute(
        update(model)
        .where(model.id == posting_id)
        .values(title="别处改了 changed elsewhere", version=model.version + 1, updated_at=utcnow())
    )
    session.commit()


def test_a_fresh_match_index_answers_without_the_database(client, posting, session):
    """While the index has looked at the database within match_refresh_seconds, a conditional
    read of a live posting is answered from it: a change another process made since is not seen
    yet (as a match query would not see it), a change made through this process is seen at once."""
    url, etag, owner = posting
    client.app.state.match_keeper = MatchKeeper(refresh_seconds=60)
    assert client.get(f"{url}/matches", headers=owner).status_code == 200  # builds the index
    _behind_its_back(session, url)
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 304 and response.headers["etag"] == etag

    changed = client.patch(url, json={"title": "这里改的 edited here"}, headers=owner)
    assert changed.status_code == 200
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response.headers["etag"] == changed.headers["etag"] != etag
    fresh = client.get(url, headers={"If-None-Match": changed.headers["etag"]})
    assert fresh.status_code == 304


def test_another_process_change_is_seen_once_the_interval_has_passed(client, posting, session):
    url, etag, owner = posting
    refresh = 0.3
    client.app.state.match_keeper = MatchKeeper(refresh_seconds=refresh)
    assert client.get(f"{url}/matches", headers=owner).status_code == 200
    _behind_its_back(session, url)
    time.sleep(refresh)
    response = client.get(url, headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response.json()["title"] == "别处改了 changed elsewhere"
