"""properties and dimensions

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 12:18:30

- property: a concept's or category's property with its dimensional range (ordered values, or a numeric
  range low..high).
- dimension_value: where a coding's quotation sits on a property's dimension.
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('property',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('values', sa.JSON(), nullable=False),
    sa.Column('low', sa.Float(), nullable=True),
    sa.Column('high', sa.Float(), nullable=True),
    sa.Column('created_by', sa.String(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['code_id'], ['code.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code_id', 'name'),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('property', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_property_code_id'), ['code_id'], unique=False)

    op.create_table('dimension_value',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('property_id', sa.Integer(), nullable=False),
    sa.Column('coding_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.String(), nullable=False),
    sa.Column('coder', sa.String(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['coding_id'], ['coding.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['property_id'], ['property.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('property_id', 'coding_id'),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('dimension_value', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dimension_value_coding_id'), ['coding_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dimension_value_property_id'), ['property_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('dimension_value', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dimension_value_property_id'))
        batch_op.drop_index(batch_op.f('ix_dimension_value_coding_id'))

    op.drop_table('dimension_value')
    with op.batch_alter_table('property', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_property_code_id'))

    op.drop_table('property')
