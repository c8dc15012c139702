"""Hostile text for property tests: terminal sequences, controls, bidi marks, markup-like brackets, Chinese."""

import re

from hypothesis import strategies as st

# What must never reach a terminal raw: C0 but newline and tab, DEL, C1, bidi embeddings/overrides/isolates.
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
PIECES = ["\x1b", "\x1b]52;c;cm0gLXJmIH4vKg==\x07", "\x1b]0;pwned\x07", "\x1b[2J\x1b[H", "\x9b31m", "\x85", "\r",
          "\x00", "\x7f", "\u202e", "\u2066", "\u2069", "\u200f", "\u2028", "\n", "\t", "[", "]", "[/]", "[laughs]",
          "[/inaudible]", "[b]", "$x", "访谈", "村里的学生", "Notes", " "]


def hostile(min_size: int = 0, max_size: int = 8, surrogates: bool = False):
    """Text made of hostile pieces and arbitrary characters."""
    pieces = PIECES + (["\udcff"] if surrogates else [])
    return st.lists(st.one_of(st.sampled_from(pieces), st.characters(codec="utf-8")), min_size=min_size,
                    max_size=max_size).map("".join)
