"""matches

Revision ID: 09912de13b22
Revises: fee37e9885d4
Create Date: 2026-11-23 11:11:52.155451
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db.types


revision: str = '09912de13b22'
down_revision: str | None = 'fee37e9885d4'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('matches',
    sa.Column('requirement_id', sa.Integer(), nullable=False),
    sa.Column('capability_id', sa.Integer(), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('buyer_interest', sa.Enum('none', 'interested', 'declined', 'withdrawn', name='interest', native_enum=False, length=32), nullable=False),
    sa.Column('supplier_interest', sa.Enum('none', 'interested', 'declined', 'withdrawn', name='interest', native_enum=False, length=32), nullable=False),
    sa.Column('buyer_acted_at', app.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('supplier_acted_at', app.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('mutual_at', app.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['buyer_id'], ['enterprises.id'], name=op.f('fk_matches_buyer_id_enterprises')),
    sa.ForeignKeyConstraint(['capability_id'], ['capabilities.id'], name=op.f('fk_matches_capability_id_capabilities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requirement_id'], ['requirements.id'], name=op.f('fk_matches_requirement_id_requirements'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['supplier_id'], ['enterprises.id'], name=op.f('fk_matches_supplier_id_enterprises')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_matches')),
    sa.UniqueConstraint('requirement_id', 'capability_id', name=op.f('uq_matches_requirement_id_capability_id'))
    )
    with op.batch_alter_table('matches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_matches_buyer_id'), ['buyer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_matches_capability_id'), ['capability_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_matches_supplier_id'), ['supplier_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('matches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_matches_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_matches_capability_id'))
        batch_op.drop_index(batch_op.f('ix_matches_buyer_id'))

    op.drop_table('matches')
