"""Two coders' disagreements side by side; settle each by accepting one version or a merged one, with a memo."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from gtcode.tui.screens.live import Live
from gtcode.tui.untrusted import cut
from gtcode.tui.workers import refusal_text, run_service
from gtcode.tui.untrusted import text as shown
from gtcode.tui.widgets.table import LineTable


def _side_text(side) -> str:
    return " | ".join(f"{s}-{e} «{q}»" for (s, e), q in zip(side.spans, side.quotes)) or "(not coded)"


class CompareCodersScreen(Live, Screen):
    """Disagreements of two coders (default: the first two who coded); owners resolve them."""

    BINDINGS = [
        Binding("1", "resolve('first')", "Accept left"),
        Binding("2", "resolve('second')", "Accept right"),
        Binding("m", "resolve('merged')", "Merge"),
        Binding("r", "reload", "Reload"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self, first: str | None = None, second: str | None = None):
        super().__init__()
        self.coders = (first, second)
        self.items: list = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Compare coders: pick a row, type the decision memo below, then 1, 2 or m.", id="compare-status")
        yield LineTable(id="compare-table", cursor_type="row", zebra_stripes=True)
        yield Input(placeholder="memo of the decision (optional)", id="compare-memo")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("document", "code", "left", "right")

    WATCHES = frozenset({"coding", "code", "assignment", "coder"})

    def show_changes(self, tables: frozenset[str]) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        self._load()

    def _load(self) -> None:
        from gtcode.services.disagreements import disagreements, first_two_coders

        project, (first, second) = self.app.project, self.coders

        def read():
            pair = (first, second) if first and second else first_two_coders(project)
            return (*pair, disagreements(project, *pair))

        run_service(self, read, lambda found: self._show(*found), refused=self._refused, group="coders-load",
                    exclusive=True)

    def _refused(self, error: Exception) -> None:
        self._status(refusal_text(error))

    def _status(self, text: str) -> None:
        self.query_one("#compare-status", Static).update(shown(text))

    def _show(self, first: str, second: str, items: list) -> None:
        self.coders, self.items = (first, second), items
        self._lay_out()
        self._status(f"{len(items)} disagreements of {first} (left) and {second} (right); 1/2 accept a side, m merges")
        self.query_one(DataTable).focus()

    _cut_for = 0  # the terminal width the rows' titles and labels were cut for

    def _lay_out(self) -> None:
        """Put the disagreements into the table, long titles, labels and sides cut so that both sides stay in
        view."""
        table = self.query_one(DataTable)
        row = table.cursor_row
        table.clear()
        self._cut_for = width = self.app.size.width
        title, label = max(16, width // 4), max(12, width // 5)
        side = max(12, (width - title - label - 4 * 2 - 3) // 2)  # the rest, less paddings and a scroll bar
        for item in self.items:
            table.add_row(cut(f"{item.document_id} {item.document_title}", title),
                          cut(f"{item.code_ref} {item.code_label}", label),
                          cut(_side_text(item.first), side), cut(_side_text(item.second), side))
        if self.items:
            table.move_cursor(row=min(row, len(self.items) - 1))

    def on_resize(self) -> None:
        """Cut the titles and labels again for a terminal grown wider or narrower."""
        if self.items and self.app.size.width != self._cut_for:
            self._lay_out()

    def action_resolve(self, keep: str) -> None:
        table = self.query_one(DataTable)
        if not self.items or table.cursor_row is None or table.cursor_row >= len(self.items):
            return
        memo = self.query_one("#compare-memo", Input).value
        self._resolve(self.items[table.cursor_row], keep, memo)

    def _resolve(self, item, keep: str, memo: str) -> None:
        from gtcode.services.disagreements import resolve

        run_service(self, lambda: resolve(self.app.project, item, keep, memo),
                    lambda _done: self.query_one("#compare-memo", Input).clear(), refused=self._refused,
                    group="coders-change")
