"""The application factory."""

import gc
from collections.abc import AsyncIterator, Callable
from contextlib import ExitStack, asynccontextmanager

from fastapi import FastAPI
from sqlalchemy import Engine

from app import health
from app.analytics.coverage_endpoints import router as analytics_coverage_router
from app.analytics.share_endpoints import router as analytics_share_router
from app.audit.endpoints import router as audit_router
from app.auth.endpoints import router as auth_router
from app.config import Settings, get_settings
from app.core.clock import today
from app.db.session import SessionFactory, get_engine
from app.enterprises.endpoints import router as enterprises_router
from app.errors import install_error_handlers, problem_responses
from app.events.endpoints import router as events_router
from app.events.match_list_endpoints import router as match_lists_router
from app.events.meeting_endpoints import router as meetings_router
from app.events.outcome_endpoints import router as outcomes_router
from app.glossary.endpoints import router as glossary_router
from app.idempotency.dependencies import share_header_parameter
from app.matching.endpoints import router as matching_router
from app.matching.keeper import MatchKeeper
from app.matching.refresher import keep_fresh
from app.openapi import install_openapi
from app.postings.answers import PublicBodies
from app.postings.capability_endpoints import router as capabilities_router
from app.postings.requirement_endpoints import router as requirements_router
from app.regions.endpoints import router as regions_router
from app.taxonomy.endpoints import router as taxonomy_router
from app.web.routes import RouteTemplates
from app.web.stack import install_middleware, running

API_DESCRIPTION = """
chaindock brings the upstream and downstream of industrial chains together: chain owners post
requirements, suppliers post capabilities, organisers run docking events.

Errors are RFC 9457 `application/problem+json`. Writes need `Authorization: Bearer <token>`.
Lists are cursor-paginated: pass `next_cursor` back as `cursor`.

Requests are rate limited per token and per client address (429 with `Retry-After`, in seconds);
an address that keeps failing authentication is refused for a while. Request bodies over the
size limit (1 MiB by default) are a 413. Every response carries an `X-Request-ID` (yours, if you
send a plain one): quote it when reporting a problem.
"""


# A request makes and drops thousands of container objects. At Python's default threshold (700
# new ones) the collector ran hundreds of times a second under the mixed load, each time promoting
# objects that requests in flight still held; they filled the oldest generation, whose full
# collections (pauses of 50 to 150 ms) came every second: 2.5 s of collecting in 20 s over two
# workers. At 20,000 it was 0.3 s. Set by a service's lifespan only (apps given a session
# factory, as most tests make them, keep the default).
YOUNG_GENERATION_THRESHOLD = 20_000


def _collect_less() -> Callable[[], None]:
    """Raise the young generation's threshold; the returned function puts it back."""
    before = gc.get_threshold()
    gc.set_threshold(YOUNG_GENERATION_THRESHOLD, *before[1:])
    return lambda: gc.set_threshold(*before)


def create_app(
    engine: Engine | None = None,
    session_factory: SessionFactory | None = None,
    settings: Settings | None = None,
) -> FastAPI:
    engine = engine or get_engine()
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with running(app):
            with ExitStack() as service:  # undone last first: the refresher stops, then the pool
                if session_factory is None:  # a real service, not a test's app
                    keeper: MatchKeeper = app.state.match_keeper
                    keeper.warm_up(app.state.session_factory, today())
                    service.callback(engine.dispose)
                    service.callback(keep_fresh(keeper, app.state.session_factory, today))
                    service.callback(_collect_less())
                yield

    app = FastAPI(
        title="chaindock",
        version="0.1.0",
        description=API_DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.engine = engine
    app.state.session_factory = session_factory or SessionFactory(engine)
    app.state.match_keeper = MatchKeeper(
        settings.match_refresh_seconds, freeze=session_factory is None
    )
    app.state.public_bodies = PublicBodies()
    install_error_handlers(app)
    templates = RouteTemplates()
    install_middleware(app, settings, templates)
    install_openapi(app)

    # Routes are matched one by one in this order, at a cost per route passed: the probes and
    # the routes most asked for (postings, their matches) come first.
    app.include_router(health.router)
    templates.add(health.router.routes, prefix="")
    for router in (
        requirements_router,
        capabilities_router,
        matching_router,
        enterprises_router,
        auth_router,
        regions_router,
        taxonomy_router,
        glossary_router,
        events_router,
        match_lists_router,
        meetings_router,
        outcomes_router,
        analytics_coverage_router,
        analytics_share_router,
        audit_router,
    ):
        # Each straight into the app (not through a /v1 router: a level of inclusion costs
        # every request a walk over all routers).
        app.include_router(router, prefix="/v1", responses=problem_responses(429))
        templates.add(router.routes, prefix="/v1")
    build_openapi = app.openapi
    app.openapi = lambda: share_header_parameter(build_openapi())  # type: ignore[method-assign]
    return app
