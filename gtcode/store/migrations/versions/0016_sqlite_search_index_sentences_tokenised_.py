"""SQLite search index: sentences tokenised by FTS5 itself, no search_index rows

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 23:50:00

SQLite: search_fts becomes a contentless FTS5 table (`content=''`, still `detail=none, columnsize=0`) given each
sentence's text as gtcode.text.tokens.index_contents makes it (lower case, each Chinese character apart), which
its unicode61 tokenizer splits into the same forms as gtcode.text.tokens; a search asks for every form of the
terms it wants, found in search_fts_vocab (fts5vocab). search_index then holds no rows on SQLite (PostgreSQL
keeps them, with its GIN index, unchanged) and the triggers that kept search_fts in step with it go, but for the
one that indexes a row written there: undoing a change recorded before this revision (a document deleted) puts
its rows back, and their terms are what search_fts is given for a text it might read otherwise. The index is
made again from the stored sentences.
"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

TOKENIZER = "tokenize='unicode61 remove_diacritics 0', detail=none, columnsize=0"
TRIGGERS = {
    "search_index_ai": "AFTER INSERT ON search_index BEGIN "
                       "INSERT INTO search_fts(rowid, terms) VALUES (new.segment_id, new.terms); END",
    "search_index_ad": "AFTER DELETE ON search_index BEGIN "
                       "INSERT INTO search_fts(search_fts, rowid, terms) VALUES ('delete', old.segment_id, old.terms); END",
    "search_index_au": "AFTER UPDATE ON search_index BEGIN "
                       "INSERT INTO search_fts(search_fts, rowid, terms) VALUES ('delete', old.segment_id, old.terms); "
                       "INSERT INTO search_fts(rowid, terms) VALUES (new.segment_id, new.terms); END",
}


def _documents(bind):
    """Each stored document's id, text and sentences ``(segment id, start, end)``, one document at a time."""
    document = sa.table("document", sa.column("id"), sa.column("text"))
    segment = sa.table("segment", sa.column("id"), sa.column("document_id"), sa.column("start"), sa.column("end"))
    for (document_id,) in bind.execute(sa.select(document.c.id).order_by(document.c.id)).all():
        text = bind.execute(sa.select(document.c.text).where(document.c.id == document_id)).scalar()
        sentences = bind.execute(sa.select(segment.c.id, segment.c.start, segment.c.end)
                                 .where(segment.c.document_id == document_id).order_by(segment.c.id)).all()
        if sentences:
            yield document_id, text, sentences


def upgrade() -> None:
    from gtcode.text.tokens import index_contents

    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE search_fts")
    op.execute(f"CREATE VIRTUAL TABLE search_fts USING fts5(terms, content='', {TOKENIZER})")
    op.execute("CREATE VIRTUAL TABLE search_fts_vocab USING fts5vocab(search_fts, row)")
    op.execute(f"CREATE TRIGGER search_index_ai {TRIGGERS['search_index_ai']}")
    for _document_id, text, sentences in _documents(bind):
        contents = index_contents(text, [(start, end) for _id, start, end in sentences])
        bind.exec_driver_sql("INSERT INTO search_fts (rowid, terms) VALUES (?, ?)",
                             [(id_, content) for (id_, _start, _end), content in zip(sentences, contents)])
    op.execute("DELETE FROM search_index")


def downgrade() -> None:
    from gtcode.text.tokens import index_terms_in

    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    op.execute("DROP TRIGGER search_index_ai")
    op.execute("DROP TABLE search_fts_vocab")
    op.execute("DROP TABLE search_fts")
    op.execute("DELETE FROM search_index")  # rows an undo wrote back: written again below with all the others
    for document_id, text, sentences in _documents(bind):
        terms = index_terms_in(text, [(start, end) for _id, start, end in sentences])
        bind.exec_driver_sql("INSERT INTO search_index (segment_id, document_id, terms) VALUES (?, ?, ?)",
                             [(id_, document_id, t) for (id_, _start, _end), t in zip(sentences, terms) if t])
    op.execute(f"CREATE VIRTUAL TABLE search_fts USING fts5(terms, content='search_index', content_rowid='segment_id', "
               f"{TOKENIZER})")
    op.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")
