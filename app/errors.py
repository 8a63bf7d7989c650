"""Domain errors and their one rendering: RFC 9457 problem+json."""

import logging
import math
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from pydantic import BaseModel, Field
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

logger = logging.getLogger("chaindock")

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://chaindock.dev/problems/"


class FieldError(BaseModel):
    field: str = Field(
        description="Where the bad value is, e.g. `body.items.2.quantity` or `query.limit`."
    )
    message: str
    type: str


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str = Field(description="A URI naming the kind of problem.")
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[FieldError] | None = None


class AppError(Exception):
    """Base for errors a client can act on; each subclass names its status and problem type."""

    status_code: int = 400
    slug: str = "bad-request"

    def __init__(self, detail: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = headers

    @property
    def title(self) -> str:
        return HTTPStatus(self.status_code).phrase


class BadRequest(AppError):
    status_code = 400
    slug = "bad-request"


class NotAuthenticated(AppError):
    status_code = 401
    slug = "not-authenticated"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": 'Bearer realm="chaindock"'})


class Forbidden(AppError):
    status_code = 403
    slug = "forbidden"


class NotFound(AppError):
    status_code = 404
    slug = "not-found"


class Conflict(AppError):
    status_code = 409
    slug = "conflict"


@contextmanager
def conflict_on_integrity(detail: str) -> Iterator[None]:
    """Turn a unique or foreign-key violation inside the block into a 409 with ``detail``.

    Services check for duplicates first and say precisely what clashes; this catches the race a
    concurrent request wins between that check and the write.
    """
    try:
        yield
    except IntegrityError:
        raise Conflict(detail) from None


class PreconditionFailed(AppError):
    status_code = 412
    slug = "precondition-failed"


class Unprocessable(AppError):
    """A well-formed request that breaks a domain rule (unknown region, node of another chain...)."""

    status_code = 422
    slug = "unprocessable"

    def __init__(self, detail: str, *, field: str | None = None) -> None:
        super().__init__(detail)
        self.field = field


class ContentTooLarge(AppError, StarletteHTTPException):
    """The request body is over ``CHAINDOCK_MAX_BODY_BYTES``.

    Also a Starlette ``HTTPException``: raised while FastAPI reads the body, it is passed on as
    such, where any other error there would become a 400 "error parsing the body".
    """

    status_code = 413
    slug = "content-too-large"

    def __init__(self, limit: int) -> None:
        detail = (
            f"The request body is larger than the limit of {limit:,} bytes; send less per request."
        )
        StarletteHTTPException.__init__(self, self.status_code, detail)


class TooManyRequests(AppError):
    status_code = 429
    slug = "too-many-requests"

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail, headers={"Retry-After": str(retry_after)})


class ServiceUnavailable(AppError):
    status_code = 503
    slug = "service-unavailable"


def problem_response(
    status: int,
    slug: str,
    detail: str,
    request: Request,
    *,
    title: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + slug,
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
    }
    if errors:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _field_path(loc: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(part) for part in loc)


_BOUNDS = ("less_than", "less_than_equal", "greater_than", "greater_than_equal")
FINITE = "must be a finite number (not NaN or infinity)"


def _not_finite(value: Any) -> bool:
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return False
    return isinstance(value, float) and not math.isfinite(value)


def _explained(err: dict[str, Any]) -> tuple[str, str]:
    """The message and type of one validation error, worded for a person.

    Length limits on text checked after a validator (``Annotated[SafeStr, Field(max_length=...)]``)
    come out of pydantic as "Value should have at most 200 items"; they count characters. NaN and
    infinity fail a number's bounds ("less than or equal to 100"); the trouble is that they are no
    numbers at all.
    """
    kind = err.get("type", "")
    message = err.get("msg", "invalid value")
    value, ctx = err.get("input"), err.get("ctx") or {}
    if kind == "extra_forbidden":
        message = "this field is not accepted here (it is set by the server or does not exist)"
    elif kind in ("too_long", "too_short") and isinstance(value, str):
        most = kind == "too_long"
        limit = ctx.get("max_length" if most else "min_length")
        unit = "character" if limit == 1 else "characters"
        message = (
            f"should have {'at most' if most else 'at least'} {limit} {unit}, not "
            f"{ctx.get('actual_length', len(value))}"
        )
        kind = f"string_{kind}"
    elif kind == "finite_number" or (kind in _BOUNDS and _not_finite(value)):
        message, kind = FINITE, "finite_number"
    return message, kind


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors():
        message, kind = _explained(err)
        out.append({"field": _field_path(err.get("loc", ())), "message": message, "type": kind})
    return out


def app_error_response(request: Request, exc: AppError) -> JSONResponse:
    """The problem response for ``exc``; middleware that answers before the app uses it too."""
    errors = None
    if isinstance(exc, Unprocessable) and exc.field:
        errors = [{"field": exc.field, "message": exc.detail, "type": exc.slug}]
    return problem_response(
        exc.status_code,
        exc.slug,
        exc.detail,
        request,
        title=exc.title,
        errors=errors,
        headers=exc.headers,
    )


async def _app_error(request: Request, exc: AppError) -> JSONResponse:
    return app_error_response(request, exc)


async def _request_validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = _validation_errors(exc)
    if any(e["type"] == "json_invalid" for e in errors):
        detail = next(e for e in errors if e["type"] == "json_invalid")
        return problem_response(
            400,
            "malformed-json",
            f"The request body is not valid JSON: {detail['message']}.",
            request,
            errors=errors,
        )
    fields = ", ".join(e["field"] for e in errors[:5])
    return problem_response(
        422,
        "validation",
        f"The request has invalid or missing fields: {fields}.",
        request,
        errors=errors,
    )


def _allowed_methods(request: Request) -> str:
    """Every method the request's path takes. Starlette's 405 names only those of the first route
    matching the path, but a path such as /v1/accounts has one route per method, and the `Allow`
    header must list them all (RFC 9110, 15.5.6)."""
    methods: set[str] = set()
    for route in iter_route_contexts(request.app.routes):
        match, _ = route.matches(request.scope)
        if match is not Match.NONE:
            methods.update(getattr(route, "methods", None) or ())
    return ", ".join(sorted(methods))


async def _http_exception(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    if exc.status_code == 400 and isinstance(exc.__cause__, UnicodeDecodeError):
        # FastAPI's "There was an error parsing the body": JSON that is not UTF-8 text.
        return problem_response(
            400,
            "malformed-json",
            "The request body is not valid JSON: it is not UTF-8 text.",
            request,
        )
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"No resource at {request.url.path}."
    headers = getattr(exc, "headers", None)
    if exc.status_code == 405:
        allowed = _allowed_methods(request)
        detail = f"{request.method} is not allowed on {request.url.path}; it takes {allowed}."
        headers = {**(headers or {}), "Allow": allowed}
    slug = HTTPStatus(exc.status_code).phrase.lower().replace(" ", "-")
    return problem_response(exc.status_code, slug, detail, request, headers=headers)


async def _stale_data(request: Request, exc: StaleDataError) -> JSONResponse:
    """Another request changed the row between this one's read and its write. With If-Match the
    client's precondition no longer holds (412, as if it had come a moment later); without, 409."""
    if request.headers.get("if-match") is not None:
        return problem_response(
            412,
            "precondition-failed",
            "The resource was changed by another request while this one was applied; GET it "
            "again and retry with the new ETag in If-Match.",
            request,
        )
    return problem_response(
        409,
        "concurrent-update",
        "The resource was changed by another request; reload it and retry.",
        request,
    )


# SQLSTATE classes and codes that mean the server cannot be reached or will not take the request
# now: 08 connection exception, 53300 too many connections, 57P01-57P03 shutting down / starting up.
_PG_UNAVAILABLE = ("08", "53300", "57P01", "57P02", "57P03")
# SQLite: the file cannot be opened, or another writer still holds the lock after the busy timeout.
_SQLITE_UNAVAILABLE = {"SQLITE_CANTOPEN", "SQLITE_BUSY"}


def is_database_unavailable(exc: DBAPIError) -> bool:
    """Whether the database could not be reached (retry later: 503), as opposed to a failed query.

    Any driver error on a connection that SQLAlchemy saw drop. PostgreSQL (psycopg): a
    connection-class SQLSTATE, or an error without a SQLSTATE at all (the client never got an
    answer from a server). SQLite: the file cannot be opened or the database stayed locked past
    the busy timeout. Anything else (a bad statement, a serialization failure, a cancelled query)
    is a bug or a conflict: a 500.
    """
    if exc.connection_invalidated:
        return True
    if not isinstance(exc, OperationalError):
        return False
    orig = exc.orig
    module = type(orig).__module__.split(".")[0]
    if module == "psycopg":
        sqlstate = getattr(orig, "sqlstate", None)
        return sqlstate is None or sqlstate.startswith(_PG_UNAVAILABLE)
    if module == "sqlite3":
        name = getattr(orig, "sqlite_errorname", "")
        message = str(orig)
        return name in _SQLITE_UNAVAILABLE or message.startswith(
            ("unable to open database", "database is locked")
        )
    return False


RETRY_AFTER_SECONDS = 5


def _unavailable(request: Request, detail: str) -> JSONResponse:
    return problem_response(
        503,
        "service-unavailable",
        detail,
        request,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


async def _database_error(request: Request, exc: DBAPIError) -> JSONResponse:
    if not is_database_unavailable(exc):
        return await unexpected_error_response(request, exc)
    logger.warning("database unavailable on %s %s: %s", request.method, request.url.path, exc.orig)
    return _unavailable(request, "The database is not answering; retry shortly.")


async def _pool_timeout(request: Request, exc: PoolTimeout) -> JSONResponse:
    logger.warning("no free database connection on %s %s", request.method, request.url.path)
    return _unavailable(
        request, "The service is busy: no database connection became free in time; retry shortly."
    )


async def unexpected_error_response(request: Request, exc: Exception) -> JSONResponse:
    """A 500 that says nothing of the cause; the traceback goes to the log only."""
    logger.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem_response(
        500, "internal", "An unexpected error occurred; it has been logged.", request
    )


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(AppError, _app_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _request_validation)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_exception)  # type: ignore[arg-type]
    app.add_exception_handler(StaleDataError, _stale_data)  # type: ignore[arg-type]
    app.add_exception_handler(DBAPIError, _database_error)  # type: ignore[arg-type]
    app.add_exception_handler(PoolTimeout, _pool_timeout)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, unexpected_error_response)


# For `responses=` on endpoints, so the OpenAPI document shows problem+json.
def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {
        status: {
            "model": Problem,
            "description": HTTPStatus(status).phrase,
            "content": {PROBLEM_JSON: {}},
        }
        for status in statuses
    }
