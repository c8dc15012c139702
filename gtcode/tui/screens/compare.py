"""Constant comparison: the quotations of one code, or of two codes side by side, with their sources."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from gtcode.domain.records import CodeInfo, CodingInfo
from gtcode.services.coding import quotes
from gtcode.tui.screens.live import Live
from gtcode.tui.untrusted import content, plain, text
from gtcode.tui.workers import run_service


class CompareScreen(Live, ModalScreen[bool]):
    """Quotations of one or two codes; with two, `m` answers "merge the left into the right"."""

    BINDINGS = [Binding("escape,q", "close", "Close"), Binding("m", "merge", "Merge left into right")]

    def __init__(self, left: CodeInfo, right: CodeInfo | None = None) -> None:
        super().__init__()
        self.left, self.right = left, right

    def compose(self) -> ComposeResult:
        with Horizontal(classes="dialog compare-dialog"):
            for side, code in (("left", self.left), ("right", self.right)):
                if code is None:
                    continue
                with VerticalScroll(classes="compare-column"):
                    yield Label(text(f"{code.ref} {code.label}"), classes="dialog-title")
                    yield Static("loading…", id=f"quotes-{side}")

    WATCHES = frozenset({"coding", "code"})

    def show_changes(self, tables: frozenset[str]) -> None:
        self.load()

    def load(self) -> None:
        project = self.app.project
        for side, code in (("left", self.left), ("right", self.right)):
            if code is not None:
                run_service(self, lambda ref=code.ref: quotes(project, ref), lambda found, side=side: self._show(side, found),
                            group=f"compare-{side}", exclusive=True)

    def _show(self, side: str, found: list[CodingInfo]) -> None:
        lines = [content("[b]$title[/] [dim]$start-$end $ref[/]", title=q.document_title, start=q.start, end=q.end,
                         ref=q.code_ref) + Content("\n  ") + plain(q.quote, multiline=True) for q in found]
        self.query_one(f"#quotes-{side}", Static).update(Content("\n").join(lines) if lines else
                                                         content("[dim]no quotations[/]"))

    def action_close(self) -> None:
        self.dismiss(False)

    def action_merge(self) -> None:
        if self.right is not None:
            self.dismiss(True)
