"""Contract fuzzing: Schemathesis generates requests from the committed openapi/openapi.json and
sends them to the app in-process (ASGI) against the test database.

Every response must pass Schemathesis' standard checks: no 5xx, only documented status codes and
content types, bodies and headers matching their schemas, schema-violating requests rejected and
schema-conforming ones not refused as malformed. Requests name real objects (tests/contract_world.py)
and carry the token of an anonymous caller, a buyer's or a supplier's member, an organiser or an
admin, so authorised paths run too.

Each generated request runs in a savepoint that is rolled back after it, inside the module's own
outer transaction: no request sees another's writes and nothing reaches the other tests.

``CONTRACT_EXAMPLES`` (default 10) caps the randomly generated cases per operation; the examples
and coverage phases add their own deterministic cases. Generation is derandomised, so a run is
repeatable. The number of cases is printed at the end of the module (with `CONTRACT_DEBUG=1`,
the statuses answered per operation too).
"""

import importlib
import os
import pkgutil
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from schemathesis.config import SchemathesisConfig
from schemathesis.core import NotSet
from schemathesis.core.parameters import ParameterLocation
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

import app
from app.config import get_settings
from app.db.session import SessionFactory, build_engine
from app.main import create_app
from app.matching.keeper import MatchKeeper
from tests import conftest
from tests.contract_world import WorldIds, seed_world
from tests.factories import Factory

# Hypothesis mixes literals from the project's loaded modules into what it generates; with all of
# them loaded, the cases are the same whether this module runs alone or in the whole suite.
for _module in pkgutil.walk_packages(app.__path__, "app."):
    importlib.import_module(_module.name)

OPENAPI = Path(__file__).resolve().parent.parent / "openapi" / "openapi.json"
EXAMPLES = int(os.environ.get("CONTRACT_EXAMPLES", "10"))
# The coverage phase's schema-violating boundary cases add some 4,000 requests; CI runs its
# schema-conforming ones, `CONTRACT_COVERAGE=all` all of them.
COVERAGE_MODE = "all" if os.environ.get("CONTRACT_COVERAGE") == "all" else "positive"

CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {
            "mode": "all",
            "max-examples": EXAMPLES,
            "deterministic": True,
            "database": "none",
            # Credentials are the harness's job: each request carries one role's real token.
            "with-security-parameters": False,
        },
        "phases": {
            "coverage": {"generation": {"mode": COVERAGE_MODE}},
            # No learning from responses (their ids, timestamps and messages differ from run to
            # run, on PostgreSQL with whatever ran before): the same cases every run.
            "fuzzing": {
                "extra-data-sources": {"responses": False},
                "error-feedback": {"enabled": False},
            },
            "stateful": {"enabled": False},
        },
        "checks": {
            "positive_data_acceptance": {
                # A schema-conforming request may still break a rule no schema can state: an unknown
                # region, a node of another chain, a stale ETag. Those are 409/412/422 problems;
                # what the check still catches is a 400 (or anything else) for a valid request.
                "expected-statuses": ["2xx", "401", "403", "404", "409", "412", "422"],
            },
        },
    }
)
# The app under test exists before the tests run, so that Schemathesis reaches it in-process for
# every request, including the ones its checks send on their own (the credential probes); the
# `fuzzing` fixture points it at the test database. Thousands of cases from one address and five
# tokens would trip the rate limits, which tests/edge checks on their own.
_PLACEHOLDER = build_engine("sqlite://")
_UNLIMITED = get_settings().model_copy(update={"rate_limit_enabled": False})
APP = create_app(_PLACEHOLDER, SessionFactory(_PLACEHOLDER), _UNLIMITED)
schema = schemathesis.openapi.from_path(OPENAPI, config=CONFIG)
schema.app = APP


@contextmanager
def rolled_back(connection: Connection) -> Iterator[None]:
    """Undo whatever the block writes. The savepoint is released after the rollback: ROLLBACK TO
    alone leaves it open, and on PostgreSQL each case would keep a lock until the module ends
    (some 10,000 cases exhaust the lock table)."""
    connection.exec_driver_sql("SAVEPOINT contract_case")
    try:
        yield
    finally:
        connection.exec_driver_sql("ROLLBACK TO SAVEPOINT contract_case")
        connection.exec_driver_sql("RELEASE SAVEPOINT contract_case")


@dataclass
class Fuzzing:
    app: FastAPI
    connection: Connection
    world: WorldIds
    started: float = field(default_factory=time.monotonic)
    cases: Counter[str] = field(default_factory=Counter)
    statuses: Counter[str] = field(default_factory=Counter)
    modes: Counter[str] = field(default_factory=Counter)
    phases: Counter[str] = field(default_factory=Counter)
    roles: Counter[str] = field(default_factory=Counter)
    by_op: dict[str, Counter[int]] = field(default_factory=dict)

    def send(self, case: schemathesis.Case) -> None:
        role = self.cast(case)
        try:
            with rolled_back(self.connection):
                response = case.call_and_validate(headers=self.world.authorization(role))
        finally:
            if case.method != "GET":  # the index must not keep what was rolled back
                self.app.state.match_keeper = MatchKeeper()
            meta = case.meta
            self.cases[case.operation.label] += 1
            self.modes[meta.generation.mode.value if meta else "explicit"] += 1
            self.phases[meta.phase.name.value if meta else "explicit"] += 1
            self.roles[role] += 1
        self.statuses[f"{response.status_code // 100}xx"] += 1
        self.by_op.setdefault(case.operation.label, Counter())[response.status_code] += 1

    def cast(self, case: schemathesis.Case) -> str:
        """Point the case at real objects and choose the role it is sent as.

        The role is chosen from what was generated, so that a case runs as the same role whatever
        ids the database hands out. Ids are replaced only where the generated value conforms to
        the schema, so that a case stays what it was generated as (positive or negative).
        """
        meta = case.meta
        body = None if isinstance(case.body, NotSet) else case.body
        role = self.world.role_for(case.method, case.path, (case.path_parameters, case.query, body))

        def conforming(location: ParameterLocation) -> bool:
            return not (meta and meta.is_negative_at(location))

        if case.path_parameters and conforming(ParameterLocation.PATH):
            case.path_parameters = self.world.path_parameters(case.path, case.path_parameters)
        if case.query and conforming(ParameterLocation.QUERY):
            case.query = self.world.references(case.query)
        if isinstance(body, dict) and conforming(ParameterLocation.BODY):
            case.body = self.world.references(body)
        return role

    def summary(self) -> str:
        def counts(counter: Counter[str]) -> str:
            return ", ".join(f"{key} {n}" for key, n in sorted(counter.items()))

        return (
            f"contract fuzzing: {sum(self.cases.values())} generated cases over "
            f"{len(self.cases)} operations in {time.monotonic() - self.started:.1f} s "
            f"(CONTRACT_EXAMPLES={EXAMPLES}; {counts(self.modes)}; {counts(self.phases)}; "
            f"{counts(self.roles)}; responses {counts(self.statuses)})"
        )


@pytest.fixture(scope="module")
def fuzzing(engine: Engine, request: pytest.FixtureRequest) -> Iterator[Fuzzing]:
    APP.state.engine = engine
    with engine.connect() as connection:
        outer = connection.begin()
        APP.state.session_factory = conftest.TestSessionFactory(connection)
        with (
            Session(bind=connection, join_transaction_mode="create_savepoint") as session,
            TestClient(APP, raise_server_exceptions=False) as client,
        ):
            world = seed_world(Factory(session), client)
        run = Fuzzing(APP, connection, world)
        yield run
        outer.rollback()
    report(request.config, run)


def report(config: pytest.Config, run: Fuzzing) -> None:
    """Print the summary to the terminal, past pytest's capture of fixture output."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    capture = config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None:
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line("")
        reporter.write_line(run.summary(), bold=True)
        if os.environ.get("CONTRACT_DEBUG"):
            for label, st in sorted(run.by_op.items()):
                reporter.write_line(f"  {label}: {dict(sorted(st.items()))}")


@schema.parametrize()
def test_operation_keeps_its_contract(case: schemathesis.Case, fuzzing: Fuzzing) -> None:
    fuzzing.send(case)
