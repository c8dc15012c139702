"""A new project's schema, made at once at the newest revision: the tables' metadata, the DDL it cannot hold
(SQLite's FTS5 tables and the trigger indexing ``search_index``, PostgreSQL's GIN index, the coding tally's
triggers) and the revision stamp.

It must equal what the migrations make of a project from the oldest revision on: ``tests/store/
test_schema_equality.py`` compares the two on both back ends (columns in order, defaults, keys, indexes,
triggers, functions, FTS5 tables). A migration that changes the schema changes ``tables.py`` or the DDL here alike.
"""

from __future__ import annotations

from sqlalchemy import Column, Connection, MetaData, PrimaryKeyConstraint, String, Table
from sqlmodel import SQLModel

import gtcode.store.tables  # noqa: F401  (registers the tables)
from gtcode.store.engine import HEAD_REVISION
from gtcode.store.tally import create_triggers

SQLITE_DDL = (
    # the contentless full-text table given each sentence's text, and its vocabulary (migration 0016)
    "CREATE VIRTUAL TABLE search_fts USING fts5(terms, content='', tokenize='unicode61 remove_diacritics 0', "
    "detail=none, columnsize=0)",
    "CREATE VIRTUAL TABLE search_fts_vocab USING fts5vocab(search_fts, row)",
    # a search_index row an undo writes back (a change recorded before 0016) gives its terms to search_fts
    "CREATE TRIGGER search_index_ai AFTER INSERT ON search_index BEGIN "
    "INSERT INTO search_fts(rowid, terms) VALUES (new.segment_id, new.terms); END",
)
POSTGRESQL_DDL = (  # the full-text index (migration 0004)
    "CREATE INDEX ix_search_index_terms ON search_index "
    "USING gin (array_to_tsvector(string_to_array(terms, ' ')))",
)

UNMODELLED = ("search_fts", "ix_search_index_terms")
"""Names the DDL above makes, which the metadata does not hold (autogenerate leaves them alone)."""

VERSION_TABLE = Table("alembic_version", MetaData(), Column("version_num", String(32), nullable=False),
                      PrimaryKeyConstraint("version_num", name="alembic_version_pkc"))
"""Alembic's table of the revision a database is at, as Alembic makes it."""


def create(conn: Connection) -> None:
    """Make gtcode's newest schema in the empty database of ``conn`` (in its transaction), at HEAD_REVISION."""
    SQLModel.metadata.create_all(conn)
    for statement in SQLITE_DDL if conn.dialect.name == "sqlite" else POSTGRESQL_DDL:
        conn.exec_driver_sql(statement)
    create_triggers(conn)
    VERSION_TABLE.create(conn, checkfirst=True)
    conn.execute(VERSION_TABLE.insert().values(version_num=HEAD_REVISION))
