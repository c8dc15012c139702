"""A code's properties and dimensions (p on a concept or category in the tree): each property's range, how many
quotations sit at each value and in which documents; add a property with a."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Static

from gtcode.tui.screens.dialogs import PromptDialog
from gtcode.tui.screens.live import Live
from gtcode.tui.untrusted import text
from gtcode.tui.workers import run_service
from gtcode.tui.widgets.table import LineTable


class PropertiesScreen(Live, ModalScreen[None]):
    """Properties of one code, a row per dimension value; Escape closes."""

    BINDINGS = [Binding("a", "add", "Add property"), Binding("escape,q", "close", "Close")]

    def __init__(self, code_ref: str, title: str) -> None:
        super().__init__()
        self.code_ref = code_ref
        self.title_text = title
        self.views: list = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog properties-dialog"):
            yield Label(text(f"Properties and dimensions of {self.title_text}"), classes="dialog-title")
            yield LineTable(id="property-table", cursor_type="row", zebra_stripes=True)
            yield Static("", id="property-detail")
            yield Static("a add a property · Esc close · locate a coding with v in the reader", classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("property", "range", "value", "quotations", "documents")

    WATCHES = frozenset({"property", "dimension_value", "coding", "code"})

    def show_changes(self, tables: frozenset[str]) -> None:
        self.load()

    def load(self) -> None:
        from gtcode.services.properties import code_properties

        run_service(self, lambda: code_properties(self.app.project, self.code_ref), self._show, group="properties",
                    exclusive=True)

    def _show(self, views: list) -> None:
        self.views = views
        table = self.query_one(DataTable)
        table.clear()
        for view in views:
            if not view.values:
                table.add_row(text(view.name), text(view.range_text), text("-"), text(0), text(""))
            for n, value in enumerate(view.values):
                table.add_row(text(view.name if n == 0 else ""), text(view.range_text if n == 0 else ""),
                              text(value.value), text(value.count), text(", ".join(map(str, value.document_ids))))
        self.query_one("#property-detail", Static).update(
            text(f"{len(views)} properties" if views else "no properties yet: a adds one"))

    def action_add(self) -> None:
        self.app.push_screen(PromptDialog(f"New property of {self.title_text}", placeholder="name"),
                             lambda name: name and name.strip() and self._ask_range(name.strip()))

    def _ask_range(self, name: str) -> None:
        self.app.push_screen(PromptDialog(f"Range of {name}", placeholder="free,affordable,costly  or  1..5"),
                             lambda value_range: value_range and self._add(name, value_range))

    def _add(self, name: str, value_range: str) -> None:
        from gtcode.services.properties import add_property

        run_service(self, lambda: add_property(self.app.project, self.code_ref, name, value_range),
                    lambda _view: self.notify(f"property {name} added"), group="property-change")

    @on(DataTable.RowSelected)
    def _noop(self, _event) -> None:
        """Rows are read-only; the reader's v locates codings."""

    def action_close(self) -> None:
        self.dismiss(None)
