"""The memo workspace (F7): every memo the coder may see, filtered by type, target (typed, or picked from a list
with Ctrl+T or Enter in the filter), author and text; an editor that keeps unsaved changes from being lost; the
memo's links, to jump to."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Select, Static, TextArea

from gtcode.domain.display import visible
from gtcode.domain.records import MEMO_TYPES, MemoInfo
from gtcode.tui.messages import CodeRequested, DocumentRequested, UnsavedText
from gtcode.tui.screens.live import Live
from gtcode.tui.workers import refusal_text, run_service
from gtcode.tui.screens.dialogs import Choice, ConfirmDialog, PromptDialog, code_picks, relationship_picks
from gtcode.tui.untrusted import cut, text
from gtcode.tui.widgets.table import LineTable

_ALL = "all"
LINK_COLUMNS = ("linked", "ref")
MEMO_COLUMNS = ("type", "title", "on", "author", "updated")
TYPE_CELLS = max(len(kind) for kind in MEMO_TYPES)
TIME_FORMAT = "%Y-%m-%d %H:%M"  # a memo's time in the list
TIME_CELLS = len(datetime(2000, 1, 1).strftime(TIME_FORMAT))
TITLE_CELLS = 40  # a title or target longer than this is cut with … however wide the list (the editor shows it whole)


class MemoScreen(Live, Screen):
    """List and filters on the left, the selected memo's editor and links on the right."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("ctrl+n", "new", "New memo"),
        Binding("ctrl+l", "link", "Link"),
        Binding("ctrl+d", "delete", "Delete"),
        Binding("ctrl+g", "jump", "Jump to link"),
        Binding("ctrl+t", "pick_target", "Pick target"),
        Binding("escape", "close", "Back"),
        Binding("E", "export", "Export", show=False),  # from the list: in the editor and filters E is typed
    ]

    def __init__(self) -> None:
        super().__init__()
        self.memos: list[MemoInfo] = []
        self.current: MemoInfo | None = None
        self.loaded: tuple[str, str, str] = ("", "free", "")  # title, type, text as last loaded or saved
        self.new_target: str | None = None  # set while a new memo is being written

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Memos: pick one to edit; Ctrl+N writes a new one on the target filter (else the project).",
                     id="memo-status")
        with Horizontal():
            with Vertical(id="memo-side"):
                with Horizontal(id="memo-filters"):
                    yield Select([(t, t) for t in (_ALL, *MEMO_TYPES)], value=_ALL, allow_blank=False,
                                 id="memo-type-filter")
                    yield Input(placeholder="target (a7, doc:3, R1)", id="memo-target-filter")
                    yield Input(placeholder="author", id="memo-author-filter")
                    yield Input(placeholder="text", id="memo-text-filter")
                yield LineTable(id="memo-table", cursor_type="row", zebra_stripes=True)
            with Vertical(id="memo-editor"):
                yield Static("", id="memo-byline")
                with Horizontal(id="memo-head"):
                    yield Input(placeholder="title", id="memo-title")
                    yield Select([(t, t) for t in MEMO_TYPES], value="free", allow_blank=False, id="memo-type")
                yield TextArea("", soft_wrap=True, id="memo-body")
                yield LineTable(id="memo-links", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#memo-table", DataTable).add_columns(*MEMO_COLUMNS)
        self.query_one("#memo-links", DataTable).add_columns(*LINK_COLUMNS)
        self._editable(False)

    WATCHES = frozenset({"memo", "memo_link", "code", "coding", "document", "relationship"})  # memos and targets

    def show_changes(self, tables: frozenset[str]) -> None:
        """Re-read the list (the editor keeps what is being typed)."""
        self.load(select_id=self.current.id if self.current is not None and not self.dirty else None)

    # loading -----------------------------------------------------------------------------------------
    def _filters(self) -> dict:
        kind = self.query_one("#memo-type-filter", Select).value
        return {"memo_type": None if kind == _ALL else kind,
                "target": self.query_one("#memo-target-filter", Input).value.strip() or None,
                "author": self.query_one("#memo-author-filter", Input).value.strip() or None,
                "contains": self.query_one("#memo-text-filter", Input).value or None}

    def load(self, select_id: int | None = None) -> None:
        from gtcode.services.memos import list_memos

        filters = self._filters()
        run_service(self, lambda: list_memos(self.app.project, **filters), lambda memos: self._show(memos, select_id),
                    refused=lambda error: self._status(refusal_text(error)), group="memo-load", exclusive=True)

    def _room(self) -> tuple[int, int]:
        """Cells for a memo's title and its target in the list: the list's width beside the type column, and
        beside the author and time too when those still leave a title and a target room (else they lie off to
        the right, and the editor's byline shows them)."""
        width = self.query_one("#memo-table", DataTable).size.width or self.app.size.width // 2
        authors = max((len(memo.coder) for memo in self.memos), default=0)
        room = width - TYPE_CELLS - 2 * len(MEMO_COLUMNS) - 1  # each column's padding, the scroll bar
        if room - authors - TIME_CELLS >= 2 * 16:
            room -= authors + TIME_CELLS
        title = max(8, min(TITLE_CELLS, room * 3 // 5))
        return title, max(8, min(TITLE_CELLS, room - title))

    _shown_room = (0, 0)

    def on_resize(self) -> None:
        """Lay the list out again when titles and targets get more or fewer cells (not while the editor holds
        unsaved text: the list is laid out when it is next loaded)."""
        if self.memos and not self.dirty and self._room() != self._shown_room:
            self._show(self.memos, self.current.id if self.current is not None else None)

    def _show(self, memos: list[MemoInfo], select_id: int | None) -> None:
        self.memos = memos
        table = self.query_one("#memo-table", DataTable)
        table.clear()
        self._shown_room = title_cells, target_cells = self._room()
        for memo in memos:
            table.add_row(text(memo.type), cut(memo.title or memo.text.replace("\n", " "), title_cells),
                          cut(memo.target_label, target_cells), text(memo.coder),
                          text(f"{memo.updated_at:{TIME_FORMAT}}"))
        self._status(f"{len(memos)} memos")
        wanted = next((i for i, m in enumerate(memos) if select_id is not None and m.id == select_id), None)
        if wanted is not None:
            table.move_cursor(row=wanted)
            self._open(memos[wanted])
        elif self.current is None and memos and not self.dirty:
            self._open(memos[0])

    @on(Input.Changed, "#memo-target-filter")
    @on(Input.Changed, "#memo-author-filter")
    @on(Input.Changed, "#memo-text-filter")
    @on(Select.Changed, "#memo-type-filter")
    def _filter_changed(self, _event) -> None:
        self.load()

    @on(Input.Submitted, "#memo-target-filter")
    def _target_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_pick_target()

    def action_pick_target(self) -> None:
        """The target filter from a list (codes, documents, relationships, the project, the story line), as the
        link prompt offers them; typing anything else there still filters."""
        typed = self.query_one("#memo-target-filter", Input).value

        def ask(choices: list[Choice]) -> None:
            self.app.push_screen(PromptDialog("Memos on or linked to", value=typed, choices=choices,
                                              placeholder="a7, coding:12, doc:3, R1, project, storyline"),
                                 self._target_picked)

        run_service(self, lambda: target_choices(self.app.project), ask, group="pick")

    def _target_picked(self, target: str | None) -> None:
        if target is not None:
            self.query_one("#memo-target-filter", Input).value = target.strip()  # Input.Changed reloads the list

    def _status(self, message: str) -> None:
        self.query_one("#memo-status", Static).update(text(message))

    # the editor --------------------------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        """Whether the editor holds changes not saved yet."""
        return self._editor_state() != self.loaded and (self.current is not None or self.new_target is not None)

    @on(Input.Changed, "#memo-title")
    @on(Select.Changed, "#memo-type")
    @on(TextArea.Changed, "#memo-body")
    def _edited(self, event) -> None:
        self._tell_unsaved()

    def _tell_unsaved(self, unsaved: bool | None = None) -> None:
        """Let the app know whether the editor holds unsaved text (it asks before quitting then)."""
        self.post_message(UnsavedText("memo in the workspace", self.dirty if unsaved is None else unsaved))

    def _editor_state(self) -> tuple[str, str, str]:
        return (self.query_one("#memo-title", Input).value, str(self.query_one("#memo-type", Select).value),
                self.query_one("#memo-body", TextArea).text)

    def _editable(self, editable: bool) -> None:
        for selector in ("#memo-title", "#memo-type", "#memo-body"):
            self.query_one(selector).disabled = not editable

    def _fill(self, title: str, kind: str, body: str, byline: str) -> None:
        self.query_one("#memo-title", Input).value = title
        self.query_one("#memo-type", Select).value = kind
        self.query_one("#memo-body", TextArea).load_text(body)
        self.query_one("#memo-byline", Static).update(text(byline))
        self.loaded = self._editor_state()
        self._tell_unsaved()

    def _open(self, memo: MemoInfo) -> None:
        from gtcode.exchange.memo_files import memo_byline

        self.current, self.new_target = memo, None
        editable = memo.id is not None
        byline = memo_byline(memo) + ("" if editable else " · a relationship's connotation: edit it in Selective (F5)")
        self._fill(memo.title, memo.type, visible(memo.text, multiline=True), byline)
        self._editable(editable)
        self._show_links([(text(f"target: {memo.target_label}"), text(memo.target_ref)),
                          *((text(link.label), text(link.ref)) for link in memo.links)])

    def _show_links(self, rows: list[tuple[Text, Text]]) -> None:
        """The memo's target and links."""
        links = self.query_one("#memo-links", DataTable)
        links.clear()
        links.add_rows(rows)

    def _unless_dirty(self, then) -> None:
        """Run ``then`` now, or after the user agreed to drop unsaved changes."""
        if not self.dirty:
            then()
            return
        name = f"memo {self.current.id}" if self.current is not None and self.current.id else "the new memo"
        self.app.push_screen(ConfirmDialog(f"Discard the unsaved changes to {name}?"),
                             lambda yes: yes and then())

    @on(DataTable.RowSelected, "#memo-table")
    @on(DataTable.RowHighlighted, "#memo-table")
    def _picked(self, event) -> None:
        row = event.data_table.cursor_row  # where the cursor is now: the list may be laid out anew since it moved
        if row is None or row >= len(self.memos):
            return
        memo = self.memos[row]
        if self.current is not None and memo.id == self.current.id and self.new_target is None:
            return
        self._unless_dirty(lambda: self._open(memo))

    def action_new(self) -> None:
        target = self.query_one("#memo-target-filter", Input).value.strip() or "project"
        self._unless_dirty(lambda: self._start_new(target))

    def _start_new(self, target: str) -> None:
        self.current, self.new_target = None, target
        self._fill("", "free", "", f"new memo on {target}: Ctrl+S saves")
        self.loaded = ("", "free", "")
        self._editable(True)
        self.query_one("#memo-links", DataTable).clear()
        self.query_one("#memo-body", TextArea).focus()

    def action_save(self) -> None:
        if self.current is None and self.new_target is None:
            return
        if self.current is not None and self.current.id is None:
            self.notify("a relationship's connotation is edited in the Selective screen (F5)", severity="warning")
            return
        title, kind, body = self._editor_state()
        self._save(self.current.id if self.current else None, self.new_target, title, kind, body)

    def _save(self, memo_id: int | None, target: str | None, title: str, kind: str, body: str) -> None:
        from gtcode.services.memos import add_memo, edit_memo

        project = self.app.project
        run_service(self, lambda: add_memo(project, target, body, title, kind) if memo_id is None else
                    edit_memo(project, memo_id, body, title, kind), self._saved, group="memo-change")

    def _saved(self, memo: MemoInfo) -> None:
        self.notify(f"memo {memo.id} saved")
        self.current, self.new_target = memo, None
        self.loaded = self._editor_state()
        self._tell_unsaved()
        self.load(select_id=memo.id)

    def action_delete(self) -> None:
        memo = self.current
        if memo is None or memo.id is None:
            return
        self.app.push_screen(ConfirmDialog(f"Delete memo {memo.id} ({memo.title or memo.target_label})? Undo brings it back."),
                             lambda yes: yes and self._delete(memo.id))

    def _delete(self, memo_id: int) -> None:
        from gtcode.services.memos import delete_memo

        run_service(self, lambda: delete_memo(self.app.project, memo_id), lambda _done: self._deleted(memo_id),
                    group="memo-change")

    def _deleted(self, memo_id: int) -> None:
        self.notify(f"memo {memo_id} deleted")
        self.current = None
        self._fill("", "free", "", "")
        self._editable(False)
        self.query_one("#memo-links", DataTable).clear()
        self.load()

    def action_link(self) -> None:
        memo = self.current
        if memo is None or memo.id is None:
            self.notify("save the memo first, then link it", severity="warning")
            return
        def ask(choices: list[Choice]) -> None:
            self.app.push_screen(PromptDialog(f"Link memo {memo.id} to", placeholder="a7, coding:12, doc:3, doc:3@10-24, R1",
                                              choices=choices), lambda ref: ref and ref.strip() and self._link(memo.id, ref.strip()))

        run_service(self, lambda: link_choices(self.app.project), ask, group="pick")

    def _link(self, memo_id: int, ref: str) -> None:
        from gtcode.services.memos import link_memo

        run_service(self, lambda: link_memo(self.app.project, memo_id, [ref]), self._linked, group="memo-change")

    def _linked(self, memo: MemoInfo) -> None:
        body_dirty = self.dirty
        kept = self._editor_state()
        self._open(memo)
        if body_dirty:  # linking does not drop what is being written
            self.query_one("#memo-title", Input).value, _kind, body = kept
            self.query_one("#memo-body", TextArea).load_text(body)
        self.notify(f"memo {memo.id} linked")

    # jumping -----------------------------------------------------------------------------------------
    @on(DataTable.RowSelected, "#memo-links")
    def _link_chosen(self, _event) -> None:
        self.action_jump()

    def action_jump(self) -> None:
        memo = self.current
        row = self.query_one("#memo-links", DataTable).cursor_row
        if memo is None or row is None:
            return
        if row == 0:
            kind, ref, span, document_id = memo.target_kind, memo.target_ref, None, memo.document_id
        elif row - 1 < len(memo.links):
            link = memo.links[row - 1]
            kind, ref, document_id = link.kind, link.ref, link.document_id
            span = (link.start, link.end) if link.start is not None else None
        else:
            return
        self._unless_dirty(lambda: self._go(kind, ref, document_id, span))

    def _go(self, kind: str, ref: str, document_id: int | None, span: tuple[int, int] | None) -> None:
        self._tell_unsaved(False)  # leaving: what was typed is dropped (the user agreed)
        if kind in ("document", "coding") and document_id is not None:
            self.post_message(DocumentRequested(document_id, span))
        elif kind == "code":
            self.post_message(CodeRequested(ref))
        elif kind in ("relationship", "storyline"):
            self.app.pop_screen()
            self.app.switch_mode("selective")
        else:
            self.notify(f"{ref}: nothing to jump to")

    def action_export(self) -> None:
        """The export dialog on the memos (as ``gtcode export memos``)."""
        from gtcode.tui.screens.export_dialog import ExportDialog

        self.app.push_screen(ExportDialog("memos"))

    def action_close(self) -> None:
        def close() -> None:
            self._tell_unsaved(False)
            self.app.pop_screen()

        self._unless_dirty(close)


def link_choices(project) -> list[Choice]:
    """What a memo can link to, to pick from: codes, the documents the coder may open, relationships."""
    from gtcode.services.codes import list_codes
    from gtcode.services.reading import document_lines
    from gtcode.services.selective import relations

    documents = [Choice(f"doc:{line.document.id}", line.document.title, f"doc:{line.document.id}", line.document.kind)
                 for line in document_lines(project) if not line.locked]
    return code_picks(list_codes(project, counted=False)) + documents + relationship_picks(relations(project))


def target_choices(project) -> list[Choice]:
    """What a memo can be on, to pick from: the project, the story line and what a memo can link to."""
    return [Choice("project", "the project", "project", "the whole study"),
            Choice("storyline", "the story line", "storyline", "selective coding")] + link_choices(project)
