"""pages, turn times, material imported after the release, cases

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 11:54:18

- document.pages: where each PDF page starts in the text; segment.page: the page a sentence starts on.
- segment.time: the time stamp of a sentence's turn in a timestamped transcript (.srt, .vtt, [00:12:03]).
- document.material: for a document imported after the hold-out release, "build" (theoretical sampling) or
  "saturation" (further saturation material); empty before.
- case and case_attribute: a case groups documents (document.case_id) and carries attributes in the order given.
Existing rows keep their values; the new columns are empty. What is there already (a database whose revision
was set back by hand, as the search index's upgrade test does) is left as it is.
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    if inspector.has_table('case'):
        return  # this revision's tables and columns are there already
    op.create_table(
        'case',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('name'),
        sqlite_autoincrement=True,
    )
    op.create_table(
        'case_attribute',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(), nullable=False),
        sa.Column('type', sa.String(), nullable=False),
        sa.Column('value', sa.String(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['case.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('case_id', 'name'),
        sqlite_autoincrement=True,
    )
    op.create_index('ix_case_attribute_case_id', 'case_attribute', ['case_id'], unique=False)
    with op.batch_alter_table('document', table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.add_column(sa.Column('pages', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('material', sa.String(), nullable=True))
        batch_op.add_column(sa.Column('case_id', sa.Integer(), nullable=True))
        batch_op.create_index('ix_document_case_id', ['case_id'], unique=False)
        batch_op.create_foreign_key('fk_document_case_id', 'case', ['case_id'], ['id'])
    with op.batch_alter_table('segment') as batch_op:
        batch_op.add_column(sa.Column('page', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('time', sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('segment') as batch_op:
        batch_op.drop_column('time')
        batch_op.drop_column('page')
    with op.batch_alter_table('document', table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.drop_constraint('fk_document_case_id', type_='foreignkey')
        batch_op.drop_index('ix_document_case_id')
        batch_op.drop_column('case_id')
        batch_op.drop_column('material')
        batch_op.drop_column('pages')
    op.drop_index('ix_case_attribute_case_id', table_name='case_attribute')
    op.drop_table('case_attribute')
    op.drop_table('case')
