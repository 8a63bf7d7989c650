"""ETags from the optimistic-lock version, the If-Match check for writes, and when a write moves them."""

from collections.abc import Iterable
from typing import Annotated, Any, Protocol

from fastapi import Header, Response
from sqlalchemy.orm import Session

from app.db.types import utcnow
from app.errors import PreconditionFailed

IfMatch = Annotated[
    str | None,
    Header(
        max_length=256,
        description="The ETag you last read (strong: a weak `W/` tag never matches); "
        "a stale one gets 412.",
    ),
]


IfNoneMatch = Annotated[
    str | None,
    Header(
        max_length=256,
        description="ETags you hold: if the resource still has one of them, the answer is "
        "304 Not Modified without a body (weak comparison, as for any conditional GET).",
    ),
]

NOT_MODIFIED = {304: {"description": "Not Modified: your copy (If-None-Match) is current."}}


class Versioned(Protocol):
    id: int
    version: int


def etag_of(obj: Versioned) -> str:
    return f'"{obj.id}.{obj.version}"'


def set_etag(response: Response, obj: Versioned) -> None:
    response.headers["ETag"] = etag_of(obj)


def not_modified(if_none_match: str | None, obj: Versioned) -> Response | None:
    """A 304 when the client's copy is current (RFC 9110 §13.1.2: weak comparison, ``*`` matches
    any); the client must revalidate each time (``no-cache``) and copies differ by caller."""
    if if_none_match is None:
        return None
    current = etag_of(obj)
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    if "*" not in tags and current not in tags:
        return None
    return Response(
        status_code=304,
        headers={"ETag": current, "Cache-Control": "private, no-cache", "Vary": "Authorization"},
    )


def check_if_match(if_match: str | None, obj: Versioned) -> None:
    """A write carrying If-Match must name the current version; no header means no check.

    If-Match uses the strong comparison (RFC 9110 §13.1.1): a weak tag (``W/"..."``) never
    matches, even when its opaque part equals the current ETag.
    """
    if if_match is None:
        return
    current = etag_of(obj)
    tags = [tag.strip() for tag in if_match.split(",")]
    if "*" in tags or current in tags:
        return
    raise PreconditionFailed(
        f"The resource has changed since you read it (its ETag is now {current}); "
        "GET it again and retry with the new ETag in If-Match (weak W/ tags never match)."
    )


def touch_if_changed(session: Session, obj: Any, children: Iterable[Any] = ()) -> bool:
    """Bump ``updated_at`` (and so the version and ETag) only if the write changed something.

    One rule for every versioned resource: an empty or no-op PATCH changes nothing and keeps the
    ETag; a change to the row or to one of its loaded child collections (tiers, nodes, items)
    moves it. Setting an attribute to the value it already has is not a change. ``children`` are
    child rows whose own columns count as the parent's (a glossary entry's spellings).
    """
    if not session.is_modified(obj, include_collections=True) and not any(
        session.is_modified(child) for child in children
    ):
        return False
    obj.updated_at = utcnow()
    return True
