"""codebook entries

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 12:30:12

Codebook entries after MacQueen et al. (1998): code.when_to_use and code.when_not_to_use beside the
definition, and code_example: codings that are typical or atypical examples of a code.
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('code_example',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code_id', sa.Integer(), nullable=False),
    sa.Column('coding_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['code_id'], ['code.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['coding_id'], ['coding.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('code_id', 'coding_id'),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('code_example', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_code_example_code_id'), ['code_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_code_example_coding_id'), ['coding_id'], unique=False)

    op.add_column('code', sa.Column('when_to_use', sa.Text(), server_default='', nullable=False))
    op.add_column('code', sa.Column('when_not_to_use', sa.Text(), server_default='', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('code', schema=None, table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.drop_column('when_not_to_use')
        batch_op.drop_column('when_to_use')
    # SQLite rebuilt the table without the expression index of revision 0003 (batch mode cannot reflect it)
    op.execute('CREATE INDEX IF NOT EXISTS ix_code_level_label ON code (level, lower(label))')

    with op.batch_alter_table('code_example', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_code_example_coding_id'))
        batch_op.drop_index(batch_op.f('ix_code_example_code_id'))

    op.drop_table('code_example')
