"""Messages widgets and screens post for the app to react to (they never reach into each other's state).

- ``ProjectChanged``: a write was committed (from any screen or worker, undo and redo included). The app posts it
  to itself from ``Project.listeners`` and relays it to every live screen (``gtcode.tui.screens.live``), shown or
  not: a shown screen re-reads what it shows of the changed tables now, a hidden one when it is shown again.
- ``DocumentRequested`` / ``CodeRequested``: show a document (with a span selected) or a code in the Open coding
  screen; any screen or widget posts them, the app switches to that screen and hands the request on.
- ``UnsavedText``: an editor holds typed text not saved yet (the app asks before quitting).
- ``FirstScreenShown``: the first screen shows what it read (the documents table's first page, or the welcome
  panel): the app then starts the work that must not delay the start (the check of the database's pages).
"""

from __future__ import annotations

from textual.message import Message


class ProjectChanged(Message):
    """A committed write touched ``tables`` (table names: "code", "coding", "document", "memo", ...)."""

    def __init__(self, tables: frozenset[str]) -> None:
        super().__init__()
        self.tables = tables


class DocumentRequested(Message):
    """Open ``document_id`` in the reader, selecting ``span`` (start, end) when given."""

    def __init__(self, document_id: int, span: tuple[int, int] | None = None) -> None:
        super().__init__()
        self.document_id = document_id
        self.span = span


class CodeRequested(Message):
    """Show the code ``ref`` in the Open coding screen's tree."""

    def __init__(self, ref: str) -> None:
        super().__init__()
        self.ref = ref


class FirstScreenShown(Message):
    """The screen the app starts on shows its first content (posted once)."""


class UnsavedText(Message):
    """Text typed somewhere (``what``: "memo", "story line") is saved (False) or not yet (True)."""

    def __init__(self, what: str, unsaved: bool) -> None:
        super().__init__()
        self.what = what
        self.unsaved = unsaved
