"""Opening a project's database, and storage faults as one line each (``StorageError``).

An existing project is opened, never created: a missing, empty (0-byte) or foreign file, or a database
without gtcode's schema, is refused instead of being given a fresh empty schema; a database a newer gtcode
wrote is refused before anything is migrated. An SQLite project that this user cannot write (another user's,
a read-only disk) is opened for reading: commands that only read work and writes say "read-only". Every
statement's disk-full, read-only, damaged-file and unreachable-server errors become a ``StorageError`` naming
the database and what to do (the unit of work they happen in is rolled back whole).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, event, inspect

from gtcode.services.errors import GtcodeError, StorageError
from gtcode.store import schema
from gtcode.store.engine import (
    HEAD_REVISION, SchemaTooNew, check_revision, current_revision, is_sqlite, make_engine, migrate,
    read_only_url, sqlite_path,
)

SQLITE_HEADER = b"SQLite format 3\x00"


def open_database(url: str) -> Engine:
    """An engine on the existing project database at ``url``, migrated to this gtcode's schema."""
    path = sqlite_path(url)
    read_only = False
    if path is not None:
        _check_file(path)
        read_only = not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))

    def existing(_engine: Engine, revision: str | None) -> None:
        if revision is None:
            raise StorageError(f"{_where(url)} holds no gtcode project (no gtcode schema): check the database in "
                               "gtcode.toml, or restore the project's database from a backup")
        if revision != HEAD_REVISION and read_only:
            check_revision(revision)
            raise StorageError(f"{_where(url)} is read-only and at schema revision {revision}, older than this "
                               f"gtcode's {HEAD_REVISION}: open it once where it can be written to upgrade it")
        if path is not None and revision != HEAD_REVISION:
            check_revision(revision)
            backup_before_upgrade(path, revision)

    return _migrated(_engine(read_only_url(path) if read_only and path else url, url, read_only), url, existing)


def create_database(url: str) -> Engine:
    """An engine on a new or empty database at ``url`` with gtcode's schema (``store.schema.create``; a database
    an older gtcode began is migrated); a foreign one is refused."""
    path = sqlite_path(url)
    if path is not None and path.exists() and path.stat().st_size > 0:
        _check_header(path)

    def empty(engine: Engine, revision: str | None) -> None:
        foreign = [name for name in inspect(engine).get_table_names() if name != "alembic_version"]
        if revision is None and foreign:
            raise StorageError(f"{_where(url)} already holds tables that are not gtcode's "
                               f"({', '.join(sorted(foreign)[:3])}...): give an empty database")
        if revision is None:  # at the newest revision at once, equal to what the migrations make
            with engine.begin() as conn:
                schema.create(conn)

    return _migrated(_engine(url, url, False), url, empty)


def backup_before_upgrade(path: Path, revision: str) -> Path:
    """Copy an SQLite project about to be upgraded to ``<file>.rev<revision>.bak`` (SQLite's online backup, so
    a WAL not yet checkpointed is included); an existing backup of that revision is kept."""
    import sqlite3

    target = path.with_name(f"{path.name}.rev{revision}.bak")
    if not target.exists():
        with sqlite3.connect(path) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
        source.close()
        copy.close()
    return target


def _migrated(engine: Engine, url: str, check: Callable[[Engine, str | None], None]) -> Engine:
    """``engine`` once ``check`` accepts its revision and the schema is migrated; disposed and one line if not."""
    try:
        check(engine, current_revision(engine))
        migrate(engine)
    except BaseException as error:
        engine.dispose()
        raise _opening_error(url, error) from error
    return engine


def verify(engine: Engine, url: str) -> None:
    """Raise StorageError when an SQLite database's pages are damaged (``PRAGMA quick_check``: it reads the
    whole file, so the TUI runs it in a worker after its first screen, ``Project.pending_check``)."""
    if not is_sqlite(url):
        return
    with engine.connect() as conn:
        result = conn.exec_driver_sql("PRAGMA quick_check(1)").scalar()
    if result != "ok":
        raise StorageError(_damaged(url, " ".join(str(result).replace("*** in database main ***", "").split())))


def _check_file(path: Path) -> None:
    if not path.exists():
        raise StorageError(f"{path}: the project's database is missing: restore it from a backup "
                           "(gtcode does not create an empty one in its place)")
    if path.stat().st_size == 0:
        raise StorageError(f"{path} is empty (0 bytes): the project's database was lost or truncated; restore it "
                           "from a backup (gtcode does not create an empty one in its place)")
    header = _check_header(path)
    _check_length(path, header)


def _check_header(path: Path) -> bytes:
    """The file's first 100 bytes (SQLite's header), refused unless it begins as an SQLite database does."""
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as error:
        raise StorageError(f"{path} cannot be read ({error.strerror or error}): check its permissions") from None
    if not header.startswith(SQLITE_HEADER):
        raise StorageError(f"{path} is not an SQLite database (a foreign or damaged file): restore the project's "
                           "database from a backup")
    return header


def _check_length(path: Path, header: bytes) -> None:
    """Refuse a file shorter than its header says (an interrupted copy, a full disk): the cheap part of the
    page check, read from the header alone. The size is only trusted when SQLite marks it valid (its change
    counter matches), and not while a write-ahead log still holds pages to copy into the file."""
    if len(header) < 100:
        raise StorageError(_damaged(f"sqlite:///{path}", f"{len(header)} bytes, shorter than SQLite's header"))
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    valid = header[24:28] == header[92:96] and pages > 0
    wal = path.with_name(path.name + "-wal")
    if not valid or (wal.exists() and wal.stat().st_size > 0):
        return
    size = path.stat().st_size
    if size < pages * page_size:
        raise StorageError(_damaged(f"sqlite:///{path}", f"truncated: {size} of its {pages * page_size} bytes"))


def _opening_error(url: str, error: BaseException) -> BaseException:
    if isinstance(error, SchemaTooNew):
        return StorageError(f"{_where(url)} was written by a newer gtcode (schema revision {error.revision}; this "
                            f"one knows up to {HEAD_REVISION}): upgrade gtcode to open it")
    if isinstance(error, GtcodeError) or not isinstance(error, Exception):
        return error
    return StorageError(f"cannot open the database {_where(url)}: {_first_line(error)}")


def _engine(connect_url: str, url: str, read_only: bool) -> Engine:
    try:
        engine = make_engine(connect_url, read_only=read_only)
    except ModuleNotFoundError as error:
        extra = " (pip install 'gtcode[postgres]')" if url.startswith("postgresql") else ""
        raise StorageError(f"cannot open the database {_where(url)}: its driver {error.name!r} is not "
                           f"installed{extra}") from None
    if is_sqlite(url):
        event.listen(engine, "connect", _sqlite_manual_transactions)
        event.listen(engine, "begin", _sqlite_begin)
    event.listen(engine, "handle_error", _fault_handler(url))
    return engine


def _sqlite_manual_transactions(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None


def _sqlite_begin(conn) -> None:
    """Writers take the write lock at BEGIN so that concurrent writers queue instead of failing."""
    immediate = conn.get_execution_options().get("gtcode_immediate", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


_DISK_FULL = ("database or disk is full", "no space left on device", "could not extend file")
_READ_ONLY = ("readonly database", "read-only transaction", "read-only file system")
_DAMAGED = ("database disk image is malformed", "file is not a database", "file is encrypted or is not a database",
            "could not decode to utf-8")  # gtcode writes only UTF-8: bytes that are not are a damaged page


def _fault_handler(url: str):
    """A ``handle_error`` listener raising one StorageError line for the faults a user can act on."""

    def handle(context) -> None:
        error = context.original_exception
        message = str(error).lower()
        state = getattr(error, "sqlstate", None)
        if state == "53100" or any(text in message for text in _DISK_FULL):
            raise StorageError(f"the disk holding {_where(url)} is full: nothing of this change was saved; free "
                               "some space and try again")
        if state == "25006" or any(text in message for text in _READ_ONLY):
            raise StorageError(f"{_where(url)} is read-only here (another user's project, or a read-only disk): "
                               "commands that only read work; to change it, copy the project folder somewhere "
                               "you can write")
        if any(text in message for text in _DAMAGED):
            raise StorageError(_damaged(url, _first_line(error)))
        if "disk i/o error" in message:
            raise StorageError(f"reading or writing {_where(url)} failed (disk I/O error): nothing of this change "
                               "was saved; check the disk and try again")
        if "unable to open database file" in message:
            raise StorageError(f"cannot open {_where(url)} (unable to open database file): check that the folder "
                               "exists and can be read")
        if context.is_disconnect or (not is_sqlite(url) and context.execution_context is None
                                     and type(error).__name__ == "OperationalError"):
            raise StorageError(f"cannot reach the database {_where(url)} ({_first_line(error)}): check that the "
                               "server runs and the database URL in gtcode.toml")

    return handle


def _damaged(url: str, detail: str) -> str:
    return (f"{_where(url)} is damaged ({detail}): nothing was changed; restore it from a backup, or try "
            "`sqlite3 FILE .recover`")


def _where(url: str) -> str:
    path = sqlite_path(url)
    if path is not None:
        return str(path)
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _first_line(error: BaseException) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
