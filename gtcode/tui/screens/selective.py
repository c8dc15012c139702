"""The selective stage: the model drawn in the terminal, its relationships, and the story line editor."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import OptionList, Static, TextArea
from textual.widgets.option_list import Option

from gtcode.domain.display import visible
from gtcode.domain.graph import check_model
from gtcode.domain.relations import TYPE_ALIASES
from gtcode.services import codes as codebook
from gtcode.services import selective
from gtcode.services.coding import quotes
from gtcode.services.model_snapshot import snapshot
from gtcode.tui.messages import UnsavedText
from gtcode.tui.screens.dialogs import Choice, MemoDialog, code_picks, relationship_picks
from gtcode.tui.screens.model_stage import UNDO_BINDINGS, ModelStageScreen
from gtcode.tui.untrusted import content, text
from gtcode.tui.widgets.model_graph import ModelGraph, ModelView
from gtcode.tui.workers import run_service


class SelectiveScreen(ModelStageScreen):
    """The drawing on top; the relationships and the story line below. In a short terminal the drawing is shown
    whole and the screen's body scrolls (focus brings each part into view)."""

    STAGE = "selective"
    DEFAULT_CSS = """
    #selective-body { height: 1fr; }
    #model-view { height: 1fr; border: round $primary; }
    #model-status { height: auto; max-height: 3; padding: 0 1; color: $warning; }
    #selective-lower { height: 14; }
    #relations { width: 1fr; height: 1fr; border: round $secondary; }
    #relations:focus { border: round $accent; }
    #storyline-pane { width: 1fr; }
    #storyline { height: 1fr; border: round $secondary; }
    #storyline:focus { border: round $accent; }
    """
    BINDINGS = [
        Binding("n", "relate", "Relate"),
        Binding("x,delete", "unrelate", "Remove"),
        Binding("m", "memo", "Memo"),
        Binding("v", "evidence", "Evidence"),
        Binding("V", "contradicting", "Negative case", show=False),
        Binding("k", "core", "Core"),
        Binding("o", "outcome", "Outcome"),
        Binding("e", "edit_storyline", "Story line"),
        Binding("ctrl+s", "save_storyline", "Save story line", priority=True),
        *UNDO_BINDINGS,
    ]
    HELP_NOTES = [("n", "relate: source, then type, then target (a code or a relationship R1)"),
                  ("tab", "move between the relationships and the story line")]

    def __init__(self) -> None:
        super().__init__()
        self.rels = []
        self.codes = []
        self.types = []
        self.model = None  # the snapshot drawn
        self.saved_storyline = ""  # the story line as stored, to tell typed text from saved text

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="selective-body", can_focus=False):
            with ModelView(id="model-view"):
                yield ModelGraph(id="model-graph")
            yield Static("", id="model-status")
            with Horizontal(id="selective-lower"):
                relations = OptionList(id="relations")
                relations.border_title = "Relationships"
                yield relations
                with Vertical(id="storyline-pane"):
                    editor = TextArea("", soft_wrap=True, id="storyline")
                    editor.border_title = "Story line (ctrl+s saves)"
                    yield editor

    def _draw(self) -> None:
        """Draw the model for the width the view has now (narrower boxes and steps in a narrow terminal)."""
        if self.model is not None:
            width = self.query_one(ModelView).drawing_width
            short = self.has_class("-short")  # the core is named under the view: its rows go to the drawing
            self.query_one(ModelGraph).show(self.model, width if width > 40 else None, core_line=not short)

    def on_model_view_resized(self) -> None:
        self._draw()

    def reload(self) -> None:
        def read():
            return (snapshot(self.project), selective.relations(self.project),
                    codebook.list_codes(self.project, counted=False),
                    selective.relation_types(self.project))

        run_service(self, read, lambda found: self._show(*found), group="selective-load", exclusive=True)

    def _show(self, model, rels, codes, types) -> None:
        self.rels, self.codes, self.types, self.model = rels, codes, types, model
        self._draw()
        core = model.code(model.core) if model.core else None
        outcome = model.code(model.outcome) if model.outcome else None
        lines = [f"Core: {core.ref + ' ' + core.label if core else '— (k)'}   "
                 f"Outcome: {outcome.ref + ' ' + outcome.label if outcome else '— (o)'}"]
        lines += [f"⚠ {issue.message}" for issue in check_model(model)]
        self.query_one("#model-status", Static).update(text("\n".join(map(visible, lines)), multiline=True))
        listing = self.query_one("#relations", OptionList)
        keep = listing.highlighted
        listing.clear_options()
        listing.add_options([Option(self._line(r), id=r.ref) for r in rels] or
                            [Option("[dim]no relationships yet: n relates two codes[/]", id="none", disabled=True)])
        if rels and keep is not None:
            listing.highlighted = min(keep, len(rels) - 1)
        editor = self.query_one("#storyline", TextArea)
        self.saved_storyline = visible(model.storyline, multiline=True)
        if not editor.has_focus and editor.text != self.saved_storyline:
            editor.load_text(self.saved_storyline)
        self.post_message(UnsavedText("story line", editor.text != self.saved_storyline))

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area.id == "storyline":
            self.post_message(UnsavedText("story line", event.text_area.text != self.saved_storyline))

    @staticmethod
    def _line(r):
        line = content("$ref $source ─$type→ $target_ref $target", ref=r.ref, source=r.source_label, type=r.type,
                       target_ref=r.target_ref, target=r.target_label)
        if r.evidence:
            line += content(" [dim]· $count quotations[/]", count=len(r.evidence))
        if r.contradicting:
            line += content(" [dim]· $count contradicting[/]", count=len(r.contradicting))
        return (line + content(" [dim]· memo[/]")) if r.memo else line

    def _current(self):
        listing = self.query_one("#relations", OptionList)
        if listing.highlighted is None or not self.rels:
            self.notify("Pick a relationship first.", severity="warning", timeout=2)
            return None
        return self.rels[listing.highlighted]

    # actions ------------------------------------------------------------------------------------------
    def action_relate(self) -> None:
        """Source, type, target: each picked from a list, and each refused at its own prompt when unknown."""
        codes = code_picks(self.codes)
        targets = codes + relationship_picks(self.rels)
        types = [Choice(t.name, t.name, detail=t.description) for t in self.types]
        types += [Choice(name, alias, detail=f"= {name}") for alias, name in TYPE_ALIASES.items()]

        def with_source(source: str) -> None:
            def with_type(kind: str) -> None:
                def with_target(target: str) -> None:
                    self.change(lambda: selective.relate(self.project, source, kind, target).ref + " added")

                self.prompt(f"{source} {kind} … which code or relationship (R1)?", with_target, choices=targets,
                            strict=True, what="code or relationship")

            self.prompt(f"How does {source} act?", with_type, choices=types, strict=True, what="relation type")

        self.prompt("Relate: the source code", with_source, choices=codes, strict=True, what="code")

    def action_unrelate(self) -> None:
        rel = self._current()
        if rel is not None:
            self.confirm(f"Remove {rel.ref} ({rel.source_label} {rel.type} {rel.target_label})? (ctrl+z undoes)",
                         lambda: self.change(lambda: selective.unrelate(self.project, rel.ref).ref + " removed"))

    def action_memo(self) -> None:
        rel = self._current()
        if rel is None:
            return

        def save(text: str | None) -> None:
            if text is not None:
                self.change(lambda: selective.annotate(self.project, rel.ref, memo=text), f"memo of {rel.ref} saved")

        self.app.push_screen(MemoDialog(f"Memo of {rel.ref}: {rel.source_label} {rel.type} {rel.target_label}",
                                        rel.memo), save)

    def action_evidence(self) -> None:
        rel = self._current()
        if rel is None:
            return

        def add(text: str) -> None:
            ids = text.split(", ")
            self.change(lambda: selective.annotate(self.project, rel.ref, evidence=ids), f"evidence of {rel.ref} added")

        self.pick_codings(f"Quotations that show {rel.ref} (now {len(rel.evidence)})", self._quotes_of(rel), add)

    def action_contradicting(self) -> None:
        """Add negative cases: codings that speak against the highlighted relationship."""
        rel = self._current()
        if rel is None:
            return

        def add(text: str) -> None:
            ids = text.split(", ")
            self.change(lambda: selective.annotate(self.project, rel.ref, contradicting=ids),
                        f"contradicting evidence of {rel.ref} added")

        self.pick_codings(f"Quotations that speak against {rel.ref} (now {len(rel.contradicting)})",
                          self._quotes_of(rel), add)

    def _quotes_of(self, rel):
        """What reads the quotations of a relationship's source and target codes (and the codes under them)."""
        refs = [ref for ref in (rel.source_ref, rel.target_ref) if ref and not selective.is_relationship_ref(ref)]
        return lambda: [coding for ref in refs for coding in quotes(self.project, ref)]

    def action_core(self) -> None:
        self.prompt("The core category (a label; a new one is made)",
                    lambda text: self.change(lambda: f"core: {selective.set_core(self.project, text).label}"),
                    choices=code_picks([c for c in self.codes if c.level.value == "core"], value="label"),
                    check=self.new_label_check)

    def action_outcome(self) -> None:
        self.prompt("The outcome (e.g. shared behavior)",
                    lambda text: self.change(lambda: f"outcome: {selective.set_outcome(self.project, text).label}"),
                    choices=code_picks([c for c in self.codes if c.level.value == "outcome"], value="label"),
                    check=self.new_label_check)

    def action_edit_storyline(self) -> None:
        self.query_one("#storyline", TextArea).focus()

    def action_save_storyline(self) -> None:
        text = self.query_one("#storyline", TextArea).text
        self.change(lambda: selective.set_storyline(self.project, text) and "story line saved")
