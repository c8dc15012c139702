"""Shared fixtures: projects on SQLite, and on PostgreSQL when a test server is given."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

PG_URL = os.environ.get("GTCODE_TEST_PG_URL")
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def backends() -> list:
    pg = pytest.param("postgresql", marks=pytest.mark.skipif(not PG_URL, reason="GTCODE_TEST_PG_URL not set: no PostgreSQL server"))
    return ["sqlite", pg]


@contextmanager
def database(backend: str) -> Iterator[str | None]:
    """A fresh, empty database URL on a backend (None: the project's own SQLite file), dropped afterwards."""
    if backend == "sqlite":
        yield None
        return
    from sqlalchemy import create_engine, text

    name = f"gt_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield PG_URL.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=backends())
def db_url(request, tmp_path):
    """A fresh, empty database URL on each backend."""
    with database(request.param) as url:
        yield url


@pytest.fixture
def project(tmp_path, db_url):
    """A new, empty project on each backend."""
    from gtcode.services.project import init_project

    proj = init_project(tmp_path / "proj", name="test", db_url=db_url, coder="alice")
    yield proj
    proj.close()


@pytest.fixture
def sqlite_project(tmp_path):
    """A new, empty project on SQLite only (for tests that do not concern storage)."""
    from gtcode.services.project import init_project

    proj = init_project(tmp_path / "proj", name="test", coder="alice")
    yield proj
    proj.close()


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
