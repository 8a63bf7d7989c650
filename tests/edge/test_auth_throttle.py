"""Failed bearer authentications throttle the address they come from; token secrets are matched
exactly (by hash, compared in constant time), never by a near miss."""

from app.core.security import hash_token
from app.models import ApiToken
from app.models.enums import Role
from tests.edge.conftest import REDIS_URL, build_app

ME = "/v1/me"


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_an_address_that_keeps_failing_is_refused_before_its_token_is_looked_up(
    make_client, factory
):
    valid = factory.headers(Role.admin)
    with make_client(rate_limit_failed_auth="3/minute") as client:
        for guess in range(3):
            assert client.get(ME, headers=bearer(f"cd_guess{guess}")).status_code == 401
        refused = client.get(ME, headers=valid)  # even the right token: the address is throttled
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        assert "Too many failed authentications from your address" in refused.json()["detail"]
        assert client.get("/v1/regions?limit=1").status_code == 200  # anonymous reads go on
    with make_client(rate_limit_failed_auth="3/minute", address="10.1.1.1") as elsewhere:
        assert elsewhere.get(ME, headers=valid).status_code == 200


def test_with_redis_each_process_learns_of_the_throttle_at_its_next_failure(
    make_client, factory, engine, connection, redis_prefix
):
    """The failures are counted in Redis for every process; the throttle itself is kept by each
    process, so that a request with a token costs no extra round trip."""
    _, prefix = redis_prefix
    settings = {
        "redis_url": REDIS_URL,
        "rate_limit_key_prefix": prefix,
        "rate_limit_failed_auth": "3/minute",
    }
    valid = factory.headers(Role.admin)
    one, two = build_app(engine, connection, **settings), build_app(engine, connection, **settings)
    with make_client(app=one) as first, make_client(app=two) as second:
        assert first.get(ME, headers=bearer("cd_guess1")).status_code == 401
        assert second.get(ME, headers=bearer("cd_guess2")).status_code == 401
        assert first.get(ME, headers=bearer("cd_guess3")).status_code == 401  # the third: used up
        assert first.get(ME, headers=valid).status_code == 429
        assert second.get(ME, headers=valid).status_code == 200  # not told yet
        assert second.get(ME, headers=bearer("cd_guess4")).status_code == 401  # now it knows
        assert second.get(ME, headers=valid).status_code == 429


def test_successful_and_anonymous_requests_do_not_count_as_failures(make_client, factory):
    valid = factory.headers(Role.member, factory.enterprise())
    with make_client(rate_limit_failed_auth="2/minute") as client:
        assert {client.get(ME, headers=valid).status_code for _ in range(5)} == {200}
        # a route that wants a token, asked without one: a 401, but no failed authentication
        assert {client.get(ME).status_code for _ in range(5)} == {401}
        assert client.get(ME, headers=valid).status_code == 200


def test_only_the_exact_secret_authenticates(make_client, factory, session):
    headers = factory.headers(Role.admin)
    secret = headers["Authorization"].removeprefix("Bearer ")
    stored = session.query(ApiToken).filter_by(token_hash=hash_token(secret)).one()
    near_misses = [
        secret.upper(),
        secret[:-1],
        secret + "x",
        secret[:-1] + ("A" if secret[-1] != "A" else "B"),
        stored.token_hash,  # what the database holds is no credential
        stored.token_hash.upper(),
    ]
    with make_client(rate_limit_failed_auth="") as client:
        assert client.get(ME, headers=headers).status_code == 200
        for attempt in near_misses:
            response = client.get(ME, headers=bearer(attempt))
            assert response.status_code == 401, attempt
            assert response.json()["detail"].startswith("The API token is not known")
