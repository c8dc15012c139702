"""Messages widgets and screens post for the app to react to (they never reach into each other's state)."""

from __future__ import annotations

from textual.message import Message


class UnsavedText(Message):
    """Text typed somewhere (``what``: "memo", "story line") is saved (False) or not yet (True)."""

    def __init__(self, what: str, unsaved: bool) -> None:
        super().__init__()
        self.what = what
        self.unsaved = unsaved
