"""The gtcode terminal UI: one mode per stage of grounded theory, each its own screen class."""

from __future__ import annotations

import importlib
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.signal import Signal

from gtcode.domain.display import visible
from gtcode.services.project import Project
from gtcode.tui.messages import CodeRequested, DocumentRequested, FirstScreenShown, ProjectChanged, UnsavedText

STAGES: tuple[tuple[str, str, str, str], ...] = (
    # mode, module:class, title, what the stage asks of the coder
    ("documents", "documents:DocumentsScreen", "Documents", "Import material and pick a document to read."),
    ("open", "open_coding:OpenCodingScreen", "Open coding",
     "Label spans as phenomena (a), group them into concepts (aa) and categories (A)."),
    ("axial", "axial:AxialScreen", "Axial",
     "Group categories into main categories and fill each one's paradigm."),
    ("selective", "selective:SelectiveScreen", "Selective",
     "Name the core category, write the story line, relate the main categories."),
    ("saturation", "saturation:SaturationScreen", "Saturation",
     "Code the held-out third and see whether new concepts or categories emerge."),
)


def _screen_factory(target: str):
    module_name, class_name = target.split(":")

    def make():
        module = importlib.import_module(f"gtcode.tui.screens.{module_name}")
        return getattr(module, class_name)()

    return make


def _commands():
    from gtcode.tui.commands import JumpProvider

    return JumpProvider


class GtcodeApp(App):
    """The workbench: stages as modes over one open project."""

    TITLE = "gtcode"
    HELP_TITLE = "Everywhere"  # the heading of the app's own keys in the help screen
    CSS_PATH = Path(__file__).with_name("gtcode.tcss")
    COMMANDS = App.COMMANDS | {_commands}
    MODES = {mode: _screen_factory(target) for mode, target, _title, _hint in STAGES}
    SCREENS = {"compare_coders": _screen_factory("compare_coders:CompareCodersScreen"),
               "search": _screen_factory("search:SearchScreen"),
               "matrix": _screen_factory("analysis:MatrixScreen"), "words": _screen_factory("analysis:WordsScreen"),
               "sampling": _screen_factory("sampling:SamplingScreen")}
    DEFAULT_MODE = "documents"
    # screens get -narrow below 100 columns and -short below 32 rows; gtcode.tcss lays them out for 80x24
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]
    BINDINGS = [
        Binding(f"f{n + 2}", f"switch_mode('{mode}')", title, show=True, priority=True)
        for n, (mode, _target, title, _hint) in enumerate(STAGES)
    ] + [  # priority: the reader (a TextArea) binds f6 and f7 to selections
        Binding("f1,question_mark", "help", "Help", key_display="F1"),
        Binding("f7", "memos", "Memos", priority=True),
        Binding("f8", "push_screen('compare_coders')", "Coders", priority=True),
        Binding("f9", "push_screen('search')", "Search", priority=True),
        Binding("f10", "history", "History", show=False, priority=True),  # in the help screen (F1); the footer is full
        Binding("ctrl+q", "quit", "Quit", show=True, priority=True),
    ]

    def __init__(self, project: Project, **kwargs):
        super().__init__(**kwargs)
        self.project = project
        self.unsaved: set[str] = set()  # what typed text is not saved yet (UnsavedText messages keep it)
        self.sub_title = visible(project.info().name)
        self.project_changed: Signal[frozenset[str]] = Signal(self, "project-changed")  # to every live screen
        project.listeners.append(self._written)

    def _written(self, tables: frozenset[str]) -> None:
        """A write was committed (called in the thread that wrote): tell the app (post_message is thread-safe)."""
        if self.is_running:
            self.post_message(ProjectChanged(tables))

    def on_project_changed(self, message: ProjectChanged) -> None:
        """Relay a committed write to every live screen (shown ones re-read now, others when shown again)."""
        self.project_changed.publish(message.tables)

    _pages_checked = False  # whether the check of the database's pages was started

    def on_first_screen_shown(self, _message: FirstScreenShown) -> None:
        """Check the database's pages once the first screen is up: SQLite's check reads the whole file, so the
        start does not wait for it; writes wait for its verdict (``Project.pending_check``) and a damaged file
        is said in one line that stays, every write then refused with it."""
        from gtcode.tui.workers import refusal_text, run_service

        if self._pages_checked:
            return
        self._pages_checked = True
        run_service(self, self.project.pending_check(), group="page-check",
                    refused=lambda error: self.notify(refusal_text(error), severity="error", timeout=600))

    def on_unmount(self) -> None:
        if self._written in self.project.listeners:
            self.project.listeners.remove(self._written)

    def notify(self, message: str, *, title: str = "", severity="information", timeout: float | None = None,
               markup: bool = True) -> None:
        """Show a notification; messages quote titles and labels, so they are never read as markup."""
        super().notify(visible(message, multiline=True), title=visible(title), severity=severity, timeout=timeout,
                       markup=False)

    def open_document(self, document_id: int, span: tuple[int, int] | None = None) -> None:
        """Show a document in the Open coding screen (with ``span`` selected)."""
        self.post_message(DocumentRequested(document_id, span))

    def open_code(self, ref: str) -> None:
        """Show a code in the Open coding screen's tree."""
        self.post_message(CodeRequested(ref))

    def on_document_requested(self, message: DocumentRequested) -> None:
        """Switch to Open coding and hand it the request (it handles and stops it, so it never comes back)."""
        self._to_open_coding(DocumentRequested(message.document_id, message.span))

    def on_code_requested(self, message: CodeRequested) -> None:
        self._to_open_coding(CodeRequested(message.ref))

    def _to_open_coding(self, message: DocumentRequested | CodeRequested) -> None:
        while len(self.screen_stack) > 1:  # the request comes from a screen over a stage (search, memos, a dialog)
            self.pop_screen()
        self.switch_mode("open")
        self.screen.post_message(message)  # queued: a new screen handles it after its mount

    def on_unsaved_text(self, message: UnsavedText) -> None:
        if message.unsaved:
            self.unsaved.add(message.what)
        else:
            self.unsaved.discard(message.what)

    async def action_quit(self) -> None:
        """Quit, after asking when typed text is not saved yet (a memo, the story line)."""
        from gtcode.tui.screens.dialogs import ConfirmDialog

        if not self.unsaved:
            self.exit()
            return
        what = " and the ".join(sorted(self.unsaved))
        self.push_screen(ConfirmDialog(f"Quit and lose the unsaved {what}? (n goes back to it)"),
                         lambda yes: self.exit() if yes else None)

    def action_help(self) -> None:
        from gtcode.tui.screens.help import HelpScreen, binding_table

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(binding_table(self.screen)))

    def action_history(self) -> None:
        from gtcode.tui.screens.history import HistoryScreen

        if not isinstance(self.screen, HistoryScreen):
            self.push_screen(HistoryScreen())

    def action_memos(self) -> None:
        from gtcode.tui.screens.memos import MemoScreen

        if not isinstance(self.screen, MemoScreen):
            self.push_screen(MemoScreen())


def run_app(project: Project) -> None:
    """Run the TUI on an open project until the user quits. Opening it checked the file's header, length and
    schema; the full check of its pages runs once the first screen is up (``on_first_screen_shown``)."""
    GtcodeApp(project).run()
