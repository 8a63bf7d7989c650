"""Conditional GET of one posting: a client holding the current version gets 304 from one
small query, without the posting's items, nodes and enterprise being loaded."""

from datetime import date

from fastapi import Response
from sqlalchemy.orm import Session

from app.auth.principal import Principal
from app.core.etag import not_modified
from app.errors import NotFound
from app.postings import repository
from app.postings.access import effective_status, ensure_visible
from app.postings.repository import Posting


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
