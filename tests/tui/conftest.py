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


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makeitem(collector, name, obj):
    """Mark `async def` tests anyio while they are collected (not after: snapshot reports need the final ids)."""
    import inspect

    if "tests/tui" in str(collector.path) and inspect.iscoroutinefunction(obj) and collector.istestfunction(obj, name):
        pytest.mark.anyio(obj)
