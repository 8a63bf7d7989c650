"""events: docking events, their sessions and focus, registrations with postings and availability

Revision ID: 25d3631cbc39
Revises: 09912de13b22
Create Date: 2026-11-23 11:56:09.610061
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import app.db.types

revision: str = '25d3631cbc39'
down_revision: str | None = '09912de13b22'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('events',
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('kinds', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('venue', sa.String(length=200), nullable=False),
    sa.Column('region_code', sa.String(length=6), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('slot_minutes', sa.Integer(), nullable=False),
    sa.Column('tables', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'registration_open', 'closed', 'held', 'reported', name='eventstatus', native_enum=False, length=32), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['accounts.id'], name=op.f('fk_events_created_by_accounts')),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_events_region_code_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_events_region_code'), ['region_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_starts_on'), ['starts_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_events_status'), ['status'], unique=False)

    op.create_table('event_chains',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('chain_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['chain_id'], ['chains.id'], name=op.f('fk_event_chains_chain_id_chains')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_chains_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'chain_id', name=op.f('pk_event_chains'))
    )
    with op.batch_alter_table('event_chains', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_chains_chain_id'), ['chain_id'], unique=False)

    op.create_table('event_nodes',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('node_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_nodes_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['node_id'], ['chain_nodes.id'], name=op.f('fk_event_nodes_node_id_chain_nodes')),
    sa.PrimaryKeyConstraint('event_id', 'node_id', name=op.f('pk_event_nodes'))
    )
    with op.batch_alter_table('event_nodes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_nodes_node_id'), ['node_id'], unique=False)

    op.create_table('event_sessions',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('starts_at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_sessions_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_sessions')),
    sa.UniqueConstraint('event_id', 'id', name=op.f('uq_event_sessions_event_id_id')),
    sa.UniqueConstraint('event_id', 'starts_at', name=op.f('uq_event_sessions_event_id_starts_at'))
    )
    op.create_table('registrations',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('buyer', 'supplier', 'both', name='registrationrole', native_enum=False, length=32), nullable=False),
    sa.Column('status', sa.Enum('confirmed', 'waitlisted', 'withdrawn', name='registrationstatus', native_enum=False, length=32), nullable=False),
    sa.Column('queued_at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('registered_by', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_registrations_enterprise_id_enterprises')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_registrations_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registered_by'], ['accounts.id'], name=op.f('fk_registrations_registered_by_accounts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registrations')),
    sa.UniqueConstraint('event_id', 'enterprise_id', name=op.f('uq_registrations_event_id_enterprise_id')),
    sa.UniqueConstraint('event_id', 'id', name=op.f('uq_registrations_event_id_id'))
    )
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registrations_enterprise_id'), ['enterprise_id'], unique=False)

    op.create_table('registration_capabilities',
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('capability_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['capability_id'], ['capabilities.id'], name=op.f('fk_registration_capabilities_capability_id_capabilities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_registration_capabilities_registration_id_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('registration_id', 'capability_id', name=op.f('pk_registration_capabilities'))
    )
    with op.batch_alter_table('registration_capabilities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registration_capabilities_capability_id'), ['capability_id'], unique=False)

    op.create_table('registration_requirements',
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('requirement_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_registration_requirements_registration_id_registrations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requirement_id'], ['requirements.id'], name=op.f('fk_registration_requirements_requirement_id_requirements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('registration_id', 'requirement_id', name=op.f('pk_registration_requirements'))
    )
    with op.batch_alter_table('registration_requirements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registration_requirements_requirement_id'), ['requirement_id'], unique=False)

    op.create_table('registration_windows',
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['registration_id'], ['registrations.id'], name=op.f('fk_registration_windows_registration_id_registrations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration_windows'))
    )
    with op.batch_alter_table('registration_windows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registration_windows_registration_id'), ['registration_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('registration_windows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registration_windows_registration_id'))

    op.drop_table('registration_windows')
    with op.batch_alter_table('registration_requirements', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registration_requirements_requirement_id'))

    op.drop_table('registration_requirements')
    with op.batch_alter_table('registration_capabilities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registration_capabilities_capability_id'))

    op.drop_table('registration_capabilities')
    with op.batch_alter_table('registrations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registrations_enterprise_id'))

    op.drop_table('registrations')
    op.drop_table('event_sessions')
    with op.batch_alter_table('event_nodes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_nodes_node_id'))

    op.drop_table('event_nodes')
    with op.batch_alter_table('event_chains', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_chains_chain_id'))

    op.drop_table('event_chains')
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_status'))
        batch_op.drop_index(batch_op.f('ix_events_starts_on'))
        batch_op.drop_index(batch_op.f('ix_events_region_code'))

    op.drop_table('events')
