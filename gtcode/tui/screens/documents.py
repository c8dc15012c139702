"""The documents stage: a table of the corpus (hold-out locked while blinded), or a welcome panel; importing
(picker, progress, summary), retitling, attributes, cases, delete and undo, each through the services."""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, ProgressBar, Static

from gtcode.services.errors import GtcodeError
from gtcode.services.reading import DocumentLine, check_readable, document_lines
from gtcode.tui.messages import DocumentRequested, FirstScreenShown
from gtcode.tui.screens.live import touches
from gtcode.tui.screens.stage import StageScreen
from gtcode.tui.untrusted import content, text
from gtcode.tui.widgets.table import LineTable
from gtcode.tui.workers import notify_refusal, run_service

COLUMNS = ("id", "title", "kind", "lang", "chars", "sentences", "split", "coded")
BESIDE_TITLE = 64  # cells the other columns take (with the cells' padding): a title gets the rest, cut with …
CASE_COLUMN = "case"  # shown after the title once any document is in a case
CASE_CELLS = 12  # cells the case column takes (a longer case name is cut with …)
FIRST_ROWS = 24  # documents read and laid out first at least; a taller terminal gets a page of its height
MORE_ROWS = 200  # documents read and added per later page, when the cursor or the scroll nears the last row
AHEAD = 20  # rows before the last one read at which the next page is asked for


def welcome_text() -> str:
    """The stages, what each asks, and the next step for an empty project."""
    from gtcode.tui.app import STAGES

    lines = ["[b]Welcome to gtcode.[/b] This project has no documents yet.", "",
             "Grounded theory here runs in five stages (switch with F2-F6):"]
    lines += [f"  [b]{title}[/b]: {hint}" for _mode, _target, title, hint in STAGES]
    lines += ["", "[b]Next step[/b]: press [reverse] i [/] to import files or a folder of material",
              "(interviews, policy texts, news: .txt .docx .pdf .srt ... see F1), or try the bilingual demo",
              "corpus from the command line:  [reverse] gtcode demo [/]"]
    return "\n".join(lines)


def first_page(height: int) -> int:
    """How many documents are read and laid out first in a terminal ``height`` rows high: a screenful (the
    table shows fewer rows than the terminal has), so the first screen waits for no more; the cursor or the
    scroll nearing the last row reads the next page."""
    return max(FIRST_ROWS, height)


class DocumentTable(LineTable):
    """The documents table; it says when its scroll nears the last row read (``NearEnd``), so that the screen
    reads the next page: only what is seen is read and laid out, however large the corpus."""

    class NearEnd(Message):
        """The scroll came within ``AHEAD`` rows of the table's last row (it may have left by the time this
        arrives: ask ``near_end``)."""

    to_the_end = False  # Ctrl+End was pressed: the cursor follows the pages read on to the last document

    def action_scroll_bottom(self) -> None:
        self.to_the_end = True
        super().action_scroll_bottom()

    def near_end(self) -> bool:
        """Whether the scroll is within ``AHEAD`` rows of the last row read."""
        return bool(self.row_count) and self.scroll_y + self.size.height >= self.row_count - AHEAD

    def cursor_near_end(self) -> bool:
        """Whether the cursor is within ``AHEAD`` rows of the last row read (asked where it is now, not where a
        ``RowHighlighted`` said it was: a page or a reload may have come between the two)."""
        return bool(self.row_count) and self.cursor_row >= self.row_count - AHEAD

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if self.near_end():
            self.post_message(self.NearEnd())


class DocumentsScreen(StageScreen):
    """Pick a document to read; Enter opens it in the Open coding screen."""

    STAGE = "documents"
    BINDINGS = [Binding("enter", "open_document", "Open"), Binding("i", "import", "Import"),
                Binding("t", "retitle", "Retitle"), Binding("a", "attributes", "Attributes"),
                Binding("c", "case", "Case"), Binding("C", "cases", "Cases"),
                Binding("delete,x", "delete", "Delete"), Binding("u", "undo", "Undo"),
                Binding("w", "sampling", "Sampling log", show=False), Binding("r", "refresh", "Reload")]
    _loading = 0  # how many times rows were laid out: later pages of an older load stop
    _more_after: int | None = None  # the last document id read when more may follow (None: all are read)
    _paging = False  # whether a later page is being read
    _with_cases = False  # whether the table shows the case column

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[int, DocumentLine] = {}

    def compose_body(self) -> ComposeResult:
        table = DocumentTable(id="documents", cursor_type="row", zebra_stripes=True)
        table.add_columns(*COLUMNS)
        yield table
        yield Static("", id="doc-detail")  # the highlighted document's full title: the table cuts long ones
        welcome = Static(welcome_text(), id="welcome")
        welcome.display = False  # until the first page is read: a project with documents never lays it out
        yield welcome
        progress = ProgressBar(id="import-progress", show_eta=False)
        progress.display = False
        yield progress
        yield Static("", id="import-status")

    WATCHES = None  # documents, their codings, attributes, the hold-out and the status line

    def show_changes(self, tables: frozenset[str]) -> None:
        super().show_changes(tables)
        if touches(tables, "document", "coding", "attribute", "holdout", "case"):
            self.action_reload()

    def action_reload(self) -> None:
        """Read the first page of documents (through the highlighted one, so the cursor stays on it)."""
        wanted, first = self._highlighted(), first_page(self.app.size.height)
        def refused(error: Exception) -> None:  # a damaged page, say: the page check still runs after it
            notify_refusal(self, error)
            self._shown_first()

        run_service(self, lambda: document_lines(self.project, limit=first, through=wanted),
                    lambda lines: self._show(lines, wanted, first), refused=refused, group="documents",
                    exclusive=True)

    def _show(self, lines: list[DocumentLine], wanted: int | None = None, first: int = FIRST_ROWS) -> None:
        """Lay out the first page; later pages are read when the cursor or the scroll nears the last row, so
        the first screen waits neither for reading a large corpus nor for a DataTable measuring every cell."""
        self.lines = {line.document.id: line for line in lines}
        self._loading += 1  # a newer reload drops the pages of an older one
        self._paging = False
        self._more_after = lines[-1].document.id if len(lines) >= first else None
        self.query_one("#documents", DocumentTable).to_the_end = False  # a reload starts again from the top
        self._lay_out(wanted)
        table = self.query_one("#documents", DataTable)
        table.display = bool(lines)
        self.query_one("#welcome").display = not lines
        self.query_one("#doc-detail").display = bool(lines)
        if lines:
            table.focus()
        self._shown_first()

    _first_shown = False  # whether the first page (or the welcome panel, or the refusal to read it) was shown

    def _shown_first(self) -> None:
        """Tell the app, once, that the first screen is drawn."""
        if not self._first_shown:
            self._first_shown = True
            self.call_after_refresh(self.post_message, FirstScreenShown())

    def _lay_out(self, wanted: int | None = None) -> None:
        """Put the lines read so far into the table (with the case column when any is in a case), the cursor
        on document ``wanted`` when it is among them."""
        table = self.query_one("#documents", DataTable)
        lines = list(self.lines.values())
        self._with_cases = any(line.document.case for line in lines)
        columns = list(COLUMNS[:2]) + [CASE_COLUMN] * self._with_cases + list(COLUMNS[2:])
        if [str(column.label) for column in table.columns.values()] != columns:
            table.clear(columns=True)
            table.add_columns(*columns)
        table.clear()
        self._add_rows(lines)
        if wanted in self.lines:
            table.move_cursor(row=list(self.lines).index(wanted))

    def on_document_table_near_end(self) -> None:
        if self.query_one("#documents", DocumentTable).near_end():  # not when a page came since it was said
            self._read_more()

    def _read_more(self) -> None:
        """Read the next page of documents, unless every one is read or a page is on its way."""
        if self._more_after is None or self._paging:
            return
        self._paging, after, loading = True, self._more_after, self._loading
        run_service(self, lambda: document_lines(self.project, after=after, limit=MORE_ROWS),
                    lambda lines: self._page(lines, loading), group="documents-pages")

    def _page(self, lines: list[DocumentLine], loading: int) -> None:
        """Add a later page of documents (dropped when a newer load began)."""
        if loading != self._loading:
            return
        self._paging = False
        self._more_after = lines[-1].document.id if len(lines) >= MORE_ROWS else None
        self.lines.update((line.document.id, line) for line in lines)
        table = self.query_one("#documents", DocumentTable)
        to_the_end = table.to_the_end and table.cursor_row == table.row_count - 1  # not moved since Ctrl+End
        if not self._with_cases and any(line.document.case for line in lines):
            self._lay_out(self._highlighted())  # the case column appears
        else:
            self._add_rows(lines)
        table.to_the_end = to_the_end and self._more_after is not None
        if to_the_end:
            table.move_cursor(row=table.row_count - 1)  # which reads the next page, if any

    def _title_cells(self) -> int:
        return max(16, (self.size.width or self.app.size.width) - BESIDE_TITLE - CASE_CELLS * self._with_cases)

    def _add_rows(self, lines: list[DocumentLine]) -> None:
        table = self.query_one("#documents", DataTable)
        self._shown_title_cells = title_cells = self._title_cells()
        for line in lines:
            doc = line.document
            style = "dim" if line.locked else ""
            title = ("🔒 " if line.locked else "") + doc.title
            size = ("-", "-") if doc.blinded else (doc.characters, doc.segments)
            cells = [text(cell, style) for cell in (doc.id, title, *[doc.case or "-"] * self._with_cases, doc.kind,
                                                    doc.lang, *size, doc.split, f"{line.codings}" if line.codings else "-")]
            cells[1].truncate(title_cells, overflow="ellipsis")
            if self._with_cases:
                cells[2].truncate(CASE_CELLS - 2, overflow="ellipsis")
            table.add_row(*cells, key=str(doc.id))

    _shown_title_cells = 0

    def on_resize(self) -> None:
        """Lay the rows out again when titles get more or fewer cells."""
        if self.lines and self._title_cells() != self._shown_title_cells:
            self._lay_out(self._highlighted())

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self.query_one("#documents", DocumentTable).cursor_near_end():
            self._read_more()
        line = self.lines.get(int(event.row_key.value)) if event.row_key is not None else None
        self.query_one("#doc-detail", Static).update(
            content("[b]$title[/b] [dim]#$id · $kind · $split[/]", title=line.document.title, id=line.document.id,
                    kind=line.document.kind, split=line.document.split) if line else "")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.open_document(int(event.row_key.value))

    def action_open_document(self) -> None:
        if (document_id := self._highlighted()) is not None:
            self.open_document(document_id)

    def open_document(self, document_id: int) -> None:
        """Open a document in the reader, or say why it cannot be opened."""
        run_service(self, lambda: check_readable(self.project, document_id),
                    lambda _ok: self.post_message(DocumentRequested(document_id)), group="open", exclusive=True)

    # ------------------------------------------------------------------ importing

    def action_import(self) -> None:
        """Ask for the files and what they are (once for the batch), then import them in a worker."""
        from gtcode.services.corpus import released
        from gtcode.tui.screens.import_dialog import ImportDialog

        root = self.project.directory.parent
        self.app.push_screen(ImportDialog(root, released(self.project)),
                             lambda request: self.run_import(request) if request is not None else None)

    @work(thread=True, exclusive=True, group="import")
    def run_import(self, request) -> None:
        """Import in a worker, showing each file as it goes; then the summary."""
        from gtcode.services.corpus import import_paths

        self.app.call_from_thread(self._progress, 0, 1, "looking for files ...")
        try:
            results = import_paths(self.project, list(request.paths), kind=request.kind,
                                   attributes=request.attributes, material=request.material,
                                   progress=lambda n, total, path: self.app.call_from_thread(
                                       self._progress, n, total, path))
        except GtcodeError as error:
            self.app.call_from_thread(self._imported, None, str(error))
            return
        self.app.call_from_thread(self._imported, results, "")

    def _progress(self, number: int, total: int, path: str) -> None:
        bar = self.query_one("#import-progress", ProgressBar)
        bar.display = True
        bar.update(total=max(total, 1), progress=max(number - 1, 0))
        self.query_one("#import-status", Static).update(text(f"importing {number}/{total}: {Path(path).name}"))

    def _imported(self, results, error: str) -> None:
        from gtcode.tui.screens.import_dialog import ImportSummary, summary_line

        self.query_one("#import-progress", ProgressBar).display = False
        self.query_one("#import-status", Static).update(text(summary_line(results) if results is not None else ""))
        if results is None:
            self.notify(error, severity="error")
            return
        self.app.push_screen(ImportSummary(results))

    # ------------------------------------------------------------------ managing documents

    def _highlighted(self) -> int | None:
        """The id of the document under the table's cursor (None in an empty table)."""
        table = self.query_one("#documents", DataTable)
        return int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value) if table.row_count else None

    def _current(self) -> DocumentLine | None:
        table = self.query_one("#documents", DataTable)
        return self.lines.get(self._highlighted()) if table.display else None

    def action_retitle(self) -> None:
        from gtcode.services.documents import retitle_document
        from gtcode.tui.screens.dialogs import PromptDialog

        line = self._current()
        if line is None or line.locked:
            return
        old = line.document.title

        def retitle(title: str | None) -> None:
            if title is not None and title.strip() != old:
                self.manage(retitle_document, line.document.id, title)

        self.app.push_screen(PromptDialog(f"New title of document {line.document.id}", old), retitle)

    def action_attributes(self) -> None:
        from gtcode.tui.screens.dialogs import PromptDialog

        line = self._current()
        if line is None or line.locked:
            return
        shown = "; ".join(f"{name}={value}" for name, value in line.document.attributes.items())
        self.app.push_screen(PromptDialog(
            f"Attributes of document {line.document.id} (name=value; ...; leave one out to remove it)", shown),
            lambda answer: self._set_attributes(line, answer))

    def _set_attributes(self, line: DocumentLine, answer: str | None) -> None:
        from gtcode.services.documents import set_document_attributes
        from gtcode.tui.screens.cases import attribute_changes

        if answer is None:
            return
        try:
            changed, removed = attribute_changes(line.document.attributes, answer)
        except GtcodeError as error:
            self.notify(str(error), severity="error")
            return
        if changed or removed:
            self.manage(set_document_attributes, line.document.id, changed, removed)

    def action_case(self) -> None:
        """Ask which case the document is in (a name, then any attributes of the case); empty: in none."""
        from gtcode.tui.screens.dialogs import Choice, PromptDialog

        line = self._current()
        if line is None or line.locked:
            return
        names = sorted({other.document.case for other in self.lines.values() if other.document.case})
        self.app.push_screen(PromptDialog(
            f"Case of document {line.document.id} (a name, then case attributes: P01; gender=female; "
            "empty: in no case)", line.document.case or "", choices=[Choice(name, name, detail="case") for name in names],
            placeholder=", ".join(names[:5]) or "e.g. P01"), lambda answer: self._set_case(line, answer))

    def _set_case(self, line: DocumentLine, answer: str | None) -> None:
        from gtcode.services.cases import leave_case, set_case
        from gtcode.tui.screens.import_dialog import parse_attributes

        if answer is None:
            return
        name, _sep, rest = answer.partition(";")
        if not name.strip():
            if line.document.case:
                self.manage(leave_case, [str(line.document.id)],
                            said=lambda _ids: f"document {line.document.id} is in no case now: u undoes it")
            return
        try:
            values = parse_attributes(rest)
        except GtcodeError as error:
            self.notify(str(error), severity="error")
            return
        if name.strip() != line.document.case or values:
            self.manage(set_case, name.strip(), values, [str(line.document.id)],
                        said=lambda case: f"document {line.document.id} in case {case.name}: u undoes it")

    def action_cases(self) -> None:
        from gtcode.tui.screens.cases import CasesDialog

        self.app.push_screen(CasesDialog(), lambda _closed: self.action_reload())

    def action_delete(self) -> None:
        from gtcode.services.documents import delete_document
        from gtcode.tui.screens.dialogs import ConfirmDialog

        line = self._current()
        if line is None or line.locked:
            return
        codings = f" and its {line.codings} coding{'s' if line.codings != 1 else ''}" if line.codings else ""
        question = f"Delete document {line.document.id} ({line.document.title}){codings}? u undoes it"
        self.app.push_screen(ConfirmDialog(question), lambda yes: self.manage(
            delete_document, line.document.id, bool(line.codings),
            said=lambda d: f"deleted document {d.id} ({d.title}): press u to undo") if yes else None)

    def action_sampling(self) -> None:
        """The theoretical sampling log: each document's wave, collection date and why it was sampled."""
        self.app.push_screen("sampling")

    def action_undo(self) -> None:
        from gtcode.services.codes import undo

        self.manage(undo)

    def manage(self, use_case, *args, said=None) -> None:
        """Run a use case that changes documents (the table follows by ``ProjectChanged``; refusals in one line);
        ``said`` words its result (by default the document it changed)."""

        def done(result) -> None:
            words = said or ((lambda undone: f"undone: {undone}") if isinstance(result, str) else
                             (lambda d: f"document {d.id}: {d.title}"))
            self.notify(words(result))

        run_service(self, lambda: use_case(self.project, *args), done, group="manage-run")
