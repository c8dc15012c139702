"""Untrusted text for widgets: Rich ``Text`` and Textual ``Content`` objects, never markup strings built from it.

A ``str`` handed to ``Static``, ``Label``, ``Option``, a ``DataTable`` cell, a ``Tree`` label, a border title or
``notify`` is parsed as markup: a transcript's ``[laughs]`` vanishes and ``[/inaudible]`` raises ``MarkupError``.
Every widget that shows a title, label, quotation, memo or name builds it here: markup only ever comes from a
template written in gtcode, and the untrusted values pass through :func:`gtcode.domain.display.visible` (control
characters shown, bidi overrides neutralised) and are inserted literally.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.content import Content
from textual.fuzzy import Matcher

from gtcode.domain.display import visible


def text(value: Any, style: str = "", multiline: bool = False) -> Text:
    """``value`` as a Text shown literally (one line unless ``multiline``)."""
    return Text(visible(value, multiline), style=style)


def cut(value: Any, cells: int, style: str = "") -> Text:
    """``value`` as one line of at most ``cells`` cells, ending in … when cut (a table cell of a long title)."""
    shown = text(value, style)
    shown.truncate(max(cells, 1), overflow="ellipsis")
    return shown


def content(template: str, **values: Any) -> Content:
    """Content from markup written in gtcode (``template``), its ``$name`` variables filled literally from ``values``."""
    return Content.from_markup(template, **{name: visible(value) for name, value in values.items()})


def plain(value: Any, multiline: bool = False) -> Content:
    """``value`` as Content without markup (for border titles and option prompts)."""
    return Content(visible(value, multiline))


def highlight(matcher: Matcher, candidate: str) -> Content:
    """A palette entry with the characters matching the query highlighted; ``candidate`` is not markup."""
    shown = visible(candidate)
    found = Content(shown)
    score, offsets = matcher.fuzzy_search.match(matcher.query, shown)
    for offset in offsets if score else ():
        if not shown[offset].isspace():
            found = found.stylize(matcher.match_style, offset, offset + 1)
    return found
