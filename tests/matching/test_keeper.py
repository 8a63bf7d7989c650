"""The match index of a running service: built in the background at startup."""

import time

from fastapi.testclient import TestClient

from app.main import create_app


def test_the_service_builds_its_match_index_in_the_background_at_startup(migrated_engine):
    app = create_app(migrated_engine)  # as `chaindock serve` builds it, with its own sessions
    with TestClient(app) as client:
        keeper = app.state.match_keeper
        deadline = time.monotonic() + 60
        while not keeper.ready and time.monotonic() < deadline:
            time.sleep(0.05)
        assert keeper.ready
        assert client.get("/healthz").status_code == 200
