"""The migrated schema is the models' schema, and every revision goes down and up again cleanly.

These run on the `scratch_engine` database (see tests/conftest.py), never the one the API tests share.
"""

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, func, select

from app.models import Base, ClusterMember, Region
from tests.conftest import alembic_config


def _run(engine: Engine, action, revision: str) -> None:
    with engine.begin() as connection:
        action(alembic_config(connection), revision)


def _schema_diff(engine: Engine) -> list:
    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": True}
        )
        return compare_metadata(context, Base.metadata)


def test_migrated_schema_matches_models(scratch_engine):
    _run(scratch_engine, command.upgrade, "head")
    assert _schema_diff(scratch_engine) == []


def test_upgrade_downgrade_upgrade(scratch_engine):
    _run(scratch_engine, command.upgrade, "head")
    _run(scratch_engine, command.downgrade, "base")
    with scratch_engine.connect() as connection:
        tables = set(connection.dialect.get_table_names(connection)) - {"alembic_version"}
    assert tables == set()
    _run(scratch_engine, command.upgrade, "head")
    assert _schema_diff(scratch_engine) == []


def test_each_revision_steps_down_and_up(scratch_engine):
    script = ScriptDirectory.from_config(alembic_config(None))  # type: ignore[arg-type]
    revisions = [r.revision for r in reversed(list(script.walk_revisions()))]
    assert len(script.get_heads()) == 1, "the revision history must not branch"
    for revision in revisions:
        _run(scratch_engine, command.upgrade, revision)
        _run(scratch_engine, command.downgrade, "-1")
        _run(scratch_engine, command.upgrade, revision)


def test_reference_data_is_loaded(scratch_engine):
    _run(scratch_engine, command.upgrade, "head")
    with scratch_engine.connect() as connection:
        count = connection.scalar(select(func.count()).select_from(Region))
        jiashan = connection.execute(select(Region).where(Region.code == "330421")).one()
        yrd = connection.scalars(
            select(ClusterMember.region_code).where(ClusterMember.cluster_code == "yrd")
        ).all()
    assert count > 3000
    assert (jiashan.name, jiashan.city_code, jiashan.province_code) == (
        "嘉善县",
        "330400",
        "330000",
    )
    assert sorted(yrd) == ["310000", "320000", "330000", "340000"]
