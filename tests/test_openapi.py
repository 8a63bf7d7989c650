"""The committed OpenAPI document is the app's: regenerate it with `make openapi` when the API changes."""

import json
from pathlib import Path

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
