"""The coding tally (``coding_tally``: codings per document and coder) and the triggers that keep it.

The database keeps it, not gtcode's code: every way a coding is written (the unit of work's flush, bulk
inserts by executemany or COPY, undo and redo, a document's cascade) passes the triggers. SQLite runs a
trigger per row (one upsert); PostgreSQL one per statement over its transition tables (a COPY of 200,000
codings is one grouped upsert). A tally row goes when its count reaches zero. On SQLite the bulk insert of
200,000 codings (``changes.insert_values``, 99 rows to a statement) costs about 0.2 s of CPU more with the
trigger (5.8 -> 6.0 s, load 6).
"""

from __future__ import annotations

_ADD = ("INSERT INTO coding_tally (document_id, coder, codings) VALUES (new.document_id, new.coder, 1) "
        "ON CONFLICT (document_id, coder) DO UPDATE SET codings = codings + 1;")
_TAKE = ("UPDATE coding_tally SET codings = codings - 1 WHERE document_id = old.document_id AND coder = old.coder; "
         "DELETE FROM coding_tally WHERE document_id = old.document_id AND coder = old.coder AND codings <= 0;")
SQLITE_TRIGGERS = {
    "coding_tally_ai": f"AFTER INSERT ON coding BEGIN {_ADD} END",
    "coding_tally_ad": f"AFTER DELETE ON coding BEGIN {_TAKE} END",
    "coding_tally_au": ("AFTER UPDATE OF document_id, coder ON coding WHEN old.document_id IS NOT new.document_id "
                        f"OR old.coder IS NOT new.coder BEGIN {_TAKE} {_ADD} END"),
}

_PG_ADD = ("INSERT INTO coding_tally (document_id, coder, codings) SELECT document_id, coder, count(*) FROM {rows} "
           "GROUP BY document_id, coder ON CONFLICT (document_id, coder) "
           "DO UPDATE SET codings = coding_tally.codings + excluded.codings;")
_PG_TAKE = ("UPDATE coding_tally t SET codings = t.codings - g.n FROM (SELECT document_id, coder, count(*) AS n "
            "FROM {rows} GROUP BY document_id, coder) g WHERE t.document_id = g.document_id AND t.coder = g.coder; "
            "DELETE FROM coding_tally t USING (SELECT DISTINCT document_id, coder FROM {rows}) g "
            "WHERE t.document_id = g.document_id AND t.coder = g.coder AND t.codings <= 0;")
_PG_MOVED = ("(SELECT {side}.document_id, {side}.coder FROM old_rows o JOIN new_rows n ON n.id = o.id "
             "WHERE o.document_id <> n.document_id OR o.coder <> n.coder)")
PG_FUNCTIONS = {
    "coding_tally_insert": ("INSERT", "REFERENCING NEW TABLE AS new_rows", _PG_ADD.format(rows="new_rows")),
    "coding_tally_delete": ("DELETE", "REFERENCING OLD TABLE AS old_rows", _PG_TAKE.format(rows="old_rows")),
    "coding_tally_update": ("UPDATE", "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
                            _PG_TAKE.format(rows=_PG_MOVED.format(side="o") + " m")
                            + _PG_ADD.format(rows=_PG_MOVED.format(side="n") + " m")),
}


def create_triggers(bind) -> None:
    """Create the triggers on ``coding`` and count what is there already into the (empty) tally."""
    if bind.dialect.name == "sqlite":
        for name, body in SQLITE_TRIGGERS.items():
            bind.exec_driver_sql(f"CREATE TRIGGER {name} {body}")
    else:
        for name, (event, referencing, body) in PG_FUNCTIONS.items():
            bind.exec_driver_sql(f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} "
                                 "RETURN NULL; END $$")
            bind.exec_driver_sql(f"CREATE TRIGGER {name} AFTER {event} ON coding {referencing} FOR EACH STATEMENT "
                                 f"EXECUTE FUNCTION {name}()")
    bind.exec_driver_sql("INSERT INTO coding_tally (document_id, coder, codings) "
                         "SELECT document_id, coder, count(*) FROM coding GROUP BY document_id, coder")


def drop_triggers(bind) -> None:
    """Drop what :func:`create_triggers` made (the tally table is the migration's)."""
    if bind.dialect.name == "sqlite":
        for name in SQLITE_TRIGGERS:
            bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
    else:
        for name in PG_FUNCTIONS:
            bind.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON coding")
            bind.exec_driver_sql(f"DROP FUNCTION IF EXISTS {name}()")

