"""The documents stage: a table of the corpus (hold-out locked while blinded), or a welcome panel."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from gtcode.services.errors import GtcodeError
from gtcode.services.reading import DocumentLine, check_readable, document_lines
from gtcode.tui.screens.stage import StageScreen
from gtcode.tui.untrusted import text

COLUMNS = ("id", "title", "kind", "lang", "chars", "sentences", "split", "coded")
FIRST_ROWS = 100  # rows laid out before the screen is shown: more than a screenful
MORE_ROWS = 400  # rows added per later turn of the event loop


def welcome_text() -> str:
    """The stages, what each asks, and the next step for an empty project."""
    from gtcode.tui.app import STAGES

    lines = ["[b]Welcome to gtcode.[/b] This project has no documents yet.", "",
             "Grounded theory here runs in five stages (switch with F2-F6):"]
    lines += [f"  [b]{title}[/b]: {hint}" for _mode, _target, title, hint in STAGES]
    lines += ["", "[b]Next step[/b]: quit (Ctrl+Q) and import material with",
              "  [reverse] gtcode import FILES [/]   (.txt .md .docx .csv .xlsx; folders too)",
              "or try the bilingual demo corpus:  [reverse] gtcode demo [/]"]
    return "\n".join(lines)


class DocumentsScreen(StageScreen):
    """Pick a document to read; Enter opens it in the Open coding screen."""

    STAGE = "documents"
    BINDINGS = [Binding("enter", "open_document", "Open"), Binding("r", "reload", "Reload")]
    _loading = 0  # how many times rows were laid out: later pages of an older load stop

    def compose_body(self) -> ComposeResult:
        table = DataTable(id="documents", cursor_type="row", zebra_stripes=True)
        table.add_columns(*COLUMNS)
        yield table
        yield Static(welcome_text(), id="welcome")

    def on_screen_resume(self) -> None:  # also on first show: loading on mount as well read the corpus twice
        self.action_reload()

    @work(thread=True, exclusive=True, group="documents")
    def action_reload(self) -> None:
        lines = document_lines(self.project)
        self.app.call_from_thread(self._show, lines)

    def _show(self, lines: list[DocumentLine]) -> None:
        """Lay out the first rows now and the rest a page per turn of the event loop, so the first screen
        does not wait for a large corpus (a DataTable measures every cell it adds)."""
        table = self.query_one("#documents", DataTable)
        row_key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key if table.row_count else None
        table.clear()
        self._loading += 1  # a newer reload stops the pages of an older one
        wanted = next((n for n, line in enumerate(lines) if row_key is not None
                       and str(line.document.id) == row_key.value), None)
        first = max(FIRST_ROWS, (wanted or 0) + 1)
        self._add_rows(lines[:first])
        if wanted is not None:
            table.move_cursor(row=wanted)
        if len(lines) > first:
            self.call_later(self._more_rows, lines, first, self._loading)
        table.display = bool(lines)
        self.query_one("#welcome").display = not lines
        if lines:
            table.focus()

    def _add_rows(self, lines: list[DocumentLine]) -> None:
        table = self.query_one("#documents", DataTable)
        for line in lines:
            doc = line.document
            style = "dim" if line.locked else ""
            title = ("🔒 " if line.locked else "") + doc.title
            size = ("-", "-") if doc.blinded else (doc.characters, doc.segments)
            cells = (doc.id, title, doc.kind, doc.lang, *size, doc.split,
                     f"{line.codings}" if line.codings else "-")
            table.add_row(*(text(cell, style) for cell in cells), key=str(doc.id))

    def _more_rows(self, lines: list[DocumentLine], done: int, loading: int) -> None:
        if loading != self._loading or not self.is_attached:
            return
        self._add_rows(lines[done:done + MORE_ROWS])
        if done + MORE_ROWS < len(lines):
            self.set_timer(0.01, lambda: self._more_rows(lines, done + MORE_ROWS, loading))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.open_document(int(event.row_key.value))

    def action_open_document(self) -> None:
        table = self.query_one("#documents", DataTable)
        if table.row_count:
            self.open_document(int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value))

    @work(thread=True, exclusive=True, group="open")
    def open_document(self, document_id: int) -> None:
        """Open a document in the reader, or say why it cannot be opened."""
        try:
            check_readable(self.project, document_id)
        except GtcodeError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error")
            return
        self.app.call_from_thread(self.app.open_document, document_id)
