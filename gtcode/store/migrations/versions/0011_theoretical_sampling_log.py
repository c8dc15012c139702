"""theoretical sampling log

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 13:08:11

sampling: the theoretical sampling log of a document (collected, wave, rationale), editable after import.
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sampling',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('collected', sa.String(), nullable=False),
    sa.Column('wave', sa.Integer(), nullable=True),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('coder', sa.String(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('document_id'),
    sqlite_autoincrement=True
    )


def downgrade() -> None:
    op.drop_table('sampling')
