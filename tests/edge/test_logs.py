"""One JSON access-log line per request, carrying the request id the response echoes."""

import re

import pytest

from app.models.enums import Role


def test_each_request_is_one_json_line_with_its_id_route_and_account(
    client, factory, session, json_log
):
    enterprise = factory.enterprise()
    member = factory.member_of(enterprise)
    account_id = client.get("/v1/me", headers=member).json()["id"]
    response = client.get(
        f"/v1/enterprises/{enterprise.id}", headers={**member, "X-Request-ID": "trace-7f3a.1"}
    )
    assert response.status_code == 200
    assert response.headers["x-request-id"] == "trace-7f3a.1"
    line = json_log.requests()[-1]
    assert line["request_id"] == "trace-7f3a.1"
    assert line["method"] == "GET" and line["status"] == 200
    assert line["path"] == f"/v1/enterprises/{enterprise.id}"
    assert line["route"] == "/v1/enterprises/{enterprise_id}"
    assert line["account_id"] == account_id
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["level"] == "info" and line["logger"] == "chaindock.access"
    assert line["timestamp"].endswith("Z")
    assert len(json_log.requests()) == 2  # one a request, no more


def test_anonymous_requests_get_a_fresh_id_and_no_account(client, json_log):
    first = client.get("/healthz").headers["x-request-id"]
    second = client.get("/healthz").headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", first) and first != second
    assert [line["request_id"] for line in json_log.requests()] == [first, second]
    assert all("account_id" not in line for line in json_log.requests())


@pytest.mark.parametrize(
    "offered",
    ["has space", "x" * 129, "-leading-dash", "new\tline", "引号"],
)
def test_an_odd_incoming_request_id_is_replaced(client, json_log, offered):
    response = client.get("/healthz", headers={"X-Request-ID": offered.encode()})
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["x-request-id"])
    assert json_log.requests()[-1]["request_id"] == response.headers["x-request-id"]


def test_a_problem_is_logged_with_its_type_and_detail(client, factory, json_log):
    admin = factory.headers(Role.admin)
    response = client.get("/v1/enterprises/987654", headers={**admin, "X-Request-ID": "nf-1"})
    assert response.status_code == 404
    line = json_log.requests()[-1]
    assert line["request_id"] == "nf-1" and line["status"] == 404
    assert line["problem"] == "https://chaindock.dev/problems/not-found"
    assert line["detail"] == response.json()["detail"]
    refused = client.get("/v1/me", headers={"Authorization": "Bearer cd_wrong"})
    line = json_log.requests()[-1]
    assert line["status"] == 401 and line["problem"].endswith("/not-authenticated")
    assert line["request_id"] == refused.headers["x-request-id"]
