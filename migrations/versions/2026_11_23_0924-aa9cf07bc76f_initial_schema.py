"""initial schema

Revision ID: aa9cf07bc76f
Revises: 
Create Date: 2026-11-23 09:24:01.223702
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import app.db.types

revision: str = 'aa9cf07bc76f'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('chains',
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('name_zh', sa.String(length=128), nullable=False),
    sa.Column('name_en', sa.String(length=128), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chains')),
    sa.UniqueConstraint('slug', name=op.f('uq_chains_slug'))
    )
    op.create_table('clusters',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name_zh', sa.String(length=64), nullable=False),
    sa.Column('name_en', sa.String(length=128), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_clusters'))
    )
    op.create_table('regions',
    sa.Column('code', sa.String(length=6), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('level', sa.Enum('province', 'city', 'district', name='regionlevel', native_enum=False, length=32), nullable=False),
    sa.Column('parent_code', sa.String(length=6), nullable=True),
    sa.Column('city_code', sa.String(length=6), nullable=True),
    sa.Column('province_code', sa.String(length=6), nullable=False),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['parent_code'], ['regions.code'], name=op.f('fk_regions_parent_code_regions')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_regions'))
    )
    with op.batch_alter_table('regions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_regions_city_code'), ['city_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_regions_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_regions_province_code'), ['province_code'], unique=False)

    op.create_table('chain_nodes',
    sa.Column('chain_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('name_zh', sa.String(length=128), nullable=False),
    sa.Column('name_en', sa.String(length=128), nullable=False),
    sa.Column('position', sa.Enum('upstream', 'midstream', 'downstream', name='chainposition', native_enum=False, length=32), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['chain_id'], ['chains.id'], name=op.f('fk_chain_nodes_chain_id_chains'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['parent_id'], ['chain_nodes.id'], name=op.f('fk_chain_nodes_parent_id_chain_nodes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chain_nodes')),
    sa.UniqueConstraint('chain_id', 'slug', name=op.f('uq_chain_nodes_chain_id_slug'))
    )
    with op.batch_alter_table('chain_nodes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_chain_nodes_chain_id'), ['chain_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_chain_nodes_parent_id'), ['parent_id'], unique=False)

    op.create_table('cluster_members',
    sa.Column('cluster_code', sa.String(length=32), nullable=False),
    sa.Column('region_code', sa.String(length=6), nullable=False),
    sa.ForeignKeyConstraint(['cluster_code'], ['clusters.code'], name=op.f('fk_cluster_members_cluster_code_clusters'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_cluster_members_region_code_regions')),
    sa.PrimaryKeyConstraint('cluster_code', 'region_code', name=op.f('pk_cluster_members'))
    )
    with op.batch_alter_table('cluster_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cluster_members_region_code'), ['region_code'], unique=False)

    op.create_table('enterprises',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=True),
    sa.Column('uscc', sa.String(length=18), nullable=False),
    sa.Column('kind', sa.Enum('company', 'university', 'research_institute', 'financial_institution', 'association', 'public_agency', name='enterprisekind', native_enum=False, length=32), nullable=False),
    sa.Column('region_code', sa.String(length=6), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('website', sa.String(length=255), nullable=True),
    sa.Column('contact_person', sa.String(length=64), nullable=True),
    sa.Column('contact_phone', sa.String(length=32), nullable=True),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('verified', sa.Boolean(), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_enterprises_region_code_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enterprises')),
    sa.UniqueConstraint('uscc', name=op.f('uq_enterprises_uscc'))
    )
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enterprises_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprises_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprises_region_code'), ['region_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_enterprises_verified'), ['verified'], unique=False)

    op.create_table('accounts',
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('role', sa.Enum('admin', 'organiser', 'member', name='role', native_enum=False, length=32), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_accounts_enterprise_id_enterprises'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_accounts')),
    sa.UniqueConstraint('email', name=op.f('uq_accounts_email'))
    )
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_accounts_enterprise_id'), ['enterprise_id'], unique=False)

    op.create_table('capabilities',
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('procurement', 'technology', 'financing', 'talent', 'project_landing', name='dockingkind', native_enum=False, length=32), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('keywords', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('chain_id', sa.Integer(), nullable=True),
    sa.Column('capacity_amount', sa.Numeric(precision=18, scale=3), nullable=True),
    sa.Column('capacity_unit', sa.String(length=32), nullable=True),
    sa.Column('capacity_period', sa.Enum('day', 'week', 'month', 'year', 'once', name='capacityperiod', native_enum=False, length=32), nullable=True),
    sa.Column('min_order_quantity', sa.Numeric(precision=18, scale=3), nullable=True),
    sa.Column('certifications', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('status', sa.Enum('draft', 'open', 'paused', 'closed', name='capabilitystatus', native_enum=False, length=32), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['chain_id'], ['chains.id'], name=op.f('fk_capabilities_chain_id_chains')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_capabilities_enterprise_id_enterprises')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_capabilities'))
    )
    with op.batch_alter_table('capabilities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_capabilities_chain_id'), ['chain_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_capabilities_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_capabilities_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_capabilities_status'), ['status'], unique=False)

    op.create_table('enterprise_chains',
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('chain_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['chain_id'], ['chains.id'], name=op.f('fk_enterprise_chains_chain_id_chains'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_enterprise_chains_enterprise_id_enterprises'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('enterprise_id', 'chain_id', name=op.f('pk_enterprise_chains'))
    )
    with op.batch_alter_table('enterprise_chains', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enterprise_chains_chain_id'), ['chain_id'], unique=False)

    op.create_table('enterprise_tiers',
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('tier', sa.Enum('chain_owner', 'leading', 'srdi', 'little_giant', 'single_champion', 'multinational', 'listed', name='tier', native_enum=False, length=32), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_enterprise_tiers_enterprise_id_enterprises'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('enterprise_id', 'tier', name=op.f('pk_enterprise_tiers'))
    )
    with op.batch_alter_table('enterprise_tiers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enterprise_tiers_tier'), ['tier'], unique=False)

    op.create_table('requirements',
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('procurement', 'technology', 'financing', 'talent', 'project_landing', name='dockingkind', native_enum=False, length=32), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('chain_id', sa.Integer(), nullable=True),
    sa.Column('budget_yuan', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('project_name', sa.String(length=200), nullable=True),
    sa.Column('project_investment_yuan', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('delivery_region_code', sa.String(length=6), nullable=True),
    sa.Column('locality_preference', sa.Enum('same_city', 'same_province', 'same_cluster', 'anywhere', name='localitypreference', native_enum=False, length=32), nullable=False),
    sa.Column('certifications_required', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('draft', 'open', 'paused', 'fulfilled', 'closed', 'expired', name='requirementstatus', native_enum=False, length=32), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['chain_id'], ['chains.id'], name=op.f('fk_requirements_chain_id_chains')),
    sa.ForeignKeyConstraint(['delivery_region_code'], ['regions.code'], name=op.f('fk_requirements_delivery_region_code_regions')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_requirements_enterprise_id_enterprises')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_requirements'))
    )
    with op.batch_alter_table('requirements', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_requirements_chain_id'), ['chain_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_requirements_delivery_region_code'), ['delivery_region_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_requirements_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_requirements_kind'), ['kind'], unique=False)
        batch_op.create_index('ix_requirements_status_valid_until', ['status', 'valid_until'], unique=False)

    op.create_table('api_tokens',
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', app.db.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', app.db.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_api_tokens_account_id_accounts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_account_id'), ['account_id'], unique=False)

    op.create_table('capability_clusters',
    sa.Column('capability_id', sa.Integer(), nullable=False),
    sa.Column('cluster_code', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['capability_id'], ['capabilities.id'], name=op.f('fk_capability_clusters_capability_id_capabilities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['cluster_code'], ['clusters.code'], name=op.f('fk_capability_clusters_cluster_code_clusters')),
    sa.PrimaryKeyConstraint('capability_id', 'cluster_code', name=op.f('pk_capability_clusters'))
    )
    op.create_table('capability_nodes',
    sa.Column('capability_id', sa.Integer(), nullable=False),
    sa.Column('node_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['capability_id'], ['capabilities.id'], name=op.f('fk_capability_nodes_capability_id_capabilities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['node_id'], ['chain_nodes.id'], name=op.f('fk_capability_nodes_node_id_chain_nodes')),
    sa.PrimaryKeyConstraint('capability_id', 'node_id', name=op.f('pk_capability_nodes'))
    )
    with op.batch_alter_table('capability_nodes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_capability_nodes_node_id'), ['node_id'], unique=False)

    op.create_table('capability_regions',
    sa.Column('capability_id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=6), nullable=False),
    sa.ForeignKeyConstraint(['capability_id'], ['capabilities.id'], name=op.f('fk_capability_regions_capability_id_capabilities'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_capability_regions_region_code_regions')),
    sa.PrimaryKeyConstraint('capability_id', 'region_code', name=op.f('pk_capability_regions'))
    )
    op.create_table('requirement_items',
    sa.Column('requirement_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('spec', sa.Text(), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=18, scale=3), nullable=True),
    sa.Column('unit', sa.String(length=32), nullable=True),
    sa.Column('target_price_yuan', sa.Numeric(precision=18, scale=2), nullable=True),
    sa.Column('node_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['node_id'], ['chain_nodes.id'], name=op.f('fk_requirement_items_node_id_chain_nodes')),
    sa.ForeignKeyConstraint(['requirement_id'], ['requirements.id'], name=op.f('fk_requirement_items_requirement_id_requirements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_requirement_items'))
    )
    with op.batch_alter_table('requirement_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_requirement_items_node_id'), ['node_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_requirement_items_requirement_id'), ['requirement_id'], unique=False)

    op.create_table('requirement_nodes',
    sa.Column('requirement_id', sa.Integer(), nullable=False),
    sa.Column('node_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['node_id'], ['chain_nodes.id'], name=op.f('fk_requirement_nodes_node_id_chain_nodes')),
    sa.ForeignKeyConstraint(['requirement_id'], ['requirements.id'], name=op.f('fk_requirement_nodes_requirement_id_requirements'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('requirement_id', 'node_id', name=op.f('pk_requirement_nodes'))
    )
    with op.batch_alter_table('requirement_nodes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_requirement_nodes_node_id'), ['node_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('requirement_nodes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_requirement_nodes_node_id'))

    op.drop_table('requirement_nodes')
    with op.batch_alter_table('requirement_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_requirement_items_requirement_id'))
        batch_op.drop_index(batch_op.f('ix_requirement_items_node_id'))

    op.drop_table('requirement_items')
    op.drop_table('capability_regions')
    with op.batch_alter_table('capability_nodes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_capability_nodes_node_id'))

    op.drop_table('capability_nodes')
    op.drop_table('capability_clusters')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_account_id'))

    op.drop_table('api_tokens')
    with op.batch_alter_table('requirements', schema=None) as batch_op:
        batch_op.drop_index('ix_requirements_status_valid_until')
        batch_op.drop_index(batch_op.f('ix_requirements_kind'))
        batch_op.drop_index(batch_op.f('ix_requirements_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_requirements_delivery_region_code'))
        batch_op.drop_index(batch_op.f('ix_requirements_chain_id'))

    op.drop_table('requirements')
    with op.batch_alter_table('enterprise_tiers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enterprise_tiers_tier'))

    op.drop_table('enterprise_tiers')
    with op.batch_alter_table('enterprise_chains', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enterprise_chains_chain_id'))

    op.drop_table('enterprise_chains')
    with op.batch_alter_table('capabilities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_capabilities_status'))
        batch_op.drop_index(batch_op.f('ix_capabilities_kind'))
        batch_op.drop_index(batch_op.f('ix_capabilities_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_capabilities_chain_id'))

    op.drop_table('capabilities')
    with op.batch_alter_table('accounts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_accounts_enterprise_id'))

    op.drop_table('accounts')
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enterprises_verified'))
        batch_op.drop_index(batch_op.f('ix_enterprises_region_code'))
        batch_op.drop_index(batch_op.f('ix_enterprises_name'))
        batch_op.drop_index(batch_op.f('ix_enterprises_kind'))

    op.drop_table('enterprises')
    with op.batch_alter_table('cluster_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cluster_members_region_code'))

    op.drop_table('cluster_members')
    with op.batch_alter_table('chain_nodes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_chain_nodes_parent_id'))
        batch_op.drop_index(batch_op.f('ix_chain_nodes_chain_id'))

    op.drop_table('chain_nodes')
    with op.batch_alter_table('regions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_regions_province_code'))
        batch_op.drop_index(batch_op.f('ix_regions_name'))
        batch_op.drop_index(batch_op.f('ix_regions_city_code'))

    op.drop_table('regions')
    op.drop_table('clusters')
    op.drop_table('chains')
