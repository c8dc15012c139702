"""A large corpus in the documents table: the first rows come at once, the others page in behind them."""

from gtcode.store.tables import DocumentRow
from gtcode.tui.app import GtcodeApp
from gtcode.tui.screens.documents import FIRST_ROWS, MORE_ROWS
from tests.conftest import raw_write
from tests.tui.support import reader, settle

COUNT = FIRST_ROWS + MORE_ROWS + 37  # three pages


def _title_and_text(n: int) -> tuple[str, str]:
    if n % 2:
        return f"访谈 {n}", f"受访者：第{n}位村民说网课很方便。"
    return f"Interview {n}", f"Respondent: villager {n} said classes help."


def _corpus(project) -> None:
    """Many short documents, every other one Chinese, written in bulk (segmentation is not under test)."""
    rows = []
    for n in range(1, COUNT + 1):
        title, text = _title_and_text(n)
        rows.append(dict(title=title, kind="interview", lang="zh" if n % 2 else "en", text=text,
                         characters=len(text), sha256=f"{n:064x}"))
    with raw_write(project) as session:
        session.execute(DocumentRow.__table__.insert(), rows)


async def _all_rows(pilot, table) -> None:
    for _ in range(200):
        if table.row_count == COUNT:
            return
        await pilot.pause(0.02)


async def test_every_document_reaches_the_table_in_order_and_the_last_one_opens(sqlite_project):
    _corpus(sqlite_project)
    async with GtcodeApp(sqlite_project).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = pilot.app.screen.query_one("#documents")
        await _all_rows(pilot, table)
        assert [int(str(table.get_row_at(i)[0])) for i in range(table.row_count)] == list(range(1, COUNT + 1))
        assert [str(table.get_row_at(i)[1]) for i in (0, 1, COUNT - 1)] == [
            _title_and_text(n)[0] for n in (1, 2, COUNT)]
        table.move_cursor(row=COUNT - 1)
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.current_mode == "open"
        assert reader(pilot.app).source_text == _title_and_text(COUNT)[1]


async def test_reload_keeps_the_cursor_on_a_document_beyond_the_first_page(sqlite_project):
    _corpus(sqlite_project)
    async with GtcodeApp(sqlite_project).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = pilot.app.screen.query_one("#documents")
        await _all_rows(pilot, table)
        table.move_cursor(row=FIRST_ROWS + 20)
        await pilot.press("r")
        await settle(pilot)
        await _all_rows(pilot, table)
        assert table.row_count == COUNT
        assert str(table.get_row_at(table.cursor_row)[0]) == str(FIRST_ROWS + 21)
