"""Conditional GET of one posting: If-None-Match with the ETag held answers 304 without a body
while the posting is unchanged, and the full answer once it changed or expired."""

from datetime import date, timedelta

import pytest
from sqlalchemy import update

from app.models import Requirement
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
