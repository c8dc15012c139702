"""What the axial and selective screens share: service calls in workers, prompts, undo and redo."""

from __future__ import annotations

from collections.abc import Callable

from textual.binding import Binding

from gtcode.services import codes as codebook
from gtcode.tui.screens.dialogs import Choice, ConfirmDialog, PromptDialog
from gtcode.tui.screens.stage import StageScreen
from gtcode.tui.workers import run_service

UNDO_BINDINGS = [Binding("ctrl+z", "undo", "Undo", priority=True), Binding("ctrl+y", "redo", "Redo", priority=True)]


class ModelStageScreen(StageScreen):
    """A stage screen over the model: it ``reload``s after any write (and on its first show); its changes go
    through services in workers."""

    def show_changes(self, tables: frozenset[str]) -> None:
        super().show_changes(tables)
        self.reload()

    def reload(self) -> None:
        """Re-read what the screen shows (subclasses)."""

    def change(self, act: Callable[[], object], done: str | None = None) -> None:
        """Run a service call; on a refusal show its one-line error, else say what was done (the screens follow
        the change by ``ProjectChanged``)."""

        def said(result: object) -> None:
            message = done or (result if isinstance(result, str) else None)
            if message:
                self.notify(message, timeout=2)

        run_service(self, act, said, group="change")

    def prompt(self, title: str, then: Callable[[str], None], value: str = "", **picker) -> None:
        """Ask in a ``PromptDialog`` (``picker``: its choices, strict, several, what, check); a non-empty answer
        goes to ``then``."""
        def answered(text: str | None) -> None:
            if text is not None and text.strip():
                then(text.strip())

        self.app.push_screen(PromptDialog(title, value=value, **picker), answered)

    def pick_codings(self, title: str, read: Callable[[], list], then: Callable[[str], None]) -> None:
        """Pick codings by their quotations (``read`` gives them, in a worker); a coding id typed is taken too.
        ``then`` gets the chosen ids joined by ", "."""

        def choices() -> list[Choice]:
            found = {coding.id: coding for coding in read()}
            return [Choice(str(c.id), f"«{' '.join(c.quote.split())[:60]}»", str(c.id),
                           f"{c.code_ref} · {c.document_title}") for c in found.values()]

        run_service(self, choices, lambda found: self.prompt(title, then, choices=found, several=True,
                                                             check=coding_id_check, what="coding"), group="pick")

    def confirm(self, question: str, then: Callable[[], None]) -> None:
        self.app.push_screen(ConfirmDialog(question), lambda yes: yes and then())

    def action_undo(self) -> None:
        self.change(lambda: "undid " + codebook.undo(self.project))

    def action_redo(self) -> None:
        self.change(lambda: "redid " + codebook.redo(self.project))


def coding_id_check(typed: str) -> str | None:
    """A coding that is not in the list is taken by its id (the service refuses an unknown one)."""
    return None if typed.isdigit() else f"{typed!r}: pick a quotation from the list (↓) or type a coding id"
