"""indexes for a flat per-action cost

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 11:39:40

Queries that ran on every action and scanned a table that grows with the project:
- change (undone, id): "a new change ends redo" (DELETE ... WHERE undone), undo's newest change not undone,
  redo's oldest undone one; a scan read the whole undo log (its JSON rows) on every change.
- code (level, lower(label)): a label is found case-insensitively within its level (codes.find_label,
  resolve_code) on every coding, rename and group.
- document (split): the hold-out's documents; a scan reaches `split` through every text.
- evidence (coding_id): a merged coding's evidence moves over.
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_change_undone', 'change', ['undone', 'id'])
    op.create_index('ix_code_level_label', 'code', ['level', sa.text('lower(label)')])
    op.create_index('ix_document_split', 'document', ['split'])
    op.create_index('ix_evidence_coding', 'evidence', ['coding_id'])


def downgrade() -> None:
    for name, table in (('ix_evidence_coding', 'evidence'), ('ix_document_split', 'document'),
                        ('ix_code_level_label', 'code'), ('ix_change_undone', 'change')):
        op.drop_index(name, table_name=table)
