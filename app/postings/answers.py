"""Answers to reads of postings: from memory while that is as fresh as a match query, else from
the database.

While the match index is as fresh as a match query takes it (``CHAINDOCK_MATCH_REFRESH_SECONDS``,
and every write of this process), it knows each live posting's version and when it last read the
posting (again whenever the posting or its enterprise changed). That answers without a query: a
304 to a client naming the version (``remembered``, on the event loop), and the posting as the
public sees it (no contact details) from the JSON kept since it was last read from the database
within the same reading of the index (``PublicBodies``), alone or in a page of a list
(``page_answer``). What is not in memory is read from the database (``from_database``) and kept
when it is the public body.
"""

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from fastapi import Request, Response
from sqlalchemy.orm import Session

from app.auth.principal import Principal
from app.core.etag import etag_of, not_modified, set_etag
from app.errors import NotFound
from app.matching.keeper import Live, MatchKeeper
from app.postings import repository, views
from app.postings.access import OPEN, effective_status, ensure_visible
from app.postings.repository import Posting
from app.postings.schemas import CapabilityRead, RequirementRead

PostingRead = RequirementRead | CapabilityRead


class _Tag(NamedTuple):
    id: int
    version: int


@dataclass(frozen=True, slots=True)
class _Body:
    reading: int
    version: int
    etag: str
    content: bytes


class PublicBodies:
    """The JSON of live postings as anyone but their enterprise's people and staff see them,
    by table and id, with the index's reading of the posting (``MatchKeeper.reading``): good
    while the index still holds that reading. At most ``max_bytes`` of JSON are kept (the
    longest kept are let go first). Read on the event loop without a lock; put from threads."""

    def __init__(self, max_bytes: int = 64 * 1024 * 1024) -> None:
        self._max_bytes = max_bytes
        self._bytes = 0
        self._bodies: dict[tuple[str, int], _Body] = {}
        self._lock = threading.Lock()

    def get(self, table: str, posting_id: int, live: Live) -> _Body | None:
        body = self._bodies.get((table, posting_id))
        if body is None or body.reading != live.reading or body.version != live.version:
            return None
        return body

    def put(self, table: str, read: PostingRead, reading: int | None) -> bytes:
        """Remember ``read`` (a posting's public body, read after the index's ``reading`` of
        it) when it is live; its JSON, as the endpoint would send it."""
        content = read.__pydantic_serializer__.to_json(read, by_alias=True)
        if reading is not None and read.status == OPEN:
            body = _Body(reading, read.version, etag_of(read), content)
            with self._lock:
                self._forget((table, read.id))  # then put at the back of the line
                self._bodies[(table, read.id)] = body
                self._bytes += len(content)
                while self._bytes > self._max_bytes:
                    self._forget(next(iter(self._bodies)))
        return content

    def _forget(self, key: tuple[str, int]) -> None:
        body = self._bodies.pop(key, None)
        if body is not None:
            self._bytes -= len(body.content)


def public_bodies(request: Request) -> PublicBodies:
    return request.app.state.public_bodies


def remembered(
    request: Request,
    keeper: MatchKeeper,
    model: type[Posting],
    posting_id: int,
    principal: Principal,
    today: date,
    if_none_match: str | None,
) -> Response | None:
    """The answer from memory (see the module): a 304 when the client names the version the
    index holds, else the public body when the caller is not one who sees more and it is
    remembered. None: ask the database."""
    table = model.__tablename__
    live = keeper.live(table, posting_id, today)
    if live is None:
        return None
    response = not_modified(if_none_match, _Tag(posting_id, live.version))
    if response is None:
        if principal.acts_for(live.enterprise_id):
            return None
        body = public_bodies(request).get(table, posting_id, live)
        if body is None:
            return None
        response = Response(
            body.content, media_type="application/json", headers={"ETag": body.etag}
        )
    return response


def from_database(
    session: Session,
    keeper: MatchKeeper,
    bodies: PublicBodies,
    model: type[Posting],
    principal: Principal,
    posting_id: int,
    today: date,
    if_none_match: str | None,
    response: Response,
    not_found: NotFound,
    read: Callable[[], PostingRead],
) -> PostingRead | Response:
    """The answer from the database: a 304 as ``unchanged`` gives it, else ``read()`` (the
    posting's body for ``principal``), remembered when it is the public one. The match index is
    brought up to date first (if nobody is at it), so that the next reads can be answered from
    memory; its reading of the posting is taken before the posting is read."""
    keeper.freshen(session, today)
    table = model.__tablename__
    reading = keeper.reading(session, table, posting_id)
    current = unchanged(session, model, principal, posting_id, today, if_none_match, not_found)
    if current is not None:
        return current
    body = read()
    if principal.acts_for(body.enterprise.id):
        set_etag(response, body)
        return body
    content = bodies.put(table, body, reading)
    return Response(content, media_type="application/json", headers={"ETag": etag_of(body)})


def page_answer(
    session: Session,
    keeper: MatchKeeper,
    bodies: PublicBodies,
    model: type[Posting],
    principal: Principal,
    today: date,
    ids: list[int],
    shape: Callable[[Any], PostingRead],
    next_cursor: str | None,
    limit: int,
) -> Response:
    """A page of postings (``ids``, found in the database, visible to ``principal``) as
    ``Page`` JSON: the public bodies remembered for the index's current reading of each, the
    rest read from the database (``shape`` gives each its body for ``principal``) and
    remembered when public. Call ``keeper.freshen`` before finding the ids."""
    table = model.__tablename__
    parts: dict[int, bytes] = {}
    for posting_id in ids:
        live = keeper.live(table, posting_id, today)
        if live is not None and not principal.acts_for(live.enterprise_id):
            body = bodies.get(table, posting_id, live)
            if body is not None:
                parts[posting_id] = body.content
    missing = [i for i in ids if i not in parts]
    readings = {i: keeper.reading(session, table, i) for i in missing}
    for posting in views.load(session, model, missing):
        read = shape(posting)
        if principal.acts_for(posting.enterprise_id):
            parts[posting.id] = read.__pydantic_serializer__.to_json(read, by_alias=True)
        else:
            parts[posting.id] = bodies.put(table, read, readings[posting.id])
    items = b",".join(parts[i] for i in ids if i in parts)
    cursor = json.dumps(next_cursor).encode()
    return Response(
        b'{"items":[%s],"next_cursor":%s,"limit":%d}' % (items, cursor, limit),
        media_type="application/json",
    )


def unchanged(
    session: Session,
    model: type[Posting],
    principal: Principal,
    posting_id: int,
    today: date,
    if_none_match: str | None,
    not_found: NotFound,
) -> Response | None:
    """A 304 when ``if_none_match`` names the posting's current ETag, else None (the full answer
    follows). Who may not see the posting gets ``not_found``, as for the full read. A requirement
    past valid_until is always sent whole: the status shown moved to `expired` without a write."""
    if if_none_match is None:
        return None
    stamp = repository.get_stamp(session, model, posting_id)
    ensure_visible(stamp, principal, today, not_found)
    valid_until = getattr(stamp, "valid_until", None)
    if effective_status(stamp.status, valid_until, today) != stamp.status:
        return None
    return not_modified(if_none_match, stamp)
