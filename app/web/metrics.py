"""Prometheus metrics at ``/metrics`` with prometheus-fastapi-instrumentator: requests counted and
timed by method, route template (``/v1/requirements/{requirement_id}``; a path that matches no
route counts as ``none``) and status.

The library's middleware finds the template by matching the path against every route before the
request runs, which with FastAPI's included routers cost as much as the routing itself (about
0.6 ms a request here); :class:`RouteMetricsMiddleware` keeps its metrics and settings and reads
the template after the request, from the route FastAPI chose.

``/metrics`` is open unless ``CHAINDOCK_METRICS_TOKEN`` is set: it shows route templates, counts
and latencies, no data; serve it on the internal network, or set the token and give it to the
scraper (Prometheus' ``authorization: {credentials: ...}``). It is not in the OpenAPI document.
"""

import secrets
from collections.abc import Callable
from timeit import default_timer
from typing import Annotated, Any

from fastapi import Depends, FastAPI
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from prometheus_client import CollectorRegistry
from prometheus_fastapi_instrumentator import Instrumentator, metrics
from prometheus_fastapi_instrumentator.middleware import PrometheusInstrumentatorMiddleware
from pydantic import SecretStr
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import NotAuthenticated
from app.web.routes import RouteTemplates

METRICS_PATH = "/metrics"
# Request latency buckets in seconds, fitted to an API answering in milliseconds.
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0)
_scraper = HTTPBearer(auto_error=False)


class RouteMetricsMiddleware(PrometheusInstrumentatorMiddleware):
    def __init__(self, app: ASGIApp, *, templates: RouteTemplates, **options: Any) -> None:
        super().__init__(app, **options)
        self.templates = templates

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = default_timer()
        status = 500
        response_started = started

        async def send_noting_response(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                status = message["status"]
                response_started = default_timer()
            await send(message)

        try:
            await self.app(scope, receive, send_noting_response)
        finally:
            handler = self.templates.of(scope) or "none"
            if not any(pattern.search(handler) for pattern in self.excluded_handlers):
                ended = default_timer()
                info = metrics.Info(
                    request=Request(scope),
                    response=None,  # the metrics kept (see install_metrics) do not read it
                    method=scope["method"],
                    modified_handler=handler,
                    modified_status=str(status),
                    modified_duration=ended - started,
                    modified_duration_without_streaming=response_started - started,
                )
                for instrumentation in self.instrumentations:
                    instrumentation(info)


def _require_token(token: SecretStr) -> Callable[..., None]:
    expected = token.get_secret_value().encode()

    def require_metrics_token(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_scraper)],
    ) -> None:
        # compare_digest: the time taken says nothing of how much of a guess was right
        given = credentials.credentials.encode() if credentials else b""
        if not secrets.compare_digest(given, expected):
            raise NotAuthenticated(
                "/metrics needs `Authorization: Bearer <token>` with CHAINDOCK_METRICS_TOKEN."
            )

    return require_metrics_token


def install_metrics(app: FastAPI, templates: RouteTemplates, token: SecretStr | None) -> None:
    """Instrument ``app`` and serve ``/metrics``, with a registry of the app's own (several apps in
    one process, as in tests, must not register the same metrics twice).

    With several worker processes, set ``PROMETHEUS_MULTIPROC_DIR`` to an empty directory and
    every worker's figures are added up on each scrape.
    """
    registry = CollectorRegistry()
    # Counts by handler, method and status; latency by handler and method. The library's default
    # set adds request and response size summaries and a second histogram: 2.5 times the cost.
    kept = [
        metrics.requests(registry=registry),
        metrics.latency(should_include_status=False, buckets=_LATENCY_BUCKETS, registry=registry),
    ]
    app.add_middleware(
        RouteMetricsMiddleware,
        templates=templates,
        instrumentations=[instrumentation for instrumentation in kept if instrumentation],
        excluded_handlers=[f"^{METRICS_PATH}$"],
        registry=registry,
    )
    dependencies = [Depends(_require_token(token))] if token else []
    Instrumentator(registry=registry).expose(
        app, endpoint=METRICS_PATH, include_in_schema=False, dependencies=dependencies
    )
