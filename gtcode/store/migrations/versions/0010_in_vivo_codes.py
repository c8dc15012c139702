"""in-vivo codes

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 13:05:00

code.in_vivo: the code's label is in the respondent's own words (false for every code before).
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('code', sa.Column('in_vivo', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('code', table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.drop_column('in_vivo')
    # SQLite rebuilt the table without the expression index of revision 0003 (batch mode cannot reflect it)
    op.execute('CREATE INDEX IF NOT EXISTS ix_code_level_label ON code (level, lower(label))')
