"""Idempotency-Key on creating POSTs: a retry gets the first response and creates nothing twice;
another request with the key is a 422; bad keys are a 422; failed requests keep no key; keys
belong to one account and are forgotten after the configured time."""

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, update

from app.db.types import utcnow
from app.models import (
    Capability,
    Event,
    IdempotencyKey,
    Meeting,
    Outcome,
    Registration,
    Requirement,
)
from app.models.enums import Role
from tests.events.conftest import event_body
from tests.writes.helpers import PROBLEM, count, keyed

ROOT = Path(__file__).resolve().parents[2]
REQUIREMENTS = "/v1/requirements"
BODY = {"title": "光伏接线盒采购 junction boxes", "items": [{"name": "接线盒", "quantity": 5000}]}


class Parties:
    """A buyer and a supplier with members, a third firm, an organiser, and an open event where
    the buyer and the supplier are registered; an open requirement and capability of theirs."""

    def __init__(self, factory) -> None:  # type: ignore[no-untyped-def]
        self.buyer = factory.enterprise("幂等链主有限公司")
        self.supplier = factory.enterprise("幂等接线盒有限公司", region_code="310115")
        self.third = factory.enterprise("幂等胶膜有限公司", region_code="330106")
        self.buyer_member = factory.member_of(self.buyer)
        self.other_buyer_member = factory.member_of(self.buyer)
        self.third_member = factory.member_of(self.third)
        self.organiser = factory.headers(Role.organiser)
        self.event = factory.event()
        factory.registration(self.event, self.buyer)
        factory.registration(self.event, self.supplier)
        self.requirement = factory.requirement(self.buyer, "接线盒采购")
        self.capability = factory.capability(self.supplier, "接线盒")


@pytest.fixture
def parties(factory) -> Parties:  # type: ignore[no-untyped-def]
    return Parties(factory)


def creates(p: Parties) -> dict[str, tuple[Any, str, dict[str, Any], dict[str, str]]]:
    """Every create that takes the header: its model, path, a body and who sends it."""
    event = f"/v1/events/{p.event.id}"
    return {
        "requirement": (Requirement, REQUIREMENTS, BODY, p.buyer_member),
        "capability": (Capability, "/v1/capabilities", {"title": "接线盒"}, p.buyer_member),
        "event": (Event, "/v1/events", event_body(), p.organiser),
        "registration": (
            Registration,
            f"{event}/registrations",
            {"role": "supplier"},
            p.third_member,
        ),
        "meeting": (
            Meeting,
            f"{event}/meetings",
            {"invitee_enterprise_id": p.supplier.id, "message": "谈谈接线盒"},
            p.buyer_member,
        ),
        "outcome": (
            Outcome,
            "/v1/outcomes",
            {
                "kind": "intention",
                "amount_yuan": "250000.00",
                "requirement_id": p.requirement.id,
                "capability_id": p.capability.id,
            },
            p.buyer_member,
        ),
    }


@pytest.mark.parametrize(
    "create", ["requirement", "capability", "event", "registration", "meeting", "outcome"]
)
def test_a_retry_gets_the_first_response_and_creates_nothing(client, parties, session, create):
    model, path, body, headers = creates(parties)[create]
    before = count(session, model)
    first = client.post(path, json=body, headers=keyed(headers, "retry-1"))
    assert first.status_code == 201, first.text
    assert "idempotent-replayed" not in first.headers
    # The same request again, its JSON spelled differently (key order, spacing): the same request.
    respelled = json.dumps(dict(reversed(list(body.items()))), indent=2, ensure_ascii=False)
    again = client.post(
        path,
        content=respelled.encode(),
        headers={**keyed(headers, "retry-1"), "Content-Type": "application/json"},
    )
    assert again.status_code == 201, again.text
    assert again.headers["idempotent-replayed"] == "true"
    assert again.content == first.content
    for header in ("location", "etag", "content-type"):
        assert again.headers[header] == first.headers[header]
    assert count(session, model) == before + 1
    assert count(session, IdempotencyKey) == 1


def test_another_request_with_a_used_key_is_422_and_changes_nothing(client, parties, session):
    headers = keyed(parties.buyer_member, "order-42")
    created = client.post(REQUIREMENTS, json=BODY, headers=headers)
    assert created.status_code == 201, created.text
    changed = client.post(REQUIREMENTS, json={**BODY, "title": "另一个需求"}, headers=headers)
    assert changed.status_code == 422
    assert changed.headers["content-type"] == PROBLEM
    problem = changed.json()
    assert "Idempotency-Key 'order-42' was already used for another request" in problem["detail"]
    assert "POST /v1/requirements" in problem["detail"]
    assert problem["errors"][0]["field"] == "header.Idempotency-Key"
    # Another route with the key is another request too.
    elsewhere = client.post("/v1/capabilities", json={"title": "接线盒"}, headers=headers)
    assert elsewhere.status_code == 422, elsewhere.text
    assert count(session, Requirement) == 2 and count(session, Capability) == 1  # the factory's
    assert session.scalars(select(Requirement.title)).all().count("另一个需求") == 0


def test_keys_belong_to_one_account(client, parties, session):
    mine = client.post(REQUIREMENTS, json=BODY, headers=keyed(parties.buyer_member, "k1"))
    theirs = client.post(REQUIREMENTS, json=BODY, headers=keyed(parties.other_buyer_member, "k1"))
    assert (mine.status_code, theirs.status_code) == (201, 201)
    assert mine.json()["id"] != theirs.json()["id"]
    assert "idempotent-replayed" not in theirs.headers
    assert count(session, IdempotencyKey) == 2


@pytest.mark.parametrize(
    "key",
    ["", "x" * 256, "has space", "中文键", "semi;colon", '"unbalanced', "a,b"],
    ids=["empty", "too-long", "space", "non-ascii", "semicolon", "quote", "comma"],
)
def test_bad_keys_are_422_and_create_nothing(client, parties, session, key):
    before = count(session, Requirement)
    response = client.post(
        REQUIREMENTS,
        content=json.dumps(BODY).encode(),
        headers={
            **parties.buyer_member,
            "Idempotency-Key": key.encode(),
            "Content-Type": "application/json",
        },
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == PROBLEM
    assert [e["field"] for e in response.json()["errors"]] == ["header.Idempotency-Key"]
    assert count(session, Requirement) == before and count(session, IdempotencyKey) == 0


def test_a_quoted_key_is_the_same_key(client, parties):
    uuid = "8e03978e-40d5-43e8-bc93-6894a57f9324"
    first = client.post(REQUIREMENTS, json=BODY, headers=keyed(parties.buyer_member, uuid))
    quoted = client.post(REQUIREMENTS, json=BODY, headers=keyed(parties.buyer_member, f'"{uuid}"'))
    assert quoted.headers["idempotent-replayed"] == "true"
    assert quoted.json()["id"] == first.json()["id"]


def test_a_failed_request_keeps_no_key(client, parties, session):
    """A 422 (a bad region), a 403 (another enterprise's posting) or a validation error is not
    remembered: the corrected request with the same key creates the requirement."""
    headers = keyed(parties.buyer_member, "fix-and-retry")
    failures = [
        ({**BODY, "delivery_region_code": "999999"}, 422),
        ({**BODY, "enterprise_id": parties.third.id}, 403),
        ({**BODY, "items": [{"name": "接线盒", "quantity": -1}]}, 422),
    ]
    for body, status in failures:
        failed = client.post(REQUIREMENTS, json=body, headers=headers)
        assert failed.status_code == status, failed.text
        assert "idempotent-replayed" not in failed.headers
    assert count(session, IdempotencyKey) == 0
    fixed = client.post(REQUIREMENTS, json=BODY, headers=headers)
    assert fixed.status_code == 201, fixed.text
    assert "idempotent-replayed" not in fixed.headers
    assert client.post(REQUIREMENTS, json=BODY, headers=headers).json() == fixed.json()


def test_creates_without_a_key_keep_no_key(client, parties, session):
    for _ in range(2):
        assert client.post(REQUIREMENTS, json=BODY, headers=parties.buyer_member).status_code == 201
    assert count(session, IdempotencyKey) == 0


def test_a_key_is_forgotten_after_the_time_keys_are_kept(client, parties, session):
    headers = keyed(parties.buyer_member, "yesterday")
    first = client.post(REQUIREMENTS, json=BODY, headers=headers)
    other = client.post(REQUIREMENTS, json=BODY, headers=keyed(parties.buyer_member, "fresh"))
    session.execute(
        update(IdempotencyKey)
        .where(IdempotencyKey.key == "yesterday")
        .values(created_at=utcnow() - timedelta(hours=24, minutes=1))
    )
    session.commit()
    # Past 24 hours, the key is free again: even another request with it creates anew.
    anew = client.post(REQUIREMENTS, json={**BODY, "title": "新需求"}, headers=headers)
    assert anew.status_code == 201, anew.text
    assert "idempotent-replayed" not in anew.headers
    assert anew.json()["id"] not in (first.json()["id"], other.json()["id"])
    keys = session.execute(select(IdempotencyKey.key, IdempotencyKey.created_at)).all()
    assert sorted(k for k, _ in keys) == ["fresh", "yesterday"]
    assert all(created > utcnow() - timedelta(minutes=5) for _, created in keys)


def test_the_header_is_one_shared_parameter_in_the_openapi_document(client):
    document = client.get("/openapi.json").json()
    shared = document["components"]["parameters"]["IdempotencyKey"]
    assert (shared["name"], shared["in"]) == ("Idempotency-Key", "header")
    referring = sorted(
        f"{method.upper()} {path}"
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if {"$ref": "#/components/parameters/IdempotencyKey"} in operation.get("parameters", [])
    )
    assert referring == [
        "POST /v1/capabilities",
        "POST /v1/events",
        "POST /v1/events/{event_id}/meetings",
        "POST /v1/events/{event_id}/registrations",
        "POST /v1/outcomes",
        "POST /v1/requirements",
    ]


def test_the_command_line_purges_expired_keys(tmp_path):
    url = f"sqlite:///{tmp_path / 'keys.db'}"
    env = {**os.environ, "DATABASE_URL": url, "CHAINDOCK_IDEMPOTENCY_KEY_TTL_HOURS": "2"}

    def chaindock(*args: str) -> str:
        return subprocess.run(
            [sys.executable, "-m", "app.cli", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    chaindock("migrate")
    chaindock("create-token", "--role", "admin")
    engine = create_engine(url)
    now = utcnow()
    with engine.begin() as connection:
        for key, age in (("old", 3), ("older", 30), ("new", 1)):
            connection.execute(
                IdempotencyKey.__table__.insert().values(
                    account_id=1,
                    key=key,
                    request_method="POST",
                    request_path=REQUIREMENTS,
                    request_hash="0" * 64,
                    created_at=now - timedelta(hours=age),
                )
            )
    assert "2 idempotency keys older than 2 hours deleted" in chaindock("purge-idempotency-keys")
    with engine.connect() as connection:
        assert connection.scalars(select(IdempotencyKey.key)).all() == ["new"]
        assert connection.scalar(select(func.count()).select_from(IdempotencyKey)) == 1
    engine.dispose()
