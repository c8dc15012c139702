"""Live screens: every screen that shows project data re-reads it after any write, whichever screen made it.

The app relays each ``ProjectChanged`` to the screens subscribed to its ``project_changed`` signal; ``Live``
subscribes on mount, so a screen class only says which tables it shows (``WATCHES``) and how to re-read them
(``show_changes``). A screen that is not shown (another mode, under another screen) only notes the tables and
re-reads once, when it is shown again; the first show counts as a change of everything.
"""

from __future__ import annotations

EVERYTHING: frozenset[str] = frozenset({"*"})  # stands for "every table" (a first show, a reload)


class Live:
    """Mixin for a Screen: ``show_changes(tables)`` runs when what it shows may have changed."""

    WATCHES: frozenset[str] | None = None  # the tables this screen shows; None: all of them
    _stale: frozenset[str] = EVERYTHING  # tables changed while not shown (the first show re-reads everything)

    def on_mount(self) -> None:
        self.app.project_changed.subscribe(self, self._project_changed)

    def _project_changed(self, tables: frozenset[str]) -> None:
        wanted = tables if self.WATCHES is None else tables & self.WATCHES
        if not wanted:
            return
        if self.is_current:
            self.show_changes(wanted)
        else:
            self._stale = self._stale | wanted

    def on_screen_resume(self) -> None:
        if self._stale:
            tables, self._stale = self._stale, frozenset()
            self.show_changes(tables)

    def show_changes(self, tables: frozenset[str]) -> None:
        """Re-read what this screen shows of ``tables`` (``EVERYTHING`` on the first show); subclasses."""


def touches(tables: frozenset[str], *names: str) -> bool:
    """Whether ``tables`` (from ``show_changes``) includes any of ``names``; ``EVERYTHING`` includes all."""
    return tables is EVERYTHING or "*" in tables or any(name in tables for name in names)
