"""Fixtures for TUI tests: a project with an English and a Chinese interview."""

import pytest

from gtcode.services.corpus import add_document
from tests.tui.support import EN, ZH


@pytest.fixture
def docs(sqlite_project):
    en = add_document(sqlite_project, "Clinic interview", EN, kind="interview", lang="en").document
    zh = add_document(sqlite_project, "教师访谈", ZH, kind="interview", lang="zh").document
    return sqlite_project, en, zh


@pytest.fixture
def anyio_backend():
    """Pilot tests run on asyncio (the anyio plugin runs `async def` tests marked anyio)."""
    return "asyncio"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/tui" in str(item.fspath) and item.get_closest_marker("anyio") is None:
            import inspect

            if inspect.iscoroutinefunction(getattr(item, "function", None)):
                item.add_marker(pytest.mark.anyio)
