"""Projects on SQLite and PostgreSQL: creation, location, reopening, migration state."""

import sqlite3

import pytest

from gtcode.services.errors import GtcodeError
from gtcode.services.project import CONFIG_NAME, init_project, locate_project, open_project
from gtcode.store.engine import HEAD_REVISION, current_revision


def test_new_project_is_at_the_newest_schema(project):
    assert current_revision(project.engine) == HEAD_REVISION
    info = project.info()
    assert info.name == "test" and info.phase == "building"
    assert info.prefixes["phenomenon"] == "a" and info.prefixes["concept"] == "aa"


def test_project_reopens_with_its_database(project, tmp_path):
    reopened = open_project(project.directory)
    try:
        assert reopened.info().name == "test"
        assert reopened.url == project.url
        assert reopened.coder == "alice"
    finally:
        reopened.close()


def test_sqlite_project_uses_wal_and_foreign_keys(sqlite_project):
    db = sqlite_project.directory / "gtcode.sqlite"
    assert sqlite3.connect(db).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with sqlite_project.read() as session:
        assert session.connection().exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_init_refuses_an_existing_project(sqlite_project):
    with pytest.raises(GtcodeError, match="already holds a gtcode project"):
        init_project(sqlite_project.directory)


def test_locate_prefers_explicit_then_environment_then_cwd(sqlite_project, tmp_path, monkeypatch):
    nested = sqlite_project.directory / "interviews" / "2024"
    nested.mkdir(parents=True)
    monkeypatch.delenv("GTCODE_PROJECT", raising=False)
    monkeypatch.chdir(nested)
    assert locate_project() == sqlite_project.directory
    monkeypatch.setenv("GTCODE_PROJECT", str(tmp_path / "missing"))
    with pytest.raises(GtcodeError, match="not a gtcode project"):
        locate_project()
    assert locate_project(sqlite_project.directory) == sqlite_project.directory


def test_no_project_is_said_plainly(tmp_path, monkeypatch):
    monkeypatch.delenv("GTCODE_PROJECT", raising=False)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(GtcodeError, match="no gtcode project here"):
        open_project()


def test_prefixes_can_be_changed_per_project(tmp_path):
    proj = init_project(tmp_path / "p", prefixes={"concept": "B", "category": "C1x"[:1] + "at"})
    try:
        assert proj.prefixes.prefix(__import__("gtcode.domain.levels", fromlist=["Level"]).Level.CONCEPT) == "B"
    finally:
        proj.close()


def test_bad_prefixes_are_refused_before_anything_is_written(tmp_path):
    with pytest.raises(GtcodeError, match="used twice"):
        init_project(tmp_path / "p", prefixes={"concept": "a"})
    assert not (tmp_path / "p" / CONFIG_NAME).exists()


def _schema(project) -> dict[str, set]:
    """Every table's columns and index names (SQLite's expression indexes included, which reflection skips)."""
    from sqlalchemy import inspect, text

    with project.engine.connect() as conn:
        inspector = inspect(conn)
        tables = {name: {c["name"] for c in inspector.get_columns(name)} for name in inspector.get_table_names()}
        if conn.dialect.name == "sqlite":
            indexes = set(conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'index' "
                                            "AND name NOT LIKE 'sqlite_autoindex%'")).scalars())
        else:
            indexes = set(conn.execute(text("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"))
                          .scalars())
    return {"tables": {f"{name}: {', '.join(sorted(columns))}" for name, columns in tables.items()}, "indexes": indexes}


@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection")
def test_every_revision_goes_down_and_up_again_keeping_the_rows(tmp_path, db_url):
    from gtcode.services.coding import code_span
    from gtcode.services.corpus import add_document
    from gtcode.services.search import search
    from tests.conftest import alembic

    project = init_project(tmp_path / "p", name="round trip", db_url=db_url, coder="alice")
    doc = add_document(project, "访谈", "受访者：村里有了远程会诊。 Respondent: the clinic opened.", lang="zh").document
    code_span(project, doc.id, 4, 8, "远程会诊")
    fresh = _schema(project)
    alembic(project, "downgrade", "0001")
    again = open_project(tmp_path / "p")  # upgrades on open
    assert current_revision(again.engine) == HEAD_REVISION
    assert _schema(again) == fresh
    assert [h.document_id for h in search(again, "远程")] == [doc.id]  # the index is built again
    again.close()
