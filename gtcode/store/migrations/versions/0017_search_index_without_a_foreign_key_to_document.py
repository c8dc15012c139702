"""search_index without a foreign key to document

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 02:55:00

search_index.document_id no longer references document: a row's segment leads to its document already (the
key to segment stays, and its cascade removes the row with its sentence, which goes with its document). On
PostgreSQL the key cost the server a check per index row written (a third of an import's foreign-key checks);
the column and its index stay (a document's deletion finds its index rows by it). SQLite: the table is made
again without the key (it holds only the rows an undo wrote back, see 0016), with its index and its trigger.
"""
from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

DOCUMENT_KEY = ", FOREIGN KEY(document_id) REFERENCES document (id) ON DELETE CASCADE"


def _remake_on_sqlite(document_key: str) -> None:
    """SQLite cannot drop or add a foreign key: the table is copied into a new one with or without the key."""
    op.execute("CREATE TABLE search_index_new (segment_id INTEGER NOT NULL, document_id INTEGER NOT NULL, "
               "terms TEXT NOT NULL, PRIMARY KEY (segment_id), "
               f"FOREIGN KEY(segment_id) REFERENCES segment (id) ON DELETE CASCADE{document_key})")
    op.execute("INSERT INTO search_index_new (segment_id, document_id, terms) "
               "SELECT segment_id, document_id, terms FROM search_index")
    op.execute("DROP TABLE search_index")  # its index and trigger with it
    op.execute("ALTER TABLE search_index_new RENAME TO search_index")
    op.execute("CREATE INDEX ix_search_index_document_id ON search_index (document_id)")
    op.execute("CREATE TRIGGER search_index_ai AFTER INSERT ON search_index BEGIN "
               "INSERT INTO search_fts(rowid, terms) VALUES (new.segment_id, new.terms); END")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        _remake_on_sqlite("")
        return
    for key in sa.inspect(bind).get_foreign_keys("search_index"):
        if key["referred_table"] == "document":
            op.drop_constraint(key["name"], "search_index", type_="foreignkey")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _remake_on_sqlite(DOCUMENT_KEY)
        return
    op.create_foreign_key("search_index_document_id_fkey", "search_index", "document", ["document_id"], ["id"],
                          ondelete="CASCADE")
