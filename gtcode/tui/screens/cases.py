"""The cases of the project (a participant, site or organisation grouping documents): a list with each case's
documents and attributes; Enter edits a case's attributes through ``services.cases``."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label, Static

from gtcode.services.errors import GtcodeError
from gtcode.tui.screens.live import Live
from gtcode.tui.untrusted import text
from gtcode.tui.widgets.table import LineTable
from gtcode.tui.workers import run_service


def attributes_line(attributes: dict[str, object]) -> str:
    """``name=value; name=value`` as the attribute prompts show and read it."""
    return "; ".join(f"{name}={value}" for name, value in attributes.items())


def attribute_changes(have: dict[str, object], answer: str) -> tuple[dict[str, str], list[str]]:
    """What an edited ``name=value; ...`` line changes: values new or changed, and names left out (removed)."""
    from gtcode.tui.screens.import_dialog import parse_attributes

    wanted = parse_attributes(answer)
    changed = {name: value for name, value in wanted.items() if name not in have or str(have[name]) != value}
    return changed, [name for name in have if name not in wanted]


class CasesDialog(Live, ModalScreen[None]):
    """Every case with its documents and attributes; Enter edits the highlighted case's attributes."""

    BINDINGS = [Binding("escape,q", "close", "Close"), Binding("enter", "edit", "Edit attributes")]

    def __init__(self) -> None:
        super().__init__()
        self.cases: list = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog import-summary"):
            yield Label("Cases", classes="dialog-title", id="cases-title")
            table = LineTable(id="cases", cursor_type="row", zebra_stripes=True)
            table.add_columns("case", "documents", "attributes")
            yield table
            yield Static("Enter edit attributes · Esc close · c on a document puts it in a case",
                         classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#cases", DataTable).focus()

    WATCHES = frozenset({"case", "case_attribute", "document"})

    def show_changes(self, tables: frozenset[str]) -> None:
        self.load()

    def load(self) -> None:
        """Read the cases in a worker (a newer load makes an older one stale: its cases are never shown)."""
        from gtcode.services.cases import list_cases

        run_service(self, lambda: list_cases(self.app.project), self._show, group="cases", exclusive=True)

    def _show(self, cases: list) -> None:
        self.cases = cases
        table = self.query_one("#cases", DataTable)
        row = table.cursor_row
        table.clear()
        for case in cases:
            table.add_row(text(case.name), text(", ".join(map(str, case.documents)) or "-"),
                          text(attributes_line(case.attributes)), key=case.name)
        if cases:
            table.move_cursor(row=min(row, len(cases) - 1))
        count = f"{len(cases)} case{'s' if len(cases) != 1 else ''}" if cases else \
            "No cases yet: press c on a document to put it in one"
        self.query_one("#cases-title", Label).update(text(count))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def action_edit(self) -> None:
        from gtcode.tui.screens.dialogs import PromptDialog

        table = self.query_one("#cases", DataTable)
        if not self.cases or not table.row_count:
            return
        case = self.cases[table.cursor_row]
        self.app.push_screen(PromptDialog(
            f"Attributes of case {case.name} (name=value; ...; leave one out to remove it)",
            attributes_line(case.attributes)), lambda answer: self._edit(case, answer))

    def _edit(self, case, answer: str | None) -> None:
        if answer is None:
            return
        try:
            changed, removed = attribute_changes(case.attributes, answer)
        except GtcodeError as error:
            self.notify(str(error), severity="error")
            return
        if changed or removed:
            self.save(case.name, changed, removed)

    def save(self, name: str, changed: dict[str, str], removed: list[str]) -> None:
        """Save a case's attributes in a worker (the list follows by ``ProjectChanged``); a refusal in one line."""
        from gtcode.services.cases import set_case

        run_service(self, lambda: set_case(self.app.project, name, changed, [], removed),
                    lambda _case: self.notify(f"case {name}: attributes saved (u on Documents undoes it)"),
                    refused=lambda error: self.notify(str(error), severity="error"), group="cases-save",
                    exclusive=True)

    def action_close(self) -> None:
        self.dismiss(None)
