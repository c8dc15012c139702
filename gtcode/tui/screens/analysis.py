"""Matrix coding as a heat map with drill-down to a cell's quotations, and word frequencies as a bar chart."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Header, Input, Label, Static

from gtcode.domain.levels import CODED_LEVELS
from gtcode.domain.search import NO_FILTERS, Quotation
from gtcode.tui.messages import DocumentRequested
from gtcode.tui.screens.live import Live
from gtcode.tui.workers import refusal_text, run_service
from gtcode.tui.untrusted import text as shown
from gtcode.tui.widgets.table import LineTable

LEVELS = CODED_LEVELS


def heat(value: float, most: float) -> Text:
    """A cell of the heat map: the number on a background as dark as its share of the largest."""
    share = value / most if most else 0.0
    level = int(40 + 180 * share)
    number = f"{value:g}"
    return Text(number.rjust(6), style=f"{'black' if share > 0.5 else 'white'} on rgb({level // 3},{level // 2},{level})"
                if value else "dim")


class MatrixScreen(Live, Screen):
    """Codes (rows) against attribute values, cases, documents or codes (columns); Enter on a cell lists its
    quotations."""

    BINDINGS = [
        Binding("l", "level", "Level"),
        Binding("k", "count", "Count"),
        Binding("E", "export", "Export"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.level, self.count, self.columns = "phenomenon", "quotations", "documents"
        self.result = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input("documents", placeholder="columns: documents, cases, codes or attribute:NAME; Enter shows",
                    id="matrix-columns")
        yield Static("", id="matrix-status")
        yield LineTable(id="matrix-table", cursor_type="cell")
        yield Footer()

    WATCHES = frozenset({"code", "coding", "document", "attribute", "case", "case_attribute"})

    def show_changes(self, tables: frozenset[str]) -> None:
        self.reload()

    def _status(self, message: str) -> None:
        self.query_one("#matrix-status", Static).update(shown(message))

    @on(Input.Submitted, "#matrix-columns")
    def _columns(self, event: Input.Submitted) -> None:
        self.columns = event.value.strip() or "documents"
        self.reload()

    def action_level(self) -> None:
        self.level = LEVELS[(LEVELS.index(self.level) + 1) % len(LEVELS)]
        self.reload()

    def action_export(self) -> None:
        """The export dialog on this matrix (its level, columns and count), as ``gtcode matrix --out``."""
        from gtcode.tui.screens.export_dialog import ExportDialog

        self.app.push_screen(ExportDialog("matrix", options={"level": self.level, "columns": self.columns,
                                                             "count": self.count}))

    def action_count(self) -> None:
        from gtcode.services.queries import COUNTS

        self.count = COUNTS[(COUNTS.index(self.count) + 1) % len(COUNTS)]
        self.reload()

    def reload(self) -> None:
        self._status("counting…")
        self._load(self.columns, self.count, self.level)

    def _load(self, columns: str, count: str, level: str) -> None:
        from gtcode.services.queries import matrix

        run_service(self, lambda: matrix(self.app.project, columns, count, level, NO_FILTERS), self._show,
                    refused=lambda error: self._status(refusal_text(error)), group="matrix", exclusive=True)

    def _show(self, result) -> None:
        self.result = result
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_column(shown("code"))
        for column in result.columns:
            table.add_column(shown(column))
        most = max((value for row in result.cells for value in row), default=0)
        for name, cells in zip(result.rows, result.cells):
            table.add_row(shown(name), *(heat(value, most) for value in cells))
        self._status(f"{len(result.rows)} {self.level} codes × {len(result.columns)} columns ({self.columns}), "
                     f"counting {self.count}: Enter lists a cell's quotations · l level · k count")
        table.focus()

    @on(DataTable.CellSelected, "#matrix-table")
    def _drill(self, event: DataTable.CellSelected) -> None:
        row, column = event.data_table.cursor_coordinate  # the cell now: the matrix may be counted anew since
        if self.result is None or column == 0 or row >= len(self.result.rows) or column > len(self.result.columns):
            return
        self.drill_down(self.result.row_refs[row], self.result.columns[column - 1])

    def drill_down(self, row_ref: str, column: str) -> None:
        """Show the quotations of one cell."""
        from gtcode.services.queries import matrix_cell

        columns = self.columns
        run_service(self, lambda: matrix_cell(self.app.project, row_ref, column, columns, NO_FILTERS),
                    lambda found: self.app.push_screen(QuotationsScreen(f"{row_ref} × {column}", found)),
                    refused=lambda error: self._status(refusal_text(error)), group="drill", exclusive=True)


class QuotationsScreen(ModalScreen[None]):  # a still list of one cell: closed and re-opened to refresh
    """Quotations (of a matrix cell); Enter opens one in the reader, Escape closes."""

    BINDINGS = [Binding("escape", "dismiss", "Close")]

    def __init__(self, title: str, quotations: list[Quotation]) -> None:
        super().__init__()
        self.title_text, self.quotations = title, quotations

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog memo-list"):
            yield Label(shown(f"{self.title_text}: {len(self.quotations)} quotations"), classes="dialog-title")
            yield LineTable(id="quotations-table", cursor_type="row")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("document", "position", "quotation")
        for quotation in self.quotations:
            table.add_row(shown(f"{quotation.document_id} {quotation.document_title}"),
                          shown(f"#{quotation.sentence} {quotation.start}-{quotation.end}"), shown(quotation.text[:100]))
        table.focus()

    @on(DataTable.RowSelected, "#quotations-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        quotation = self.quotations[event.cursor_row]
        self.post_message(DocumentRequested(quotation.document_id, (quotation.start, quotation.end)))


class WordsScreen(Live, Screen):
    """The most frequent words of the visible corpus (or of a code's quotations) as a bar chart."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="a code (a7, aa1) to count only its quotations; empty: the corpus; Enter counts",
                    id="words-code")
        yield Static("", id="words-status")
        yield LineTable(id="words-table", cursor_type="row")
        yield Footer()

    WATCHES = frozenset({"document", "coding", "code"})

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("word", "count", "documents", "")

    def show_changes(self, tables: frozenset[str]) -> None:
        self._load(self.query_one("#words-code", Input).value.strip())

    @on(Input.Submitted, "#words-code")
    def _code(self, event: Input.Submitted) -> None:
        self._load(event.value.strip())

    def _load(self, code: str) -> None:
        from gtcode.domain.search import Filters
        from gtcode.services.queries import word_frequencies

        self.query_one("#words-status", Static).update(shown("counting words…"))
        run_service(self, lambda: word_frequencies(self.app.project, Filters(code=code or None), top=40),
                    lambda words: self._show(code, words),
                    refused=lambda error: self.query_one("#words-status", Static).update(shown(refusal_text(error))),
                    group="words", exclusive=True)

    def _show(self, code: str, words) -> None:
        table = self.query_one(DataTable)
        table.clear()
        most = max((w.count for w in words), default=1)
        for word in words:
            table.add_row(shown(word.word), word.count, word.documents,
                          Text("█" * max(1, round(40 * word.count / most)), style="green"))
        where = f"the quotations of {code}" if code else "the corpus"
        self.query_one("#words-status", Static).update(shown(f"{len(words)} most frequent words in {where}"))
