"""ETags from the optimistic-lock version, and the If-Match check for writes."""

from typing import Annotated, Protocol

from fastapi import Header, Response

from app.errors import PreconditionFailed

IfMatch = Annotated[
    str | None, Header(max_length=256, description="The ETag you last read; a stale one gets 412.")
]


class Versioned(Protocol):
    id: int
    version: int


def etag_of(obj: Versioned) -> str:
    return f'"{obj.id}.{obj.version}"'


def set_etag(response: Response, obj: Versioned) -> None:
    response.headers["ETag"] = etag_of(obj)


def check_if_match(if_match: str | None, obj: Versioned) -> None:
    """A write carrying If-Match must name the current version; no header means no check."""
    if if_match is None:
        return
    current = etag_of(obj)
    tags = [tag.strip().removeprefix("W/") for tag in if_match.split(",")]
    if "*" in tags or current in tags:
        return
    raise PreconditionFailed(
        f"The resource has changed since you read it (its ETag is now {current}); "
        "GET it again and retry with the new ETag in If-Match."
    )
