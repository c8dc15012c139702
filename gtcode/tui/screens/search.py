"""Text search: a query box, the hits as keyword in context, open a hit in the reader, code all hits, undo."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from gtcode.domain.search import NO_FILTERS, SORTS, UNITS, Hit, sort_hits
from gtcode.tui.messages import DocumentRequested
from gtcode.tui.screens.live import Live
from gtcode.tui.workers import refusal_text, run_service
from gtcode.tui.untrusted import text as shown

CONTEXT = 40


def _key(hit: Hit) -> tuple[int, int, int]:
    return hit.document_id, hit.start, hit.end


class SearchScreen(Live, Screen):
    """Search the visible documents; Enter on a hit opens it in the reader with the keyword selected."""

    BINDINGS = [
        Binding("slash", "focus_query", "Query", key_display="/"),
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
        self.sort_by = "position"
        self.unit = "hit"
        self.marked: set[tuple[int, int, int]] = set()  # hits chosen with space: c codes these, else all

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(self.query_text, placeholder='words, "a phrase", OR, NOT, NEAR/n; Enter searches',
                    id="search-query")
        yield Static("Type a query and press Enter.", id="search-status")
        yield DataTable(id="search-hits", cursor_type="row", zebra_stripes=True)
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

        run_service(self, lambda: search(self.app.project, query, NO_FILTERS, context=CONTEXT),
                    lambda hits: self._show(query, hits), refused=self._refused, group="search", exclusive=True)

    def _refused(self, error: Exception) -> None:
        self._status(refusal_text(error))

    def _show(self, query: str, hits: list[Hit]) -> None:
        if query != self.query_text:
            return  # a newer search is on its way
        if hits is not self.hits:
            self.marked = set()
        self.hits = sort_hits(hits, self.sort_by)
        table = self.query_one(DataTable)
        table.clear()
        for hit in self.hits:
            left = shown(hit.left[-CONTEXT:])
            left.justify = "right"
            table.add_row("✓" if _key(hit) in self.marked else "", shown(f"{hit.document_id}:{hit.start}"),
                          shown(hit.speaker or ""), left,
                          shown(hit.keyword, style="bold reverse"), shown(hit.right[:CONTEXT]))
        self._describe()
        if self.hits:
            table.focus()

    def _describe(self, done: str = "") -> None:
        chosen = f"the {len(self.marked)} marked" if self.marked else "every"
        self._status(f"{done}{len(self.hits)} hits of {self.query_text} · sorted by {self.sort_by} · "
                     f"c codes {chosen} {self.unit} (t changes, space marks), Enter opens a hit")

    def action_mark(self) -> None:
        table = self.query_one(DataTable)
        if not self.hits or table.cursor_row >= len(self.hits):
            return
        key = _key(self.hits[table.cursor_row])
        self.marked ^= {key}
        table.update_cell_at((table.cursor_row, 0), "✓" if key in self.marked else "")
        if table.cursor_row + 1 < len(self.hits):
            table.move_cursor(row=table.cursor_row + 1)
        self._describe()

    def action_focus_query(self) -> None:
        self.query_one(Input).focus()

    def action_sort(self) -> None:
        self.sort_by = SORTS[(SORTS.index(self.sort_by) + 1) % len(SORTS)]
        self._show(self.query_text, self.hits)

    def action_unit(self) -> None:
        self.unit = UNITS[(UNITS.index(self.unit) + 1) % len(UNITS)]
        self._describe()

    @on(DataTable.RowSelected, "#search-hits")
    def _open(self, event: DataTable.RowSelected) -> None:
        hit = self.hits[event.cursor_row]
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

        run_service(self, lambda: list_codes(self.app.project, "phenomenon"), ask, group="pick")

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
