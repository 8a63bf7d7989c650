"""Reads of a live posting answered from memory: once read from the database, the public body
(no contact details) is sent again without a query while the match index is fresh and has not
read the posting again. A change another process made is therefore not seen within the refresh
interval (as a match query would not see it); a change through this process, to the posting or
to its enterprise, is seen at once; whoever sees more than the public is always answered from
the database."""

import time
from datetime import date

import pytest
from sqlalchemy import event, select, update

from app.db.types import utcnow
from app.matching.keeper import MatchKeeper
from app.models import Capability, Requirement
from app.postings.answers import PublicBodies
from tests.postings import test_capabilities, test_requirements


@pytest.fixture(params=["requirements", "capabilities"])
def posting(request, client, world):
    """A live posting, its URL and its owner's headers, with a match index that looks at the
    database once a minute (built by a match call)."""
    module = test_requirements if request.param == "requirements" else test_capabilities
    created = module.post(client, world)
    owner = world.buyer_member if request.param == "requirements" else world.supplier_member
    url = f"/v1/{request.param}/{created.json()['id']}"
    client.app.state.match_keeper = MatchKeeper(refresh_seconds=60)
    assert client.get(f"{url}/matches", headers=owner).status_code == 200
    return url, owner


def _behind_its_back(session, url: str, title: str = "别处改了 changed elsewhere") -> None:
    """A change made by another process: straight to the database, not through this app."""
    model = Requirement if url.startswith("/v1/requirements/") else Capability
    posting_id = int(url.rsplit("/", 1)[1])
    session.execute(
        update(model)
        .where(model.id == posting_id)
        .values(title=title, version=model.version + 1, updated_at=utcnow())
    )
    session.commit()


def test_a_public_read_is_answered_again_from_memory(client, world, posting, session):
    url, owner = posting
    first = client.get(url)
    assert first.status_code == 200 and first.json()["contact"] is None
    _behind_its_back(session, url)
    for headers in ({}, world.supplier_member if "requirements" in url else world.buyer_member):
        again = client.get(url, headers=headers)  # anonymous, or a member of another enterprise
        assert again.status_code == 200
        assert again.content == first.content  # the change elsewhere is not seen yet
        assert again.headers["etag"] == first.headers["etag"]
        assert again.headers["content-type"] == "application/json"
    # A stale ETag is answered with the body from memory too.
    stale = client.get(url, headers={"If-None-Match": '"1.999"'})
    assert stale.status_code == 200 and stale.content == first.content

    # Its own people and staff see the contact: the database answers them, with the change.
    for headers in (owner, world.organiser):
        theirs = client.get(url, headers=headers)
        assert theirs.json()["title"] == "别处改了 changed elsewhere"
        assert theirs.json()["contact"] is not None
        assert theirs.headers["etag"] != first.headers["etag"]


def test_the_public_body_is_what_its_owner_sees_without_the_contact(client, posting):
    url, owner = posting
    public = client.get(url).json()
    assert client.get(url).json() == public  # from memory
    theirs = client.get(url, headers=owner).json()  # shaped and serialised by the framework
    assert theirs.pop("contact") is not None and public.pop("contact") is None
    assert theirs == public


def test_a_change_through_this_process_is_seen_at_once(client, world, posting):
    url, owner = posting
    before = client.get(url)
    assert client.get(url).content == before.content
    changed = client.patch(url, json={"title": "这里改的 edited here"}, headers=owner)
    assert changed.status_code == 200
    after = client.get(url)
    assert after.json()["title"] == "这里改的 edited here"
    assert after.headers["etag"] == changed.headers["etag"] != before.headers["etag"]
    assert client.get(url).content == after.content

    paused = client.patch(url, json={"status": "paused"}, headers=owner)
    assert paused.status_code == 200
    assert client.get(url).status_code == 404  # the public sees live postings only
    assert client.get(url, headers=owner).json()["status"] == "paused"


def test_a_change_to_its_enterprise_is_seen_at_once(client, world, posting):
    url, owner = posting
    enterprise = client.get(url).json()["enterprise"]
    assert client.get(url).json()["enterprise"] == enterprise
    renamed = client.patch(
        f"/v1/enterprises/{enterprise['id']}",
        json={"name": "改名后的企业 renamed", "tiers": ["srdi", "little_giant"]},
        headers=world.organiser,
    )
    assert renamed.status_code == 200, renamed.text
    shown = client.get(url).json()["enterprise"]
    assert shown["name"] == "改名后的企业 renamed"
    assert shown["tiers"] == renamed.json()["tiers"]


def test_another_process_change_is_seen_once_the_interval_has_passed(client, posting, session):
    url, owner = posting
    refresh = 0.3
    client.app.state.match_keeper = MatchKeeper(refresh_seconds=refresh)
    assert client.get(f"{url}/matches", headers=owner).status_code == 200
    first = client.get(url)
    _behind_its_back(session, url)
    time.sleep(refresh)
    seen = client.get(url)
    assert seen.json()["title"] == "别处改了 changed elsewhere"
    assert seen.headers["etag"] != first.headers["etag"]
    _behind_its_back(session, url, "又改了 changed again")
    time.sleep(refresh)
    assert client.get(url).json()["title"] == "又改了 changed again"


def _listed(client, url: str, headers=None) -> dict:
    kind = url.split("/")[2]
    response = client.get(f"/v1/{kind}", params={"limit": 5}, headers=headers or {})
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    return response.json()


def _item(page: dict, url: str) -> dict:
    posting_id = int(url.rsplit("/", 1)[1])
    return next(item for item in page["items"] if item["id"] == posting_id)


def test_a_page_of_postings_is_answered_from_memory_too(client, world, posting, session):
    url, owner = posting
    first = _listed(client, url)
    assert first["limit"] == 5 and first["next_cursor"] is None
    assert _item(first, url)["contact"] is None
    _behind_its_back(session, url)
    assert _listed(client, url) == first  # bodies from memory: the change is not seen yet
    assert client.get(url).json() == _item(first, url)  # and shared with single reads

    theirs = _listed(client, url, owner)  # the owner sees the contact: read from the database
    assert _item(theirs, url)["title"] == "别处改了 changed elsewhere"
    assert _item(theirs, url)["contact"] is not None


def test_a_page_item_is_what_a_single_read_shows(client, world, posting):
    url, owner = posting
    public = _item(_listed(client, url), url)
    theirs = client.get(url, headers=owner).json()  # shaped and serialised by the framework
    assert theirs.pop("contact") is not None and public.pop("contact") is None
    assert theirs == public
    staff = _item(_listed(client, url, world.organiser), url)
    assert staff.pop("contact") is not None
    assert staff == public


def test_a_page_shows_a_change_through_this_process_at_once(client, world, posting):
    url, owner = posting
    _listed(client, url)
    changed = client.patch(url, json={"title": "这里改的 edited here"}, headers=owner)
    assert changed.status_code == 200
    assert _item(_listed(client, url), url)["title"] == "这里改的 edited here"
    assert client.patch(url, json={"status": "paused"}, headers=owner).status_code == 200
    posting_id = int(url.rsplit("/", 1)[1])
    assert posting_id not in {item["id"] for item in _listed(client, url)["items"]}


def test_what_is_kept_is_bounded_in_bytes(client, world, posting, session):
    """Bodies beyond the budget are let go, the longest kept first: they are read again."""
    url, owner = posting
    module = test_requirements if "requirements" in url else test_capabilities
    other = f"{url.rsplit('/', 1)[0]}/{module.post(client, world).json()['id']}"
    assert client.get(f"{other}/matches", headers=owner).status_code == 200  # takes it in
    size = len(client.get(url).content)
    kept = client.app.state.public_bodies
    client.app.state.public_bodies = PublicBodies(max_bytes=size * 3 // 2)
    try:
        first, second = client.get(url), client.get(other)  # the second pushes the first out
        _behind_its_back(session, url)
        _behind_its_back(session, other)
        assert client.get(other).content == second.content  # still from memory
        assert client.get(url).json()["title"] == "别处改了 changed elsewhere"  # read again
        assert first.json()["title"] != "别处改了 changed elsewhere"
    finally:
        client.app.state.public_bodies = kept


def test_a_body_is_kept_only_under_a_reading_its_transaction_can_see(client, world, posting):
    """On SQLite a transaction reads one snapshot, taken when it begins: a reading the index did
    after that may have seen a change (here, to the enterprise) that the snapshot does not show,
    so a body read there is not kept under it."""
    url, owner = posting
    keeper = client.app.state.match_keeper
    table, posting_id = url.split("/")[2], int(url.rsplit("/", 1)[1])
    factory = client.app.state.session_factory
    enterprise = client.get(url).json()["enterprise"]["id"]
    with factory(write=False) as early:
        early.execute(select(1))  # its transaction begins
        assert keeper.reading(early, table, posting_id) is not None
        renamed = client.patch(
            f"/v1/enterprises/{enterprise}", json={"name": "改名了 renamed"}, headers=owner
        )
        assert renamed.status_code == 200
        assert client.get(f"{url}/matches", headers=owner).status_code == 200  # read again
        assert keeper.reading(early, table, posting_id) is None
    with factory(write=False) as late:
        late.execute(select(1))
        live = keeper.live(table, posting_id, date.today())
        assert live is not None and keeper.reading(late, table, posting_id) == live.reading


def test_a_write_to_another_posting_leaves_this_one_in_memory(client, world, posting, engine):
    """This process's writes are taken in by the index before a read of what they touched; a
    read of anything else is still answered from memory meanwhile."""
    url, owner = posting
    first = client.get(url)
    assert test_requirements.post(client, world).status_code == 201  # not yet taken in
    statements: list[str] = []

    def record(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        again = client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert again.content == first.content
    assert statements == []
