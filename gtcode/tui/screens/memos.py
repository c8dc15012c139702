"""Every memo across the project (documents, codings, codes, relationships), newest first."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label

from gtcode.domain.records import MemoInfo
from gtcode.services.memos import list_memos
from gtcode.tui.untrusted import text


class MemoListScreen(ModalScreen[None]):
    """A table of memos; Escape closes."""

    BINDINGS = [Binding("escape,q", "close", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog memo-list"):
            yield Label("Memos", classes="dialog-title")
            table = DataTable(id="memo-table", cursor_type="row")
            table.add_columns("on", "target", "memo", "coder")
            yield table

    def on_mount(self) -> None:
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        self.app.call_from_thread(self._show, list_memos(self.app.project))

    def _show(self, memos: list[MemoInfo]) -> None:
        table = self.query_one(DataTable)
        for memo in memos:
            table.add_row(*map(text, (memo.target_kind, memo.target_label, memo.text.replace("\n", " ")[:80], memo.coder)))

    def action_close(self) -> None:
        self.dismiss(None)
