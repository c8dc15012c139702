"""memo workspace: several memos per target, titles, types, creation dates, links

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 11:38:34

- memo.title (empty for the memos before), memo.type (Strauss & Corbin's notes: a memo on a code becomes a
  code note, the story line and relationship memos theoretical notes, the others free memos) and
  memo.created_at (the time it was last written, the best that is known of a memo from before).
- memo_link: the codes, codings, documents (or a text position in one) and relationships a memo is about
  besides its target. Every memo is kept, with its id, text, author and target.
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.create_table(
        'memo_link',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('memo_id', sa.Integer(), nullable=False),
        sa.Column('target_kind', sa.String(), nullable=False),
        sa.Column('target_id', sa.Integer(), nullable=False),
        sa.Column('start', sa.Integer(), nullable=True),
        sa.Column('end', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['memo_id'], ['memo.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sqlite_autoincrement=True,
    )
    op.create_index('ix_memo_link_memo_id', 'memo_link', ['memo_id'], unique=False)
    op.create_index('ix_memo_link_target', 'memo_link', ['target_kind', 'target_id'], unique=False)
    with op.batch_alter_table('memo', table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.add_column(sa.Column('title', sa.Text(), server_default='', nullable=False))
        batch.add_column(sa.Column('type', sa.String(), server_default='free', nullable=False))
        batch.add_column(sa.Column('created_at', sa.DateTime(timezone=True), nullable=True))
    memo = sa.table('memo', sa.column('target_kind'), sa.column('type'), sa.column('created_at'),
                    sa.column('updated_at'))
    op.execute(memo.update().values(created_at=memo.c.updated_at))
    op.execute(memo.update().where(memo.c.target_kind == 'code').values(type='code'))
    op.execute(memo.update().where(memo.c.target_kind.in_(('storyline', 'relationship'))).values(type='theoretical'))
    with op.batch_alter_table('memo', recreate='always' if sqlite else 'auto',
                              table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.alter_column('created_at', existing_type=sa.DateTime(timezone=True), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('memo', table_kwargs={"sqlite_autoincrement": True}) as batch:
        batch.drop_column('created_at')
        batch.drop_column('type')
        batch.drop_column('title')
    op.drop_index('ix_memo_link_target', 'memo_link')
    op.drop_index('ix_memo_link_memo_id', 'memo_link')
    op.drop_table('memo_link')
