"""The outermost middleware: request id, access log, security headers and the last-resort 500.

One pure ASGI middleware (no ``BaseHTTPMiddleware``, one ``send`` wrapper) for all four, since
it runs on every request. It sits inside Starlette's ``ServerErrorMiddleware`` and answers an
unexpected exception itself, so a 500 carries the request id and headers like any response.
"""

import json
import logging
import re
import secrets
import time
from typing import Any

import structlog
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import PROBLEM_JSON, unexpected_error_response
from app.web.headers import SecurityHeaders
from app.web.routes import RouteTemplates

REQUEST_ID = "X-Request-ID"
_REQUEST_ID = REQUEST_ID.lower().encode()
# A caller's id is kept when it is short and plain (a UUID, a trace id); anything else could
# forge log lines or headers, and is replaced.
_SANE_ID = re.compile(rb"[A-Za-z0-9][A-Za-z0-9._:@+=/-]{0,127}")
_PROBLEM = PROBLEM_JSON.encode()
_MAX_PROBLEM_BYTES = 16_384

access_log = structlog.stdlib.get_logger("chaindock.access")


def request_id_of(scope: Scope) -> tuple[str, bool]:
    """The request's id, and whether the caller sent credentials."""
    request_id = None
    authenticated = False
    for name, value in scope["headers"]:
        if name == _REQUEST_ID and _SANE_ID.fullmatch(value):
            request_id = value.decode()
        elif name == b"authorization":
            authenticated = True
    return request_id or secrets.token_hex(16), authenticated


class RequestContextMiddleware:
    def __init__(
        self, app: ASGIApp, *, security_headers: SecurityHeaders, templates: RouteTemplates
    ) -> None:
        self.app = app
        self.security_headers = security_headers
        self.templates = templates

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id, authenticated = request_id_of(scope)
        state = scope.setdefault("state", {})  # endpoints note the account here
        status = 0
        problem: list[bytes] | None = None

        async def send_with_context(message: Message) -> None:
            nonlocal status, problem
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", ()))
                if status >= 400 and (b"content-type", _PROBLEM) in headers:
                    problem = []
                headers.append((_REQUEST_ID, request_id.encode()))
                self.security_headers.add(headers, path=scope["path"], authenticated=authenticated)
                message["headers"] = headers
            elif problem is not None and sum(map(len, problem)) < _MAX_PROBLEM_BYTES:
                problem.append(message.get("body", b""))
            await send(message)

        # every log line written while the request runs carries its id
        bound = structlog.contextvars.bind_contextvars(request_id=request_id)
        try:
            await self.app(scope, receive, send_with_context)
        except Exception as exc:
            if status:  # the response has begun: nothing sensible can follow it
                raise
            response = await unexpected_error_response(Request(scope), exc)
            await response(scope, receive, send_with_context)
        finally:
            self._log(scope, state, status, started, problem)
            structlog.contextvars.reset_contextvars(**bound)

    def _log(
        self,
        scope: Scope,
        state: dict[str, Any],
        status: int,
        started: float,
        problem: list[bytes] | None,
    ) -> None:
        # 503 is "not now, retry" (database away, index warming): a warning, not an error.
        if status >= 500:
            level = logging.WARNING if status == 503 else logging.ERROR
        else:
            level = logging.INFO if status else logging.WARNING
        if not access_log.isEnabledFor(level):
            return
        fields: dict[str, Any] = {
            "method": scope["method"],
            "path": scope["path"],
            "route": self.templates.of(scope),
            "status": status or None,  # none: the client went away before an answer
            "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            "client": scope["client"][0] if scope.get("client") else None,
        }
        if (account_id := state.get("account_id")) is not None:
            fields["account_id"] = account_id
        if problem:
            fields.update(_problem_fields(b"".join(problem)))
        access_log.log(level, "request", **fields)


def _problem_fields(body: bytes) -> dict[str, Any]:
    try:
        document = json.loads(body)
    except ValueError:  # cut short or not JSON after all: the status says enough
        return {}
    return {"problem": document.get("type"), "detail": document.get("detail")}
