"""updated_at indexes: the match keeper asks every query what changed since its last look

Revision ID: 5b1c0e7d2a41
Revises: d487e056399c
Create Date: 2026-11-23 13:55:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "5b1c0e7d2a41"
down_revision: str | None = "d487e056399c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("capabilities", "enterprises", "requirements")


def upgrade() -> None:
    for table in TABLES:
        op.create_index(f"ix_{table}_updated_at", table, ["updated_at"], unique=False)


def downgrade() -> None:
    for table in TABLES:
        op.drop_index(f"ix_{table}_updated_at", table_name=table)
