"""negative cases: evidence that contradicts a relationship

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 12:45:00

evidence.stance: ``supporting`` (every piece of evidence before this revision) or ``contradicting``.
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('evidence', sa.Column('stance', sa.String(), server_default='supporting', nullable=False))


def downgrade() -> None:
    evidence = sa.table('evidence', sa.column('stance'))
    op.execute(evidence.delete().where(evidence.c.stance != 'supporting'))
    with op.batch_alter_table('evidence', table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.drop_column('stance')
