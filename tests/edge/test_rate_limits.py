"""Request rate limits per client address and per API token, in memory and in Redis."""

import asyncio
import logging

import pytest
from limits import parse
from limits.aio.strategies import FixedWindowRateLimiter
from pydantic import ValidationError

from app.config import Settings
from app.models.enums import Role
from app.web import memory_counts
from tests.edge.conftest import REDIS_URL, build_app

LIST = "/v1/regions?limit=1"


def assert_too_many(response, *, within: int = 60, says: str = "") -> None:
    assert response.status_code == 429, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert 1 <= int(response.headers["retry-after"]) <= within
    problem = response.json()
    assert problem["type"].endswith("/too-many-requests") and problem["status"] == 429
    assert says in problem["detail"] and "Retry after" in problem["detail"]


@pytest.mark.parametrize("strategy", ["fixed-window", "moving-window", "sliding-window-counter"])
def test_an_address_over_its_limit_gets_429_with_retry_after(make_client, strategy):
    with make_client(rate_limit_per_ip="3/minute", rate_limit_strategy=strategy) as client:
        assert [client.get(LIST).status_code for _ in range(3)] == [200, 200, 200]
        refused = client.get(LIST)
        assert_too_many(refused, says="from your address: the limit is 3 per 1 minute")
        # probes are never limited: a busy address must not make the service look down
        assert {client.get("/healthz").status_code for _ in range(5)} == {200}
    with make_client(rate_limit_per_ip="3/minute", address="10.9.8.7") as other:
        assert other.get(LIST).status_code == 200  # each address counts alone


def test_a_token_over_its_limit_gets_429_and_other_tokens_do_not(make_client, factory):
    first, second = factory.headers(Role.admin), factory.headers(Role.admin)
    with make_client(rate_limit_per_token="2/minute", rate_limit_per_ip="") as client:
        assert [client.get("/v1/me", headers=first).status_code for _ in range(2)] == [200, 200]
        assert_too_many(client.get("/v1/me", headers=first), says="with this token")
        assert client.get("/v1/me", headers=second).status_code == 200
        assert client.get(LIST).status_code == 200  # anonymous reads count by address only


def test_several_limits_in_one_setting_each_apply(make_client):
    with make_client(rate_limit_per_ip="100/hour;2/minute") as client:
        assert [client.get(LIST).status_code for _ in range(3)] == [200, 200, 429]


def test_limits_can_be_switched_off(make_client):
    with make_client(rate_limit_enabled=False, rate_limit_per_ip="1/minute") as client:
        assert {client.get(LIST).status_code for _ in range(5)} == {200}


def test_a_bad_limit_notation_is_refused_at_startup():
    with pytest.raises(ValidationError, match="rate_limit_per_token"):
        Settings(rate_limit_per_token="10 per fortnight")


@pytest.mark.parametrize("strategy", ["fixed-window", "moving-window"])
def test_redis_counts_are_shared_by_every_process(
    make_client, engine, connection, redis_prefix, strategy
):
    """Two apps (two processes, in production) count in the same Redis keys: together they
    allow the limit once."""
    store, prefix = redis_prefix
    settings = {
        "redis_url": REDIS_URL,
        "rate_limit_key_prefix": prefix,
        "rate_limit_per_ip": "3/minute",
        "rate_limit_strategy": strategy,
    }
    one, two = build_app(engine, connection, **settings), build_app(engine, connection, **settings)
    assert one.state.rate_guard.backend == "redis"
    with make_client(app=one) as first, make_client(app=two) as second:
        assert first.get(LIST).status_code == 200
        assert second.get(LIST).status_code == 200
        assert first.get(LIST).status_code == 200
        assert_too_many(second.get(LIST), says="the limit is 3 per 1 minute")
    assert list(store.scan_iter(f"{prefix}*")), "the counters should live in Redis"


def test_an_unreachable_redis_lets_requests_through_and_says_so(make_client, caplog):
    caplog.set_level(logging.WARNING, logger="chaindock.rate_limit")
    with make_client(redis_url="redis://127.0.0.1:1/0", rate_limit_per_ip="1/minute") as client:
        assert [client.get(LIST).status_code for _ in range(3)] == [200, 200, 200]
    warnings = [r for r in caplog.records if r.name == "chaindock.rate_limit"]
    assert len(warnings) == 1  # once a minute, not once a request
    assert "storage unavailable" in warnings[0].getMessage()


def test_in_memory_counters_of_past_windows_are_forgotten(monkeypatch):
    """The process's own counters stay as many as the addresses and tokens of the current
    window: expired ones are swept (at most once a second), and counting goes on correctly."""
    monkeypatch.setattr(memory_counts, "SWEEP_EVERY_SECONDS", 0.0)
    storage = memory_counts.PacedMemoryStorage()
    limiter = FixedWindowRateLimiter(storage)
    item = parse("2/second")

    async def scenario() -> tuple[list[bool], int, int]:
        verdicts = [await limiter.hit(item, "ip", "a") for _ in range(3)]
        for address in range(500):
            await limiter.hit(item, "ip", f"10.0.{address // 256}.{address % 256}")
        before = len(storage.storage)
        await asyncio.sleep(1.1)
        verdicts.append(await limiter.hit(item, "ip", "a"))  # a new window; the sweep runs
        return verdicts, before, len(storage.storage)

    verdicts, before, after = asyncio.run(scenario())
    assert verdicts == [True, True, False, True]
    assert before == 501 and after == 1
