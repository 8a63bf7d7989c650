"""glossary

Revision ID: de22690d34d6
Revises: 09daddd7088b
Create Date: 2026-11-23 10:36:12.015481
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db.types


revision: str = "de22690d34d6"
down_revision: str | None = "09daddd7088b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "glossary_entries",
        sa.Column("canonical", sa.String(length=64), nullable=False),
        sa.Column("chain_id", sa.Integer(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", app.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["chain_id"],
            ["chains.id"],
            name=op.f("fk_glossary_entries_chain_id_chains"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_glossary_entries")),
        sa.UniqueConstraint("canonical", name=op.f("uq_glossary_entries_canonical")),
    )
    with op.batch_alter_table("glossary_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_glossary_entries_chain_id"), ["chain_id"], unique=False
        )

    op.create_table(
        "glossary_terms",
        sa.Column("normalised", sa.String(length=64), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("spelling", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["glossary_entries.id"],
            name=op.f("fk_glossary_terms_entry_id_glossary_entries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("normalised", name=op.f("pk_glossary_terms")),
    )
    with op.batch_alter_table("glossary_terms", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_glossary_terms_entry_id"), ["entry_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("glossary_terms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_glossary_terms_entry_id"))

    op.drop_table("glossary_terms")
    with op.batch_alter_table("glossary_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_glossary_entries_chain_id"))

    op.drop_table("glossary_entries")
