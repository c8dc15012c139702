"""LineTable draws its one-line cells into the very lines Textual's DataTable draws (cut, padded, styled)."""

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.strip import Strip
from textual.widgets import DataTable

from gtcode.tui.widgets.table import LineTable

CELLS = [
    Text("plain"), Text("dim and long enough to be cut by a narrow column", style="dim"),
    Text("教师访谈：乡村学校的远程课堂与家长的看法"), Text("ends in spaces    "), Text(""), Text("bold", style="bold red"),
    Text("汉字 mixed with words", style="italic"), Text("cut with an ellipsis here", overflow="ellipsis"),
]
FALLBACK = [Text("right", justify="right"), Text.assemble("two ", ("styles", "bold")), "[b]markup[/b]", "tab\there"]


class Tables(App):
    """The same rows in a DataTable and in a LineTable."""

    def __init__(self, cursor_type: str) -> None:
        super().__init__()
        self.cursor_type = cursor_type

    def compose(self) -> ComposeResult:
        options = dict(zebra_stripes=True, cursor_type=self.cursor_type, fixed_columns=1, fixed_rows=1)
        for table in (DataTable(id="theirs", **options), LineTable(id="ours", **options)):
            for n, _cell in enumerate(CELLS + FALLBACK + [0]):
                table.add_column(f"c{n}", width=7 if n % 2 else None)
            for row in range(4):
                table.add_row(*(cell.copy() if isinstance(cell, Text) else cell for cell in CELLS + FALLBACK), row)
            yield table


def lines(table: DataTable) -> list[Strip]:
    return [Strip(table.render_line(y)).simplify() for y in range(table.size.height)]


@pytest.mark.parametrize("cursor_type", ["cell", "row"])
async def test_line_table_draws_every_line_as_the_data_table_does(cursor_type):
    app = Tables(cursor_type)
    async with app.run_test(size=(400, 30)) as pilot:
        theirs, ours = app.query_one("#theirs", DataTable), app.query_one("#ours", LineTable)
        drawn_here = []
        line = ours._line
        ours._line = lambda cell, *args: drawn_here.append(cell.plain) or line(cell, *args)
        for cursor in ((0, 0), (2, 3), (1, 9)):  # the cursor's style is layered like the DataTable's
            drawn = []
            for table in (theirs, ours):
                table.move_cursor(row=cursor[0], column=cursor[1])
                table.focus()
                await pilot.pause()
                drawn.append(lines(table))
            assert drawn[1] == drawn[0]
            assert any("教师访谈" in line.text for line in drawn[1]) and any("…" in line.text for line in drawn[1])
        headers = {f"c{n}" for n in range(len(CELLS + FALLBACK) + 1)}
        assert set(drawn_here) == {cell.plain for cell in CELLS} | {"0", "1", "2", "3"} | headers  # the rest: its way
