"""Text spans in Unicode code points, and their conversion to UTF-16 units and (row, col) positions.

Positions everywhere in gtcode are 0-based, end-exclusive code point offsets into a document's canonical
text. UTF-16 code units (NVivo, JavaScript) and ``(row, col)`` pairs (a TextArea) exist only at the edges;
the two maps below convert in O(log n) per offset after one O(n) pass over the text.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from gtcode.domain.errors import GtcodeError

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def check_offset(offset: int, length: int) -> None:
    """Raise GtcodeError unless ``0 <= offset <= length``."""
    if offset < 0:
        raise GtcodeError(f"offset {offset} is negative: offsets count from 0")
    if offset > length:
        raise GtcodeError(f"offset {offset} is past the end of the text ({length} characters)")


@dataclass(frozen=True, order=True)
class Span:
    """A half-open range ``[start, end)`` of code points."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < 0:
            bad = min(self.start, self.end)
            raise GtcodeError(f"offset {bad} is negative: offsets count from 0")
        if self.start > self.end:
            raise GtcodeError(f"offsets {self.start}..{self.end} are reversed: give START before END")

    @classmethod
    def within(cls, start: int, end: int, length: int) -> Span:
        """A span checked against a text of ``length`` code points."""
        span = cls(start, end)
        check_offset(span.end, length)
        return span

    def __len__(self) -> int:
        return self.end - self.start

    def of(self, text: str) -> str:
        """The quoted text of this span."""
        return text[self.start : self.end]

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, offset: int) -> bool:
        return self.start <= offset < self.end


class Utf16Map:
    """Code point offsets <-> UTF-16 code unit offsets for one text: the one map of gtcode (the REFI-QDA reader's
    NVivo positions use it too). ``to_utf16``/``from_utf16`` check their input; ``to_codepoint`` is the lenient
    reading of a unit already known to lie in the text (one inside a surrogate pair lands after its character)."""

    def __init__(self, text: str) -> None:
        self.length = len(text)
        # code point index of each astral character (two UTF-16 units), in order; found in C, most texts have none
        self._astral = [m.start() for m in _ASTRAL.finditer(text)]
        # UTF-16 offset of the first unit of each astral character
        self._units = [cp + i for i, cp in enumerate(self._astral)]
        self.utf16_length = self.length + len(self._astral)

    @property
    def has_astral(self) -> bool:
        """True when code units and code points differ somewhere in the text."""
        return bool(self._astral)

    def to_utf16(self, offset: int) -> int:
        check_offset(offset, self.length)
        return offset + bisect_left(self._astral, offset)

    def splits_pair(self, unit: int) -> bool:
        """True when UTF-16 offset ``unit`` falls between the two halves of a surrogate pair."""
        index = bisect_left(self._units, unit - 1)
        return index < len(self._units) and self._units[index] == unit - 1

    def to_codepoint(self, unit: int) -> int:
        """The code point offset at UTF-16 offset ``unit`` (inside a surrogate pair: after the character)."""
        return unit - bisect_left(self._units, unit - 1)  # the astral characters wholly before ``unit``

    def from_utf16(self, unit: int) -> int:
        """The code point offset at UTF-16 offset ``unit``; GtcodeError outside the text or inside a surrogate pair."""
        if unit < 0 or unit > self.utf16_length:
            raise GtcodeError(
                f"UTF-16 offset {unit} is outside the text (0..{self.utf16_length} code units)"
            )
        if self.splits_pair(unit):
            raise GtcodeError(f"UTF-16 offset {unit} falls inside a surrogate pair: move it by one")
        return self.to_codepoint(unit)

    def span_to_utf16(self, span: Span) -> tuple[int, int]:
        return self.to_utf16(span.start), self.to_utf16(span.end)

    def span_from_utf16(self, start: int, end: int) -> Span:
        return Span(self.from_utf16(start), self.from_utf16(end))


class LineMap:
    """Code point offsets <-> ``(row, col)`` for a ``\\n``-separated text (col counts code points)."""

    def __init__(self, text: str) -> None:
        self.length = len(text)
        self._starts = [0] + [m.end() for m in re.finditer("\n", text)]

    @property
    def rows(self) -> int:
        return len(self._starts)

    def _row_end(self, row: int) -> int:
        """Offset of the end of ``row`` (its newline, or the end of the text)."""
        return self._starts[row + 1] - 1 if row + 1 < len(self._starts) else self.length

    def to_row_col(self, offset: int) -> tuple[int, int]:
        check_offset(offset, self.length)
        row = bisect_right(self._starts, offset) - 1
        return row, offset - self._starts[row]

    def from_row_col(self, row: int, col: int) -> int:
        if not 0 <= row < len(self._starts):
            raise GtcodeError(f"row {row} is outside the text (rows 0..{len(self._starts) - 1})")
        width = self._row_end(row) - self._starts[row]
        if not 0 <= col <= width:
            raise GtcodeError(f"column {col} is outside row {row} (columns 0..{width})")
        return self._starts[row] + col


def page_at(pages: list[int] | tuple[int, ...] | None, offset: int) -> int | None:
    """The page (1-based) holding ``offset`` in a text whose page n starts at ``pages[n - 1]``; None without pages."""
    if not pages:
        return None
    return max(1, bisect_right(pages, offset))
