"""Validation messages a person can act on: text limits counted in characters (never "items"),
NaN and infinity refused as no numbers at all, money capped at one trillion yuan."""

import re
from decimal import Decimal

import pytest

from app.models.enums import OutcomeKind, Role
from tests.enterprises.helpers import assert_problem, body
from tests.postings.conftest import World

LONG = "长" * 20_001
NOT_FINITE = ("NaN", "nan", "inf", "-inf", "Infinity")


@pytest.fixture
def world(factory):
    return World(factory)


def _message(problem, field):
    return next(e for e in problem["errors"] if e["field"] == field)


TOO_LONG = [
    ("/v1/enterprises", lambda world: body(name=LONG), "body.name"),
    ("/v1/requirements", lambda world: {"title": LONG}, "body.title"),
    (
        "/v1/requirements",
        lambda world: {"title": "t", "items": [{"name": LONG}]},
        "body.items.0.name",
    ),
    ("/v1/capabilities", lambda world: {"title": "t", "description": LONG}, "body.description"),
    ("/v1/events", lambda world: {"title": LONG}, "body.title"),
    ("/v1/outcomes", lambda world: {"kind": "project_landing", "note": LONG}, "body.note"),
]


@pytest.mark.parametrize(("path", "make", "field"), TOO_LONG, ids=[t[2] + t[0] for t in TOO_LONG])
def test_too_long_text_is_counted_in_characters(client, world, path, make, field):
    response = client.post(path, json=make(world), headers=world.admin)
    error = _message(assert_problem(response, 422, field), field)
    assert re.fullmatch(r"should have at most \d+ characters, not 20001", error["message"]), error
    assert error["type"] == "string_too_long"


def test_empty_text_is_counted_in_characters(client, world):
    response = client.post("/v1/requirements", json={"title": "   "}, headers=world.admin)
    error = _message(assert_problem(response, 422, "body.title"), "body.title")
    assert error["message"] == "should have at least 1 character, not 0"
    assert error["type"] == "string_too_short"


@pytest.mark.parametrize("value", NOT_FINITE)
def test_nan_and_infinity_are_no_numbers(client, world, factory, value):
    event = factory.event()
    staff = factory.headers(Role.organiser)
    requirement = factory.requirement(world.buyer)
    for path, name in (
        (f"/v1/events/{event.id}/gaps", "threshold"),
        (f"/v1/events/{event.id}/match-list", "min_score"),
        (f"/v1/requirements/{requirement.id}/matches", "min_score"),
    ):
        response = client.get(path, params={name: value}, headers=staff)
        error = _message(assert_problem(response, 422, f"query.{name}"), f"query.{name}")
        assert error["message"] == "must be a finite number (not NaN or infinity)", (path, error)
        assert error["type"] == "finite_number"


def test_numbers_out_of_range_still_say_the_range(client, factory):
    event = factory.event()
    response = client.get(
        f"/v1/events/{event.id}/gaps",
        params={"threshold": "101"},
        headers=factory.headers(Role.organiser),
    )
    error = _message(assert_problem(response, 422, "query.threshold"), "query.threshold")
    assert "less than or equal to 100" in error["message"]


TRILLION = "1000000000000"
OVER = [TRILLION + ".01", "1e13", 1e15, "1e300"]


@pytest.mark.parametrize("amount", OVER)
def test_money_above_one_trillion_yuan_is_422_and_stores_nothing(client, world, amount):
    requirement = {"title": "大额采购", "enterprise_id": world.buyer.id}
    for extra, field in (
        ({"budget_yuan": amount}, "body.budget_yuan"),
        ({"project_investment_yuan": amount}, "body.project_investment_yuan"),
        (
            {"items": [{"name": "组件", "target_price_yuan": amount}]},
            "body.items.0.target_price_yuan",
        ),
    ):
        response = client.post(
            "/v1/requirements", json={**requirement, **extra}, headers=world.admin
        )
        error = _message(assert_problem(response, 422, field), field)
        assert "at most 1000000000000 (one trillion)" in error["message"], error
    assert client.get("/v1/requirements", headers=world.admin).json()["items"] == []
    outcome = {
        "kind": "signed_order",
        "amount_yuan": amount,
        "requirement_id": 1,
        "capability_id": 1,
    }
    response = client.post("/v1/outcomes", json=outcome, headers=world.admin)
    error = _message(assert_problem(response, 422, "body.amount_yuan"), "body.amount_yuan")
    assert "one trillion" in error["message"]


def test_one_trillion_yuan_is_kept_to_the_fen(client, world, factory):
    requirement = factory.requirement(world.buyer, "大额采购")
    capability = factory.capability(world.supplier, "大额供给")
    response = client.post(
        "/v1/outcomes",
        json={
            "kind": "signed_order",
            "amount_yuan": "999999999999.99",
            "requirement_id": requirement.id,
            "capability_id": capability.id,
        },
        headers=world.admin,
    )
    assert response.status_code == 201, response.text
    assert response.json()["amount_yuan"] == 999999999999.99
    assert repr(response.json()["amount_yuan"]) == "999999999999.99"
    created = client.post(
        "/v1/requirements",
        json={"title": "万亿项目", "enterprise_id": world.buyer.id, "budget_yuan": TRILLION},
        headers=world.admin,
    )
    assert created.status_code == 201, created.text
    assert created.json()["budget_yuan"] == 1e12


def test_an_amount_stored_before_the_cap_still_reads(client, world, factory):
    """The cap guards what is sent; an amount stored above it reads back rather than failing."""
    requirement = factory.requirement(world.buyer, "旧的大额采购", budget_yuan=Decimal("5e14"))
    outcome = factory.outcome(
        world.buyer, world.supplier, OutcomeKind.signed_order, amount_yuan=Decimal("5e14")
    )
    read = client.get(f"/v1/requirements/{requirement.id}", headers=world.admin)
    assert read.status_code == 200 and read.json()["budget_yuan"] == 5e14
    read = client.get(f"/v1/outcomes/{outcome.id}", headers=world.admin)
    assert read.status_code == 200 and read.json()["amount_yuan"] == 5e14
    kept = client.patch(f"/v1/outcomes/{outcome.id}", json={"note": "旧数据"}, headers=world.admin)
    assert kept.status_code == 200 and kept.json()["amount_yuan"] == 5e14
