"""coding tally kept by triggers

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 03:00:00

The status line's counts (codings, coded documents a coder may see) were counted over every coding: 60-80 ms
at 2,000,000 codings. `coding_tally` holds the codings per document and coder, kept by triggers on `coding`
(gtcode.store.tally), so the counts are a sum over at most documents x coders rows. Filled from the codings
there on upgrade.
"""
from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from gtcode.store.tally import create_triggers

    op.create_table('coding_tally',
                    sa.Column('document_id', sa.Integer(), nullable=False),
                    sa.Column('coder', sa.String(), nullable=False),
                    sa.Column('codings', sa.Integer(), nullable=False),
                    sa.PrimaryKeyConstraint('document_id', 'coder'))
    create_triggers(op.get_bind())


def downgrade() -> None:
    from gtcode.store.tally import drop_triggers

    drop_triggers(op.get_bind())
    op.drop_table('coding_tally')
