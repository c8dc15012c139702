"""stable ids, coding versions, one coding per span, code and coder

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 09:10:00

- SQLite: every table with an integer id is rebuilt as AUTOINCREMENT, so a freed id is never handed to a
  new row (rows, foreign keys and indexes are copied; gtcode.store.engine.migrate runs this with foreign
  keys off and checks them before committing). PostgreSQL sequences never reuse ids already.
- coding.version: the version a view showed, checked by updates and deletes.
- Duplicate codings (same document, span, code and coder) are merged into the oldest one (its evidence and
  memo move over), then a unique index keeps them out.
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

ID_TABLES = ("project", "coder", "document", "attribute", "segment", "code", "coding", "memo", "paradigm_entry",
             "relationship", "evidence", "holdout", "change", "assignment")
SPAN_KEY = ("document_id", "code_id", "start", "end", "coder")


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    _merge_duplicate_codings()
    if sqlite:
        for name in ID_TABLES:
            with op.batch_alter_table(name, recreate="always", table_kwargs={"sqlite_autoincrement": True}) as batch:
                if name == "coding":
                    batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    else:
        op.add_column("coding", sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    op.create_index("uq_coding_span_code_coder", "coding", list(SPAN_KEY), unique=True)


def _merge_duplicate_codings() -> None:
    """Keep the oldest of each group of identical codings; move the others' evidence and memos onto it."""
    bind = op.get_bind()
    coding = sa.table("coding", sa.column("id"), *(sa.column(c) for c in SPAN_KEY))
    evidence = sa.table("evidence", sa.column("id"), sa.column("relationship_id"), sa.column("coding_id"))
    memo = sa.table("memo", sa.column("id"), sa.column("target_kind"), sa.column("target_id"), sa.column("text"))
    keeper: dict[tuple, int] = {}
    doubles: dict[int, int] = {}
    for row in bind.execute(sa.select(coding).order_by(coding.c.id)):
        key = tuple(getattr(row, c) for c in SPAN_KEY)
        if key in keeper:
            doubles[row.id] = keeper[key]
        else:
            keeper[key] = row.id
    for double, kept in doubles.items():
        proven = {r for (r,) in bind.execute(sa.select(evidence.c.relationship_id).where(evidence.c.coding_id == kept))}
        for ev_id, relationship_id in bind.execute(
                sa.select(evidence.c.id, evidence.c.relationship_id).where(evidence.c.coding_id == double)).all():
            if relationship_id in proven:
                bind.execute(sa.delete(evidence).where(evidence.c.id == ev_id))
            else:
                bind.execute(sa.update(evidence).where(evidence.c.id == ev_id).values(coding_id=kept))
                proven.add(relationship_id)
        on_coding = (memo.c.target_kind == "coding")
        kept_memo = bind.execute(sa.select(memo.c.id, memo.c.text).where(on_coding, memo.c.target_id == kept)).first()
        for memo_id, text in bind.execute(sa.select(memo.c.id, memo.c.text).where(on_coding, memo.c.target_id == double)).all():
            if kept_memo is None:
                bind.execute(sa.update(memo).where(memo.c.id == memo_id).values(target_id=kept))
                kept_memo = (memo_id, text)
            else:
                merged = f"{kept_memo[1]}\n\n{text}" if text.strip() and text.strip() != kept_memo[1].strip() else kept_memo[1]
                bind.execute(sa.update(memo).where(memo.c.id == kept_memo[0]).values(text=merged))
                bind.execute(sa.delete(memo).where(memo.c.id == memo_id))
                kept_memo = (kept_memo[0], merged)
        bind.execute(sa.delete(coding).where(coding.c.id == double))


def downgrade() -> None:
    op.drop_index("uq_coding_span_code_coder", "coding")
    with op.batch_alter_table("coding") as batch:
        batch.drop_column("version")
