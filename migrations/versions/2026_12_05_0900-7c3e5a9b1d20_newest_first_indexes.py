"""created_at, id indexes: posting lists are newest first by default, paged by (created_at, id)

Revision ID: 7c3e5a9b1d20
Revises: 344ed3158fbe
Create Date: 2026-12-05 09:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "7c3e5a9b1d20"
down_revision: str | None = "344ed3158fbe"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("capabilities", "requirements")


def upgrade() -> None:
    for table in TABLES:
        op.create_index(f"ix_{table}_created_at_id", table, ["created_at", "id"], unique=False)


def downgrade() -> None:
    for table in TABLES:
        op.drop_index(f"ix_{table}_created_at_id", table_name=table)
