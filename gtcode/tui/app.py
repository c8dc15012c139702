"""The gtcode terminal UI: one mode per stage of grounded theory, each its own screen class."""

from __future__ import annotations

import importlib

from textual.app import App
from textual.binding import Binding

from gtcode.services.project import Project

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


class GtcodeApp(App):
    """The workbench: stages as modes over one open project."""

    TITLE = "gtcode"
    MODES = {mode: _screen_factory(target) for mode, target, _title, _hint in STAGES}
    DEFAULT_MODE = "documents"
    BINDINGS = [
        Binding(f"f{n + 2}", f"switch_mode('{mode}')", title, show=True)
        for n, (mode, _target, title, _hint) in enumerate(STAGES)
    ] + [Binding("ctrl+q", "quit", "Quit", show=True, priority=True)]

    def __init__(self, project: Project, **kwargs):
        super().__init__(**kwargs)
        self.project = project
        self.sub_title = project.info().name


def run_app(project: Project) -> None:
    """Run the TUI on an open project until the user quits."""
    GtcodeApp(project).run()
