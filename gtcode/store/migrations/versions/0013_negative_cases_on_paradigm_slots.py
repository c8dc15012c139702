"""negative cases on paradigm slots

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 14:30:19

slot_evidence: codings that back or speak against a slot of a main category's paradigm (new; nothing to carry over).
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'slot_evidence',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('main_id', sa.Integer(), nullable=False),
        sa.Column('slot', sa.String(), nullable=False),
        sa.Column('coding_id', sa.Integer(), nullable=False),
        sa.Column('stance', sa.String(), nullable=False),
        sa.ForeignKeyConstraint(['coding_id'], ['coding.id']),
        sa.ForeignKeyConstraint(['main_id'], ['code.id']),
        sa.PrimaryKeyConstraint('id'),
        sqlite_autoincrement=True,
    )
    op.create_index('ix_slot_evidence_coding', 'slot_evidence', ['coding_id'])
    op.create_index('ix_slot_evidence_main_slot', 'slot_evidence', ['main_id', 'slot'])


def downgrade() -> None:
    op.drop_index('ix_slot_evidence_main_slot', 'slot_evidence')
    op.drop_index('ix_slot_evidence_coding', 'slot_evidence')
    op.drop_table('slot_evidence')
