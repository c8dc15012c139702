"""The export dialog: what (codebook, model, tables, project, saturation report), format and path, in one place.

The export runs in a worker through `services.exports.run_export`, the same functions the CLI's export commands
run; a refusal stays in the dialog (one line, so the path or format can be changed), a success closes it and
says what was written in one notification.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from gtcode.services.exports import EXPORTS, export_kind, run_export
from gtcode.tui.untrusted import text
from gtcode.tui.workers import run_service

STAGE_EXPORT = {"documents": "project", "open": "codebook", "axial": "tables", "selective": "model",
                "saturation": "saturation"}
"""What the dialog offers first on each stage."""


class ExportDialog(ModalScreen[str | None]):
    """Choose what to export, its format and where; Ctrl+S or Export writes it, Escape cancels."""

    BINDINGS = [Binding("ctrl+s", "export", "Export"), Binding("escape", "cancel", "Cancel")]

    def __init__(self, what: str = "codebook", fmt: str | None = None, options: dict[str, str] | None = None) -> None:
        """``options``: the export command's options as the screen that opens the dialog shows them (the saturation
        curve's ``order``; a matrix's ``level``, ``columns`` and ``count``)."""
        super().__init__()
        self.what = export_kind(what).name
        self.fmt = fmt or export_kind(what).formats[0]
        self.options = dict(options or {})
        self._typed_path = False  # once the path is typed, changing what or format leaves it alone

    def compose(self) -> ComposeResult:
        export = export_kind(self.what)
        with Vertical(classes="dialog export-dialog"):
            yield Label("Export", classes="dialog-title")
            yield Select([(e.title, e.name) for e in EXPORTS], value=self.what, allow_blank=False, id="export-what")
            yield Select([(f, f) for f in export.formats], value=self.fmt, allow_blank=False, id="export-format")
            yield Input(str(export.default_path(self.app.project, self.fmt)), id="export-path")
            yield Static(text(f"the same as {export.command_for(self.options)}"), id="export-status")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Export (ctrl+s)", variant="primary", id="export")
                yield Button("Cancel (esc)", id="cancel")

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        if event.select.id == "export-what" and event.value != self.what:
            self.what = str(event.value)
            export = export_kind(self.what)
            formats = self.query_one("#export-format", Select)
            self.fmt = export.formats[0]
            formats.set_options([(f, f) for f in export.formats])
            formats.value = self.fmt
        elif event.select.id == "export-format" and event.value is not Select.BLANK:
            self.fmt = str(event.value)
        export = export_kind(self.what)
        if not self._typed_path:
            path = self.query_one("#export-path", Input)
            path.value = str(export.default_path(self.app.project, self.fmt))
        self._status(f"the same as {export.command_for(self.options)}")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.value != str(export_kind(self.what).default_path(self.app.project, self.fmt)):
            self._typed_path = True

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_export()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_export() if event.button.id == "export" else self.action_cancel()

    def _status(self, line: str) -> None:
        self.query_one("#export-status", Static).update(text(line))

    def action_export(self) -> None:
        """Write the export in a worker (a newer press cancels an older one, whose line is then not shown)."""
        self._status("exporting…")
        project, what, fmt, options = self.app.project, self.what, self.fmt, dict(self.options)
        path = self.query_one("#export-path", Input).value.strip()
        run_service(self, lambda: run_export(project, what, path, fmt, options), lambda result: self._done(result.line()),
                    refused=lambda error: self._status(f"refused: {error}"), group="export", exclusive=True)

    def _done(self, line: str) -> None:
        self.app.notify(line)
        self.dismiss(line)

    def action_cancel(self) -> None:
        self.dismiss(None)
