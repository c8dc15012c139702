"""full-text search index

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 12:00:00

- search_index: one row per sentence with its distinct index terms (gtcode.text.tokens), filled here for the
  sentences already stored, then by every import in its own transaction.
- SQLite: the FTS5 table search_fts over it (external content) and triggers that keep it in step.
- PostgreSQL: a GIN index on array_to_tsvector(string_to_array(terms, ' ')) (no extension needed).
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

FTS = ("CREATE VIRTUAL TABLE search_fts USING fts5(terms, content='search_index', content_rowid='segment_id', "
       "tokenize='unicode61 remove_diacritics 0')")
TRIGGERS = (
    "CREATE TRIGGER search_index_ai AFTER INSERT ON search_index BEGIN "
    "INSERT INTO search_fts(rowid, terms) VALUES (new.segment_id, new.terms); END",
    "CREATE TRIGGER search_index_ad AFTER DELETE ON search_index BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, terms) VALUES ('delete', old.segment_id, old.terms); END",
    "CREATE TRIGGER search_index_au AFTER UPDATE ON search_index BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, terms) VALUES ('delete', old.segment_id, old.terms); "
    "INSERT INTO search_fts(rowid, terms) VALUES (new.segment_id, new.terms); END",
)
GIN = ("CREATE INDEX ix_search_index_terms ON search_index "
       "USING gin (array_to_tsvector(string_to_array(terms, ' ')))")


def upgrade() -> None:
    op.create_table(
        "search_index",
        sa.Column("segment_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("terms", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["segment_id"], ["segment.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["document_id"], ["document.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("segment_id"),
    )
    op.create_index("ix_search_index_document_id", "search_index", ["document_id"])
    if op.get_bind().dialect.name == "sqlite":
        op.execute(FTS)
        for trigger in TRIGGERS:
            op.execute(trigger)
    else:
        op.execute(GIN)
    _index_stored_sentences()


def _index_stored_sentences() -> None:
    from gtcode.text.tokens import index_terms

    bind = op.get_bind()
    document = sa.table("document", sa.column("id"), sa.column("text"))
    segment = sa.table("segment", sa.column("id"), sa.column("document_id"), sa.column("start"), sa.column("end"))
    index = sa.table("search_index", sa.column("segment_id"), sa.column("document_id"), sa.column("terms"))
    for (document_id,) in bind.execute(sa.select(document.c.id).order_by(document.c.id)).all():
        text = bind.execute(sa.select(document.c.text).where(document.c.id == document_id)).scalar()
        rows = [{"segment_id": id_, "document_id": document_id, "terms": index_terms(text[start:end])}
                for id_, start, end in bind.execute(sa.select(segment.c.id, segment.c.start, segment.c.end)
                                                    .where(segment.c.document_id == document_id))]
        rows = [row for row in rows if row["terms"]]
        if rows:
            bind.execute(index.insert(), rows)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("search_index_ai", "search_index_ad", "search_index_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS search_fts")
    op.drop_table("search_index")
