"""SVG snapshots at 120x40: documents table, welcome panel, reader with codings (en, zh), codebook tree."""

import pytest

from gtcode.services import codes as codebook
from gtcode.services.coding import code_span
from gtcode.tui.app import GtcodeApp
from gtcode.tui.widgets.codebook import CodebookTree
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
