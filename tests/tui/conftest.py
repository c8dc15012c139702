"""Fixtures for TUI tests: a project with an English and a Chinese interview."""

import asyncio
import inspect

import pytest

from gtcode.services.corpus import add_document
from tests.tui.support import EN, ZH, steady


@pytest.fixture
def docs(sqlite_project):
    en = add_document(sqlite_project, "Clinic interview", EN, kind="interview", lang="en").document
    zh = add_document(sqlite_project, "教师访谈", ZH, kind="interview", lang="zh").document
    return sqlite_project, en, zh


@pytest.fixture(autouse=True)
def said(monkeypatch):
    """Every notification an app shows is also kept in ``app.said``: a test reads what was said, not what is
    still on screen (a notification expires after its seconds, which a loaded machine can use up)."""
    from textual.app import App

    shown = App.notify

    def notify(self, message, *args, **kwargs):
        self.__dict__.setdefault("said", []).append(str(message))
        return shown(self, message, *args, **kwargs)

    monkeypatch.setattr(App, "notify", notify)


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    """Run `async def` tests (Pilot drives the app) on a fresh asyncio loop."""
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True


@pytest.fixture
def snap_compare(snap_compare):
    """The snapshot comparison, taken once the screen has stopped changing."""

    def compare(app, run_before=None, **options):
        async def then_steady(pilot) -> None:
            result = run_before(pilot) if run_before is not None else None
            if inspect.isawaitable(result):
                await result
            await steady(pilot)

        return snap_compare(app, run_before=then_steady, **options)

    return compare
