"""Text search: a query box, the hits as keyword in context a page at a time, open a hit in the reader, code all
hits, undo."""

from __future__ import annotations

import time

from rich.cells import cell_len
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from gtcode.domain.display import head_cells, tail_cells, visible
from gtcode.domain.search import NO_FILTERS, SORTS, UNITS, Hit, sort_hits
from gtcode.services.search import CONTEXT
from gtcode.tui.messages import DocumentRequested
from gtcode.tui.screens.live import Live
from gtcode.tui.workers import refusal_text, run_service
from gtcode.tui.untrusted import text as shown
from gtcode.tui.widgets.table import LineTable

PAGE = 200  # hits laid out in the table at a time: a search can find tens of thousands


def _key(hit: Hit) -> tuple[int, int, int]:
    return hit.document_id, hit.start, hit.end


def _place(hit: Hit) -> str:
    return f"{hit.document_id}:{hit.start}"


def context_cells(hits: list[Hit], width: int) -> int:
    """How many cells of context each side of the keyword a table ``width`` cells wide has room for beside the
    other columns of ``hits`` (each padded by a cell either side, and a scroll bar), at most ``CONTEXT``."""
    beside = max((cell_len(_place(hit)) + cell_len(hit.speaker or "") + cell_len(hit.keyword) for hit in hits),
                 default=0)
    return max(8, min(CONTEXT, (width - beside - 1 - 6 * 2 - 2) // 2))


class SearchScreen(Live, Screen):
    """Search the visible documents; Enter on a hit opens it in the reader with the keyword selected. The status
    line says how many hits there are and how long the search took; the table holds one page of them (``PAGE``),
    n and p turn the pages (shown in the footer when there is more than one)."""

    BINDINGS = [
        Binding("slash", "focus_query", "Query", key_display="/"),
        Binding("n", "page(1)", "Next page"),
        Binding("p", "page(-1)", "Prev page"),
        Binding("s", "sort", "Sort"),
        Binding("t", "unit", "Unit"),
        Binding("space", "mark", "Mark hit"),
        Binding("c", "code_all", "Code hits"),
        Binding("ctrl+z", "undo", "Undo", priority=True),
        Binding("m", "app.push_screen('matrix')", "Matrix"),
        Binding("w", "app.push_screen('words')", "Words"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.query_text = query
        self.hits: list[Hit] = []
        self.page = 0  # the page of hits the table shows
        self.seconds = 0.0  # how long the last search took
        self.clock = time.perf_counter  # what the search is timed by (fixed in snapshot tests)
        self.sort_by = "position"
        self.unit = "hit"
        self.marked: set[tuple[int, int, int]] = set()  # hits chosen with space: c codes these, else all

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(self.query_text, placeholder='words, "a phrase", OR, NOT, NEAR/n; Enter searches',
                    id="search-query")
        yield Static("Type a query and press Enter.", id="search-status")
        yield LineTable(id="search-hits", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("", "doc", "speaker", "left", "keyword", "right")
        self.query_one(Input).focus()
        if self.query_text:
            self.run_search(self.query_text)

    WATCHES = frozenset({"document", "segment", "holdout"})  # what can be found (a released hold-out joins in)

    def show_changes(self, tables: frozenset[str]) -> None:
        if "*" not in tables and self.query_text:  # the first show searched on mount already
            self.run_search(self.query_text)

    def _status(self, message: str) -> None:
        self.query_one("#search-status", Static).update(shown(message))

    @on(Input.Submitted, "#search-query")
    def _submitted(self, event: Input.Submitted) -> None:
        self.run_search(event.value)

    def run_search(self, query: str) -> None:
        """Search for ``query`` in a worker; the table shows the hits when they come."""
        self.query_text = query.strip()
        if self.query_text:
            self._status("searching…")
            self._search(self.query_text)

    def _search(self, query: str) -> None:
        from gtcode.services.search import search

        project, sort_by, clock = self.app.project, self.sort_by, self.clock

        def timed() -> tuple[list[Hit], float]:
            began = clock()
            hits = search(project, query, NO_FILTERS, context=CONTEXT)
            return sort_hits(hits, sort_by), clock() - began

        run_service(self, timed, lambda found: self._show(query, *found, sort_by), refused=self._refused,
                    group="search", exclusive=True)

    def _refused(self, error: Exception) -> None:
        self._status(refusal_text(error))

    def _show(self, query: str, hits: list[Hit], seconds: float, sort_by: str) -> None:
        """A search's hits (sorted by ``sort_by`` in the worker), from their first page."""
        if query != self.query_text:
            return  # a newer search is on its way
        self.marked, self.seconds = set(), seconds
        self._put(hits, sort_by)
        if self.hits:
            self.query_one(DataTable).focus()

    def _put(self, hits: list[Hit], sort_by: str) -> None:
        """Show ``hits`` (sorted by ``sort_by``) from the first page, or sort them again if the order changed."""
        self.hits, self.page = hits, 0
        if sort_by != self.sort_by:
            self._resort()  # s was pressed while they were found or sorted
        else:
            self._fill()

    def _resort(self) -> None:
        """Sort the hits by the screen's order in a worker (tens of thousands of hits)."""
        hits, sort_by = self.hits, self.sort_by

        def sorted_hits(found: list[Hit]) -> None:
            if hits is self.hits:  # no newer search's hits since
                self._put(found, sort_by)

        run_service(self, lambda: sort_hits(hits, sort_by), sorted_hits, refused=self._refused, group="sort",
                    exclusive=True)

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.hits) // PAGE))

    def _shown_hits(self) -> list[Hit]:
        return self.hits[self.page * PAGE:(self.page + 1) * PAGE]

    def _fill(self) -> None:
        """Lay out the page of hits the screen is on (never more than ``PAGE`` rows)."""
        table = self.query_one(DataTable)
        table.clear()
        hits = self._shown_hits()
        self._context_shown = cells = context_cells(hits, table.size.width or self.app.size.width)
        for hit in hits:
            left = shown(tail_cells(visible(hit.left), cells))  # cut as shown (a control is one picture)
            left.justify = "right"
            table.add_row("✓" if _key(hit) in self.marked else "", shown(_place(hit)), shown(hit.speaker or ""), left,
                          shown(hit.keyword, style="bold reverse"), shown(head_cells(visible(hit.right), cells)))
        self.refresh_bindings()
        self._describe()

    _context_shown = 0  # the cells of context each side of the keywords shown

    def on_resize(self) -> None:
        """Lay the page out again when the terminal gives the contexts more or less room."""
        if not self.hits:
            return
        table = self.query_one(DataTable)
        if context_cells(self._shown_hits(), table.size.width or self.app.size.width) != self._context_shown:
            row = table.cursor_row
            self._fill()
            table.move_cursor(row=row)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "page":  # in the footer only when there is another page; dimmed at the first or last
            if self.pages == 1:
                return False
            return True if 0 <= self.page + parameters[0] < self.pages else None
        return True

    def action_page(self, step: int) -> None:
        """The next (1) or previous (-1) page of hits."""
        if 0 <= self.page + step < self.pages:
            self.page += step
            self._fill()

    def _hit_at(self, row: int) -> Hit | None:
        """The hit on a row of the table (the page it shows)."""
        at = self.page * PAGE + row
        return self.hits[at] if 0 <= row < PAGE and at < len(self.hits) else None

    def _describe(self, done: str = "") -> None:
        chosen = f"the {len(self.marked)} marked" if self.marked else "every"
        pages = f" · page {self.page + 1}/{self.pages} (n/p)" if self.pages > 1 else ""
        self._status(f"{done}{len(self.hits):,} hits of {self.query_text} in {self.seconds:.2f} s{pages} · "
                     f"sorted by {self.sort_by} · c codes {chosen} {self.unit} (t changes, space marks), "
                     "Enter opens a hit")

    def action_mark(self) -> None:
        table = self.query_one(DataTable)
        hit = self._hit_at(table.cursor_row)
        if hit is None:
            return
        key = _key(hit)
        self.marked ^= {key}
        table.update_cell_at((table.cursor_row, 0), "✓" if key in self.marked else "")
        if table.cursor_row + 1 < table.row_count:
            table.move_cursor(row=table.cursor_row + 1)
        self._describe()

    def action_focus_query(self) -> None:
        self.query_one(Input).focus()

    def action_sort(self) -> None:
        self.sort_by = SORTS[(SORTS.index(self.sort_by) + 1) % len(SORTS)]
        self._resort()

    def action_unit(self) -> None:
        self.unit = UNITS[(UNITS.index(self.unit) + 1) % len(UNITS)]
        self._describe()

    @on(DataTable.RowSelected, "#search-hits")
    def _open(self, event: DataTable.RowSelected) -> None:
        hit = self._hit_at(event.data_table.cursor_row)  # the row now: the page may be refilled since
        if hit is not None:
            self.post_message(DocumentRequested(hit.document_id, (hit.start, hit.end)))

    def action_code_all(self) -> None:
        from gtcode.services.codes import list_codes
        from gtcode.tui.screens.dialogs import PromptDialog, code_picks, unknown_ref

        if not self.hits:
            self._status("nothing to code: search first")
            return

        selected = tuple(sorted(self.marked)) if self.marked else None
        count = len(self.marked) if self.marked else len(self.hits)

        def chosen(label: str | None) -> None:
            if label and label.strip():
                self._preview(self.query_text, label.strip(), self.unit, selected)

        def ask(phenomena) -> None:
            prefixes = self.app.project.prefixes
            self.app.push_screen(PromptDialog(f"Code the {self.unit} of {count} hits as", placeholder="label or a7",
                                              choices=code_picks(phenomena, value="label"),
                                              check=lambda typed: unknown_ref(prefixes, typed)), chosen)

        run_service(self, lambda: list_codes(self.app.project, "phenomenon", counted=False), ask, group="pick")

    def _preview(self, query: str, label: str, unit: str, selected) -> None:
        from gtcode.services.search import preview_autocode

        run_service(self, lambda: preview_autocode(self.app.project, query, label, unit, selected=selected),
                    lambda planned: self._confirm(planned, selected), refused=self._refused, group="code")

    def _confirm(self, planned, selected) -> None:
        from gtcode.tui.screens.dialogs import ConfirmDialog

        question = (f"Make {planned.made} codings with {planned.code_ref} {planned.code_label} "
                    f"({planned.already} there already)? One undo step takes them back.")
        self.app.push_screen(ConfirmDialog(question),
                             lambda yes: self._code(planned.query, planned.code_label, planned.unit, selected) if yes
                             else None)

    def _code(self, query: str, label: str, unit: str, selected) -> None:
        from gtcode.services.search import autocode

        run_service(self, lambda: autocode(self.app.project, query, label, unit, selected=selected),
                    lambda made: self._describe(f"made {made.made} codings with {made.code_ref}; "),
                    refused=self._refused, group="code")

    def action_undo(self) -> None:
        from gtcode.services.codes import undo

        run_service(self, lambda: undo(self.app.project), lambda done: self._status(f"undone: {done}"),
                    refused=self._refused, group="code")
