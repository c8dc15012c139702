"""The open coding stage: read a document, code spans as phenomena, and build the codebook tree."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static, TextArea

from gtcode.domain.colours import PALETTE, normal_colour
from gtcode.domain.levels import Level
from gtcode.domain.records import CodeInfo, CodingInfo
from gtcode.services import codes as codebook
from gtcode.services.coding import adjust, code_span, uncode
from gtcode.services.errors import Conflict
from gtcode.services.memos import memo_of, write_memo
from gtcode.services.reading import ReaderView, prepare_suggestions, reader_codings, reader_view, suggest_for_span
from gtcode.tui.hints import tui_message
from gtcode.tui.messages import CodeRequested, DocumentRequested
from gtcode.tui.screens.dialogs import Choice, ConfirmDialog, MemoDialog, PromptDialog, code_picks
from gtcode.tui.screens.live import EVERYTHING, touches
from gtcode.tui.screens.stage import StageScreen
from gtcode.tui.widgets.codebook import CodebookTree
from gtcode.tui.untrusted import content
from gtcode.tui.widgets.reader import Reader
from gtcode.tui.workers import notify_refusal, run_service

GROUP_INTO = {Level.PHENOMENON: Level.CONCEPT, Level.CONCEPT: Level.CATEGORY, Level.CATEGORY: Level.MAIN}


def _short(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


class OpenCodingScreen(StageScreen):
    """Reader on the left, codebook tree on the right; every change goes through the services."""

    STAGE = "open"
    BINDINGS = [
        Binding("c", "code", "Code"),
        Binding("s", "select_sentence", "Sentence"),
        Binding("right_square_bracket", "jump(True)", "Next coding", key_display="]"),
        Binding("left_square_bracket", "jump(False)", "Prev coding", key_display="["),
        Binding("u", "next_uncoded", "Uncoded"),
        Binding("d", "remove_coding", "Remove coding"),
        Binding("a", "adjust_coding", "Adjust to selection"),
        Binding("n", "memo", "Memo"),
        Binding("N", "document_memo", "Document memo", show=False),
        Binding("p", "properties", "Properties", show=False),
        Binding("e", "entry", "Codebook entry", show=False),
        Binding("v", "dimension", "Dimension value", show=False),
        Binding("g", "group", "Group marked"),
        Binding("r", "rename", "Rename", show=False),
        Binding("k", "colour", "Colour", show=False),
        Binding("m", "move", "Move", show=False),
        Binding("M", "merge", "Merge", show=False),
        Binding("x", "split", "Split", show=False),
        Binding("delete", "delete_code", "Delete code", show=False),
        Binding("equals_sign", "compare", "Compare", key_display="="),
        Binding("ctrl+z", "undo", "Undo", priority=True),
        Binding("ctrl+y", "redo", "Redo", priority=True),
    ]
    HELP_NOTES = [("shift+arrows / mouse drag", "select text in the reader"),
                  ("tab", "move between the reader and the codebook tree"),
                  ("space (tree)", "mark codes to group, merge or compare")]

    def __init__(self) -> None:
        super().__init__()
        self.view: ReaderView | None = None
        self.requested_id: int | None = None  # the document last asked for (shown, or still being read)
        self.requested_span: tuple[int, int] | None = None  # the span to select in it
        self.wanted_ref: str | None = None  # a code asked for before the tree had it
        self._legend_shown = None  # the reader's legend the screen shows now
        self._suggesting: set[str] = set()  # languages whose label suggestions were prepared

    def compose_body(self) -> ComposeResult:
        with Horizontal(id="open-body"):
            with Vertical(id="reader-pane"):
                yield Static("No document open: pick one on the Documents screen (F2) or with Ctrl+P.",
                             id="doc-title")
                yield Reader(id="reader")
                yield Static("", id="margin")
                yield Static("", id="legend")
            with Vertical(id="codebook-pane"):
                yield CodebookTree(id="codebook")
                yield Static("", id="code-detail")  # the highlighted code in full: tree labels are cut

    @property
    def reader(self) -> Reader:
        return self.query_one(Reader)

    @property
    def tree(self) -> CodebookTree:
        return self.query_one(CodebookTree)

    WATCHES = None  # codes, codings, memos and documents all show here (and in the status line)

    def show_changes(self, tables: frozenset[str]) -> None:
        """Re-read the tree and the open document's codings (labels, undone codings) after any write."""
        super().show_changes(tables)
        if touches(tables, "code", "coding", "project"):
            self.reload_codes()
        if self.requested_id is not None and touches(tables, "document", "segment"):  # retitled, or deleted
            # the document asked for, not the one shown: a request still being read would be undone by it
            arriving = self.view is None or self.view.document.id != self.requested_id
            self._load(self.requested_id, self.requested_span if arriving else None, refused=self._lost)
        elif self.view is not None and touches(tables, "coding", "code"):
            self._reload_codings()

    def on_document_requested(self, message: DocumentRequested) -> None:
        message.stop()  # handled here: it must not bubble back to the app, which sent it
        self.show_document(message.document_id, message.span)

    def on_code_requested(self, message: CodeRequested) -> None:
        message.stop()
        self.wanted_ref = message.ref
        self.select_code(message.ref)

    # loading -------------------------------------------------------------------------------------------
    def show_document(self, document_id: int, span: tuple[int, int] | None = None) -> None:
        """Open a document in the reader (read in a worker; a newer request makes an older load stale)."""
        self.requested_id, self.requested_span = document_id, span
        self.query_one("#doc-title", Static).update("loading…")
        self._load(document_id, span)

    def _load(self, document_id: int, span: tuple[int, int] | None = None, refused=None) -> None:
        run_service(self, lambda: reader_view(self.project, document_id), lambda view: self._show_view(view, span),
                    refused=refused, group="load", exclusive=True)

    def _lost(self, error: Exception) -> None:
        """The open document went (deleted elsewhere, or undone): empty the reader and say so."""
        self.view = None
        self.requested_id = self.requested_span = None
        self.reader.show("", [], [])
        self.query_one("#doc-title", Static).update(content("[dim]$why[/]", why=tui_message(error)))
        self.query_one("#margin", Static).update("")

    def _show_view(self, view: ReaderView, span: tuple[int, int] | None = None) -> None:
        self.view = view
        self.reader.show(view.text, view.segments, view.codings)
        if span is not None:  # a search hit, a quotation or a memo's link opened here
            self.reader.select_span(*span)
        self.reader.focus()
        self._update_margin()

    def _prepare_suggestions(self, lang: str) -> None:
        """Tokenise the phenomena for this language's label suggestions once text is selected in a document of
        it (a coder about to code), once per language (later prompts re-tokenise only what changed): the prompt
        that follows waits only for what is left, and a coder who only reads spends neither the CPU nor the memory
        (jieba's dictionaries and every phenomenon's word bag: 150-190 MB at 6,000 phenomena)."""
        if lang not in self._suggesting:
            self._suggesting.add(lang)
            run_service(self, lambda: prepare_suggestions(self.project, lang), lambda _none: None,
                        group=f"suggest-{lang}")

    def _reload_codings(self) -> None:
        document_id = self.view.document.id

        def show(codings: list[CodingInfo]) -> None:
            if self.view is not None and self.view.document.id == document_id:
                self.reader.replace_codings(codings)
                self._update_margin()

        run_service(self, lambda: reader_codings(self.project, document_id), show, group="codings", exclusive=True)

    def _update_title(self) -> None:
        doc = self.view.document
        self.query_one("#doc-title", Static).update(content(
            "[b]$title[/b]  [dim]#$id · $kind · $lang · $characters chars · $segments sentences · $codings codings[/]",
            title=doc.title, id=doc.id, kind=doc.kind, lang=doc.lang, characters=doc.characters,
            segments=doc.segments, codings=len(self.reader.codings)))

    def reload_codes(self) -> None:
        """Re-read the codes (without counting codings: the tree asks for the counts of what it shows)."""
        run_service(self, lambda: codebook.list_codes(self.project, counted=False), self._show_codes, group="codes",
                    exclusive=True)

    def on_codebook_tree_counts_wanted(self, message: CodebookTree.CountsWanted) -> None:
        """Count the codings of the phenomena the tree has just built, and hand the counts back."""
        ids, generation = message.code_ids, message.generation

        def show(counts: dict[int, int]) -> None:
            self.tree.show_counts(counts, generation)
            self._show_code_detail(self.tree.current_code)

        run_service(self, lambda: codebook.coding_counts(self.project, ids), show, group="code-counts")

    def _show_codes(self, codes: list[CodeInfo]) -> None:
        self.tree.show_codes(codes)
        self.reader.set_colours({c.id: c.colour for c in codes})
        self._update_margin()
        if self.wanted_ref:
            self.select_code(self.wanted_ref)

    def select_code(self, ref: str) -> None:
        """Put the tree's cursor on a code (once the tree has it: a palette jump may come before the codes)."""
        found = next((c for c in self.tree.codes.values() if c.ref == ref), None)
        if found is not None and self.tree.select_code(found.id):
            self.wanted_ref = None
            self.tree.focus()

    def on_tree_node_highlighted(self, event) -> None:
        self._show_code_detail(event.node.data)

    def _show_code_detail(self, code: CodeInfo | None) -> None:
        """The highlighted code in full, with its codings (once counted) or what it holds."""
        if code is not None and code.level == Level.PHENOMENON:
            counted = self.tree.coding_count(code.id)
            count = f"{'…' if counted is None else counted} codings"
        else:
            count = f"{code.children} in it" if code is not None else ""
        self.query_one("#code-detail", Static).update(
            content("[b]$ref[/b] $label [dim]($level, $count)[/]", ref=code.ref, label=code.label, level=code.level.value,
                    count=count) if code is not None else "")

    # margin ---------------------------------------------------------------------------------------------
    def on_text_area_selection_changed(self, event: TextArea.SelectionChanged) -> None:
        self._update_margin()
        if self.view is not None and not event.selection.is_empty:
            self._prepare_suggestions(self.view.document.lang)

    def _update_margin(self) -> None:
        if self.view is None:
            return
        self._update_title()
        reader = self.reader
        row = reader.selection.end[0]
        here = reader.cursor_offset
        parts = [content("$here[b]$ref[/b] $label [dim]$start-$end coding $id[/]",
                         here="▶" if c.start <= here < c.end else " ", ref=c.code_ref, label=c.code_label,
                         start=c.start, end=c.end, id=c.id) for c in reader.codings_on_row(row)]
        sentence = reader.sentence_at(here)
        where = "".join((f" · p. {sentence.page}" if sentence and sentence.page else "",
                         f" · {sentence.time}" if sentence and sentence.time else ""))  # a PDF's page, a turn's time
        self.query_one("#margin", Static).update(
            content("[dim]offset $here · line $row$where:[/] ", here=here, row=row + 1, where=where)
            + (Content("  ").join(parts) if parts else content("[dim]no codings[/]")))
        legend = reader.legend()
        if legend is not self._legend_shown:  # the reader makes a new one only when codings or colours change
            self._legend_shown = legend
            self.query_one("#legend", Static).update(legend)

    # reading --------------------------------------------------------------------------------------------
    def action_select_sentence(self) -> None:
        sentence = self.reader.sentence_at(self.reader.cursor_offset) if self.view else None
        if sentence is not None:
            self.reader.select_span(sentence.start, sentence.end)

    def action_jump(self, forward: bool) -> None:
        if self.view is None:
            return
        coding = self.reader.next_coding(self.reader.cursor_offset, forward)
        if coding is None:
            self.notify("no further coding that way", timeout=2)
        else:
            self.reader.select_span(coding.start, coding.end)

    def action_next_uncoded(self) -> None:
        if self.view is None:
            return
        sentence = self.reader.next_uncoded_sentence(self.reader.selected_span[0])  # the end may start the next
        if sentence is None:
            self.notify("every sentence after this one is coded", timeout=2)
        else:
            self.reader.select_span(sentence.start, sentence.end)

    # coding ---------------------------------------------------------------------------------------------
    def _selection(self) -> tuple[int, int] | None:
        if self.view is None:
            self.notify("open a document first (F2 Documents)", severity="warning")
            return None
        start, end = self.reader.selected_span
        if start == end:
            self.notify("select some text first: shift+arrows, the mouse, or s for the sentence", severity="warning")
            return None
        return start, end

    def action_code(self) -> None:
        span = self._selection()
        if span is None:
            return
        quote = self.view.text[span[0]:span[1]]
        phenomena = [c for c in self.tree.codes.values() if c.level == Level.PHENOMENON]
        dialog = PromptDialog("Phenomenon label (new aN, or an existing label/ref)",
                              choices=code_picks(phenomena, value="label"), check=self.new_label_check,
                              placeholder="e.g. Information driven", context=f"«{_short(quote, 70)}»")
        document_id = self.view.document.id
        self.app.push_screen(dialog, lambda label: label is not None and self._code(document_id, *span, label))
        self._suggest(dialog, quote, self.view.document.lang)

    def _suggest(self, dialog: PromptDialog, quote: str, lang: str) -> None:
        run_service(self, lambda: suggest_for_span(self.project, quote, lang),
                    lambda found: dialog.is_attached and dialog.set_suggestions(found), group="suggest", exclusive=True)

    def _code(self, document_id: int, start: int, end: int, label: str) -> None:
        self._attempt(lambda: code_span(self.project, document_id, start, end, label), self._coded)

    def _coded(self, coding: CodingInfo) -> None:
        if self.view is not None and coding.document_id == self.view.document.id:
            self.reader.add_coding(coding)
            self._update_margin()
        self.notify(f"coded as {coding.code_ref} {coding.code_label}", timeout=2)

    def _coding_here(self) -> CodingInfo | None:
        found = self.reader.codings_at(self.reader.selected_span[0]) if self.view else []
        if not found:
            self.notify("no coding at the cursor: jump to one with ] or [", severity="warning")
            return None
        return found[-1]

    def action_remove_coding(self) -> None:
        coding = self._coding_here()
        if coding is not None:
            self._confirm(f"Remove coding {coding.code_ref} «{_short(coding.quote)}»?", lambda: self._uncode(coding))

    def _uncode(self, coding: CodingInfo) -> None:
        self._attempt(lambda: uncode(self.project, coding.id, version=coding.version),
                      lambda _info: self.reader.remove_coding(coding.id))

    def action_adjust_coding(self) -> None:
        coding = self._coding_here()
        span = self._selection() if coding else None
        if coding and span:
            self._adjust(coding, *span)

    def _adjust(self, coding: CodingInfo, start: int, end: int) -> None:
        self._attempt(lambda: adjust(self.project, coding.id, start, end, version=coding.version), self.reader.add_coding)

    # memos -----------------------------------------------------------------------------------------------
    def action_memo(self) -> None:
        if self.tree.has_focus:
            code = self.tree.current_code
            if code is not None:
                self._edit_memo(code.ref, f"Memo on {code.ref} {code.label}")
            return
        coding = self._coding_here()
        if coding is not None:
            self._edit_memo(f"coding:{coding.id}", f"Memo on coding {coding.code_ref} «{_short(coding.quote)}»")

    def action_document_memo(self) -> None:
        if self.view is not None:
            self._edit_memo(f"doc:{self.view.document.id}", f"Memo on {self.view.document.title}")

    def _edit_memo(self, target: str, title: str) -> None:
        def save(text: str | None) -> None:
            if text is not None:
                self._write_memo(target, text)

        run_service(self, lambda: memo_of(self.project, target),
                    lambda existing: self.app.push_screen(MemoDialog(title, existing.text if existing else ""), save),
                    group="memo", exclusive=True)

    def _write_memo(self, target: str, text: str) -> None:
        self._attempt(lambda: write_memo(self.project, target, text), lambda m: self.notify(f"memo on {m.target_label} saved"))

    # properties and dimensions ------------------------------------------------------------------------------
    def action_properties(self) -> None:
        """The highlighted code's properties and dimensions (the per-category view)."""
        from gtcode.tui.screens.properties import PropertiesScreen

        code = self._current()
        if code is not None:
            self.app.push_screen(PropertiesScreen(code.ref, f"{code.ref} {code.label}"))

    def action_entry(self) -> None:
        """Edit the highlighted code's codebook entry."""
        code = self._current()
        if code is not None:
            self._open_entry(code.ref)

    def _open_entry(self, ref: str) -> None:
        from gtcode.services.entries import code_entry
        from gtcode.tui.screens.entry import EntryDialog

        run_service(self, lambda: code_entry(self.project, ref), lambda entry: self.app.push_screen(
            EntryDialog(entry), lambda fields: fields is not None and self._describe(ref, fields)), group="entry")

    def _describe(self, ref: str, fields: dict) -> None:
        self._attempt(lambda: codebook.describe(self.project, ref, **fields),
                      lambda code: self.notify(f"codebook entry of {code.ref} saved"))

    def action_dimension(self) -> None:
        """Locate the coding at the cursor on a property of a code above it: NAME=VALUE."""
        coding = self._coding_here()
        if coding is not None:
            self.app.push_screen(PromptDialog(f"Dimension of coding {coding.code_ref} «{_short(coding.quote)}»",
                                              placeholder="property=value, e.g. cost=free"),
                                 lambda answer: answer and self._locate(coding.id, answer))

    def _locate(self, coding_id: int, answer: str) -> None:
        from gtcode.services.properties import set_dimension

        name, sep, value = answer.partition("=")
        if not sep:
            self.notify(f"{answer!r}: write property=value, e.g. cost=free", severity="warning")
            return
        self._attempt(lambda: set_dimension(self.project, coding_id, name.strip(), value.strip()),
                      lambda view: self.notify(f"coding {coding_id}: {view.name} = {value.strip()}"))

    # the code system ----------------------------------------------------------------------------------------
    def _chosen(self) -> list[CodeInfo]:
        """Marked codes, else the highlighted one."""
        marked = self.tree.marked_codes()
        current = self.tree.current_code
        return marked or ([current] if current else [])

    def _current(self) -> CodeInfo | None:
        code = self.tree.current_code
        if code is None:
            self.notify("put the tree's cursor on a code first (Tab to the tree)", severity="warning")
        return code

    def action_group(self) -> None:
        members = self._chosen()
        levels = {m.level for m in members}
        if not members or len(levels) != 1 or next(iter(levels)) not in GROUP_INTO:
            self.notify("mark (space) phenomena, concepts or categories of one level to group", severity="warning")
            return
        into = GROUP_INTO[members[0].level]
        refs = [m.ref for m in members]
        existing = [c for c in self.tree.codes.values() if c.level == into]
        self._prompt(f"Group {', '.join(refs)} into a {into.value} (new label, or an existing one by label or ref)",
                     lambda label: codebook.group(self.project, into, label, refs),
                     choices=code_picks(existing, value="label"), check=self.new_label_check)

    def action_rename(self) -> None:
        code = self._current()
        if code is not None:
            self._prompt(f"Rename {code.ref}", lambda label: codebook.rename(self.project, code.ref, label, code.version),
                         value=code.label)

    def action_colour(self) -> None:
        """Set the highlighted code's colour (#rrggbb or a palette name)."""
        code = self._current()
        if code is not None:
            names = [name for name, _hex in PALETTE]
            self._prompt(f"Colour of {code.ref} {code.label} (#rrggbb or {', '.join(names)})",
                         lambda colour: codebook.describe(self.project, code.ref, colour=normal_colour(colour) or colour),
                         value=code.colour or "", choices=[Choice(name, name) for name in names])

    def action_move(self) -> None:
        code = self._current()
        if code is None:
            return
        parents = [c for c in self.tree.codes.values() if c.level == code.level.parent_level]
        self._prompt(f"Move {code.ref} under (a {code.level.parent_level.value if code.level.parent_level else '-'} "
                     "reference, or none)", lambda ref: codebook.move(self.project, code.ref, ref, code.version),
                     choices=code_picks(parents) + [Choice("none", "none", detail="ungrouped")], strict=True,
                     what=code.level.parent_level.value if code.level.parent_level else "code")

    def action_merge(self) -> None:
        code = self._current()
        if code is None:
            return
        others = [c for c in self.tree.marked_codes() if c.id != code.id]
        same = [c for c in self.tree.codes.values() if c.level == code.level and c.id != code.id]
        self._prompt(f"Merge {code.ref} {code.label} into (its codings and children move over)",
                     lambda ref: codebook.merge(self.project, code.ref, ref, code.version),
                     value=others[0].ref if len(others) == 1 else "", choices=code_picks(same), strict=True,
                     what=code.level.value)

    def action_split(self) -> None:
        code = self._current()
        if code is None:
            return
        if code.level == Level.PHENOMENON:
            start, end = self.reader.selected_span if self.view else (0, 0)
            items = [str(c.id) for c in self.reader.codings.values()
                     if c.code_id == code.id and c.start < max(end, start + 1) and start < c.end] if self.view else []
            what = "its codings in the reader's selection"
        else:
            items = [c.ref for c in self.tree.marked_codes() if c.parent_id == code.id]
            what = "its marked children"
        if not items:
            self.notify(f"nothing to split off {code.ref}: select {what} first", severity="warning")
            return
        self._prompt(f"Split {code.ref}: label of the new code taking {what} ({len(items)})",
                     lambda label: codebook.split(self.project, code.ref, label, items))

    def action_delete_code(self) -> None:
        code = self._current()
        if code is not None:
            counted = self.tree.coding_count(code.id)
            codings = " and its codings" if counted is None else f" and its {counted} codings"
            codings = codings if code.level == Level.PHENOMENON else ""
            self._confirm(f"Delete {code.ref} {code.label}{codings}? (ctrl+z undoes)",
                          lambda: self._change(lambda: codebook.delete_code(self.project, code.ref)))

    def action_compare(self) -> None:
        from gtcode.tui.screens.compare import CompareScreen

        code = self._current()
        if code is None:
            return
        others = [c for c in self.tree.marked_codes() if c.id != code.id]
        other = others[0] if len(others) == 1 else None

        def merge(answer: bool | None) -> None:
            if answer and other is not None:
                self._change(lambda: codebook.merge(self.project, code.ref, other.ref, code.version))

        self.app.push_screen(CompareScreen(code, other), merge)

    def action_undo(self) -> None:
        self._change(lambda: codebook.undo(self.project))

    def action_redo(self) -> None:
        self._change(lambda: codebook.redo(self.project))

    # plumbing ---------------------------------------------------------------------------------------------
    def _prompt(self, title: str, act: Callable[[str], object], value: str = "", **picker) -> None:
        """Ask in a ``PromptDialog`` (``picker``: its choices, strict, what, check), then run ``act`` on the answer."""
        def answered(text: str | None) -> None:
            if text is not None:
                self._change(lambda: act(text))

        self.app.push_screen(PromptDialog(title, value=value, **picker), answered)

    def _confirm(self, question: str, then: Callable[[], object]) -> None:
        self.app.push_screen(ConfirmDialog(question), lambda yes: yes and then())

    def _attempt(self, act: Callable[[], object], then: Callable[[object], object]) -> None:
        """Run a service call that writes (in a worker): its result to ``then``, a refusal in one line. What it
        changed reaches the tree, the reader and the status line as ``ProjectChanged``."""
        run_service(self, act, then, refused=self._refused, group="change")

    def _refused(self, error: Exception) -> None:
        if isinstance(error, Conflict):  # the screen was stale: show what is there now, and say why in one line
            self.show_changes(EVERYTHING)
            self.notify(f"{tui_message(error)} (reloaded)", severity="warning")
        else:
            notify_refusal(self, error)

    def _change(self, act: Callable[[], object]) -> None:
        self._attempt(act, self._changed)

    def _changed(self, result: object) -> None:
        self.tree.marked.clear()
        if isinstance(result, CodeInfo):
            self.notify(f"{result.ref} {result.label}", timeout=2)
        elif isinstance(result, str):
            self.notify(result, timeout=2)
