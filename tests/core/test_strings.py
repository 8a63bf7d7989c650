"""NUL characters (which PostgreSQL cannot store in text) are a 422 naming the field, in every
body field and string query parameter, never a 500."""

import pytest

from app.models.enums import Role
from tests.enterprises.helpers import assert_problem, body
from tests.postings.conftest import World

NUL = "a\u0000b"


@pytest.fixture
def world(factory):
    return World(factory)


BODIES = [
    ("/v1/enterprises", lambda world: body(name=NUL), "body.name"),
    ("/v1/enterprises", lambda world: body(description=NUL), "body.description"),
    ("/v1/enterprises", lambda world: body(website="https://x.cn/\u0000"), "body.website"),
    ("/v1/enterprises", lambda world: body(contact={"person": NUL}), "body.contact.person"),
    (
        "/v1/enterprises",
        lambda world: body(contact={"email": "a\u0000@x.cn"}),
        "body.contact.email",
    ),
    ("/v1/accounts", lambda world: {"name": NUL, "role": "organiser"}, "body.name"),
    ("/v1/tokens", lambda world: {"name": NUL}, "body.name"),
    ("/v1/chains", lambda world: {"slug": "s", "name_zh": NUL, "name_en": "x"}, "body.name_zh"),
    (
        "/v1/requirements",
        lambda world: {"title": "t", "enterprise_id": world.buyer.id, "items": [{"name": NUL}]},
        "body.items.0.name",
    ),
    (
        "/v1/capabilities",
        lambda world: {"title": "t", "enterprise_id": world.buyer.id, "keywords": ["ok", NUL]},
        "body.keywords.1",
    ),
    (
        "/v1/capabilities",
        lambda world: {"title": "t", "enterprise_id": world.buyer.id, "capacity_unit": NUL},
        "body.capacity_unit",
    ),
]


@pytest.mark.parametrize(("path", "make", "field"), BODIES, ids=[b[2] + b[0] for b in BODIES])
def test_nul_in_a_body_field_is_422(client, world, path, make, field):
    response = client.post(path, json=make(world), headers=world.admin)
    problem = assert_problem(response, 422, field)
    assert any("NUL" in e["message"] for e in problem["errors"])


QUERIES = [
    ("/v1/enterprises", "q"),
    ("/v1/enterprises", "sort"),
    ("/v1/enterprises", "cursor"),
    ("/v1/requirements", "q"),
    ("/v1/capabilities", "sort"),
    ("/v1/chains", "slug"),
    ("/v1/chains", "q"),
    ("/v1/regions", "prefix"),
]


@pytest.mark.parametrize(("path", "name"), QUERIES)
def test_nul_in_a_query_parameter_is_422(client, path, name):
    assert_problem(client.get(path, params={name: NUL}), 422, f"query.{name}")


def test_nul_in_patches_is_422_and_changes_nothing(client, factory, world):
    admin = factory.headers(Role.admin)
    account = client.get("/v1/me", headers=admin).json()
    assert_problem(
        client.patch(f"/v1/accounts/{account['id']}", json={"name": NUL}, headers=admin),
        422,
        "body.name",
    )
    url = f"/v1/enterprises/{world.buyer.id}"
    before = client.get(url).json()
    assert_problem(client.patch(url, json={"name_en": NUL}, headers=admin), 422, "body.name_en")
    assert client.get(url).json() == before
