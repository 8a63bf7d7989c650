"""The committed OpenAPI document is the app's: regenerate it with `make openapi` when the API changes."""

import json
from pathlib import Path

import pytest

from app.cli import render_openapi
from app.main import create_app

COMMITTED = Path(__file__).resolve().parent.parent / "openapi" / "openapi.json"


def test_committed_openapi_matches_the_app(engine):
    current = render_openapi(create_app(engine).openapi())
    committed = COMMITTED.read_text(encoding="utf-8")
    assert json.loads(committed) == json.loads(current), (
        "openapi/openapi.json is out of date: run `make openapi` and commit the result"
    )


def test_every_operation_is_documented(engine):
    document = create_app(engine).openapi()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert operation.get("summary") and operation.get("description"), f"{method} {path}"


@pytest.fixture(scope="module")
def document(engine):
    return create_app(engine).openapi()


def _operations(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            yield f"{method.upper()} {path}", operation


def test_errors_are_documented_as_problem_json(document):
    """Errors are sent as application/problem+json; the Problem schema was documented under
    application/json, so a client (or Schemathesis) never checked them against it."""
    for label, operation in _operations(document):
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                assert response["content"] == {
                    "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
                }, f"{label} {status}"


def test_every_operation_with_a_body_documents_the_malformed_json_400(document):
    for label, operation in _operations(document):
        assert ("requestBody" in operation) == ("400" in operation["responses"]), label


def test_the_token_is_optional_exactly_where_anonymous_callers_are_served(document, client):
    """Operations open to anonymous callers list the empty requirement `{}` beside the token."""
    bearer = [{"HTTPBearer": []}]
    security = {label: op.get("security") for label, op in _operations(document)}
    assert security["GET /v1/capabilities/{capability_id}"] == [{}, *bearer]
    assert security["GET /v1/events"] == [{}, *bearer]
    assert security["POST /v1/capabilities"] == bearer
    assert security["GET /v1/me"] == bearer
    assert security["GET /v1/regions"] is None  # no token involved at all
    for label, requirement in security.items():
        if requirement == bearer and "{" not in label:
            method, path = label.split(" ")
            anonymous = client.request(method, path, json={})
            assert anonymous.status_code == 401, label


def test_sort_orders_are_an_enum(document):
    sorts = {
        label: parameter["schema"]
        for label, operation in _operations(document)
        for parameter in operation.get("parameters", [])
        if parameter.get("name") == "sort"  # shared ones are a $ref
    }
    assert len(sorts) == 7
    for label, schema in sorts.items():
        enum = schema["enum"] if "enum" in schema else schema["anyOf"][0]["enum"]
        assert "created_at" in enum and "-created_at" in enum, label
