"""A code's codebook entry (e on a code in the tree): definition, when to use, when not, and example codings."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static, TextArea

from gtcode.domain.display import visible
from gtcode.tui.untrusted import text


class EntryDialog(ModalScreen[dict | None]):
    """Edit a codebook entry (MacQueen et al. 1998); Ctrl+S returns the fields, Escape cancels."""

    BINDINGS = [Binding("ctrl+s", "save", "Save"), Binding("escape", "cancel", "Cancel")]

    def __init__(self, entry) -> None:
        super().__init__()
        self.entry = entry

    def compose(self) -> ComposeResult:
        e = self.entry
        typical = " ".join(str(x.coding_id) for x in e.examples if x.kind == "typical")
        atypical = " ".join(str(x.coding_id) for x in e.examples if x.kind == "atypical")
        with Vertical(classes="dialog entry-dialog"):
            yield Label(text(f"Codebook entry of {e.ref} {e.label}"), classes="dialog-title")
            yield Static("Definition")
            yield TextArea(visible(e.definition, multiline=True), soft_wrap=True, id="entry-definition")
            yield Static("When to use")
            yield TextArea(visible(e.when_to_use, multiline=True), soft_wrap=True, id="entry-when")
            yield Static("When not to use")
            yield TextArea(visible(e.when_not_to_use, multiline=True), soft_wrap=True, id="entry-not-when")
            yield Input(typical, placeholder="typical examples: coding ids", id="entry-typical")
            yield Input(atypical, placeholder="atypical examples: coding ids", id="entry-atypical")
            for example in e.examples:
                yield Static(text(f"{example.kind} {example.coding_id}: «{example.quote}»"), classes="entry-example")
            yield Static("Ctrl+S save · Esc cancel", classes="dialog-keys")

    def action_save(self) -> None:
        def ids(selector: str) -> list[int] | None:
            words = self.query_one(selector, Input).value.replace(",", " ").split()
            return [int(w) for w in words] if all(w.isdigit() for w in words) else None

        typical, atypical = ids("#entry-typical"), ids("#entry-atypical")
        if typical is None or atypical is None:
            self.notify("examples are coding ids separated by spaces", severity="warning")
            return
        before = {x.coding_id for x in self.entry.examples}
        self.dismiss({"definition": self.query_one("#entry-definition", TextArea).text,
                      "when_to_use": self.query_one("#entry-when", TextArea).text,
                      "when_not_to_use": self.query_one("#entry-not-when", TextArea).text,
                      "examples": tuple(typical), "atypical": tuple(atypical),
                      "drop_examples": tuple(before - set(typical) - set(atypical))})

    def action_cancel(self) -> None:
        self.dismiss(None)
