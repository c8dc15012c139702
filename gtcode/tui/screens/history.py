"""The history view (F9): the audit trail of changes, newest first, with what each changed; undo and redo."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from gtcode.tui.screens.live import Live
from gtcode.tui.workers import refusal_text, run_service
from gtcode.tui.untrusted import text
from gtcode.tui.widgets.table import LineTable

STATES = {"done": "", "undone": "undone", "superseded": "undone · redo ended"}


class HistoryScreen(Live, Screen):
    """Changes by coder, time and state; the highlighted change's rows before and after below."""

    BINDINGS = [
        Binding("u", "undo", "Undo"),
        Binding("r", "redo", "Redo"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("History: every change, undone ones marked; u undoes the newest, r redoes.", id="history-status")
        with Horizontal(id="history-filters"):
            yield Input(placeholder="coder", id="history-coder")
            yield Input(placeholder="code (a7, label)", id="history-code")
            yield Input(placeholder="since (2026-12-01)", id="history-since")
        yield LineTable(id="history-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="history-detail")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#history-table", DataTable)
        table.add_columns("#", "time", "coder", "state", "change")
        table.focus()  # u and r act on the list, not typed into a filter

    def show_changes(self, tables: frozenset[str]) -> None:
        """Every write is a change in the history (and the first show reads it)."""
        self.load()

    @on(Input.Changed)
    def _filter_changed(self, _event) -> None:
        self.load()

    def load(self) -> None:
        from gtcode.services.audit import audit_log

        filters = {name: self.query_one(f"#history-{name}", Input).value.strip() or None
                   for name in ("coder", "code", "since")}
        run_service(self, lambda: audit_log(self.app.project, **filters), self._show,
                    refused=lambda error: self._status(refusal_text(error)), group="history-load", exclusive=True)

    def _status(self, message: str) -> None:
        self.query_one("#history-status", Static).update(text(message))

    def _show(self, entries: list) -> None:
        self.entries = entries
        table = self.query_one("#history-table", DataTable)
        table.clear()
        for e in entries:
            table.add_row(text(e.id), text(f"{e.time:%Y-%m-%d %H:%M}"), text(e.coder), text(STATES[e.status]),
                          text(e.description))
        self._status(f"{len(entries)} changes; u undoes the newest, r redoes")
        self._detail(0)

    @on(DataTable.RowHighlighted, "#history-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail(event.data_table.cursor_row)  # the row now: the list may be refilled since

    def _detail(self, row: int | None) -> None:
        lines = "\n".join(self.entries[row].details) if row is not None and row < len(self.entries) else ""
        self.query_one("#history-detail", Static).update(text(lines, multiline=True))

    def action_undo(self) -> None:
        self._change("undo")

    def action_redo(self) -> None:
        self._change("redo")

    def _change(self, verb: str) -> None:
        from gtcode.services import codes

        run_service(self, lambda: getattr(codes, verb)(self.app.project), lambda done: self.notify(f"{verb}: {done}"),
                    group="history-change")
