"""Importing from the Documents screen: the file/folder picker with kind, attributes (and, after the hold-out
release, the phase) asked once for the batch, and the summary of what was imported, skipped or refused."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, DirectoryTree, Input, Label, Select, Static

from gtcode.domain.display import visible
from gtcode.domain.records import DOCUMENT_KINDS, ImportResult
from gtcode.tui.untrusted import text
from gtcode.tui.widgets.table import LineTable



@dataclass(frozen=True)
class ImportRequest:
    """What the researcher asked to import: paths, and the kind, attributes and phase of the whole batch."""

    paths: tuple[str, ...]
    kind: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    material: str | None = None


class ImportableTree(DirectoryTree):
    """Folders and the files gtcode imports (the one list of formats), without hidden ones."""

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        from gtcode.text.formats import supported

        return [path for path in paths if not path.name.startswith(".") and (path.is_dir() or supported(path))]


def parse_attributes(value: str) -> dict[str, str]:
    """``gender=female; age=34`` as a mapping (``;`` or ``,`` between pairs); GtcodeError when malformed."""
    from gtcode.services.corpus import parse_attribute_options

    return parse_attribute_options(part for part in value.replace(";", ",").split(",") if part.strip())


class ImportDialog(ModalScreen[ImportRequest | None]):
    """Pick a file or folder (or type its path); Ctrl+S or the Import button imports, Escape cancels."""

    BINDINGS = [Binding("ctrl+s", "accept", "Import"), Binding("escape", "cancel", "Cancel")]

    def __init__(self, root: Path, released: bool) -> None:
        super().__init__()
        self.root = root
        self.released = released

    def compose(self) -> ComposeResult:
        from gtcode.text.formats import suffix_list

        with Vertical(classes="dialog import-dialog"):
            yield Label("Import documents", classes="dialog-title")
            yield Static(text(f"A file or a folder (walked whole) of {suffix_list()}", multiline=True),
                         classes="dialog-context")
            yield ImportableTree(self.root, id="import-tree")
            yield Input(placeholder="path of a file or folder", id="import-path")
            yield Select([(kind, kind) for kind in DOCUMENT_KINDS], prompt="kind: as the file says (else other)",
                         id="import-kind")
            yield Input(placeholder="attributes for every document: gender=female; age=34", id="import-attrs")
            if self.released:
                yield Select([("new build material (theoretical sampling)", "build"),
                              ("further saturation material", "saturation")],
                             prompt="after the release: what are these documents?", id="import-phase")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Import (Ctrl+S)", variant="primary", id="import")
                yield Button("Cancel (Esc)", id="cancel")

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        event.stop()
        self.query_one("#import-path", Input).value = visible(str(event.path))

    def on_directory_tree_directory_selected(self, event: DirectoryTree.DirectorySelected) -> None:
        event.stop()
        self.query_one("#import-path", Input).value = visible(str(event.path))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_accept() if event.button.id == "import" else self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_accept()

    def action_accept(self) -> None:
        from gtcode.services.errors import GtcodeError

        path = self.query_one("#import-path", Input).value.strip()
        if not path:
            self.app.notify("pick a file or folder in the tree, or type its path", severity="warning")
            return
        try:
            attributes = parse_attributes(self.query_one("#import-attrs", Input).value)
        except GtcodeError as error:
            self.app.notify(str(error), severity="error")
            return
        kind = self.query_one("#import-kind", Select).value
        material = None
        if self.released:
            material = self.query_one("#import-phase", Select).value
            if not isinstance(material, str):  # nothing chosen
                self.app.notify("the hold-out is released: choose whether these documents are new build material "
                                "or further saturation material", severity="warning")
                return
        self.dismiss(ImportRequest((path,), kind if isinstance(kind, str) else None, attributes, material))

    def action_cancel(self) -> None:
        self.dismiss(None)


def summary_line(results: list[ImportResult]) -> str:
    """"3 imported, 1 skipped, 1 refused"."""
    count = {status: sum(1 for r in results if r.status == status) for status in ("imported", "skipped", "failed")}
    return f"{count['imported']} imported, {count['skipped']} skipped, {count['failed']} refused"


class ImportSummary(ModalScreen[None]):
    """Every file imported, skipped or refused, with the reason; Escape or Enter closes."""

    BINDINGS = [Binding("escape,enter,q", "close", "Close")]

    def __init__(self, results: list[ImportResult]) -> None:
        super().__init__()
        self.results = results

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog import-summary"):
            yield Label(summary_line(self.results), classes="dialog-title", id="import-summary-line")
            table = LineTable(id="import-results", cursor_type="row", zebra_stripes=True)
            table.add_columns("", "file", "what happened")
            for result in self.results:
                status = {"imported": "imported", "skipped": "skipped", "failed": "refused"}[result.status]
                style = {"imported": "green", "skipped": "yellow", "failed": "red"}[result.status]
                reason = result.message.split(": ", 1)[-1] if result.message.startswith(result.path) else result.message
                table.add_row(text(status, style), text(Path(result.path).name), text(reason))
            yield table
            yield Static("Esc close", classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one("#import-results", DataTable).focus()

    def action_close(self) -> None:
        self.dismiss(None)
