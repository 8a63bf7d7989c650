"""Request bodies over CHAINDOCK_MAX_BODY_BYTES are a 413, declared or streamed; page sizes and
candidate counts have caps on every route that takes them."""

import json
import re

import pytest

from app.models.enums import Role

LIMIT = 1024


def glossary_entry(canonical: str, size: int) -> bytes:
    """A valid glossary entry, padded with JSON whitespace to ``size`` bytes."""
    body = json.dumps({"canonical": canonical, "spellings": [canonical]}).encode()
    return body + b" " * (size - len(body))


def entries_named(client, canonical: str) -> list[str]:
    listed = client.get("/v1/glossary", params={"q": canonical}).json()["items"]
    return [entry["canonical"] for entry in listed if entry["canonical"] == canonical]


def test_a_declared_body_over_the_limit_is_413_and_nothing_is_written(make_client, factory):
    staff = {**factory.headers(Role.organiser), "Content-Type": "application/json"}
    with make_client(max_body_bytes=LIMIT) as client:
        refused = client.post(
            "/v1/glossary", content=glossary_entry("solar tracker", LIMIT + 1), headers=staff
        )
        assert refused.status_code == 413
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["detail"] == (
            "The request body is larger than the limit of 1,024 bytes; send less per request."
        )
        assert entries_named(client, "solar tracker") == []
        taken = client.post(
            "/v1/glossary", content=glossary_entry("solar tracker", LIMIT), headers=staff
        )
        assert taken.status_code == 201, taken.text


def test_a_streamed_body_without_length_is_counted_as_it_arrives(make_client, factory):
    staff = {**factory.headers(Role.organiser), "Content-Type": "application/json"}
    body = glossary_entry("wafer saw", 3 * LIMIT)

    def chunks(data: bytes):  # a generator: sent chunked, with no Content-Length
        for start in range(0, len(data), 256):
            yield data[start : start + 256]

    with make_client(max_body_bytes=LIMIT) as client:
        refused = client.post("/v1/glossary", content=chunks(body), headers=staff)
        assert refused.status_code == 413, refused.text
        assert refused.json()["type"].endswith("/content-too-large")
        assert entries_named(client, "wafer saw") == []
        small = glossary_entry("wafer saw", 600)
        assert client.post("/v1/glossary", content=chunks(small), headers=staff).status_code == 201


CAPPED = ("limit", "top", "per_item")


def capped_parameters(document: dict) -> list[tuple[str, str, int, int]]:
    found = []
    for path, operations in document["paths"].items():
        for parameter in operations.get("get", {}).get("parameters", []):
            if parameter["in"] == "query" and parameter["name"] in CAPPED:
                schema = parameter["schema"]
                found.append((path, parameter["name"], schema["minimum"], schema["maximum"]))
    return found


def test_every_list_route_caps_its_page_size(app):
    """Every paginated list (a response with `next_cursor`) takes `limit`, capped at 200."""
    document = app.openapi()
    schemas = document["components"]["schemas"]
    capped = {(path, name): top for path, name, _, top in capped_parameters(document)}
    lists = []
    for path, operations in document["paths"].items():
        reference = (
            operations.get("get", {})
            .get("responses", {})
            .get("200", {})
            .get("content", {})
            .get("application/json", {})
            .get("schema", {})
            .get("$ref", "")
        )
        if "next_cursor" in schemas.get(reference.rsplit("/", 1)[-1], {}).get("properties", {}):
            lists.append(path)
            assert capped.get((path, "limit"), 10**9) <= 200, f"{path} has no capped limit"
    assert len(lists) >= 10


def test_every_capped_parameter_refuses_values_past_its_bounds(client, factory):
    """A sweep over the OpenAPI document: one past each bound is a 422 naming the parameter."""
    admin = factory.headers(Role.admin)
    swept = capped_parameters(client.app.openapi())
    assert {name for _, name, _, _ in swept} == set(CAPPED)
    for template, name, low, high in swept:
        path = re.sub(r"\{[^}]+\}", "1", template)
        for value in (high + 1, low - 1, 10**12):
            response = client.get(path, params={name: value}, headers=admin)
            assert response.status_code == 422, (template, name, value, response.text)
            assert [e["field"] for e in response.json()["errors"]] == [f"query.{name}"]


@pytest.mark.parametrize("value", ["ten", "1.5", ""])
def test_a_page_size_that_is_no_number_is_422(client, value):
    response = client.get("/v1/enterprises", params={"limit": value})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.limit"
