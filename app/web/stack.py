"""The middleware stack, in one place because its order matters.

Outermost first (each sees what the ones inside it answer):

1. request context: request id, access log, security headers, the last-resort 500; outermost so
   that every answer, a 429 or a 413 too, is logged and carries the headers;
2. CORS (only when origins are configured): preflights answered before any counting, and the
   CORS headers on 429s too, so a browser can read them;
3. metrics: every answer counted, refusals included;
4. rate limits: refuses before the body is read or the database asked;
5. body size limit.

All are pure ASGI middleware: per request they cost a few microseconds, where
``BaseHTTPMiddleware`` would add a task and memory streams to each.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

from app.config import Settings
from app.web.body_limit import BodySizeLimitMiddleware
from app.web.context import REQUEST_ID, RequestContextMiddleware
from app.web.headers import SecurityHeaders
from app.web.logs import configure_structlog
from app.web.metrics import METRICS_PATH, install_metrics
from app.web.rate_limit import RateGuard, RateLimitMiddleware
from app.web.routes import RouteTemplates

# Probes and scrapes are never rate limited: a load balancer must not see a healthy process as
# down because it asked often.
UNLIMITED_PATHS = frozenset({"/healthz", "/readyz", METRICS_PATH})


def install_middleware(app: FastAPI, settings: Settings, templates: RouteTemplates) -> None:
    """Add the stack to ``app``; the app's lifespan must run :func:`running`. ``templates``
    names the routes in logs and metrics.

    ``add_middleware`` puts each new one outside the ones before it, so they are added innermost
    first."""
    configure_structlog()
    app.add_middleware(BodySizeLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.state.rate_guard = None
    if settings.rate_limit_enabled:
        app.state.rate_guard = RateGuard(settings)
        app.add_middleware(
            RateLimitMiddleware, guard=app.state.rate_guard, exempt_paths=UNLIMITED_PATHS
        )
    if settings.metrics_enabled:
        install_metrics(app, templates, settings.metrics_token)
    if settings.cors_allow_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_allow_origins,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=[
                "Authorization",
                "Content-Type",
                "If-Match",
                "If-None-Match",
                "Idempotency-Key",
                REQUEST_ID,
            ],
            expose_headers=["ETag", "Location", "Retry-After", "Idempotent-Replayed", REQUEST_ID],
            max_age=600,
        )
    docs_paths = [app.docs_url or "", app.redoc_url or ""]
    headers = SecurityHeaders(hsts_max_age=settings.hsts_max_age, docs_paths=docs_paths)
    app.add_middleware(RequestContextMiddleware, security_headers=headers, templates=templates)


@asynccontextmanager
async def running(app: FastAPI) -> AsyncIterator[None]:
    """For the app's lifespan: the rate-limit counters open on the event loop that serves (and
    start afresh with each run of the app), and close at shutdown."""
    guard: RateGuard | None = app.state.rate_guard
    if guard is None:
        yield
        return
    await guard.open()
    try:
        yield
    finally:
        await guard.close()
