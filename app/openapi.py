"""The OpenAPI document: FastAPI's, completed with what route decorators cannot say.

- Errors are sent as `application/problem+json`, so that is where their schema goes (FastAPI puts
  a response model under the route's media type, `application/json`).
- A body that is not JSON is a 400 on every operation that takes one.
- An operation open to anonymous callers (the token only widens what they see) lists the empty
  security requirement `{}` beside the bearer token, so clients know the token is optional.
"""

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import BaseRoute

from app.auth.dependencies import current_principal
from app.errors import PROBLEM_JSON

PROBLEM_SCHEMA = {"$ref": "#/components/schemas/Problem"}
MALFORMED_BODY = {
    "description": "Bad Request: the body is not JSON (malformed, or not UTF-8 text).",
    "content": {PROBLEM_JSON: {"schema": PROBLEM_SCHEMA}},
}


def install_openapi(app: FastAPI) -> None:
    """Make ``app.openapi()`` return the completed document (built once, then cached)."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            complete(generate(), app.routes)
        return app.openapi_schema  # type: ignore[return-value]

    app.openapi = openapi  # type: ignore[method-assign]


def complete(document: dict[str, Any], routes: Sequence[BaseRoute]) -> None:
    for route in iter_route_contexts(routes):
        if not isinstance(route.original_route, APIRoute) or not route.include_in_schema:
            continue
        for method in route.methods or ():
            operation = document["paths"][route.path_format][method.lower()]
            if "security" in operation and not requires_token(route.dependant):
                operation["security"] = [{}, *operation["security"]]
            responses = operation["responses"]
            if "requestBody" in operation:
                responses.setdefault("400", MALFORMED_BODY)
            for response in responses.values():
                _problem_schema_under_problem_json(response)


def requires_token(dependant: Dependant) -> bool:
    """Whether the route depends, directly or through another dependency, on a signed-in caller."""
    return any(
        sub.call is current_principal or requires_token(sub) for sub in dependant.dependencies
    )


def _problem_schema_under_problem_json(response: dict[str, Any]) -> None:
    content = response.get("content", {})
    if PROBLEM_JSON in content:
        schema = content.pop("application/json", {}).get("schema", PROBLEM_SCHEMA)
        content[PROBLEM_JSON] = {"schema": schema}
