"""Apps with settings of a test's own (low limits, CORS origins...), on the test's transaction."""

import io
import json
import logging
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import pytest
import redis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Connection, Engine

from app.config import Settings
from app.main import create_app
from app.web.logs import json_formatter
from tests.conftest import TestSessionFactory

MakeClient = Callable[..., AbstractContextManager[TestClient]]
REDIS_URL = "redis://127.0.0.1:6379/0"


def build_app(engine: Engine, connection: Connection, **settings: Any) -> FastAPI:
    return create_app(engine, TestSessionFactory(connection), settings=Settings(**settings))


@pytest.fixture
def make_client(engine: Engine, connection: Connection) -> MakeClient:
    """``with make_client(rate_limit_per_ip="3/minute") as client:`` an app with those settings;
    ``address=`` sets the client's IP address, ``app=`` reuses an app built with build_app."""

    @contextmanager
    def make(
        *, address: str = "testclient", app: FastAPI | None = None, **settings: Any
    ) -> Iterator[TestClient]:
        app = app or build_app(engine, connection, **settings)
        with TestClient(app, raise_server_exceptions=False, client=(address, 50000)) as client:
            yield client

    return make


class JsonLines(io.StringIO):
    """The log as the service writes it, one JSON object a line."""

    def records(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.getvalue().splitlines()]

    def requests(self) -> list[dict[str, Any]]:
        return [r for r in self.records() if r.get("event") == "request"]


@pytest.fixture
def json_log() -> Iterator[JsonLines]:
    """Everything logged under ``chaindock`` (access log, errors), through the service's own
    JSON formatter."""
    stream = JsonLines()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(json_formatter())
    logger = logging.getLogger("chaindock")
    previous = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield stream
    finally:
        logger.removeHandler(handler)
        logger.setLevel(previous)


@pytest.fixture
def redis_prefix() -> Iterator[tuple[redis.Redis, str]]:
    """A key prefix of this test's own in the local Redis, its keys removed afterwards."""
    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    prefix = f"chaindock-test-{uuid.uuid4().hex}"
    yield connection, prefix
    for key in connection.scan_iter(f"{prefix}*"):
        connection.delete(key)
    connection.close()
