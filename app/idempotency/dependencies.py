"""The ``Idempotency-Key`` header on creating POSTs, in one dependency and one route class.

A create route opts in with ``dependencies=[IDEMPOTENT]`` on a router whose ``route_class`` is
``IdempotentRoute``: the dependency claims the key (or answers with the stored response) before
the endpoint runs; the route stores the finished response in the same transaction, before the
request's session commits.
"""

import hashlib
import json
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Header, Request, Response
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from app.auth.dependencies import CurrentPrincipal
from app.db.session import SessionDep
from app.idempotency import service
from app.idempotency.service import HEADER, REPLAYED, KeyedRequest, Replay
from app.models import IdempotencyKey

KEY_CHARS = r"[A-Za-z0-9._~:+/=-]{1,255}"
COMPONENT = "IdempotencyKey"  # the shared parameter in the OpenAPI document

IdempotencyKeyHeader = Annotated[
    str | None,
    Header(
        alias=HEADER,
        max_length=257,
        pattern=rf'^({KEY_CHARS}|"{KEY_CHARS}")$',
        description="Makes retrying this create safe. A key of your choosing, 1–255 letters, "
        "digits or `-_.:~+/=` (a UUID, say), bare or in double quotes. Sent again with the same "
        "request by the same account within `CHAINDOCK_IDEMPOTENCY_KEY_TTL_HOURS` (24 h), it "
        f"gets the first response again (status, body, Location and ETag, with `{REPLAYED}: "
        "true`) and creates nothing; with a different request it is a 422; while the first is "
        "still running the retry waits for it (409 if that takes too long). A request that "
        "failed keeps no key: fix it and send it again with the same key.",
    ),
]


async def request_fingerprint(request: Request) -> str:
    """SHA-256 of the method, path and body (JSON compared by value: key order and spacing do
    not matter). FastAPI has read the body already; this reads its cached copy."""
    body = await request.body()
    try:
        body = json.dumps(
            json.loads(body), sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()
    except ValueError:
        pass  # not JSON: the bytes as sent (validation answers such a request anyway)
    digest = hashlib.sha256(f"{request.method} {request.url.path}?{request.url.query}\n".encode())
    digest.update(body)
    return digest.hexdigest()


@dataclass(frozen=True)
class Claimed:
    session: Session
    row: IdempotencyKey


def idempotency(
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    fingerprint: Annotated[str, Depends(request_fingerprint)],
    key: IdempotencyKeyHeader = None,
) -> None:
    if not isinstance(request.scope.get("route"), IdempotentRoute):
        raise RuntimeError(f"{request.url.path}: an idempotent route needs IdempotentRoute")
    if key is None:
        return
    assert principal.account_id is not None
    keyed = KeyedRequest(
        account_id=principal.account_id,
        key=key.strip('"'),
        method=request.method,
        path=request.url.path,
        fingerprint=fingerprint,
    )
    request.state.idempotency = Claimed(session, service.claim(session, keyed))


IDEMPOTENT = Depends(idempotency)


class IdempotentRoute(APIRoute):
    """Replays a stored response, and stores the response of a request that claimed a key."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handle = super().get_route_handler()

        async def handle_idempotently(request: Request) -> Response:
            try:
                response = await handle(request)
            except Replay as replay:
                return replay.response()
            claimed: Claimed | None = getattr(request.state, "idempotency", None)
            if claimed is not None:
                await run_in_threadpool(service.settle, claimed.session, claimed.row, response)
            return response

        return handle_idempotently


def share_header_parameter(document: dict[str, Any]) -> dict[str, Any]:
    """Define the header once under ``components.parameters`` and refer to it from each
    operation that takes it."""
    shared = document.setdefault("components", {}).setdefault("parameters", {})
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            parameters = operation.get("parameters", [])
            for i, parameter in enumerate(parameters):
                if parameter.get("in") == "header" and parameter.get("name") == HEADER:
                    shared[COMPONENT] = parameter
                    parameters[i] = {"$ref": f"#/components/parameters/{COMPONENT}"}
    return document
