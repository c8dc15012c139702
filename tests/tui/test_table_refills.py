"""Refilled tables draw every cell at its column's measured width: the documents table after the terminal
narrows (its titles cut shorter), the matrix when it was painted between a refill and the table's measuring."""

from textual.geometry import Region
from textual.strip import Strip

from gtcode.services import codes
from gtcode.services.corpus import add_document
from gtcode.services.search import autocode
from gtcode.tui.app import GtcodeApp
from tests.tui.support import settle, steady


def misdrawn(table) -> list[tuple[int, int, str]]:
    """(row, column, drawn) of the cells on screen not drawn whole at their column's place (row -1: header)."""
    wrong = []
    for y in range(min(table.row_count, table.size.height - 1) + 1):
        strip, x = Strip(table.render_line(y)), 0
        for index, column in enumerate(table.ordered_columns):
            width = column.get_render_width(table)
            cell = column.label if y == 0 else table.get_row_at(y - 1)[index]
            drawn = strip.crop(x, x + width).text
            if drawn.strip() != str(cell).strip():
                wrong.append((y - 1, index, drawn))
            x += width
    return wrong


async def test_the_documents_table_narrows_with_the_terminal_and_keeps_every_column_on_screen(sqlite_project):
    for n in range(1, 31):
        add_document(sqlite_project, f"Interview {n} with a villager about the clinic's video consultations and "
                     "the county hospital", f"Respondent {n}: the clinic helps.", kind="interview", lang="en")
    async with GtcodeApp(sqlite_project).run_test(size=(160, 40)) as pilot:
        await steady(pilot)
        table = pilot.app.screen.query_one("#documents")
        wide = table.ordered_columns[1].get_render_width(table)
        await pilot.resize_terminal(100, 40)
        await steady(pilot)
        assert table.ordered_columns[1].get_render_width(table) < wide  # the titles are cut shorter
        assert table.virtual_size.width <= table.size.width  # "coded", the last column, is on screen
        assert not misdrawn(table)


async def test_a_matrix_painted_before_it_measured_its_refill_is_drawn_again_at_the_measured_widths(docs):
    project, _en, _zh = docs
    autocode(project, "city", "City", unit="sentence")
    autocode(project, "老师", "Teachers")
    codes.group(project, "concept", "Places where the villagers meet the city", ["a1"])
    codes.group(project, "concept", "Teaching from far away", ["a2"])
    async with GtcodeApp(project).run_test(size=(140, 40)) as pilot:
        await pilot.app.push_screen("matrix")
        await settle(pilot)
        screen = pilot.app.screen
        table = screen.query_one("#matrix-table")
        table.focus()
        await settle(pilot)
        assert not misdrawn(table)
        shown = screen._show

        def show_then_paint(result) -> None:  # the screen paints before the table's idle measures the rows
            shown(result)
            table.render_lines(Region(0, 0, table.size.width, table.size.height))

        screen._show = show_then_paint
        await pilot.press("l")  # as many rows with longer labels: the table keeps its size and its focus
        await steady(pilot)
        assert screen.result.rows == ["aa1 Places where the villagers meet the city", "aa2 Teaching from far away"]
        assert not misdrawn(table)
