"""The frame every stage screen shares: header, the stages as modes, a hint of what this stage asks,
where the project stands, and the footer."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from gtcode.tui.screens.dialogs import unknown_ref
from gtcode.tui.screens.live import EVERYTHING, Live
from gtcode.tui.workers import run_service


def status_line(overview: dict) -> str:
    """Where the project stands, in one line."""
    codes = overview["codes"]
    return (
        f"{overview['documents']} documents ({overview['documents_coded']} coded, {overview['holdout']} hold-out) · "
        f"{overview['codings']} codings · {codes['phenomenon']} phenomena · {codes['concept']} concepts · "
        f"{codes['category']} categories · {codes['main']} main · phase {overview['phase']}"
    )


class StageScreen(Live, Screen):
    """Base of the stage screens: subclasses set STAGE and compose their body in `compose_body`."""

    STAGE = "documents"
    BINDINGS = [Binding("E", "export", "Export", show=False)]  # in the help screen and Ctrl+P; footers are full

    @property
    def project(self):
        return self.app.project

    def compose(self) -> ComposeResult:
        from gtcode.tui.app import STAGES

        hint = next(h for mode, _t, _title, h in STAGES if mode == self.STAGE)
        yield Header()
        yield Static(self._stage_bar(STAGES), id="stage-bar")
        yield Static(hint, id="stage-hint")
        yield Static("", id="stage-status")
        yield from self.compose_body()
        yield Footer()

    def _stage_bar(self, stages) -> Text:
        bar = Text()
        for n, (mode, _target, title, _hint) in enumerate(stages):
            style = "bold reverse" if mode == self.STAGE else "dim"
            bar.append(f" F{n + 2} {title} ", style=style)
            bar.append(" ")
        return bar

    def compose_body(self) -> ComposeResult:
        yield from ()

    def action_export(self) -> None:
        """The export dialog, offering first what this stage makes (the codebook on Open coding, ...)."""
        from gtcode.tui.screens.export_dialog import STAGE_EXPORT, ExportDialog

        self.app.push_screen(ExportDialog(STAGE_EXPORT.get(self.STAGE, "codebook")))

    def new_label_check(self, typed: str) -> str | None:
        """Why a new label typed into a picker is refused (it looks like a reference no choice has: "aa7")."""
        return unknown_ref(self.project.prefixes, typed)

    def show_changes(self, tables: frozenset[str]) -> None:
        """Recount where the project stands after any write and on the first show (subclasses extend this)."""
        self.refresh_status()

    def action_refresh(self) -> None:
        """Re-read everything the screen shows and the status line (after a change made outside this TUI)."""
        self.show_changes(EVERYTHING)

    def refresh_status(self) -> None:
        """Recount where the project stands (in a worker) and show it."""
        from gtcode.services.overview import overview

        run_service(self, lambda: status_line(overview(self.project)), self._show_status, group="status",
                    exclusive=True)

    def _show_status(self, line: str) -> None:
        if self.is_attached:
            self.query_one("#stage-status", Static).update(line)
