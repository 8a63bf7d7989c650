"""Tokens made before scopes existed keep every scope when the database is migrated."""

import json

from alembic import command
from sqlalchemy import Engine, text

from tests.conftest import alembic_config

BEFORE_SCOPES = "2d6a5ab6ef4f"


def test_existing_tokens_get_every_scope(scratch_engine: Engine):
    with scratch_engine.begin() as connection:
        command.upgrade(alembic_config(connection), BEFORE_SCOPES)
        connection.execute(
            text(
                "INSERT INTO accounts (id, name, role, active, created_at, updated_at) "
                "VALUES (1, 'old', 'admin', true, :at, :at)"
            ),
            {"at": "2026-01-01 00:00:00"},
        )
        connection.execute(
            text(
                "INSERT INTO api_tokens (id, account_id, name, prefix, token_hash, created_at, "
                "expires_at) VALUES (1, 1, 'old', 'cd_old', :hash, :at, :at)"
            ),
            {"hash": "0" * 64, "at": "2026-01-01 00:00:00"},
        )
    with scratch_engine.begin() as connection:
        command.upgrade(alembic_config(connection), "head")
    with scratch_engine.connect() as connection:
        scopes = connection.execute(text("SELECT scopes FROM api_tokens")).scalar_one()
    if isinstance(scopes, str):  # SQLite hands JSON back as text
        scopes = json.loads(scopes)
    assert scopes == ["read", "write", "admin"]
