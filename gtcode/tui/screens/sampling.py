"""The theoretical sampling log: per document its wave, when it was collected and why; Enter edits the highlighted
document's entry, an emptied field clears it (a blinded hold-out document shows and takes none)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Header, Input, Label, Static

from gtcode.domain.display import visible
from gtcode.services.errors import GtcodeError
from gtcode.services.sampling import SamplingEntry
from gtcode.tui.screens.live import Live
from gtcode.tui.untrusted import cut, text
from gtcode.tui.widgets.table import LineTable
from gtcode.tui.workers import notify_refusal, run_service

FIELDS = (("wave", "wave (a number)"), ("collected", "collected (2024-05-01)"), ("rationale", "why it was sampled"))


class SamplingDialog(ModalScreen[dict | None]):
    """The three fields of one document's sampling entry; Enter in the last field saves, Escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, entry: SamplingEntry) -> None:
        super().__init__()
        self.entry = entry

    def compose(self) -> ComposeResult:
        entry = self.entry
        with Vertical(classes="dialog"):
            yield Label(text(f"Sampling of document {entry.document_id}: {entry.title}"), classes="dialog-title")
            values = {"wave": "" if entry.wave is None else str(entry.wave), "collected": entry.collected,
                      "rationale": entry.rationale}
            for name, placeholder in FIELDS:
                yield Input(visible(values[name]), placeholder=placeholder, id=f"sampling-{name}")
            yield Static("Enter next field / save · Esc cancel", classes="dialog-keys")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = list(self.query(Input))
        if event.input is not inputs[-1]:
            inputs[inputs.index(event.input) + 1].focus()
            return
        self.dismiss({name: self.query_one(f"#sampling-{name}", Input).value for name, _ in FIELDS})

    def action_cancel(self) -> None:
        self.dismiss(None)


class SamplingScreen(Live, Screen):
    """Every document in the log's order (wave, then collection date); the saturation curve can follow it."""

    HELP_TITLE = "Theoretical sampling log"
    BINDINGS = [
        Binding("e", "edit", "Edit entry"),
        Binding("escape", "app.pop_screen", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[SamplingEntry] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Theoretical sampling: why each document was collected, in which wave; Enter (or e) edits.",
                     id="sampling-status")
        yield LineTable(id="sampling-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#sampling-table", DataTable)
        table.add_columns("#", "document", "wave", "collected", "why")
        table.focus()

    WATCHES = frozenset({"sampling", "document", "holdout"})

    def show_changes(self, tables: frozenset[str]) -> None:
        self.load()

    def load(self) -> None:
        from gtcode.services.sampling import sampling_log

        run_service(self, lambda: sampling_log(self.app.project), self._show, group="sampling-load", exclusive=True)

    def _show(self, entries: list[SamplingEntry]) -> None:
        self.entries = entries
        table = self.query_one("#sampling-table", DataTable)
        row = table.cursor_row
        table.clear()
        for e in entries:
            table.add_row(text(e.document_id), cut(e.title, max(16, self.app.size.width // 3)),
                          text("" if e.wave is None else e.wave),
                          text(e.collected), text(e.rationale))
        if entries:
            table.move_cursor(row=min(row, len(entries) - 1))
        logged = sum(1 for e in entries if e.wave is not None or e.collected or e.rationale)
        self.query_one("#sampling-status", Static).update(
            f"{logged} of {len(entries)} documents logged; Enter edits the highlighted one. "
            "The saturation curve follows this order with o on F6.")

    @on(DataTable.RowSelected, "#sampling-table")
    def _selected(self, _event) -> None:
        self.action_edit()

    def action_edit(self) -> None:
        table = self.query_one("#sampling-table", DataTable)
        if not self.entries:
            return
        entry = self.entries[table.cursor_row]
        self.app.push_screen(SamplingDialog(entry), lambda values: values is not None and self.save(entry, values))

    def save(self, entry: SamplingEntry, values: dict) -> None:
        """Save one entry; the table follows through ProjectChanged like every screen showing the log."""
        from gtcode.services.sampling import set_sampling

        wave = values["wave"].strip()
        if wave and not wave.isdigit():
            notify_refusal(self, GtcodeError(f"wave {wave!r}: give a whole number such as 2"))
            return
        run_service(self, lambda: set_sampling(self.app.project, entry.document_id, collected=values["collected"],
                                               wave=int(wave) if wave else None, rationale=values["rationale"],
                                               clear_wave=not wave),
                    lambda _saved: self.notify(f"sampling of document {entry.document_id} saved"),
                    group="sampling-change")
