"""Shared fixtures: projects on SQLite, and on PostgreSQL when a test server is given."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

PG_URL = os.environ.get("GTCODE_TEST_PG_URL")
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def _backends() -> list:
    pg = pytest.param("postgresql", marks=pytest.mark.skipif(not PG_URL, reason="GTCODE_TEST_PG_URL not set: no PostgreSQL server"))
    return ["sqlite", pg]


@pytest.fixture(params=_backends())
def db_url(request, tmp_path):
    """A fresh, empty database URL on each backend."""
    if request.param == "sqlite":
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
