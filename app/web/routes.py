"""A request's route template (``/v1/requirements/{requirement_id}``, never the raw path), read
from the route FastAPI's routing chose rather than by matching the path a second time.

FastAPI leaves the chosen route in ``scope["route"]``. Recent versions keep a router's own route
objects when it is included, so their ``path`` lacks the including router's prefix; the app
registers each included router here with that prefix.
"""

from collections.abc import Iterable

from starlette.routing import BaseRoute
from starlette.types import Scope


class RouteTemplates:
    def __init__(self) -> None:
        self._full_paths: dict[int, str] = {}  # route objects are unhashable: keyed by id

    def add(self, routes: Iterable[BaseRoute], prefix: str) -> None:
        for route in routes:
            path = getattr(route, "path", None)
            if path is not None:
                self._full_paths[id(route)] = prefix + path

    def of(self, scope: Scope) -> str | None:
        """The template of the route that answered, or None if none matched (a 404)."""
        route = scope.get("route")
        if route is None:
            return None
        return self._full_paths.get(id(route)) or getattr(route, "path", None)
