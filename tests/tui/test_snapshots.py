"""SVG snapshots at 120x40: documents table, welcome panel, reader with codings (en, zh), codebook tree."""

import pytest

from gtcode.services import codes as codebook
from gtcode.services.coding import code_span
from gtcode.tui.app import GtcodeApp
from gtcode.tui.widgets.codebook import CodebookTree
from tests.conftest import copy_project
from tests.tui.support import EN, ZH, reader, settle
from tests.tui.test_frame import hold_out

SIZE = (120, 40)


def code(project, document, text, quote, label):
    start = text.index(quote)
    return code_span(project, document.id, start, start + len(quote), label)


@pytest.fixture
def coded(docs):
    project, en, zh = docs
    code(project, en, EN, "video consultations", "Telemedicine")
    code(project, en, EN, "The county hospital now runs video consultations", "County hospital services")
    code(project, en, EN, "Doctors in the city read our scans", "Remote reading")
    code(project, zh, ZH, "城里老师的直播课", "直播课堂")
    code(project, zh, ZH, "图书馆也有了数字资源", "数字资源")
    codebook.group(project, "concept", "Remote services", ["a1", "a3"])
    codebook.group(project, "category", "Resource sharing", ["aa1"])
    return project, en, zh


def opened(document_id: int, then=None):
    async def run_before(pilot) -> None:
        pilot.app.open_document(document_id)
        await settle(pilot)
        if then is not None:
            await then(pilot)
        pilot.app.clear_notifications()
        await settle(pilot)

    return run_before


def test_documents_table(snap_compare, coded):
    project, _, zh = coded
    hold_out(project, zh.id)

    async def run_before(pilot) -> None:
        await settle(pilot)

    assert snap_compare(GtcodeApp(project), terminal_size=SIZE, run_before=run_before)


def test_welcome_panel(snap_compare, sqlite_project):
    async def run_before(pilot) -> None:
        await settle(pilot)

    assert snap_compare(GtcodeApp(sqlite_project), terminal_size=SIZE, run_before=run_before)


def test_reader_with_codings_english(snap_compare, coded):
    project, en, _ = coded

    async def put_cursor(pilot) -> None:
        start = EN.index("video consultations")
        reader(pilot.app).select_span(start, start)

    assert snap_compare(GtcodeApp(project), terminal_size=SIZE, run_before=opened(en.id, put_cursor))


def test_reader_with_codings_chinese(snap_compare, coded):
    project, _, zh = coded

    async def select(pilot) -> None:
        start = ZH.index("图书馆")
        reader(pilot.app).select_span(start, start + 3)

    assert snap_compare(GtcodeApp(project), terminal_size=SIZE, run_before=opened(zh.id, select))


def test_codebook_tree_with_marks(snap_compare, coded):
    project, en, _ = coded

    async def mark(pilot) -> None:
        tree = pilot.app.screen.query_one(CodebookTree)
        tree.focus()
        for ref in ("a4", "a5"):
            tree.select_code(next(c.id for c in tree.codes.values() if c.ref == ref))
            await pilot.pause()
            await pilot.press("space")

    assert snap_compare(GtcodeApp(project), terminal_size=SIZE, run_before=opened(en.id, mark))


# every screen of the coded demo project at the two sizes the TUI is made for -----------------------------------
SIZES = {"80x24": (80, 24), "140x45": (140, 45)}
FIXED_TIME = "2026-03-02 09:30:00.000000"


@pytest.fixture(scope="module")
def demo(demo_built, tmp_path_factory):
    """The coded demo project, built once for the module, with every time and the hold-out seed fixed so that the
    screens that show them draw the same each run (the tests only read it)."""
    from datetime import datetime

    from sqlalchemy import text
    from sqlmodel import SQLModel

    project = copy_project(demo_built[0], tmp_path_factory.mktemp("demo") / "demo-project")
    with project.engine.begin() as connection:
        for table in SQLModel.metadata.sorted_tables:
            for column in table.columns:
                if getattr(column.type, "impl", column.type).python_type is datetime:
                    connection.execute(text(f'UPDATE "{table.name}" SET "{column.name}" = :t '
                                            f'WHERE "{column.name}" IS NOT NULL'), {"t": FIXED_TIME})
        connection.execute(text("UPDATE holdout SET seed = 7"))
    yield project
    project.close()


async def _keys(pilot, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def _open_coding(document_id: int, quote: str):
    async def run(pilot) -> None:
        pilot.app.open_document(document_id)
        await settle(pilot)
        view = reader(pilot.app)
        start = view.source_text.index(quote)
        view.select_span(start, start)

    return run


async def _export(pilot) -> None:
    await _keys(pilot, "f5", "E")
    pilot.app.screen.query_one("#export-path").value = "demo-project/model.yaml"  # not the test's own folder


async def _history(pilot) -> None:
    """F10, once its table holds every change (it is laid out by a worker: a picture taken earlier varies)."""
    from gtcode.services.audit import audit_log

    await _keys(pilot, "f10")
    expected = len(audit_log(pilot.app.project))
    table = pilot.app.screen.query_one("#history-table")
    for _ in range(400):
        if table.row_count == expected:
            break
        await pilot.pause(0.05)
    await settle(pilot)


async def _search(pilot, query: str) -> None:
    """F9 and a query, timed by a clock that stands still (the seconds a search takes vary)."""
    await _keys(pilot, "f9")
    pilot.app.screen.clock = lambda: 0.0
    await _keys(pilot, *query, "enter")


SCREENS = {  # name -> what to do after start-up to show it
    "documents": None,
    "open_coding_en": _open_coding(1, "installed a smart board"),
    "open_coding_zh": _open_coding(13, "智能健康一体机"),
    "axial": lambda pilot: _keys(pilot, "f4"),
    "selective": lambda pilot: _keys(pilot, "f5"),
    "saturation": lambda pilot: _keys(pilot, "f6"),
    "memos": lambda pilot: _keys(pilot, "f7"),
    "coders": lambda pilot: _keys(pilot, "f8"),
    "search": lambda pilot: _search(pilot, "hospital"),
    "help": lambda pilot: _keys(pilot, "f3", "f1"),
    "matrix": lambda pilot: pilot.app.push_screen("matrix"),
    "words": lambda pilot: pilot.app.push_screen("words"),
    "sampling": lambda pilot: pilot.app.push_screen("sampling"),
    "export": lambda pilot: _export(pilot),
    "history": _history,
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("screen", SCREENS)
def test_every_screen(snap_compare, demo, screen, size):
    async def run_before(pilot) -> None:
        await settle(pilot)
        then = SCREENS[screen]
        if then is not None:
            await then(pilot)
        await settle(pilot)
        pilot.app.clear_notifications()
        for editor in pilot.app.screen.query("Input, TextArea"):  # a blinking cursor is drawn or not by chance
            editor.cursor_blink = False
        if type(pilot.app.focused).__name__ == "Input":  # an Input's cursor even so: leave it unfocused
            pilot.app.set_focus(None)
        await settle(pilot)

    assert snap_compare(GtcodeApp(demo), terminal_size=SIZES[size], run_before=run_before)
