"""The help screen: every key binding of the screen it was opened from, grouped by where it applies."""

from __future__ import annotations

import re

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.content import Content
from textual.widgets import Label, Static

from gtcode.tui.untrusted import content


def place_name(node: object) -> str:
    """Where a node's keys apply, in words: its ``HELP_TITLE``, else its class name spelt out ("Open coding")."""
    title = getattr(node, "HELP_TITLE", None)
    if title:
        return title
    words = re.findall(r"[A-Z]+[a-z0-9]*", type(node).__name__.removesuffix("Screen")) or [type(node).__name__]
    return " ".join([words[0], *(w.lower() for w in words[1:])])


def binding_table(screen: Screen) -> list[tuple[str, list[tuple[str, str]]]]:
    """(where, [(keys, what)]) for the app, the screen and the gtcode widgets on it."""
    nodes = [screen.app, screen, *(w for w in screen.query("*") if type(w).__module__.startswith("gtcode."))]
    table, seen = [], set()
    for node in nodes:
        name = type(node).__name__
        if name in seen:
            continue
        seen.add(name)
        rows = [
            (binding.key_display or binding.key, binding.description or binding.action)
            for binding in map(_as_binding, type(node).__dict__.get("BINDINGS", ()))
        ]
        rows += getattr(node, "HELP_NOTES", [])
        if rows:
            table.append((place_name(node), rows))
    return table


def _as_binding(item) -> Binding:
    return item if isinstance(item, Binding) else Binding(*item)


class HelpScreen(ModalScreen[None]):
    """Lists key bindings; any of Escape, q, F1 or ? closes it."""

    BINDINGS = [Binding("escape,q,f1,question_mark", "dismiss", "Close")]

    def __init__(self, table: list[tuple[str, list[tuple[str, str]]]]) -> None:
        super().__init__()
        self.table = table

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog help-dialog"):
            yield Label("Keys (Esc closes)", classes="dialog-title")
            for place, rows in self.table:
                yield Static(content("[b]$place[/]", place=place))
                yield Static(Content("\n").join(content("  [reverse] $keys [/] $what", keys=keys, what=what)
                                                 for keys, what in rows))

    async def action_dismiss(self, result=None) -> None:
        self.dismiss(None)
