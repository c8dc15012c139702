"""The axial stage: pick a main category, fill its paradigm as a grid of six slots.

Each slot lists its categories and its own sentence; problems (an empty slot, a category in two
slots, one grouped under no main category) show inline. ``q`` shows the quotations behind the
categories of the slot in focus; ``e`` and ``V`` weigh codings for and against the slot (negative cases).
"""

from __future__ import annotations

from textual.content import Content
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Horizontal, Vertical, VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from gtcode.domain.display import visible
from gtcode.domain.levels import Level
from gtcode.domain.paradigm import Slot
from gtcode.services import axial
from gtcode.services import codes as codebook
from gtcode.services.axial import ParadigmInfo, SlotInfo
from gtcode.tui.screens.dialogs import code_picks
from gtcode.tui.screens.model_stage import UNDO_BINDINGS, ModelStageScreen
from gtcode.tui.untrusted import content, plain, text
from gtcode.tui.workers import run_service

TEXT_ID = "text"


class SlotPanel(OptionList):
    """One paradigm slot: its categories, then its sentence."""

    def __init__(self, slot: Slot) -> None:
        super().__init__(id=f"slot-{slot.value}", classes="slot")
        self.slot = slot
        self.border_title = slot.title

    def show(self, info: SlotInfo, flagged: set[str], issue: str) -> None:
        self.clear_options()
        options = [Option(plain(f"{'⚠ ' if c.ref in flagged else ''}{c.ref}: {c.label}"), id=c.ref)
                   for c in info.categories]
        if info.text:
            options.append(Option(plain(f"«{info.text}»"), id=TEXT_ID))
        if not options:
            options.append(Option("[dim](empty)[/]", id="empty", disabled=True))
        self.add_options(options)
        weighed = (f"{len(info.supporting)} for · {len(info.contradicting)} against"
                   if info.supporting or info.contradicting else "")
        self.border_subtitle = plain(" · ".join(part for part in (issue, weighed) if part))
        self.set_class(bool(issue or weighed), "-weighed")  # a short screen draws the bottom border only then

    @property
    def current(self) -> str | None:
        if self.highlighted is None:
            return None
        return self.get_option_at_index(self.highlighted).id


class AxialScreen(ModelStageScreen):
    """Main categories on the left, the chosen one's paradigm as a grid on the right."""

    STAGE = "axial"
    DEFAULT_CSS = """
    #axial-body { height: 1fr; }
    #mains { width: 30; border: round $primary; }
    #paradigm-pane { width: 1fr; }
    #paradigm-title { height: 1; padding: 0 1; text-style: bold; }
    #slots { grid-size: 2 3; grid-gutter: 0 1; height: 1fr; }
    .slot { height: 1fr; border: round $secondary; scrollbar-size-vertical: 1; scrollbar-gutter: stable; }
    .slot:focus { border: round $accent; }
    #paradigm-issues { height: auto; max-height: 4; color: $warning; padding: 0 1; }
    #slot-quotes { height: 10; border: round $primary; display: none; }
    /* 80x24: the list as tall as the screen and narrower, the slots one row more each (no bottom border but
       where a count is due), so a slot shows more of its categories and sentence. A slot's text
       width never changes: the same side borders at every size class, and a thin scroll bar's place kept
       whether it shows or not (else a sentence that just fits has two stable layouts, wrapped with or without
       the bar, and which one is drawn depends on the order of layout) */
    AxialScreen.-narrow #mains { width: 24; height: 1fr; }
    AxialScreen.-short #slots { grid-gutter: 0 1; }
    AxialScreen.-short .slot { border-bottom: none; }
    AxialScreen.-short .slot.-weighed { border-bottom: round $secondary; }
    AxialScreen.-short .slot.-weighed:focus { border-bottom: round $accent; }
    """
    BINDINGS = [
        Binding("a", "add", "Add category"),
        Binding("t", "text", "Slot text"),
        Binding("x,delete", "remove", "Remove"),
        Binding("c", "clear", "Clear slot"),
        Binding("q", "quotes", "Quotations"),
        Binding("e", "evidence", "Evidence", show=False),
        Binding("V", "contradicting", "Negative case", show=False),
        Binding("g", "group", "Group into main"),
        *UNDO_BINDINGS,
    ]
    HELP_NOTES = [("tab", "move between the main categories and the six slots"),
                  ("a (completion)", "type a category's ref or label; Tab completes"),
                  ("e / V", "coding ids (shown by q) that back / speak against the slot")]

    def __init__(self) -> None:
        super().__init__()
        self.main_ref: str | None = None
        self.info: ParadigmInfo | None = None
        self.categories = []
        self.mains = []

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="axial-body"):
            mains = OptionList(id="mains")
            mains.border_title = "Main categories"
            yield mains
            with Vertical(id="paradigm-pane"):
                yield Static("Pick a main category (group categories into one with g).", id="paradigm-title")
                with Grid(id="slots"):
                    for slot in Slot:
                        yield SlotPanel(slot)
                yield Static("", id="paradigm-issues")
                with VerticalScroll(id="slot-quotes"):
                    yield Static("", id="slot-quotes-text")

    # loading ------------------------------------------------------------------------------------------
    def reload(self) -> None:
        main_ref = self.main_ref

        def read():
            mains = axial.main_categories(self.project)
            categories = codebook.list_codes(self.project, Level.CATEGORY, counted=False)
            wanted = main_ref if any(m.ref == main_ref for m in mains) else (mains[0].ref if mains else None)
            return mains, categories, axial.paradigm(self.project, wanted) if wanted else None

        run_service(self, read, lambda found: self._show(*found), group="axial-load", exclusive=True)

    def _show(self, mains, categories, info: ParadigmInfo | None) -> None:
        self.mains, self.categories, self.info = mains, categories, info
        self.main_ref = info.main_ref if info else None
        listing = self.query_one("#mains", OptionList)
        listing.clear_options()
        listing.add_options([Option(content("$ref $label [dim]($children)[/]", ref=m.ref, label=m.label,
                                            children=m.children), id=m.ref) for m in mains])
        if info is not None:
            listing.highlighted = next(i for i, m in enumerate(mains) if m.ref == info.main_ref)
        self._show_paradigm()

    def _show_paradigm(self) -> None:
        info = self.info
        title = self.query_one("#paradigm-title", Static)
        issues = self.query_one("#paradigm-issues", Static)
        if info is None:
            title.update("No main categories yet: group categories into one with g.")
            issues.update("")
            return
        title.update(text(f"Paradigm of {info.main_ref} {info.main_label}"))
        for panel in self.query(SlotPanel):
            mine = [issue for issue in info.issues if issue.slot == panel.slot]
            flagged = {issue.ref for issue in mine if issue.ref}
            marks = "⚠ " + "; ".join(issue.message.split(": ", 1)[-1] for issue in mine) if mine else ""
            panel.show(info.slot(panel.slot), flagged, marks)
        issues.update(text("\n".join(f"⚠ {visible(issue.message)}" for issue in info.issues if issue.ref),
                           multiline=True))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "mains":
            self.main_ref = event.option.id
            self.reload()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "mains" and event.option.id != self.main_ref:
            self.main_ref = event.option.id
            self.reload()

    # actions ------------------------------------------------------------------------------------------
    def _slot(self) -> SlotPanel | None:
        focused = self.focused
        if isinstance(focused, SlotPanel) and self.main_ref:
            return focused
        if self.main_ref:
            self.notify("Move to a slot first (Tab).", severity="warning", timeout=2)
        else:
            self.notify("Pick or make a main category first (g groups categories into one).", severity="warning")
        return None

    def action_add(self) -> None:
        panel = self._slot()
        if panel is None:
            return
        main = self.main_ref

        def add(text: str) -> None:
            refs = text.split(", ")
            self.change(lambda: axial.set_slot(self.project, main, panel.slot, refs), f"added to {panel.slot.title}")

        self.prompt(f"Add categories to {panel.slot.title} of {main} (comma between several)", add,
                    choices=code_picks(self.categories), strict=True, several=True, what="category")

    def action_text(self) -> None:
        panel = self._slot()
        if panel is None:
            return
        main, current = self.main_ref, self.info.slot(panel.slot).text

        def set_text(text: str) -> None:
            self.change(lambda: axial.set_slot(self.project, main, panel.slot, text=text), "sentence saved")

        self.prompt(f"The sentence of {panel.slot.title} of {main}", set_text, value=current)

    def action_remove(self) -> None:
        panel = self._slot()
        if panel is None or panel.current in (None, "empty"):
            return
        main, item = self.main_ref, panel.current
        if item == TEXT_ID:
            self.change(lambda: axial.set_slot(self.project, main, panel.slot, text=""), "sentence removed")
        else:
            self.change(lambda: axial.set_slot(self.project, main, panel.slot, remove=[item]), f"{item} removed")

    def action_clear(self) -> None:
        panel = self._slot()
        if panel is None:
            return
        main = self.main_ref
        self.confirm(f"Empty {panel.slot.title} of {main}? (ctrl+z undoes)",
                     lambda: self.change(lambda: axial.set_slot(self.project, main, panel.slot, clear=True),
                                         "slot emptied"))

    def action_group(self) -> None:
        def members(label: str) -> None:
            def group(text: str) -> None:
                refs = text.split(", ")
                self.main_ref = None
                self.change(lambda: codebook.group(self.project, "main", label, refs), f"grouped into {label}")

            self.prompt(f"Categories to group into {label} (comma between several)", group,
                        choices=code_picks(self.categories), strict=True, several=True, what="category")

        self.prompt("Main category (a new label, or an existing one by label or ref)", members,
                    choices=code_picks(self.mains, value="label"), check=self.new_label_check)

    def _weigh(self, stance: str) -> None:
        panel = self._slot()
        if panel is None:
            return
        main, now = self.main_ref, self.info.slot(panel.slot)
        against = stance == "contradicting"
        listed = now.contradicting if against else now.supporting

        def weigh(typed: str) -> None:
            ids = typed.split(", ")
            self.change(lambda: axial.slot_evidence(self.project, main, panel.slot, **{stance: ids}),
                        f"{stance} evidence of {panel.slot.title} added")

        def read():
            return [coding for found in axial.slot_quotes(self.project, main, panel.slot).values() for coding in found]

        self.pick_codings(f"Quotations that {'speak against' if against else 'back'} {panel.slot.title} of {main} "
                          f"(now {len(listed)}; a coding id is taken too)", read, weigh)

    def action_evidence(self) -> None:
        """Add codings that back the slot in focus."""
        self._weigh("supporting")

    def action_contradicting(self) -> None:
        """Add negative cases: codings that speak against the slot in focus."""
        self._weigh("contradicting")

    def action_quotes(self) -> None:
        pane = self.query_one("#slot-quotes")
        panel = self._slot() if not pane.display else None
        if panel is None:
            pane.display = False
            return
        pane.display = True
        pane.border_title = plain(f"Quotations behind {panel.slot.title}")
        self._load_quotes(self.main_ref, panel.slot)

    def _load_quotes(self, main: str, slot: Slot) -> None:
        run_service(self, lambda: axial.slot_quotes(self.project, main, slot), self._show_quotes, group="axial-quotes",
                    exclusive=True)

    def _show_quotes(self, found: dict) -> None:
        lines = []
        for ref, quotes in found.items():
            heading = {"supporting": "Evidence for the slot", "contradicting": "Negative cases"}.get(ref, ref)
            lines.append(content("[b]$ref[/b] ($count)", ref=heading, count=len(quotes)))
            lines += [content("  «$quote» [dim]$title · $ref · coding $id[/]", quote=q.quote, title=q.document_title,
                              ref=q.code_ref, id=q.id) for q in quotes]
        shown = Content("\n").join(lines) if lines else "No categories in this slot."
        self.query_one("#slot-quotes-text", Static).update(shown)
