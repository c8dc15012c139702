"""The frame every stage screen shares: header, a one-line hint of what the stage asks, footer."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Static


class StageScreen(Screen):
    """Base of the stage screens: subclasses set STAGE and compose their body in `compose_body`."""

    STAGE = "documents"

    @property
    def project(self):
        return self.app.project

    def compose(self) -> ComposeResult:
        from gtcode.tui.app import STAGES

        hint = next(h for mode, _t, _title, h in STAGES if mode == self.STAGE)
        yield Header()
        yield Static(hint, id="stage-hint")
        yield from self.compose_body()
        yield Footer()

    def compose_body(self) -> ComposeResult:
        yield from ()
