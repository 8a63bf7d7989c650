"""token scopes and audit entries: what each API token may do (existing tokens keep every scope),
and the audit trail of changes to postings, events and outcomes

Revision ID: 344ed3158fbe
Revises: 2d6a5ab6ef4f
Create Date: 2026-11-23 15:08:00.764753
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import app.db.types

revision: str = '344ed3158fbe'
down_revision: str | None = '2d6a5ab6ef4f'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')
# Tokens made before scopes existed could do everything their account could: they keep that.
ALL_SCOPES = '["read", "write", "admin"]'


def upgrade() -> None:
    op.create_table('audit_entries',
    sa.Column('at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=True),
    sa.Column('enterprise_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.Enum('create', 'update', 'delete', 'status', name='auditaction', native_enum=False, length=32), nullable=False),
    sa.Column('object_type', sa.Enum('requirement', 'capability', 'event', 'event_session', 'registration', 'meeting', 'outcome', name='auditobject', native_enum=False, length=32), nullable=False),
    sa.Column('object_id', sa.Integer(), nullable=False),
    sa.Column('changes', JSON, nullable=False),
    sa.Column('request_id', sa.String(length=128), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entries'))
    )
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entries_account_id'), ['account_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_entries_at'), ['at'], unique=False)
        batch_op.create_index('ix_audit_entries_object', ['object_type', 'object_id'], unique=False)

    # Added with a default that fills the existing rows, which is then dropped: new tokens get
    # their scopes from the application.
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scopes', JSON, nullable=False, server_default=sa.text(f"'{ALL_SCOPES}'")))
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.alter_column('scopes', existing_type=JSON, existing_nullable=False, server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_column('scopes')

    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entries_object')
        batch_op.drop_index(batch_op.f('ix_audit_entries_at'))
        batch_op.drop_index(batch_op.f('ix_audit_entries_account_id'))

    op.drop_table('audit_entries')
