"""the FTS5 search table without positions or sizes

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 21:00:00

SQLite: search_fts is made again with `detail=none, columnsize=0` and rebuilt from search_index. Its terms are
a sentence's distinct terms, so positions say nothing, and a search asks the index only which sentences hold
which terms (AND and OR of terms; phrases, NEAR and ranking are matched in gtcode.text.query): FTS5 then stores
no position lists and no sizes, which was most of what writing the index added to an import. The triggers that
keep it in step with search_index name the table and stay as they are. PostgreSQL: nothing changes.
"""
from alembic import op


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

OPTIONS = "content='search_index', content_rowid='segment_id', tokenize='unicode61 remove_diacritics 0'"


def _remake(extra: str) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP TABLE search_fts")
    op.execute(f"CREATE VIRTUAL TABLE search_fts USING fts5(terms, {OPTIONS}{extra})")
    op.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")


def upgrade() -> None:
    _remake(", detail=none, columnsize=0")


def downgrade() -> None:
    _remake("")
