"""A large corpus in the documents table: the first page comes at once, the next ones as the cursor or the
scroll nears the last row read."""

from textual.coordinate import Coordinate
from textual.widgets import DataTable

from gtcode.store.tables import DocumentRow
from gtcode.tui.app import GtcodeApp
from gtcode.tui.screens.documents import MORE_ROWS, DocumentTable, first_page
from tests.conftest import raw_write
from tests.tui.support import reader, settle

SIZE = (120, 40)
FIRST_ROWS = first_page(SIZE[1])  # a screenful at that size
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


async def _to_the_end(pilot, table) -> None:
    """Press Ctrl+End until every document is read (each reaches the last row read, which reads a page more)."""
    for _ in range(2 * COUNT // MORE_ROWS + 2):
        await pilot.press("ctrl+end")
        await settle(pilot)
        if table.row_count == COUNT and table.cursor_row == COUNT - 1:
            return


async def test_the_first_page_alone_is_read_then_ctrl_end_reads_every_document_in_order(sqlite_project):
    _corpus(sqlite_project)
    async with GtcodeApp(sqlite_project).run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = pilot.app.screen.query_one("#documents")
        assert table.row_count == FIRST_ROWS
        await _to_the_end(pilot, table)
        assert [int(str(table.get_row_at(i)[0])) for i in range(table.row_count)] == list(range(1, COUNT + 1))
        assert [str(table.get_row_at(i)[1]) for i in (0, 1, COUNT - 1)] == [
            _title_and_text(n)[0] for n in (1, 2, COUNT)]
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.current_mode == "open"
        assert reader(pilot.app).source_text == _title_and_text(COUNT)[1]


async def test_scrolling_near_the_last_row_reads_the_next_page(sqlite_project):
    _corpus(sqlite_project)
    async with GtcodeApp(sqlite_project).run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = pilot.app.screen.query_one("#documents")
        table.scroll_end(animate=False)
        await settle(pilot)
        assert table.row_count == FIRST_ROWS + MORE_ROWS
        assert table.cursor_row == 0  # scrolling moved no cursor


async def test_reload_keeps_the_cursor_on_a_document_beyond_the_first_page(sqlite_project):
    _corpus(sqlite_project)
    async with GtcodeApp(sqlite_project).run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = pilot.app.screen.query_one("#documents")
        await _to_the_end(pilot, table)
        table.move_cursor(row=FIRST_ROWS + 20)
        await pilot.press("r")
        await settle(pilot)
        assert str(table.get_row_at(table.cursor_row)[0]) == str(FIRST_ROWS + 21)
        # read through that document, then a page more since the cursor is near the last row read
        assert [int(str(table.get_row_at(i)[0])) for i in range(table.row_count)] == list(
            range(1, FIRST_ROWS + 21 + MORE_ROWS + 1))
        # the scroll said it neared the end of the rows the reload laid out; a message of it that comes after
        # that page (as one may on a busy machine) finds the scroll far from the last row and reads no page more
        table.post_message(DocumentTable.NearEnd())
        await settle(pilot)
        assert table.row_count == FIRST_ROWS + 20 + MORE_ROWS + 1
        # so does a highlight of the last row before the reload handled after it: the cursor is far from the end
        last = table.coordinate_to_cell_key(Coordinate(table.row_count - 1, 0)).row_key
        table.post_message(DataTable.RowHighlighted(table, COUNT - 1, last))
        await settle(pilot)
        assert table.row_count == FIRST_ROWS + 20 + MORE_ROWS + 1


async def test_one_ctrl_end_goes_on_to_the_last_document(sqlite_project):
    _corpus(sqlite_project)
    async with GtcodeApp(sqlite_project).run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = pilot.app.screen.query_one("#documents")
        await pilot.press("ctrl+end")
        for _ in range(10):
            await settle(pilot)
            if table.row_count == COUNT:
                break
        await settle(pilot)
        assert table.row_count == COUNT and table.cursor_row == COUNT - 1
        assert not table.to_the_end

