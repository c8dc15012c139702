"""A DataTable that draws its plain one-line cells itself (what a large table's first screen waits for), and
whose columns follow the rows it holds now."""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.widgets import DataTable
from textual.widgets.data_table import RowKey


class LineTable(DataTable):
    """A DataTable whose cells that are one line of Rich ``Text`` in a single style (the headers, and every cell
    gtcode's tables hold: ``gtcode.tui.untrusted.text``) are cut, padded and styled here, into the same
    segments Textual's DataTable makes by passing each cell through Rich's general layout (``Padding`` in
    ``Styled``, ``Console.render_lines``): a fraction of the work per cell, which is most of drawing a
    screenful of rows. Row labels, taller rows and any other cell go the DataTable's own way.

    Refilled, its columns are as wide as the cells it holds now, and cells are drawn at those widths however a
    paint and the measuring of new rows fall (see ``clear`` and ``_update_dimensions``)."""

    def clear(self, columns: bool = False) -> LineTable:
        """Clear the rows (and ``columns``); a kept column is as wide as its label again until the rows added
        next are measured (DataTable only ever widens a column: refilled with shorter cells, as the documents'
        titles cut for a narrower terminal, it would stay as wide as the old ones)."""
        super().clear(columns)
        for column in self.columns.values():
            column.content_width = column.label.cell_len
        return self

    def _update_dimensions(self, new_rows) -> None:
        """Measure new rows (DataTable's), and draw every cell again when that changed a column's width: the
        DataTable's caches of drawn cells are not keyed by width, so a table painted between a refill and its
        idle (which measures the new rows) would go on showing every cell at the widths before."""
        widths = self._widths()
        super()._update_dimensions(new_rows)
        if self._widths() != widths:
            self._clear_caches()
            self.refresh()

    def _widths(self) -> list[int]:
        """The row labels' and each column's width in cells."""
        return [self._row_label_column_width, *(column.get_render_width(self) for column in self.columns.values())]

    def _render_cell(self, row_index: int, column_index: int, base_style: Style, width: int, cursor: bool = False,
                     hover: bool = False) -> list[list[Segment]]:
        header = row_index == -1
        if column_index >= 0 and (header or row_index >= 0):
            row_key = self._header_row_key if header else self._row_locations.get_key(row_index)
            height = self.header_height if header else self.rows[row_key].height
            cell = self._get_row_renderables(row_index).cells[column_index]
            if height == 1 and _plain_line(cell):
                return self._plain_cell(row_index, column_index, row_key, cell, base_style, width, cursor, hover)
        return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)

    def _plain_cell(self, row_index: int, column_index: int, row_key: RowKey, cell: Text, base_style: Style,
                    width: int, cursor: bool, hover: bool) -> list[list[Segment]]:
        """The DataTable's ``_render_cell`` for a plain one-line cell: its cache, styles and meta as there."""
        key = (row_key, self._column_locations.get_key(column_index), base_style, cursor, hover,
               self._show_hover_cursor, self._update_count, self._pseudo_class_state)
        lines = self._cell_render_cache.get(key)
        if lines is None:
            base_style += Style.from_meta({"row": row_index, "column": column_index})
            fixed = row_index >= 0 and (row_index < self.fixed_rows or column_index < self.fixed_columns)
            component_style, post_style = self._get_styles_to_render_cell(
                row_index == -1, False, fixed, hover, cursor, self.show_cursor, self._show_hover_cursor,
                self.cursor_foreground_priority == "css", self.cursor_background_priority == "css")
            lines = [self._line(cell, width, base_style + component_style, post_style)]
            self._cell_render_cache[key] = lines
        return lines

    def _line(self, cell: Text, width: int, pre_style: Style, post_style: Style) -> list[Segment]:
        """The cell's one line ``width`` cells wide, as ``Styled(Padding(cell, (0, cell_padding)))`` renders it:
        the text cut to the room between the paddings as Rich's ``Text.wrap`` cuts a line that may not wrap."""
        console = self.app.console
        pad = self.cell_padding
        room = max(0, width - 2 * pad)
        plain = cell.plain
        if len(plain) > room:  # Text.rstrip_end: trailing spaces beyond the room go first
            spaces = len(plain) - len(plain.rstrip())
            plain = plain[:len(plain) - min(spaces, len(plain) - room)]
        if cell_len(plain) > room:  # Text.truncate
            overflow = cell.overflow or self.app.console_options.overflow or "fold"
            plain = set_cell_size(plain, room - 1) + "…" if overflow == "ellipsis" else set_cell_size(plain, room)
        style = console.get_style(cell.style) if cell.style else None
        segments = [Segment(" " * pad), Segment(plain, style), Segment(" " * (room - cell_len(plain))),
                    Segment(" " * pad)]
        return list(Segment.apply_style([s for s in segments if s.text], style=pre_style, post_style=post_style))


def _plain_line(cell: object) -> bool:
    """Whether a cell is Rich ``Text`` that renders as one line in one style, left-justified."""
    return (isinstance(cell, Text) and not cell.spans and cell.justify in (None, "default", "left")
            and "\n" not in cell.plain and "\t" not in cell.plain)
