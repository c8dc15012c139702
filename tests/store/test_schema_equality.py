"""A new project's schema equals that of a project made at the oldest revision and migrated to the newest.

The two ways to the newest revision (``create_database`` on an empty database, and the migrations from 0001 on
an old project) must give one schema, so that no behaviour depends on how a project got there: tables, columns
(name, type, nullability, server default, order), keys, indexes, unique constraints, SQLite's AUTOINCREMENT,
triggers and FTS5 tables, PostgreSQL's triggers, functions and sequences.
"""

from __future__ import annotations

import re
import warnings

from sqlalchemy import Connection, inspect

from tests.conftest import database, engine_at


def _sql(text: str | None) -> str | None:
    """DDL with its runs of white space made one space."""
    return None if text is None else " ".join(text.split())


def _default(value: str | None) -> str | None:
    """A server default without the parentheses SQLite keeps around one an ALTER TABLE added (``('')``)."""
    while value and re.fullmatch(r"\(.*\)", value) and value.count("(") == 1:
        value = value[1:-1]
    return value


def _table(inspector, name: str) -> dict:
    columns = [(c["name"], repr(c["type"]), c["nullable"], _default(c["default"]))
               for c in inspector.get_columns(name)]
    key = inspector.get_pk_constraint(name)
    indexes = sorted((i["name"], tuple(i["column_names"]), tuple(i.get("expressions") or ()), bool(i["unique"]),
                      tuple(sorted((i.get("dialect_options") or {}).items())))
                     for i in inspector.get_indexes(name))
    uniques = sorted((u["name"], tuple(u["column_names"])) for u in inspector.get_unique_constraints(name))
    foreign = sorted((f["name"], tuple(f["constrained_columns"]), f["referred_table"], tuple(f["referred_columns"]),
                      tuple(sorted(f["options"].items()))) for f in inspector.get_foreign_keys(name))
    checks = sorted((c["name"], _sql(c["sqltext"])) for c in inspector.get_check_constraints(name))
    return {"columns": columns, "primary key": (key["name"], tuple(key["constrained_columns"])),
            "indexes": indexes, "unique constraints": uniques, "foreign keys": foreign, "checks": checks}


def schema_of(conn: Connection) -> dict[str, object]:
    """Everything of a database's schema that behaviour can depend on, as comparable values by object name."""
    inspector = inspect(conn)
    with warnings.catch_warnings():  # SQLite's expression indexes: read from sqlite_master below
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        schema: dict[str, object] = {f"table {name}": _table(inspector, name) for name in inspector.get_table_names()}
    if conn.dialect.name == "sqlite":
        for kind, name, table, sql in conn.exec_driver_sql(
                "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'"):
            if kind == "table" and not sql.startswith("CREATE VIRTUAL TABLE"):
                schema[f"table {name}"]["autoincrement"] = " AUTOINCREMENT" in sql.upper()
            else:  # triggers, FTS5 tables, indexes (those on expressions too, which the inspector skips)
                schema[f"{kind} {name}"] = (table, _sql(sql))
    else:
        for name, table, definition in conn.exec_driver_sql(
                "SELECT t.tgname, c.relname, pg_get_triggerdef(t.oid) FROM pg_trigger t "
                "JOIN pg_class c ON c.oid = t.tgrelid WHERE NOT t.tgisinternal"):
            schema[f"trigger {name}"] = (table, definition)
        for name, definition in conn.exec_driver_sql(
                "SELECT p.proname, pg_get_functiondef(p.oid) FROM pg_proc p "
                "JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema()"):
            schema[f"function {name}"] = _sql(definition)
        for (name,) in conn.exec_driver_sql("SELECT sequencename FROM pg_sequences "
                                            "WHERE schemaname = current_schema()"):
            schema[f"sequence {name}"] = True
    return schema


def _columns(name: str, ours: list, theirs: list) -> list[str]:
    """The differences of two tables' columns: each column's own, then their order."""
    new, migrated = {c[0]: c for c in ours}, {c[0]: c for c in theirs}
    lines = [f"{name} column {column}: new {new.get(column)!r} != migrated {migrated.get(column)!r}"
             for column in sorted(new.keys() | migrated.keys()) if new.get(column) != migrated.get(column)]
    if list(new) != list(migrated):
        lines.append(f"{name} column order: new {list(new)} != migrated {list(migrated)}")
    return lines


def differences(fresh: dict, migrated: dict) -> list[str]:
    """Each difference as one line: what it is and both sides."""
    lines = []
    for name in sorted(fresh.keys() | migrated.keys()):
        ours, theirs = fresh.get(name), migrated.get(name)
        if ours is None or theirs is None:
            lines.append(f"{name}: only {'in a new project' if theirs is None else 'after the migrations'}")
        elif isinstance(ours, dict):
            lines.extend(_columns(name, ours["columns"], theirs["columns"]))
            lines.extend(f"{name} {part}: new {ours.get(part)!r} != migrated {theirs.get(part)!r}"
                         for part in sorted(ours.keys() | theirs.keys())
                         if part != "columns" and ours.get(part) != theirs.get(part))
        elif ours != theirs:
            lines.append(f"{name}: new {ours!r} != migrated {theirs!r}")
    return lines


def test_new_project_schema_equals_migrated_schema(backend, tmp_path):
    from gtcode.services.storage import create_database
    from gtcode.store.engine import migrate

    with database(backend) as fresh_url, database(backend) as old_url:
        if backend == "sqlite":
            fresh_url, old_url = f"sqlite:///{tmp_path / 'new.db'}", f"sqlite:///{tmp_path / 'old.db'}"
        fresh = create_database(fresh_url)
        old = engine_at(old_url, "0001")  # a project the first release made
        try:
            migrate(old)
            with fresh.connect() as a, old.connect() as b:
                new, migrated = schema_of(a), schema_of(b)
        finally:
            fresh.dispose()
            old.dispose()
    made_by_hand = {"sqlite": {"table search_fts", "trigger search_index_ai", "trigger coding_tally_au",
                               "index ix_code_level_label"},
                    "postgresql": {"trigger coding_tally_update", "function coding_tally_update"}}[backend]
    assert made_by_hand <= migrated.keys()  # what the comparison must see, not only the tables
    found = differences(new, migrated)
    assert not found, "a new project's schema differs from a migrated one's:\n" + "\n".join(found)
