"""The reader: a read-only TextArea over a document that shows sentences, speakers and coded spans.

Styling is computed per rendered line from two indexes (sentences by start, codings by row), so a new
coding touches only its own rows and the visible lines are re-rendered; no widget per coding.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict

from rich.style import Style
from rich.text import Text
from textual.widgets import TextArea

from gtcode.domain.display import visible_in_place
from gtcode.domain.errors import GtcodeError
from gtcode.domain.records import CodingInfo, SegmentInfo
from gtcode.domain.spans import LineMap

SENTENCE_TINT = Style(bgcolor="grey15")
CODED = Style(bgcolor="#264f3f", underline=True)
CODED_TWICE = Style(bgcolor="#3f6f2f", underline=True)
SPEAKER = Style(bold=True, color="cyan")


class Reader(TextArea):
    """A document's text with sentence tints, speaker names, line numbers and coding highlights."""

    DEFAULT_CSS = """
    Reader { height: 1fr; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__("", read_only=True, soft_wrap=True, show_line_numbers=True,
                         highlight_cursor_line=False, **kwargs)
        self.line_map = LineMap("")
        self.source_text = ""
        self.segments: list[SegmentInfo] = []
        self._segment_starts: list[int] = []
        self.codings: dict[int, CodingInfo] = {}
        self._rows: dict[int, set[int]] = defaultdict(set)
        self._starts: list[tuple[int, int]] = []  # (start, coding id), sorted
        self._styled: dict[int, Text] = {}  # row -> the row's text with sentences, speakers and codings styled

    # loading and indexes ---------------------------------------------------------------------------------
    def show(self, text: str, segments: list[SegmentInfo], codings: list[CodingInfo]) -> None:
        """Replace the document shown (control characters shown one for one, so offsets stay true)."""
        self.line_map = LineMap(text)
        self.source_text = text
        self.segments = list(segments)
        self._segment_starts = [s.start for s in self.segments]
        self.load_text(visible_in_place(text))
        self.replace_codings(codings)

    def replace_codings(self, codings: list[CodingInfo]) -> None:
        """Show another set of codings over the same text (after undo, redo, merge)."""
        self.codings = {}
        self._rows = defaultdict(set)
        self._starts = []
        for coding in codings:
            self._index(coding)
        self._starts.sort()
        self._refresh_lines()

    def _rows_of(self, start: int, end: int) -> range:
        first = self.line_map.to_row_col(start)[0]
        last = self.line_map.to_row_col(max(start, end - 1))[0] if end > start else first
        return range(first, last + 1)

    def _index(self, coding: CodingInfo) -> None:
        self.codings[coding.id] = coding
        for row in self._rows_of(coding.start, coding.end):
            self._rows[row].add(coding.id)
        self._starts.append((coding.start, coding.id))

    def add_coding(self, coding: CodingInfo) -> None:
        """Show one more coding (or a changed one) without re-reading the document."""
        if coding.id in self.codings:
            self.remove_coding(coding.id)
        self._index(coding)
        self._starts.sort()
        self._refresh_lines(self._rows_of(coding.start, coding.end))

    def remove_coding(self, coding_id: int) -> None:
        coding = self.codings.pop(coding_id, None)
        if coding is None:
            return
        for row in self._rows_of(coding.start, coding.end):
            self._rows[row].discard(coding_id)
        self._starts.remove((coding.start, coding_id))
        self._refresh_lines(self._rows_of(coding.start, coding.end))

    def _refresh_lines(self, rows: range | None = None) -> None:
        """Forget the styled lines of ``rows`` (all if None) and repaint what is visible."""
        if rows is None:
            self._styled.clear()
        else:
            for row in rows:
                self._styled.pop(row, None)
        self._line_cache.clear()
        self.refresh()

    # offsets <-> positions -------------------------------------------------------------------------------
    def offset_of(self, location: tuple[int, int]) -> int:
        return self.line_map.from_row_col(*location)

    def location_of(self, offset: int) -> tuple[int, int]:
        return self.line_map.to_row_col(offset)

    @property
    def selected_span(self) -> tuple[int, int]:
        """The selection as code point offsets (start <= end)."""
        start, end = sorted((self.offset_of(self.selection.start), self.offset_of(self.selection.end)))
        return start, end

    @property
    def cursor_offset(self) -> int:
        return self.offset_of(self.selection.end)

    def select_span(self, start: int, end: int) -> None:
        """Select ``[start, end)`` and scroll it into view."""
        from textual.widgets.text_area import Selection

        self.selection = Selection(self.location_of(start), self.location_of(end))
        self.scroll_cursor_visible(center=True)

    def sentence_at(self, offset: int) -> SegmentInfo | None:
        index = bisect_right(self._segment_starts, offset) - 1
        if index >= 0 and self.segments[index].start <= offset < max(self.segments[index].end, offset + 1):
            return self.segments[index]
        return self.segments[index + 1] if index + 1 < len(self.segments) else None

    def codings_at(self, offset: int) -> list[CodingInfo]:
        """Codings covering an offset (or starting there), by start."""
        row = self.location_of(offset)[0]
        found = [self.codings[i] for i in self._rows.get(row, ())]
        return sorted((c for c in found if c.start <= offset < c.end or c.start == offset), key=lambda c: (c.start, c.id))

    def next_coding(self, offset: int, forward: bool = True) -> CodingInfo | None:
        if forward:
            index = bisect_right(self._starts, (offset, float("inf")))
            return self.codings[self._starts[index][1]] if index < len(self._starts) else None
        index = bisect_left(self._starts, (offset, -1)) - 1
        return self.codings[self._starts[index][1]] if index >= 0 else None

    def next_uncoded_sentence(self, offset: int) -> SegmentInfo | None:
        """The first sentence after the one at ``offset`` that no coding overlaps (interviewer's questions skipped)."""
        current = self.sentence_at(offset)
        start_index = current.index + 1 if current else 0
        spans = sorted((c.start, c.end) for c in self.codings.values())
        starts = [s for s, _ in spans]
        reach, furthest = [], -1  # reach[i]: the furthest end among spans[0..i]
        for _, end in spans:
            furthest = max(furthest, end)
            reach.append(furthest)
        for segment in self.segments[start_index:]:
            if segment.role == "interviewer" or not self.source_text[segment.start:segment.end].strip():
                continue
            before = bisect_left(starts, segment.end)  # spans starting before the sentence ends
            if before == 0 or reach[before - 1] <= segment.start:
                return segment
        return None

    # rendering -------------------------------------------------------------------------------------------
    def get_line(self, line_index: int) -> Text:
        styled = self._styled.get(line_index)
        if styled is None:
            styled = self._styled[line_index] = self._style_line(line_index)
        return styled.copy()

    def _style_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        try:
            line_start = self.line_map.from_row_col(line_index, 0)
        except GtcodeError:
            return line
        length = len(line.plain)
        line_end = line_start + length
        first = max(0, bisect_right(self._segment_starts, line_start) - 1)
        for segment in self.segments[first:]:
            if segment.start >= line_end:
                break
            if segment.end <= line_start:
                continue
            start, end = max(segment.start, line_start) - line_start, min(segment.end, line_end) - line_start
            if segment.index % 2:
                line.stylize(SENTENCE_TINT, start, end)
            speaker = visible_in_place(segment.speaker or "")
            if speaker and segment.start >= line_start and line.plain[start:].startswith(speaker):
                line.stylize(SPEAKER, start, start + len(speaker))
        depth = [0] * (length + 1)
        for coding_id in self._rows.get(line_index, ()):
            coding = self.codings[coding_id]
            for i in range(max(coding.start, line_start) - line_start, min(coding.end, line_end) - line_start):
                depth[i] += 1
        run_start = 0
        for i in range(1, length + 1):
            if i == length or depth[i] != depth[run_start]:
                if depth[run_start]:
                    line.stylize(CODED if depth[run_start] == 1 else CODED_TWICE, run_start, i)
                run_start = i
        return line
