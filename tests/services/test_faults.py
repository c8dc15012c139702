"""Storage faults are one line each and leave nothing half-written: empty, foreign, damaged, newer,
read-only and full databases; interrupted project creation; failed exports."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlmodel import func, select

from gtcode.services.corpus import add_document
from gtcode.services.documents import list_documents
from gtcode.services.errors import GtcodeError, StorageError
from gtcode.services.project import CONFIG_NAME, DATABASE_NAME, init_project, open_project
from gtcode.store.tables import DocumentRow


def one_line(error: pytest.ExceptionInfo) -> str:
    message = str(error.value)
    assert message and "\n" not in message
    return message


def database(project) -> Path:
    return project.directory / DATABASE_NAME


def test_an_empty_or_foreign_database_file_is_refused_not_recreated(sqlite_project):
    path = database(sqlite_project)
    sqlite_project.close()
    path.write_bytes(b"")
    with pytest.raises(StorageError) as caught:
        open_project(sqlite_project.directory)
    assert "is empty (0 bytes)" in one_line(caught) and "restore it from a backup" in str(caught.value)
    assert path.stat().st_size == 0
    path.write_bytes(b"PK\x03\x04 this is a zip, not a database" * 100)
    with pytest.raises(StorageError, match="is not an SQLite database"):
        open_project(sqlite_project.directory)
    path.unlink()
    with pytest.raises(StorageError, match="database is missing"):
        open_project(sqlite_project.directory)
    assert not path.exists()


def damage(project, documents: int = 30) -> Path:
    """Fill a project with documents, close it and overwrite 8 KiB in the middle of its file."""
    for n in range(documents):
        add_document(project, f"doc {n}", f"Sentence number {n}. " * 200)
    path = database(project)
    project.close()
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 8192] = os.urandom(8192)
    path.write_bytes(bytes(data))
    return path


def test_a_damaged_database_is_one_line_on_open_and_on_read(sqlite_project):
    from gtcode.services.storage import verify

    damage(sqlite_project)
    project = open_project(sqlite_project.directory)
    try:
        with pytest.raises(StorageError) as caught:
            verify(project.engine, project.url)
        assert "is damaged" in one_line(caught)
        try:
            list_documents(project)
        except StorageError as error:
            assert "is damaged" in str(error) and "\n" not in str(error)
    finally:
        project.close()


def test_the_page_check_holds_writes_and_a_damaged_file_refuses_every_later_write(sqlite_project):
    """The TUI runs the page check after its first screen: writes wait for its verdict, and once it found
    damage every write is refused with its line, as opening the file was refused before."""
    import threading

    from gtcode.services.documents import retitle_document

    damage(sqlite_project)
    project = open_project(sqlite_project.directory)
    try:
        check = project.pending_check()
        written = threading.Event()
        errors: list[Exception] = []

        def write() -> None:
            try:
                retitle_document(project, 1, "new title")
            except StorageError as error:
                errors.append(error)
            written.set()

        writer = threading.Thread(target=write)
        writer.start()
        assert not written.wait(0.3)  # held: the check has not run yet
        with pytest.raises(StorageError) as caught:
            check()
        writer.join(10)
        assert written.is_set() and [str(e) for e in errors] == [one_line(caught)]
        assert "is damaged" in one_line(caught) and "restore it from a backup" in one_line(caught)
        with pytest.raises(StorageError, match="is damaged"):
            retitle_document(project, 2, "another title")
    finally:
        project.close()


def test_a_sound_file_passes_the_page_check_and_writes_go_on(sqlite_project):
    from gtcode.services.documents import retitle_document

    document = add_document(sqlite_project, "doc", "One sentence here.").document
    sqlite_project.pending_check()()
    assert retitle_document(sqlite_project, document.id, "new title").title == "new title"


def test_a_truncated_database_is_refused_on_open_from_its_header(sqlite_project):
    """The cheap part of the page check, made on every open: a file shorter than its header says."""
    for n in range(10):
        add_document(sqlite_project, f"doc {n}", f"Sentence number {n}. " * 200)
    path = database(sqlite_project)
    sqlite_project.close()
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.truncate(size - 4096 * 3)
    with pytest.raises(StorageError) as caught:
        open_project(sqlite_project.directory)
    assert "is damaged (truncated:" in one_line(caught) and f"of its {size} bytes" in one_line(caught)


def test_a_database_from_a_newer_gtcode_is_refused_before_anything_changes(project):
    with project.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    project.close()
    with pytest.raises(StorageError) as caught:
        open_project(project.directory)
    assert "was written by a newer gtcode (schema revision 9999" in one_line(caught)
    assert "upgrade gtcode" in str(caught.value)


def test_a_database_without_gtcode_schema_is_not_initialised_on_open(project):
    with project.engine.begin() as conn:
        conn.execute(text("DELETE FROM alembic_version"))
    project.close()
    with pytest.raises(StorageError, match="holds no gtcode project"):
        open_project(project.directory)


def test_init_refuses_a_database_with_foreign_tables(tmp_path):
    import sqlite3

    folder = tmp_path / "p"
    folder.mkdir()
    with sqlite3.connect(folder / DATABASE_NAME) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(StorageError, match="holds tables that are not gtcode's"):
        init_project(folder)
    assert not (folder / CONFIG_NAME).exists()


def test_a_full_disk_is_one_line_and_the_document_is_not_half_written(sqlite_project):
    add_document(sqlite_project, "small", "A short text.")
    engine = sqlite_project.engine
    engine.dispose()

    @event.listens_for(engine, "connect")
    def tiny(dbapi_connection, _record):
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 2}")

    with pytest.raises(StorageError) as caught:
        add_document(sqlite_project, "large", "Many words in one long sentence. " * 20_000)
    assert "is full: nothing of this change was saved" in one_line(caught)
    event.remove(engine, "connect", tiny)
    engine.dispose()
    with sqlite_project.read() as session:
        assert session.exec(select(DocumentRow.title)).all() == ["small"]


def test_an_interrupted_init_from_can_be_run_again(tmp_path):
    """A killed ``init --from`` leaves at most a schema without a project and no gtcode.toml."""
    from gtcode.services.codebook_exchange import init_from
    from gtcode.services.storage import create_database

    folder = tmp_path / "p"
    folder.mkdir()
    create_database(f"sqlite:///{folder / DATABASE_NAME}").dispose()
    model = tmp_path / "m.yaml"
    model.write_text("schema: gtcode-model/1\nname: M\ncodes:\n  phenomena:\n    - ref: a1\n      label: x\n")
    project, _ = init_from(folder, model)
    assert project.info().name == "M"
    project.close()


def test_init_from_writes_project_and_content_in_one_transaction(tmp_path, db_url):
    from gtcode.services.codebook_exchange import init_from

    model = tmp_path / "m.yaml"  # a relationship to an unknown code fails late, after the codes were added
    model.write_text("schema: gtcode-model/1\ncodes:\n  phenomena:\n    - ref: a1\n      label: x\n"
                     "relationships:\n  - ref: R1\n    source: a1\n    type: causal\n    target: a9\n")
    with pytest.raises(GtcodeError):
        init_from(tmp_path / "p", model, db_url=db_url)
    assert not (tmp_path / "p" / CONFIG_NAME).exists()
    if db_url:  # the same database takes a second, good init
        model.write_text("schema: gtcode-model/1\ncodes:\n  phenomena:\n    - ref: a1\n      label: x\n")
        project, _ = init_from(tmp_path / "p", model, db_url=db_url)
        project.close()


def test_a_failed_export_leaves_no_file_and_keeps_the_old_one(tmp_path):
    from gtcode.text.files import WriteFailed, atomic_path, atomic_text

    target = tmp_path / "out.md"
    atomic_text(target, "old")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as temporary:
            temporary.write_text("half")
            raise RuntimeError("failed half-way")
    assert target.read_text() == "old" and os.listdir(tmp_path) == ["out.md"]
    script = ("import resource, signal, sys\n"
              "from gtcode.text.files import atomic_text, WriteFailed\n"
              "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
              "resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))\n"
              "try:\n    atomic_text(sys.argv[1], 'x' * 100_000)\n"
              "except WriteFailed as error:\n    print(error)\n")
    result = subprocess.run([sys.executable, "-c", script, str(tmp_path / "big.md")], capture_output=True, text=True,
                            timeout=60)
    assert "big.md: could not be written (File too large); nothing was written there" in result.stdout
    assert sorted(os.listdir(tmp_path)) == ["out.md"]
    assert issubclass(WriteFailed, OSError)


@pytest.fixture
def shared_folder():
    """A folder another user can read (pytest's own temporary folders are private to this user)."""
    folder = Path(tempfile.mkdtemp(prefix="gtcode-ro-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _as_other_user(*args: str) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: cannot act as another user")
        prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    else:
        prefix = []
    return subprocess.run([*prefix, sys.executable, "-m", "gtcode", *args], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "HOME": "/tmp"})


def test_another_users_project_opens_for_reading_and_refuses_writes(shared_folder):
    folder = shared_folder / "proj"
    project = init_project(folder, name="ro", coder="owner")
    add_document(project, "First", "Readable by everyone.")
    project.close()
    for path in (folder, *folder.iterdir()):
        path.chmod(0o755 if path.is_dir() else 0o644)
    if os.geteuid() != 0:  # this user's own project, made read-only
        for path in (folder, *folder.iterdir()):
            path.chmod(0o555 if path.is_dir() else 0o444)
    listed = _as_other_user("--project", str(folder), "docs")
    if "No module named" in listed.stderr:
        pytest.skip("the other user cannot import gtcode from this checkout")
    assert listed.returncode == 0, listed.stderr
    assert "First" in listed.stdout
    (shared_folder / "new.txt").write_text("A new text.")
    (shared_folder / "new.txt").chmod(0o644)
    refused = _as_other_user("--project", str(folder), "import", str(shared_folder / "new.txt"))
    assert refused.returncode != 0
    assert "is read-only here" in refused.stdout + refused.stderr
    assert "Traceback" not in refused.stderr
    for path in (folder, *folder.iterdir()):
        path.chmod(0o755 if path.is_dir() else 0o644)
    reopened = open_project(folder)
    assert [d.title for d in list_documents(reopened)] == ["First"]
    with reopened.read() as session:
        assert session.exec(select(func.count()).select_from(DocumentRow)).one() == 1
    reopened.close()
