"""Untrusted text made safe to show on a terminal: the one renderer both faces use.

Documents, titles, labels, memos, the story line, file names, attribute values and coder names come from
outside (transcripts, other tools' projects, typed input). Shown raw, an ESC starts a terminal sequence (OSC 0
retitles the window, OSC 52 sets the clipboard, CSI 2J clears the screen), a C1 control such as U+009B acts as
ESC [ on some terminals, and a bidi override makes a line read in a different order than it is stored.

What is replaced, and by what (:func:`visible`):

- C0 controls U+0000-U+001F and DEL U+007F: their Control Picture (ESC as ``␛``, CR as ``␍``, NUL as ``␀``);
  newline and tab are kept in multi-line text, and shown as ``␤`` and a space in one-line text.
- C1 controls U+0080-U+009F: ``\\x9b`` and so on (there are no pictures for them).
- Bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): ``\\u202e`` and so on. They need a
  matching terminator and reorder whole runs of text (the "Trojan Source" trick). The single marks LRM, RLM and
  ALM (U+200E, U+200F, U+061C) are kept: they are ordinary in Arabic and Hebrew text and reorder only the
  neutral characters next to them.
- Line and paragraph separators U+2028, U+2029: a newline in multi-line text, ``␤`` in one-line text.
- Lone surrogates (a file name that was not valid UTF-8): ``\\udcff`` and so on (they cannot be encoded).

:func:`visible_in_place` replaces every such character by exactly one character, so code point offsets stay
true (the reader's TextArea shows the document this way). :func:`json_visible` escapes in a JSON document the
characters ``json.dumps(ensure_ascii=False)`` leaves raw, so JSON output keeps the exact text.
"""

from __future__ import annotations

import re
from typing import Any

_BIDI = [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_SEPARATORS = (0x2028, 0x2029)
_C0 = [c for c in range(0x20) if c not in (0x09, 0x0A)]
_C1 = list(range(0x80, 0xA0))
_SURROGATES = range(0xD800, 0xE000)

_PICTURES = {c: chr(0x2400 + c) for c in _C0} | {0x7F: "\u2421"}
_ESCAPED = {c: f"\\x{c:02x}" for c in _C1} | {c: f"\\u{c:04x}" for c in (*_BIDI, *_SURROGATES)}
_MULTI_LINE = str.maketrans(_PICTURES | _ESCAPED | {c: "\n" for c in _SEPARATORS})
_ONE_LINE = str.maketrans(_PICTURES | _ESCAPED | {c: "\u2424" for c in _SEPARATORS} | {0x0A: "\u2424", 0x09: " "})
_IN_PLACE = str.maketrans(_PICTURES | {c: "\ufffd" for c in (*_C1, *_BIDI, *_SURROGATES)}
                          | {c: "\u2424" for c in _SEPARATORS})

_RISKY = "\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff"
_RISKY_IN_BLOCK = re.compile(f"[{_RISKY}]")
_RISKY_IN_LINE = re.compile(f"[{_RISKY}\t\n]")
_RAW_IN_JSON = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]")


def visible(value: Any, multiline: bool = False) -> str:
    """``value`` as text a terminal shows literally (see the module docstring); None is empty."""
    text = "" if value is None else value if isinstance(value, str) else str(value)
    if multiline:
        return text.translate(_MULTI_LINE) if _RISKY_IN_BLOCK.search(text) else text
    return text.translate(_ONE_LINE) if _RISKY_IN_LINE.search(text) else text


def visible_in_place(text: str) -> str:
    """``text`` with every risky character replaced by exactly one visible one (newlines and tabs kept)."""
    return text.translate(_IN_PLACE) if _RISKY_IN_BLOCK.search(text) else text


def json_visible(document: str) -> str:
    """A JSON document with the raw C1, DEL, bidi, separator and surrogate characters in its strings escaped.

    The decoded values are unchanged: ``json.loads`` gives back the exact text.
    """
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", document)


def is_visible(text: str, multiline: bool = True) -> bool:
    """Whether ``text`` holds nothing :func:`visible` would replace."""
    return not (_RISKY_IN_BLOCK if multiline else _RISKY_IN_LINE).search(text)


def head_cells(text: str, cells: int) -> str:
    """The longest start of ``text`` that a terminal shows in ``cells`` cells (a wide character takes two)."""
    from rich.cells import cell_len

    while cell_len(text) > cells:
        text = text[:-1]
    return text


def tail_cells(text: str, cells: int) -> str:
    """The longest end of ``text`` that a terminal shows in ``cells`` cells."""
    from rich.cells import cell_len

    while cell_len(text) > cells:
        text = text[1:]
    return text
