"""Security headers on every response, Cache-Control for answers to requests with credentials,
CORS from settings, and no traceback in any response."""

from app.models.enums import Role
from tests.edge.conftest import build_app

SECURITY = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
}


def assert_secured(response) -> None:
    for name, value in SECURITY.items():
        assert response.headers.get(name) == value, (name, response.status_code)


def test_every_kind_of_response_carries_the_security_headers(client, factory):
    member = factory.headers(Role.member, factory.enterprise())
    responses = [
        client.get("/healthz"),
        client.get("/v1/regions?limit=1"),  # 200
        client.get("/v1/nowhere"),  # 404 from the router
        client.get("/v1/me"),  # 401
        client.post("/v1/glossary", json={"canonical": "x", "spellings": ["x"]}, headers=member),
        client.get("/v1/enterprises?limit=0"),  # 422
        client.post("/v1/glossary", content=b"{", headers=member),  # 400 or 403
    ]
    assert [r.status_code for r in responses][:6] == [200, 200, 404, 401, 403, 422]
    for response in responses:
        assert_secured(response)
    assert "strict-transport-security" not in responses[0].headers  # off until HTTPS is said


def test_the_docs_page_may_load_its_scripts_but_not_be_framed(client):
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert docs.headers["content-security-policy"] == "frame-ancestors 'none'"
    assert docs.headers["x-frame-options"] == "DENY"


def test_strict_transport_security_when_configured(make_client):
    with make_client(hsts_max_age=31_536_000) as client:
        response = client.get("/healthz")
    assert response.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"


def test_answers_to_requests_with_credentials_are_not_stored(client, factory):
    enterprise = factory.enterprise()
    member = factory.member_of(enterprise)
    me = client.get("/v1/me", headers=member)
    assert me.headers["cache-control"] == "no-store"
    refused = client.get("/v1/me", headers={"Authorization": "Bearer cd_wrong"})
    assert refused.headers["cache-control"] == "no-store"
    # a read with an ETag may be kept by the browser, but only to revalidate
    read = client.get(f"/v1/enterprises/{enterprise.id}", headers=member)
    assert read.headers["etag"] and read.headers["cache-control"] == "private, no-cache"
    anonymous = client.get(f"/v1/enterprises/{enterprise.id}")
    assert anonymous.status_code == 200 and "cache-control" not in anonymous.headers


def test_no_cross_origin_access_unless_configured(client):
    response = client.get("/v1/regions?limit=1", headers={"Origin": "https://app.example"})
    assert "access-control-allow-origin" not in response.headers
    preflight = client.options(
        "/v1/glossary",
        headers={"Origin": "https://app.example", "Access-Control-Request-Method": "POST"},
    )
    assert "access-control-allow-origin" not in preflight.headers


def test_configured_origins_may_call_the_api(make_client):
    origin = "https://app.example"
    with make_client(cors_allow_origins=[origin], rate_limit_per_ip="1/minute") as client:
        preflight = client.options(
            "/v1/glossary",
            headers={
                "Origin": origin,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,content-type,idempotency-key",
            },
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == origin
        allowed = preflight.headers["access-control-allow-headers"].lower()
        assert "authorization" in allowed and "idempotency-key" in allowed
        simple = client.get("/v1/regions?limit=1", headers={"Origin": origin})
        assert simple.headers["access-control-allow-origin"] == origin
        assert "X-Request-ID" in simple.headers["access-control-expose-headers"]
        # a 429 carries the CORS headers too, so the browser's script can read Retry-After
        limited = client.get("/v1/regions?limit=1", headers={"Origin": origin})
        assert limited.status_code == 429
        assert limited.headers["access-control-allow-origin"] == origin
        other = client.get("/healthz", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


def test_an_unexpected_error_is_a_bare_500_and_its_traceback_only_logged(
    make_client, engine, connection, json_log
):
    app = build_app(engine, connection)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("connection string postgresql://admin:hunter2@db leaked")

    with make_client(app=app) as client:
        response = client.get("/boom", headers={"X-Request-ID": "boom-1"})
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "https://chaindock.dev/problems/internal",
        "title": "Internal Server Error",
        "status": 500,
        "detail": "An unexpected error occurred; it has been logged.",
        "instance": "/boom",
    }
    assert "hunter2" not in response.text and "Traceback" not in response.text
    assert response.headers["x-request-id"] == "boom-1"
    assert_secured(response)
    logged = [r for r in json_log.records() if r["event"].startswith("unhandled error")]
    assert len(logged) == 1 and logged[0]["request_id"] == "boom-1"
    assert "RuntimeError: connection string" in logged[0]["exception"]
    assert json_log.requests()[-1]["status"] == 500
