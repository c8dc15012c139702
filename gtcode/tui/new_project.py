"""Where `gtcode` starts when there is no project: a screen that creates one in a folder (or opens the one a
folder holds), so that a new user creates, imports and codes without leaving the terminal UI."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Header, Input, Label, Static

from gtcode.domain.display import visible
from gtcode.services.errors import GtcodeError
from gtcode.tui.untrusted import text

class NewProjectApp(App[Path | None]):
    """Ask for a folder and a name; Enter creates the project there (or opens the one it holds) and returns its
    folder; Escape or Ctrl+Q quits without one."""

    TITLE = "gtcode"
    SUB_TITLE = "new project"
    CSS_PATH = Path(__file__).with_name("gtcode.tcss")
    CSS = "Screen { align: center middle; }"
    BINDINGS = [Binding("escape,ctrl+q", "quit", "Quit", priority=True)]

    def __init__(self, proposed: Path, coder: str | None = None) -> None:
        super().__init__()
        self.proposed = proposed
        self.coder = coder

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(classes="dialog new-project"):
            yield Label("Welcome to gtcode: create a project", classes="dialog-title")
            yield Static(text("There is no gtcode project here. A project is a folder that holds "
                              "your material, codes and memos (an SQLite file and gtcode.toml). Give the folder "
                              "(a new one is made; a folder with a project in it is opened) and a name, then Enter.",
                              multiline=True), classes="dialog-context")
            yield Label("Folder")
            yield Input(visible(str(self.proposed)), id="new-folder")
            yield Label("Name (shown in the title bar and exports; empty: the folder's name)")
            yield Input("", placeholder="e.g. Digital villages", id="new-name")
            yield Static("", id="new-status")
            yield Static("Enter create · Tab next field · Esc quit", classes="dialog-keys")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#new-folder", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.create()

    def create(self) -> None:
        """Create the project (or find the one the folder holds) and end with its folder; a refusal stays."""
        from gtcode.services.project import CONFIG_NAME, init_project

        typed = self.query_one("#new-folder", Input).value.strip()
        if not typed:
            self.query_one("#new-status", Static).update(text("Give a folder for the project."))
            return
        folder = (Path.cwd() / Path(typed).expanduser()).resolve()
        if (folder / CONFIG_NAME).is_file():
            self.exit(folder)
            return
        try:
            project = init_project(folder, name=self.query_one("#new-name", Input).value.strip() or None,
                                   coder=self.coder)
        except (GtcodeError, OSError) as error:
            self.query_one("#new-status", Static).update(text(str(error), "red"))
            return
        project.close()
        self.exit(folder)


def create_in_tui(proposed: Path, coder: str | None = None) -> Path | None:
    """Run the new-project screen offering the folder ``proposed``; the folder of the project made (or chosen),
    or None when the user quit."""
    return NewProjectApp(proposed, coder).run()
