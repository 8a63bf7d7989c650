"""meetings and outcomes: 1:1 meetings at events with their seats (no double booking), outcomes

Revision ID: d487e056399c
Revises: 25d3631cbc39
Create Date: 2026-11-23 12:22:22.837535
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.db.types

revision: str = 'd487e056399c'
down_revision: str | None = '25d3631cbc39'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('meetings',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('requester_id', sa.Integer(), nullable=False),
    sa.Column('invitee_id', sa.Integer(), nullable=False),
    sa.Column('requirement_id', sa.Integer(), nullable=True),
    sa.Column('capability_id', sa.Integer(), nullable=True),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('message', sa.String(length=500), nullable=False),
    sa.Column('status', sa.Enum('requested', 'accepted', 'declined', 'cancelled', name='meetingstatus', native_enum=False, length=32), nullable=False),
    sa.Column('requested_by', sa.Integer(), nullable=True),
    sa.Column('answered_at', app.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('slot_starts_at', app.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('table_no', sa.Integer(), nullable=True),
    sa.Column('confirmed', sa.Boolean(), nullable=False),
    sa.Column('held', sa.Boolean(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('(slot_starts_at IS NULL) = (table_no IS NULL)', name=op.f('ck_meetings_placed_whole')),
    sa.CheckConstraint('requester_id <> invitee_id', name=op.f('ck_meetings_two_parties')),
    sa.CheckConstraint('slot_starts_at IS NOT NULL OR NOT confirmed', name=op.f('ck_meetings_confirmed_placed')),
    sa.CheckConstraint('table_no >= 1', name=op.f('ck_meetings_table_from_one')),
    sa.ForeignKeyConstraint(['capability_id'], ['capabilities.id'], name=op.f('fk_meetings_capability_id_capabilities'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id', 'invitee_id'], ['registrations.event_id', 'registrations.id'], name='fk_meetings_invitee_registrations'),
    sa.ForeignKeyConstraint(['event_id', 'requester_id'], ['registrations.event_id', 'registrations.id'], name='fk_meetings_requester_registrations'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_meetings_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by'], ['accounts.id'], name=op.f('fk_meetings_requested_by_accounts')),
    sa.ForeignKeyConstraint(['requirement_id'], ['requirements.id'], name=op.f('fk_meetings_requirement_id_requirements'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_meetings')),
    sa.UniqueConstraint('event_id', 'slot_starts_at', 'table_no', name=op.f('uq_meetings_event_id_slot_starts_at_table_no'))
    )
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meetings_capability_id'), ['capability_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meetings_invitee_id'), ['invitee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meetings_requester_id'), ['requester_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_meetings_requirement_id'), ['requirement_id'], unique=False)

    op.create_table('meeting_seats',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('registration_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('slot_starts_at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id', 'registration_id'], ['registrations.event_id', 'registrations.id'], name='fk_meeting_seats_registration_registrations'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_meeting_seats_meeting_id_meetings'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', 'registration_id', name=op.f('pk_meeting_seats')),
    sa.UniqueConstraint('event_id', 'slot_starts_at', 'registration_id', name=op.f('uq_meeting_seats_event_id_slot_starts_at_registration_id'))
    )
    with op.batch_alter_table('meeting_seats', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_meeting_seats_registration_id'), ['registration_id'], unique=False)

    op.create_table('outcomes',
    sa.Column('kind', sa.Enum('intention', 'signed_order', 'project_landing', 'technology_cooperation', 'financing', name='outcomekind', native_enum=False, length=32), nullable=False),
    sa.Column('amount_yuan', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('requirement_id', sa.Integer(), nullable=True),
    sa.Column('capability_id', sa.Integer(), nullable=True),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('supplier_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('recorded_by', sa.Integer(), nullable=True),
    sa.Column('recorded_at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['buyer_id'], ['enterprises.id'], name=op.f('fk_outcomes_buyer_id_enterprises')),
    sa.ForeignKeyConstraint(['capability_id'], ['capabilities.id'], name=op.f('fk_outcomes_capability_id_capabilities'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_outcomes_event_id_events')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meetings.id'], name=op.f('fk_outcomes_meeting_id_meetings')),
    sa.ForeignKeyConstraint(['recorded_by'], ['accounts.id'], name=op.f('fk_outcomes_recorded_by_accounts')),
    sa.ForeignKeyConstraint(['requirement_id'], ['requirements.id'], name=op.f('fk_outcomes_requirement_id_requirements'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['supplier_id'], ['enterprises.id'], name=op.f('fk_outcomes_supplier_id_enterprises')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outcomes'))
    )
    with op.batch_alter_table('outcomes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outcomes_buyer_id'), ['buyer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outcomes_capability_id'), ['capability_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outcomes_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outcomes_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_outcomes_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outcomes_recorded_at'), ['recorded_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outcomes_requirement_id'), ['requirement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outcomes_supplier_id'), ['supplier_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('outcomes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outcomes_supplier_id'))
        batch_op.drop_index(batch_op.f('ix_outcomes_requirement_id'))
        batch_op.drop_index(batch_op.f('ix_outcomes_recorded_at'))
        batch_op.drop_index(batch_op.f('ix_outcomes_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_outcomes_kind'))
        batch_op.drop_index(batch_op.f('ix_outcomes_event_id'))
        batch_op.drop_index(batch_op.f('ix_outcomes_capability_id'))
        batch_op.drop_index(batch_op.f('ix_outcomes_buyer_id'))

    op.drop_table('outcomes')
    with op.batch_alter_table('meeting_seats', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meeting_seats_registration_id'))

    op.drop_table('meeting_seats')
    with op.batch_alter_table('meetings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_meetings_requirement_id'))
        batch_op.drop_index(batch_op.f('ix_meetings_requester_id'))
        batch_op.drop_index(batch_op.f('ix_meetings_invitee_id'))
        batch_op.drop_index(batch_op.f('ix_meetings_capability_id'))

    op.drop_table('meetings')
