"""Idempotent creates: a retry with the same key gets the first response and creates nothing.

A request sending ``Idempotency-Key`` claims the key (a row) in its own transaction before it
creates anything, and stores its response in that row after; both commit with the creation or
not at all. So a key is taken exactly when its creation was committed: a request that failed
(any 4xx or 5xx) leaves no trace, and a retry, corrected or not, runs afresh. A key seen again
with the same request replays the stored response; with another request it is a 422. Keys
belong to one account and are forgotten after ``CHAINDOCK_IDEMPOTENCY_KEY_TTL_HOURS``.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from fastapi import Response
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from app.config import get_settings
from app.db.types import utcnow
from app.errors import Conflict, Unprocessable
from app.idempotency import repository
from app.models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
KEPT_HEADERS = ("content-type", "location", "etag")
LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL: lock_timeout ran out


class IdempotencyKeyReused(Unprocessable):
    def __init__(self, key: str, row: IdempotencyKey) -> None:
        super().__init__(
            f"Idempotency-Key {key!r} was already used for another request "
            f"({row.request_method} {row.request_path} with a different body); a retry must "
            "repeat the request exactly, a new request needs a new key.",
            field=f"header.{HEADER}",
        )


class IdempotencyKeyInFlight(Conflict):
    def __init__(self, key: str) -> None:
        super().__init__(
            f"A request with Idempotency-Key {key!r} is still being processed; retry shortly "
            "to get its response.",
            headers={"Retry-After": "1"},
        )


class Replay(Exception):
    """The key's request already succeeded: answer with its stored response."""

    def __init__(self, row: IdempotencyKey) -> None:
        super().__init__(row.key)
        self.row = row

    def response(self) -> Response:
        row = self.row
        assert row.response_status is not None and row.response_body is not None
        headers = {**(row.response_headers or {}), REPLAYED: "true"}
        return Response(row.response_body, status_code=row.response_status, headers=headers)


@dataclass(frozen=True)
class KeyedRequest:
    """What identifies a request beside its key: who sent it, and a hash of what it asked."""

    account_id: int
    key: str
    method: str
    path: str
    fingerprint: str


def _cutoff(now: datetime) -> datetime:
    return now - timedelta(hours=get_settings().idempotency_key_ttl_hours)


def claim(session: Session, request: KeyedRequest) -> IdempotencyKey:
    """The key's row, claimed for this request (to be settled), or raise what to answer instead:
    the stored response (Replay), another request's key (422), or one still in flight (409)."""
    repository.purge(session, _cutoff(utcnow()), request.account_id)
    row = repository.find(session, request.account_id, request.key)
    if row is None:
        row = IdempotencyKey(
            account_id=request.account_id,
            key=request.key,
            request_method=request.method,
            request_path=request.path[:255],
            request_hash=request.fingerprint,
        )
        try:
            repository.insert(session, row, get_settings().idempotency_wait_seconds)
            return row
        except IntegrityError:  # a request with this key committed meanwhile
            row = repository.find(session, request.account_id, request.key)
        except OperationalError as exc:
            if getattr(exc.orig, "sqlstate", None) != LOCK_NOT_AVAILABLE:
                raise
            raise IdempotencyKeyInFlight(request.key) from None
        if row is None:  # and was purged at once: so rare that a retry is the answer
            raise IdempotencyKeyInFlight(request.key)
    if row.request_hash != request.fingerprint:
        raise IdempotencyKeyReused(request.key, row)
    if row.response_status is None:  # cannot be seen committed; kept for safety
        raise IdempotencyKeyInFlight(request.key)
    raise Replay(row)


def settle(session: Session, row: IdempotencyKey, response: Response) -> None:
    """Store a successful response with its key; give up the key after any other."""
    body = getattr(response, "body", None)
    if not 200 <= response.status_code < 300 or not isinstance(body, bytes):
        session.delete(row)
    else:
        row.response_status = response.status_code
        row.response_body = body.decode()
        row.response_headers = {
            name: response.headers[name] for name in KEPT_HEADERS if name in response.headers
        }
    session.flush()


def purge_expired(session: Session) -> int:
    """Delete every key older than the time keys are kept; how many went."""
    return repository.purge(session, _cutoff(utcnow()))
