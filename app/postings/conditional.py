"""Conditional GET of one posting: a client holding the current version gets 304 without the
posting being loaded: from the match index alone when it is fresh and holds the posting live,
else from one small query."""

from datetime import date
from typing import NamedTuple

from fastapi import Request, Response
from sqlalchemy.orm import Session
from starlette.background import BackgroundTask

from app.auth.principal import Principal
from app.core.etag import not_modified
from app.errors import NotFound
from app.matching.keeper import MatchKeeper
from app.postings import repository
from app.postings.access import effective_status, ensure_visible
from app.postings.repository import Posting


class _Tag(NamedTuple):
    id: int
    version: int


def remembered(
    request: Request,
    keeper: MatchKeeper,
    model: type[Posting],
    posting_id: int,
    today: date,
    if_none_match: str | None,
) -> Response | None:
    """A 304 answered on the event loop, without the database: when the match index is as
    fresh as a match query takes it (``CHAINDOCK_MATCH_REFRESH_SECONDS``, and every write of this
    process) and holds the posting live (anyone may see it) in the version the client names.
    None: ask the database (``unchanged``). When the index is getting old, a 304 has it
    refreshed once sent, so that steady conditional reads keep being answered from memory."""
    if if_none_match is None:
        return None
    version = keeper.live_version(model.__tablename__, posting_id, today)
    if version is None:
        return None
    response = not_modified(if_none_match, _Tag(posting_id, version))
    if response is not None and keeper.claim_refresh():
        response.background = BackgroundTask(
            keeper.refresh_apart, request.app.state.session_factory, today
        )
    return response


def unchanged(
    session: Session,
    keeper: MatchKeeper,
    model: type[Posting],
    principal: Principal,
    posting_id: int,
    today: date,
    if_none_match: str | None,
    not_found: NotFound,
) -> Response | None:
    """A 304 when ``if_none_match`` names the posting's current ETag, else None (the full answer
    follows). Who may not see the posting gets ``not_found``, as for the full read. A requirement
    past valid_until is always sent whole: the status shown moved to `expired` without a write.
    The match index is brought up to date on the way (if nobody is at it), so that the next
    conditional reads can be answered from memory."""
    if if_none_match is None:
        return None
    keeper.freshen(session, today)
    stamp = repository.get_stamp(session, model, posting_id)
    ensure_visible(stamp, principal, today, not_found)
    valid_until = getattr(stamp, "valid_until", None)
    if effective_status(stamp.status, valid_until, today) != stamp.status:
        return None
    return not_modified(if_none_match, stamp)
