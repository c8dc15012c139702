"""Modal dialogs: a one-line prompt with a filtered list to pick from (the one picker), a confirmation, and a
memo editor."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from gtcode.domain.display import visible
from gtcode.tui.messages import UnsavedText
from gtcode.tui.untrusted import content, text


@dataclass(frozen=True)
class Choice:
    """One thing a prompt offers: ``value`` is what picking it answers; typing its ``ref``, its ``label`` or the
    value itself picks it too. ``detail`` says why or where (a quotation's document, a suggestion's reason)."""

    value: str
    label: str
    ref: str = ""
    detail: str = ""

    def matches(self, typed: str) -> bool:
        """Whether ``typed`` names this choice exactly (labels without regard to case)."""
        typed = typed.strip()
        return typed in (self.value, self.ref) or typed.casefold() == self.label.casefold() or \
            typed.casefold() == f"{self.ref} {self.label}".casefold()


def code_picks(codes, value: str = "ref") -> list[Choice]:
    """Codes as choices answering their ref (or their label, ``value="label"``)."""
    return [Choice(code.ref if value == "ref" else code.label, code.label, code.ref, code.level.value)
            for code in codes]


def relationship_picks(relations) -> list[Choice]:
    """Relationships as choices answering their ref (R1)."""
    return [Choice(r.ref, f"{r.source_label} ─{r.type}→ {r.target_label}", r.ref, "relationship") for r in relations]


def unknown_ref(prefixes, typed: str) -> str | None:
    """Why ``typed`` cannot be a new label: it reads as a code reference ("aa7") that no choice had."""
    found = prefixes.parse_ref(typed.strip())
    if found is None:
        return None
    return f"no {found[0].value} {typed.strip()}: pick one from the list (↓), or type a new label that is not a reference"


SHOWN_CHOICES = 200  # the list shows the first matches; typing narrows it


class PromptDialog(ModalScreen[str | None]):
    """Ask for one line (a label, a reference) with a list to pick from; Enter accepts, Escape cancels.

    ``choices`` are listed under the input and filtered by what is typed (its last part after a comma when
    ``several``); ↓ moves into the list, Enter there picks, Tab completes the typed part with the first match.
    ``strict``: only choices are accepted (by ref, label or from the list), anything else is refused here, in the
    dialog, before any later step; otherwise a new text is accepted too, unless ``check`` (text -> the reason to
    refuse, or None) refuses it. The title and context are plain text (they quote labels and quotations), never
    markup. The answer is the chosen values, joined by ", " when ``several``.
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel"), Binding("down", "to_suggestions", "Suggestions", show=False),
                Binding("tab", "complete", "Complete", show=False, priority=True)]
    DEFAULT_CSS = "PromptDialog #prompt-refusal { color: $error; }"

    def __init__(self, title: str, value: str = "", choices: list[Choice] | None = None, placeholder: str = "",
                 context: str = "", strict: bool = False, several: bool = False, what: str = "choice",
                 check: Callable[[str], str | None] | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.choices = list(choices or [])
        self.placeholder = placeholder
        self.context = context
        self.strict, self.several, self.what, self.check = strict, several, what, check
        self.shown: list[Choice] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(text(self.title_text), classes="dialog-title")
            if self.context:
                yield Static(text(self.context, multiline=True), classes="dialog-context")
            yield Input(visible(self.value), placeholder=visible(self.placeholder), id="prompt-input")
            yield Static("", id="prompt-refusal", classes="dialog-refusal")
            options = OptionList(id="prompt-suggestions")
            options.display = False
            yield options
            keys = "Enter accept · Tab complete · ↓ list · Esc cancel" if self.choices or self.strict \
                else "Enter accept · Esc cancel"
            yield Static(keys, classes="dialog-keys")

    def on_mount(self) -> None:
        self._refuse("")
        self._filter()

    def set_suggestions(self, suggestions: list[tuple[str, str]]) -> None:
        """Offer labels first, each with why it is suggested (the other choices follow)."""
        offered = [Choice(label, label, detail=why) for label, why in suggestions]
        taken = {c.value for c in offered}
        self.choices = offered + [c for c in self.choices if c.value not in taken]
        self._filter()

    # filtering and completing ---------------------------------------------------------------------------
    def _typed_part(self) -> str:
        typed = self.query_one("#prompt-input", Input).value
        return typed.rsplit(",", 1)[-1].strip() if self.several else typed.strip()

    def _filter(self) -> None:
        term = self._typed_part().casefold()
        self.shown = [c for c in self.choices if term in f"{c.ref} {c.label} {c.value}".casefold()][:SHOWN_CHOICES]
        options = self.query_one("#prompt-suggestions", OptionList)
        options.clear_options()
        options.add_options([Option(content("[b]$ref[/b] $label  [dim]$detail[/]" if c.ref else "$label  [dim]$detail[/]",
                                            ref=c.ref, label=c.label, detail=c.detail), id=f"c{i}")
                             for i, c in enumerate(self.shown)])
        options.display = bool(self.shown)

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._refuse("")
        self._filter()

    def _put(self, choice: Choice) -> None:
        """Put a choice in place of the typed part (after the earlier ones when ``several``)."""
        field = self.query_one("#prompt-input", Input)
        name = choice.ref or choice.value
        if self.several:
            earlier = [part.strip() for part in field.value.split(",")[:-1] if part.strip()]
            field.value = visible(", ".join([*earlier, name]))
        else:
            field.value = visible(name if choice.ref else choice.value)
        field.cursor_position = len(field.value)

    def action_complete(self) -> None:
        options = self.query_one("#prompt-suggestions", OptionList)
        if self.shown:
            index = options.highlighted if options.has_focus and options.highlighted is not None else 0
            self._put(self.shown[index])
        self.query_one("#prompt-input", Input).focus()

    def action_to_suggestions(self) -> None:
        options = self.query_one("#prompt-suggestions", OptionList)
        if options.display and options.option_count:
            options.focus()
            options.highlighted = 0

    # answering --------------------------------------------------------------------------------------------
    def _resolve(self, part: str) -> str | None:
        """The value ``part`` stands for, or None after showing why it is refused."""
        found = next((c for c in self.choices if c.matches(part)), None)
        if found is not None:
            return found.value
        reason = f"no {self.what} {part!r}: pick one from the list (↓) or type its ref" if self.strict else \
            (self.check(part) if self.check else None)
        if reason:
            self._refuse(reason)
            return None
        return part

    def _refuse(self, reason: str) -> None:
        """Say in the dialog why the answer is not taken (empty: nothing to say)."""
        refusal = self.query_one("#prompt-refusal", Static)
        refusal.update(text(reason))
        refusal.display = bool(reason)

    def _answer(self, typed: str) -> None:
        parts = [part.strip() for part in typed.split(",")] if self.several else [typed.strip()]
        parts = [part for part in parts if part]
        if not parts:
            if self.strict:
                self._refuse(f"pick a {self.what} from the list (↓)")
                return
            self.dismiss(typed)
            return
        values = [self._resolve(part) for part in parts]
        if None not in values:
            self.dismiss(", ".join(values))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._answer(event.value)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        choice = self.shown[event.option_index]
        if self.several:  # picked: back to the input for more, Enter accepts
            self._put(choice)
            self.query_one("#prompt-input", Input).focus()
        else:
            self.dismiss(choice.value)

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
