"""Crafted cursors are a 422 problem naming `query.cursor` with a clear message, never a 500, on
every kind of list."""

import base64
import json

import pytest

from app.models.enums import Role
from tests.enterprises.helpers import register


def cursor(data) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


CRAFTED = {
    "naive datetime": {"k": "created_at:desc", "v": "2026-01-01T00:00:00", "id": 1},
    "date for a datetime": {"k": "created_at:desc", "v": "2026-01-01", "id": 1},
    "year 1 in a zone east of UTC": {
        "k": "created_at:desc",
        "v": "0001-01-01T00:00:00+05:00",
        "id": 1,
    },
    "huge id": {"k": "created_at:desc", "v": "2026-01-01T00:00:00+00:00", "id": 10**30},
    "negative huge id": {"k": "created_at:desc", "v": "2026-01-01T00:00:00+00:00", "id": -(10**30)},
    "float id": {"k": "created_at:desc", "v": "2026-01-01T00:00:00+00:00", "id": 1.5},
    "bool id": {"k": "created_at:desc", "v": "2026-01-01T00:00:00+00:00", "id": True},
    "string id": {"k": "created_at:desc", "v": "2026-01-01T00:00:00+00:00", "id": "1"},
    "datetime as number": {"k": "created_at:desc", "v": 1700000000, "id": 1},
    "datetime as object": {"k": "created_at:desc", "v": {"$date": 1}, "id": 1},
    "garbage datetime": {"k": "created_at:desc", "v": "yesterday", "id": 1},
    "key as list": {"k": ["created_at:desc"], "v": "2026-01-01T00:00:00+00:00", "id": 1},
    "list": [1, 2, 3],
    "number": 7,
    "missing id": {"k": "created_at:desc", "v": "2026-01-01T00:00:00+00:00"},
    "not json": b"\xff\xfe not json",
    "not base64": "%%%",
}
RELEVANCE = {
    "NaN score": b'{"k":"relevance","v":NaN,"id":1}',
    "infinite score": b'{"k":"relevance","v":1e999,"id":1}',
    "huge id": {"k": "relevance", "v": 50.0, "id": 10**30},
    "text score": {"k": "relevance", "v": "high", "id": 1},
}
TITLES = {
    "NUL in the title": {"k": "title", "v": "a\u0000b", "id": 1},
    "number for a title": {"k": "title", "v": 5, "id": 1},
    "huge id": {"k": "title", "v": "a", "id": 10**30},
}


def check_refused(response) -> None:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert "cursor" in body["detail"] and body["errors"][0]["field"] == "query.cursor"


@pytest.mark.parametrize("name", CRAFTED)
@pytest.mark.parametrize("path", ["/v1/enterprises", "/v1/requirements", "/v1/capabilities"])
def test_crafted_cursors_are_422(client, factory, path, name):
    factory.enterprise()
    value = CRAFTED[name]
    crafted = value if isinstance(value, str) else cursor(value)
    check_refused(client.get(path, params={"cursor": crafted}))


@pytest.mark.parametrize("name", RELEVANCE)
def test_crafted_relevance_cursors_are_422(client, factory, name):
    register(client, factory.headers(Role.organiser))
    response = client.get(
        "/v1/enterprises", params={"q": "光伏", "cursor": cursor(RELEVANCE[name])}
    )
    check_refused(response)


@pytest.mark.parametrize("name", TITLES)
def test_crafted_text_cursors_are_422(client, factory, name):
    params = {"sort": "title", "cursor": cursor(TITLES[name])}
    check_refused(client.get("/v1/capabilities", params=params))
    params = {"sort": "slug", "cursor": cursor({**TITLES[name], "k": "slug"})}
    check_refused(client.get("/v1/chains", params=params))


def test_crafted_region_cursor_is_422(client):
    check_refused(
        client.get("/v1/regions", params={"cursor": cursor({"k": "code", "v": "x", "id": 1})})
    )
    check_refused(
        client.get(
            "/v1/regions", params={"cursor": cursor({"k": "code", "v": "a\u0000", "id": "a\u0000"})}
        )
    )


def test_a_real_cursor_still_works(client, factory):
    for name in ("甲", "乙", "丙"):
        factory.enterprise(name)
    first = client.get("/v1/enterprises", params={"limit": 1}).json()
    second = client.get("/v1/enterprises", params={"limit": 1, "cursor": first["next_cursor"]})
    assert second.status_code == 200 and second.json()["items"][0]["id"] != first["items"][0]["id"]
