"""Fixtures for TUI tests: a project with an English and a Chinese interview."""

import asyncio
import inspect

import pytest

from gtcode.services.corpus import add_document
from tests.tui.support import EN, ZH


@pytest.fixture
def docs(sqlite_project):
    en = add_document(sqlite_project, "Clinic interview", EN, kind="interview", lang="en").document
    zh = add_document(sqlite_project, "教师访谈", ZH, kind="interview", lang="zh").document
    return sqlite_project, en, zh


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """Run `async def` tests (Pilot drives the app) on a fresh asyncio loop."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True
