"""Health endpoints, problem+json for routing errors, the `chaindock` command, and what a service
process sets for itself."""

import gc
import os
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, select

from app.db.session import build_engine
from app.main import YOUNG_GENERATION_THRESHOLD, create_app
from app.models import Account, ApiToken, Capability, Enterprise, Requirement

ROOT = Path(__file__).resolve().parent.parent


def test_health_and_readiness(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").json() == {"status": "ok"}


def test_not_ready_while_the_match_index_is_built(client):
    """A worker that has not built its index yet would answer slowly: readiness says so."""
    keeper = client.app.state.match_keeper
    factory = client.app.state.session_factory
    release = threading.Event()

    def held_factory(*, write: bool):  # type: ignore[no-untyped-def]
        release.wait(10)
        return factory(write=write)

    build = keeper.warm_up(held_factory, date.today())
    try:
        response = client.get("/readyz")
        assert response.status_code == 503, response.text
        assert response.headers["content-type"].startswith("application/problem+json")
        assert "match index" in response.json()["detail"]
    finally:
        release.set()
        build.join(30)
    assert keeper.ready
    assert client.get("/readyz").json() == {"status": "ok"}


def test_readiness_fails_without_a_database():
    unreachable = build_engine("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=1")
    with TestClient(create_app(unreachable), raise_server_exceptions=False) as client:
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("application/problem+json")
    assert client.get("/healthz").status_code == 200


def test_routing_errors_are_problems(client):
    missing = client.get("/v1/nothing-here")
    assert (
        missing.status_code == 404
        and missing.json()["detail"] == "No resource at /v1/nothing-here."
    )
    wrong_method = client.put("/v1/requirements")
    assert wrong_method.status_code == 405
    assert wrong_method.headers["content-type"].startswith("application/problem+json")


def chaindock(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )


def test_command_line_sets_up_a_demo_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    chaindock(url, "migrate")
    first = chaindock(url, "seed-demo", "--if-empty")
    assert "320 enterprises" in first.stdout
    again = chaindock(url, "seed-demo", "--if-empty")
    assert "left as it is" in again.stdout
    token = chaindock(
        url, "create-token", "--role", "organiser", "--email", "org@example.cn"
    ).stdout.strip()
    chaindock(url, "create-token", "--role", "organiser", "--email", "org@example.cn")
    engine = create_engine(url)
    with engine.connect() as connection:
        count = lambda model: connection.scalar(select(func.count()).select_from(model))  # noqa: E731
        assert count(Enterprise) == 320 and count(Requirement) >= 60 and count(Capability) >= 1000
        assert count(Account) == 1 and count(ApiToken) == 2
    engine.dispose()
    assert token.startswith("cd_")


def test_command_line_tokens_respect_the_maximum_lifetime(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    env = {**os.environ, "DATABASE_URL": url, "CHAINDOCK_TOKEN_MAX_TTL_DAYS": "30"}
    refused = subprocess.run(
        [sys.executable, "-m", "app.cli", "create-token", "--days", "31"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert refused.returncode != 0
    assert "--days must be from 1 to 30" in refused.stderr


def test_a_service_collects_young_garbage_less_often_while_it_runs(migrated_engine):
    """At Python's default threshold the collector ran hundreds of times a second under load;
    a service raises it while it runs (a test's app does not) and puts it back at shutdown."""
    before = gc.get_threshold()
    with TestClient(create_app(migrated_engine)) as client:
        assert client.get("/healthz").status_code == 200
        assert gc.get_threshold() == (YOUNG_GENERATION_THRESHOLD, *before[1:])
    assert gc.get_threshold() == before
