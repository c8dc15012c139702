"""Modal dialogs: a one-line prompt with completion and suggestions, a confirmation, and a memo editor."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from gtcode.domain.display import visible
from gtcode.tui.messages import UnsavedText
from gtcode.tui.untrusted import content, text


class PromptDialog(ModalScreen[str | None]):
    """Ask for one line (a label, a reference); Enter accepts, Escape cancels.

    The title and context are plain text (they quote labels and quotations), never markup. ``completions`` complete what is typed; ``set_suggestions`` fills a list to pick from with the arrows.
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("down", "to_suggestions", "Suggestions", show=False)]

    def __init__(self, title: str, value: str = "", completions: list[str] | None = None,
                 placeholder: str = "", context: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.completions = completions or []
        self.placeholder = placeholder
        self.context = context

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(text(self.title_text), classes="dialog-title")
            if self.context:
                yield Static(text(self.context, multiline=True), classes="dialog-context")
            completions = [visible(c) for c in self.completions]
            suggester = SuggestFromList(completions, case_sensitive=False) if completions else None
            yield Input(visible(self.value), placeholder=visible(self.placeholder), suggester=suggester,
                        id="prompt-input")
            options = OptionList(id="prompt-suggestions")
            options.display = False
            yield options
            yield Static("Enter accept · Tab complete · ↓ suggestions · Esc cancel", classes="dialog-keys")

    def set_suggestions(self, suggestions: list[tuple[str, str]]) -> None:
        """Offer labels to pick, each with why it is suggested."""
        options = self.query_one("#prompt-suggestions", OptionList)
        options.clear_options()
        options.add_options([Option(content("$label  [dim]$why[/]", label=label, why=why), id=f"s{i}")
                             for i, (label, why) in enumerate(suggestions)])
        self._labels = [label for label, _ in suggestions]
        options.display = bool(suggestions)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self._labels[event.option_index])

    def action_to_suggestions(self) -> None:
        options = self.query_one("#prompt-suggestions", OptionList)
        if options.display and options.option_count:
            options.focus()
            options.highlighted = 0

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question before something destructive (it can still be undone)."""

    BINDINGS = [Binding("y", "answer(True)", "Yes"), Binding("n,escape", "answer(False)", "No")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(text(self.question), classes="dialog-title")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Yes (y)", variant="error", id="yes")
                yield Button("No (n)", id="no")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class MemoDialog(ModalScreen[str | None]):
    """Edit a memo; Ctrl+S saves, Escape cancels (control characters in the old text are shown, and saved so)."""

    BINDINGS = [Binding("ctrl+s", "save", "Save"), Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, text: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog memo-dialog"):
            yield Label(text(self.title_text), classes="dialog-title")
            yield TextArea(visible(self.text, multiline=True), soft_wrap=True, id="memo-text")
            yield Static("Ctrl+S save · Esc cancel", classes="dialog-keys")

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.post_message(UnsavedText("memo", self._edited()))

    def _edited(self) -> bool:
        return self.query_one("#memo-text", TextArea).text != visible(self.text, multiline=True)

    def action_save(self) -> None:
        self.post_message(UnsavedText("memo", False))
        self.dismiss(self.query_one("#memo-text", TextArea).text)

    def action_cancel(self) -> None:
        """Leave without saving, after asking when the text was changed."""

        def leave(yes: bool | None) -> None:
            if yes:
                self.post_message(UnsavedText("memo", False))
                self.dismiss(None)

        if self._edited():
            self.app.push_screen(ConfirmDialog("Discard the changes to this memo?"), leave)
        else:
            leave(True)
