"""Engines for SQLite (WAL, foreign keys on) and PostgreSQL, and schema migration."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.pool import QueuePool

MIGRATIONS = Path(__file__).parent / "migrations"
HEAD_REVISION = "0018"


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


class SchemaTooNew(Exception):
    """The database is at a schema revision this gtcode does not know (a newer release wrote it)."""

    def __init__(self, revision: str) -> None:
        self.revision = revision
        super().__init__(f"schema revision {revision} is newer than this gtcode's {HEAD_REVISION}")


def sqlite_path(url: str) -> Path | None:
    """The file an SQLite URL names (None for PostgreSQL and in-memory databases)."""
    from sqlalchemy.engine import make_url

    database = make_url(url).database if is_sqlite(url) else None
    return Path(database) if database and database != ":memory:" else None


def read_only_url(path: Path) -> str:
    """An SQLite URL that opens ``path`` for reading only (immutable when no WAL is left to replay)."""
    from urllib.parse import quote

    wal = path.with_name(path.name + "-wal")
    immutable = "" if wal.exists() else "&immutable=1"
    return f"sqlite:///file:{quote(str(path))}?mode=ro{immutable}&uri=true"


def make_engine(url: str, read_only: bool = False) -> Engine:
    """An engine for a project database; SQLite gets WAL, foreign keys and a busy timeout.

    SQLite connections are pooled: a unit of work borrows an open connection instead of opening the file,
    setting the pragmas and checkpointing the WAL on close each time (one transaction per imported
    document made that most of an import's cost). A connection is used by one thread at a time (the
    pool hands it out exclusively), so ``check_same_thread`` is off for the TUI's worker threads.
    ``read_only`` (a project on a read-only disk or another user's) sets no pragma that writes.
    """
    if is_sqlite(url):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, poolclass=QueuePool,
                               pool_size=5, max_overflow=10, json_serializer=_json)
        event.listen(engine, "connect", _sqlite_read_pragmas if read_only else _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5, json_serializer=_json)


def _json(value: object) -> str:
    """JSON columns (the undo log's rows) as compact UTF-8 text: no spaces, no ``\\uXXXX`` for each Chinese
    character (an import's undo record of 200,000 codings holds every quote)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_read_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def current_revision(engine: Engine) -> str | None:
    """The schema revision the database is at, or None for an empty database."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _config():
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def check_revision(revision: str | None) -> None:
    """Raise SchemaTooNew when ``revision`` is not one of this gtcode's migrations."""
    if revision is None or revision == HEAD_REVISION:
        return
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

    try:
        ScriptDirectory.from_config(_config()).get_revision(revision)
    except (CommandError, KeyError):
        raise SchemaTooNew(revision) from None


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision (a no-op when it is there already).

    Raises SchemaTooNew, before changing anything, for a database a newer gtcode wrote.
    """
    revision = current_revision(engine)
    if revision == HEAD_REVISION:
        return
    check_revision(revision)
    run_migrations(engine, "upgrade", "head")


def run_migrations(engine: Engine, step: str, revision: str) -> None:
    """Run the migrations ``step`` ("upgrade", or "downgrade" for tests of a revision) to ``revision`` in one
    transaction. On SQLite, revisions rebuild tables (copy, drop, rename): foreign keys are off meanwhile, since
    dropping a table with them on deletes the rows that refer to it, and they are checked before the commit."""
    from alembic import command

    config = _config()
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:  # outside any transaction: SQLite ignores this pragma inside one
            conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                config.attributes["connection"] = conn
                getattr(command, step)(config, revision)
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"the migration left {len(broken)} rows naming missing rows: nothing changed")
        finally:
            if sqlite:
                conn.connection.driver_connection.execute("PRAGMA foreign_keys=ON")
