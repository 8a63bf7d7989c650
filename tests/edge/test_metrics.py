"""Prometheus metrics at /metrics: counted by route template, never by raw path."""

from prometheus_client.parser import text_string_to_metric_families

from app.models.enums import Role


def samples(text: str, name: str) -> dict[tuple[tuple[str, str], ...], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name:
                found[tuple(sorted(sample.labels.items()))] = sample.value
    return found


def count(text: str, **labels: str) -> float:
    return samples(text, "http_requests_total").get(tuple(sorted(labels.items())), 0.0)


def test_requests_are_counted_and_timed_by_route_template(make_client, factory):
    enterprise = factory.enterprise()
    with make_client() as client:  # an app of its own: counts start at zero
        for _ in range(2):
            assert client.get(f"/v1/enterprises/{enterprise.id}").status_code == 200
        assert client.get("/v1/enterprises/987654").status_code == 404
        assert client.get(f"/v1/unknown/{enterprise.id}").status_code == 404
        scraped = client.get("/metrics")
    assert scraped.status_code == 200
    assert scraped.headers["content-type"].startswith("text/plain")
    text = scraped.text
    template = "/v1/enterprises/{enterprise_id}"
    assert count(text, handler=template, method="GET", status="200") == 2
    assert count(text, handler=template, method="GET", status="404") == 1
    assert count(text, handler="none", method="GET", status="404") == 1  # no route: one series
    assert f"/v1/enterprises/{enterprise.id}" not in text and "987654" not in text
    latency = samples(text, "http_request_duration_seconds_count")
    assert latency[(("handler", template), ("method", "GET"))] == 3
    assert "/metrics" not in {dict(k).get("handler") for k in samples(text, "http_requests_total")}


def test_metrics_stay_out_of_the_api_contract(client):
    assert "/metrics" not in client.app.openapi()["paths"]


def test_a_metrics_token_guards_the_scrape(make_client, factory):
    api_token = factory.headers(Role.admin)
    with make_client(metrics_token="scrape-secret-1") as client:
        assert client.get("/metrics").status_code == 401
        assert (
            client.get("/metrics", headers={"Authorization": "Bearer scrape-secret-"}).status_code
            == 401
        )
        assert (
            client.get("/metrics", headers=api_token).status_code == 401
        )  # an API token is not it
        allowed = client.get("/metrics", headers={"Authorization": "Bearer scrape-secret-1"})
        assert allowed.status_code == 200 and "http_requests_total" in allowed.text


def test_metrics_can_be_switched_off(make_client):
    with make_client(metrics_enabled=False) as client:
        assert client.get("/metrics").status_code == 404
