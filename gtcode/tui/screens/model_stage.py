"""What the axial and selective screens share: service calls in workers, prompts, undo and redo."""

from __future__ import annotations

from collections.abc import Callable

from textual import work
from textual.binding import Binding

from gtcode.services import codes as codebook
from gtcode.services.errors import GtcodeError
from gtcode.tui.screens.dialogs import ConfirmDialog, PromptDialog
from gtcode.tui.screens.stage import StageScreen

UNDO_BINDINGS = [Binding("ctrl+z", "undo", "Undo", priority=True), Binding("ctrl+y", "redo", "Redo", priority=True)]


class ModelStageScreen(StageScreen):
    """A stage screen whose changes go through services in workers, then ``reload`` the view."""

    def reload(self) -> None:
        """Re-read what the screen shows (subclasses)."""

    @work(thread=True, group="change")
    def change(self, act: Callable[[], object], done: str | None = None) -> None:
        """Run a service call; on a refusal show its one-line error, else reload."""
        try:
            result = act()
        except GtcodeError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error")
            return
        message = done or (result if isinstance(result, str) else None)
        if message:
            self.app.call_from_thread(self.notify, message, timeout=2)
        self.app.call_from_thread(self.reload)
        self.app.call_from_thread(self.refresh_status)

    def prompt(self, title: str, then: Callable[[str], None], value: str = "",
               completions: list[str] | None = None) -> None:
        def answered(text: str | None) -> None:
            if text is not None and text.strip():
                then(text.strip())

        self.app.push_screen(PromptDialog(title, value=value, completions=completions), answered)

    def confirm(self, question: str, then: Callable[[], None]) -> None:
        self.app.push_screen(ConfirmDialog(question), lambda yes: yes and then())

    def action_undo(self) -> None:
        self.change(lambda: "undid " + codebook.undo(self.project))

    def action_redo(self) -> None:
        self.change(lambda: "redid " + codebook.redo(self.project))


def code_choices(codes) -> list[str]:
    """Completions for a code by reference (``A6 Policy guarantee``) or by label (``Policy guarantee``)."""
    return [f"{code.ref} {code.label}" for code in codes] + [code.label for code in codes]


def chosen_ref(text: str, codes) -> str:
    """The reference in a completed ``A6 Policy guarantee``, else what was typed (a ref or a label)."""
    head, _, rest = text.partition(" ")
    for code in codes:
        if code.ref == head and (not rest or rest == code.label):
            return code.ref
    return text
