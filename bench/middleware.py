"""What the middleware stack costs per request, in process (no network, no database).

    .venv/bin/python -m bench.middleware [requests] [--redis redis://127.0.0.1:6379/0]

Each request is one call of the ASGI app with a GET and a bearer token (so every middleware does
its full work: per-address and per-token counts, Cache-Control, the access log written as JSON to
/dev/null). Figures are CPU microseconds a request, the best of seven runs, since the machine may
be busy with other work. First a bare app with one async route, adding the middleware one by one,
innermost first; then chaindock's own app answering GET /healthz, without and with the stack.
"""

import argparse
import asyncio
import logging
import time

from fastapi import FastAPI
from sqlalchemy import create_engine

from app.config import Settings
from app.db.session import SessionFactory
from app.main import create_app
from app.web.logs import json_formatter
from app.web.routes import RouteTemplates
from app.web.stack import install_middleware, running

STEPS = [
    ("no middleware", 0),
    ("+ body size limit", 1),
    ("+ rate limits", 2),
    ("+ metrics", 3),
    ("+ request context (id, headers, log)", 4),
]
RUNS = 7


async def per_request_us(app: FastAPI, path: str, requests: int) -> float:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"bench"), (b"authorization", b"Bearer cd_bench")],
        "client": ("127.0.0.1", 50000),
        "server": ("bench", 80),
    }
    statuses = []

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, object]) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    best = float("inf")
    async with app.router.lifespan_context(app):
        for _ in range(RUNS):
            started = time.process_time()
            for _ in range(requests):
                await app(dict(scope), receive, send)
            best = min(best, (time.process_time() - started) / requests * 1e6)
    assert set(statuses) == {200}, set(statuses)
    return best


def bare_app(settings: Settings) -> FastAPI:
    app = FastAPI(lifespan=running)

    @app.get("/ping")
    async def ping() -> dict[str, str]:
        return {"status": "ok"}

    templates = RouteTemplates()
    install_middleware(app, settings, templates)
    templates.add(app.routes, prefix="")
    return app


def innermost(app: FastAPI, layers: int) -> FastAPI:
    app.user_middleware = app.user_middleware[len(app.user_middleware) - layers :]
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("requests", type=int, nargs="?", default=2000)
    parser.add_argument("--redis", help="count rate limits in this Redis instead of memory")
    args = parser.parse_args()
    handler = logging.FileHandler("/dev/null")
    handler.setFormatter(json_formatter())
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    settings = Settings(
        redis_url=args.redis,
        rate_limit_key_prefix=f"bench-{time.time_ns()}",
        rate_limit_per_ip="100000000/minute",
        rate_limit_per_token="100000000/minute",
    )
    where = args.redis or "memory"
    print(f"{args.requests} requests a run, best of {RUNS}; rate limits counted in {where}")
    print("bare app, GET /ping (async):")
    base = None
    for label, layers in STEPS:
        cost = asyncio.run(
            per_request_us(innermost(bare_app(settings), layers), "/ping", args.requests)
        )
        base = cost if base is None else base
        print(f"  {label:40} {cost:7.1f} µs/request  (+{cost - base:6.1f})")
    print("chaindock, GET /healthz (sync, in the thread pool):")
    engine = create_engine("sqlite://")
    base = None
    for label, layers in STEPS:
        app = innermost(create_app(engine, SessionFactory(engine), settings), layers)
        cost = asyncio.run(per_request_us(app, "/healthz", args.requests))
        base = cost if base is None else base
        print(f"  {label:40} {cost:7.1f} µs/request  (+{cost - base:6.1f})")


if __name__ == "__main__":
    main()
