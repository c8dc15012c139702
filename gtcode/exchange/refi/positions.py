"""Text canonicalisation: positions of the text as a tool held it mapped to gtcode's canonical text.

A source file's positions refer to the text as the producing tool held it: the
decoded file *without* its BOM (a BOM is an encoding signature, not a character;
NVivo does not count it) and *with* its original line ends (CRLF counts as two).
gtcode's canonical text has no BOM and ``\\n`` line ends, so every position is
mapped raw -> canonical. A position between CR and LF lands after the newline. UTF-16 units (NVivo)
are converted to code points first, with the domain's ``Utf16Map`` (``gtcode.domain.spans``).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

BOM = "\ufeff"
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


def is_word_boundary(text: str, position: int) -> bool:
    """True when ``position`` does not cut through a run of letters or digits."""
    if position <= 0 or position >= len(text):
        return True
    return not (text[position - 1].isalnum() and text[position].isalnum())

