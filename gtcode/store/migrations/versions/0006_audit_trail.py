"""audit trail: undone changes are kept

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 12:20:00

- change.superseded: an undone change that a newer change ended the redo of. It used to be deleted; it is now
  kept (and never redone) so the audit trail shows it.
- change.undone_at: when a change was undone (empty for the changes undone before this revision).
- ix_change_redoable (undone, superseded, id): "a new change ends redo" and redo read only the changes that
  can still be redone, however many superseded ones the trail keeps.
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('change', sa.Column('superseded', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column('change', sa.Column('undone_at', sa.DateTime(timezone=True), nullable=True))
    op.create_index('ix_change_redoable', 'change', ['undone', 'superseded', 'id'])


def downgrade() -> None:
    op.drop_index('ix_change_redoable', table_name='change')
    change = sa.table('change', sa.column('superseded'))
    op.execute(change.delete().where(change.c.superseded == sa.true()))
    with op.batch_alter_table('change', table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.drop_column('undone_at')
        batch.drop_column('superseded')
