"""Text canonicalisation and position conversion between the units tools write.

A source file's positions refer to the text as the producing tool held it: the
decoded file *without* its BOM (a BOM is an encoding signature, not a character;
NVivo does not count it) and *with* its original line ends (CRLF counts as two).
gtcode's canonical text has no BOM and ``\\n`` line ends, so every position is
mapped raw -> canonical. A position between CR and LF lands after the newline.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

BOM = "\ufeff"
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_CRLF = re.compile("\r\n")


def canonical_text(raw: str) -> str:
    """Strip a leading BOM and turn CRLF and lone CR into LF."""
    return CanonicalText.of(raw).text


@dataclass(frozen=True)
class CanonicalText:
    """A raw text's canonical form and the map from raw code-point positions to it."""

    raw: str  # without the BOM
    text: str
    _dropped: tuple[int, ...]
    bom: bool = False

    @classmethod
    def of(cls, raw: str) -> CanonicalText:
        """Canonicalise ``raw``; the BOM is not part of the raw positions."""
        bom = raw.startswith(BOM)
        body = raw[1:] if bom else raw
        if "\r" not in body:
            return cls(body, body, (), bom)
        dropped = tuple(match.start() + 1 for match in _CRLF.finditer(body))
        text = body.replace("\r\n", "\n").replace("\r", "\n")
        return cls(body, text, dropped, bom)

    def position(self, raw_position: int) -> int:
        """Canonical position of a code-point position into the raw text."""
        return raw_position - bisect_left(self._dropped, raw_position)

    def from_full(self, position: int) -> int:
        """Canonical position of a position into the raw text *including* its BOM."""
        return self.position(max(position - self.bom, 0))


@dataclass(frozen=True)
class Utf16Map:
    """Conversion between UTF-16 code units and code points for one text."""

    _points: tuple[int, ...]  # code-point position of each astral character
    _starts: tuple[int, ...]  # code-unit position of each astral character
    length: int  # length of the text in code units

    @classmethod
    def of(cls, text: str) -> Utf16Map:
        """Index the astral (non-BMP) characters of ``text``."""
        points = tuple(match.start() for match in _ASTRAL.finditer(text))  # in C: most texts have none
        starts = tuple(point + count for count, point in enumerate(points))
        return cls(points, starts, len(text) + len(points))

    @property
    def has_astral(self) -> bool:
        """True when code units and code points differ somewhere in the text."""
        return bool(self._starts)

    def splits_pair(self, unit: int) -> bool:
        """True when ``unit`` falls between the two halves of a surrogate pair."""
        index = bisect_left(self._starts, unit - 1)
        return index < len(self._starts) and self._starts[index] == unit - 1

    def to_codepoint(self, unit: int) -> int:
        """Code-point position of a code-unit position (inside a pair: after the character)."""
        return unit - bisect_left(self._starts, unit - 1)

    def to_unit(self, codepoint: int) -> int:
        """Code-unit position of a code-point position."""
        return codepoint + bisect_left(self._points, codepoint)


def is_word_boundary(text: str, position: int) -> bool:
    """True when ``position`` does not cut through a run of letters or digits."""
    if position <= 0 or position >= len(text):
        return True
    return not (text[position - 1].isalnum() and text[position].isalnum())

