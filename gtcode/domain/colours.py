"""Code colours: the default palette (one place) and the colour a code is shown in.

A code shows its own colour (``#rrggbb``, set with ``gtcode describe CODE --colour`` or ``k`` in the TUI tree,
carried by REFI-QDA's ``color``) and otherwise a colour of the palette picked by its id, so a code keeps its
colour from one session to the next and two codes made one after the other differ.
"""

from __future__ import annotations

import re

PALETTE: tuple[tuple[str, str], ...] = (
    # name, colour: well apart from each other on a dark and a light terminal (after Tableau 10)
    ("blue", "#4e79a7"), ("orange", "#f28e2b"), ("red", "#e15759"), ("teal", "#76b7b2"), ("green", "#59a14f"),
    ("yellow", "#edc948"), ("purple", "#b07aa1"), ("pink", "#ff9da7"), ("brown", "#9c755f"), ("grey", "#bab0ac"),
)
_HEX = re.compile(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")


def normal_colour(colour: str) -> str | None:
    """``#abc``, ``#AABBCC`` or a palette name -> ``#aabbcc``; None when it is none of these."""
    colour = colour.strip()
    named = dict(PALETTE).get(colour.lower())
    if named:
        return named
    if not _HEX.fullmatch(colour):
        return None
    digits = colour[1:].lower()
    return "#" + ("".join(c * 2 for c in digits) if len(digits) == 3 else digits)


def code_colour(code_id: int, colour: str | None) -> str:
    """The colour a code is shown in: its own, else the palette's colour for its id."""
    own = normal_colour(colour) if colour else None
    return own or PALETTE[code_id % len(PALETTE)][1]
