"""The reader: a read-only TextArea over a document that shows sentences, speakers and coded spans.

Styling is computed per rendered line from two indexes (sentences by start, codings by row), so a new
coding touches only its own rows and the visible lines are re-rendered; no widget per coding. Coded text is
tinted with its code's colour, and a margin right of the text shows coding stripes: one column per level of
overlap (assigned once per set of codings, like an interval colouring), a bar in the code's colour on every
wrapped line a coding covers and its ref and label on the line where it starts. The margin is drawn line by
line with the text, so it scrolls with it and only visible lines cost anything. Wrapping follows kinsoku
(``KinsokuWrap``): closing CJK punctuation never starts a wrapped line, opening brackets never end one.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict

from rich.style import Style
from rich.text import Text
from textual.color import Color
from textual.document._wrapped_document import WrappedDocument
from textual.geometry import Offset
from textual.strip import Strip
from textual.widgets import TextArea
from textual.widgets.text_area import DocumentNavigator

from gtcode.domain.colours import code_colour
from gtcode.domain.display import visible, visible_in_place
from gtcode.domain.errors import GtcodeError
from gtcode.domain.records import CodingInfo, SegmentInfo
from gtcode.domain.spans import LineMap

SENTENCE_TINT = Style(bgcolor="grey15")
SPEAKER = Style(bold=True, color="cyan")
TINT = 0.35  # how much of a code's colour shows behind its coded text
STRIPE_COLUMNS = 3  # stripe columns side by side at most; codings overlapping deeper share the last one
STRIPE_CELLS = (6, 14)  # the narrowest and widest stripe column (cells): a bar and a ref fit the narrowest
MIN_TEXT = 32  # cells the text keeps before the stripes get any
FEW_CHANGES = 20  # codings a reload may change, add or remove and still be applied one by one

NO_LINE_START = frozenset("。．，、；：？！）」』】〕〉》〗〙〛”’…‥・ーゝゞ々〻ァィゥェォッャュョヮヵヶぁぃぅぇぉっゃゅょゎ"
                          "%）),.;:?!]}")
"""Closing punctuation and small kana: never the first character of a wrapped line (kinsoku)."""
NO_LINE_END = frozenset("（「『【〔〈《〖〘〚“‘([{")
"""Opening brackets and quotes: never the last character of a wrapped line."""


def _kinsoku_break(line: str, position: int, previous: int) -> int:
    """``position`` moved back so that the wrapped line starting there does not start with closing punctuation
    and the one before does not end with an opening bracket; unmoved when no place after ``previous`` is allowed."""
    at = position
    while at - 1 > previous and (line[at] in NO_LINE_START or line[at - 1] in NO_LINE_END):
        at -= 1
    allowed = line[at] not in NO_LINE_START and line[at - 1] not in NO_LINE_END
    return at if allowed else position


def kinsoku_breaks(line: str, breaks: list[int], wrap) -> list[int]:
    """Soft breaks of ``line`` with kinsoku: each break found by width (``breaks``) is moved back where a rule
    forbids it, and the rest of the line is wrapped again (``wrap(rest)`` gives its breaks) from the moved one."""
    result: list[int] = []
    previous, index = 0, 0
    while index < len(breaks):
        at = _kinsoku_break(line, breaks[index], previous)
        result.append(at)
        if at != breaks[index]:
            breaks, index = [at + b for b in wrap(line[at:])], 0
        else:
            index += 1
        previous = at
    return result


class KinsokuWrap(WrappedDocument):
    """Textual's soft wrap, then kinsoku on each line whose breaks a rule forbids (the others stay as wrapped)."""

    def wrap(self, width: int, tab_width: int | None = None) -> None:
        super().wrap(width, tab_width)
        if not width:
            return
        from textual._wrap import compute_wrap_offsets

        def rest(text: str) -> list[int]:
            return compute_wrap_offsets(text, width, tab_size=self._tab_width)

        changed = False
        for index, breaks in enumerate(self._wrap_offsets):
            if breaks:
                fixed = kinsoku_breaks(self.document.lines[index], breaks, rest)
                if fixed != breaks:
                    self._wrap_offsets[index], changed = fixed, True
        if changed:
            self._reindex()

    def _reindex(self) -> None:
        """Rebuild the row <-> wrapped line maps after breaks changed."""
        self._offset_to_line_info, self._line_index_to_offsets = [], []
        for index, breaks in enumerate(self._wrap_offsets):
            first = len(self._offset_to_line_info)
            self._offset_to_line_info += [(index, section) for section in range(len(breaks) + 1)]
            self._line_index_to_offsets.append(list(range(first, first + len(breaks) + 1)))


class Reader(TextArea):
    """A document's text with sentence tints, speaker names, line numbers, coded text in its codes' colours
    and coding stripes in a margin right of the text."""

    DEFAULT_CSS = """
    Reader { height: 1fr; }
    """

    TAKEN = frozenset({"select_line", "select_all", "undo", "redo"})  # F6, F7, Ctrl+Z, Ctrl+Y: the app's and the stage's

    _columns = 0  # stripe columns the codings need (the deepest overlap); TextArea wraps before __init__ ends
    _wrapped_margin = 0  # the margin width the text was last wrapped for

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
        self.colours: dict[int, str] = {}  # code id -> its own colour (None: the palette's), from the codes
        self._column: dict[int, int] = {}  # coding id -> its stripe column
        self._tints: dict[str, Style] = {}
        self._legend: Text | None = None  # made when first asked for after a change

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The TextArea's actions whose keys the app and the stage take first are not the reader's: left out of
        its bindings, they do not put those keys at the head of the footer, before the stage's own keys."""
        return False if action in self.TAKEN else super().check_action(action, parameters)

    # loading and indexes ---------------------------------------------------------------------------------
    def show(self, text: str, segments: list[SegmentInfo], codings: list[CodingInfo]) -> None:
        """Replace the document shown (control characters shown one for one, so offsets stay true)."""
        self.line_map = LineMap(text)
        self.source_text = text
        self.segments = list(segments)
        self._segment_starts = [s.start for s in self.segments]
        self.load_text(visible_in_place(text))
        self._replace_all(codings)

    def replace_codings(self, codings: list[CodingInfo]) -> None:
        """Show another set of codings over the same text (after undo, redo, merge). When only a few differ
        from those shown (a reload after one coding was added here), just those are changed and repainted."""
        wanted = {coding.id: coding for coding in codings}
        changed = [i for i, coding in wanted.items() if self.codings.get(i) != coding]
        gone = [i for i in self.codings if i not in wanted]
        if self.codings and len(changed) + len(gone) <= FEW_CHANGES:
            for coding_id in gone:
                self.remove_coding(coding_id)
            for coding_id in changed:
                self.add_coding(wanted[coding_id])
            return
        self._replace_all(codings)

    def _replace_all(self, codings: list[CodingInfo]) -> None:
        """Index ``codings`` afresh, lay out their stripe columns and repaint every line."""
        self.codings = {}
        self._rows = defaultdict(set)
        self._starts = []
        for coding in codings:
            self._index(coding)
        self._starts.sort()
        self._refresh_lines()

    def set_colours(self, colours: dict[int, str | None]) -> None:
        """The codes' own colours (code id -> ``#rrggbb`` or None for the palette's), e.g. after a reload;
        repainted only when a colour shown changes (a new code takes the palette's, which was shown already)."""
        colours = {code_id: code_colour(code_id, colour) for code_id, colour in colours.items()}
        shown = {coding.code_id for coding in self.codings.values()}
        differ = any(self.colour_of(code_id) != colours.get(code_id, code_colour(code_id, None)) for code_id in shown)
        self.colours = colours
        if differ:
            self._refresh_lines(reassign=False)  # colours change no column

    def colour_of(self, code_id: int) -> str:
        return self.colours.get(code_id) or code_colour(code_id, None)

    def codings_on_row(self, row: int) -> list[CodingInfo]:
        """The codings touching a row of the text, by start."""
        return sorted((self.codings[i] for i in self._rows.get(row, ())), key=lambda c: (c.start, c.id))

    def legend(self) -> Text:
        """The codes coded in this document, each in its colour, with its number of codings here (made again
        only after the codings or colours changed: the screen asks for it on every move of the cursor)."""
        if self._legend is None:
            self._legend = self._make_legend()
        return self._legend

    def _make_legend(self) -> Text:
        counts: dict[int, int] = defaultdict(int)
        first: dict[int, CodingInfo] = {}
        for coding in sorted(self.codings.values(), key=lambda c: (c.start, c.id)):
            counts[coding.code_id] += 1
            first.setdefault(coding.code_id, coding)
        legend = Text(no_wrap=True, overflow="ellipsis")
        for code_id, coding in first.items():
            legend.append("■ ", style=Style(color=self.colour_of(code_id)))
            legend.append(coding.code_ref, style=Style(bold=True))
            legend.append(f" {visible(coding.code_label)} ({counts[code_id]})  ")
        return legend

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
        columns = self._columns
        self._place(coding)
        self._refresh_lines(self._rows_of(coding.start, coding.end), reassign=False, columns=columns,
                            span=(coding.start, coding.end))

    def remove_coding(self, coding_id: int) -> None:
        coding = self.codings.pop(coding_id, None)
        if coding is None:
            return
        for row in self._rows_of(coding.start, coding.end):
            self._rows[row].discard(coding_id)
        self._starts.remove((coding.start, coding_id))
        self._column.pop(coding_id, None)  # the others keep their columns: stripes do not jump
        self._refresh_lines(self._rows_of(coding.start, coding.end), reassign=False, columns=self._columns,
                            span=(coding.start, coding.end))

    def _refresh_lines(self, rows: range | None = None, reassign: bool = True, columns: int | None = None,
                       span: tuple[int, int] | None = None) -> None:
        """Forget the styled lines of ``rows`` (all if None) and repaint them; ``reassign`` lays the stripe
        columns out again (not for one added or removed coding: its neighbours keep theirs). Only the wrapped
        lines of ``span`` (one coding's characters: its tint and its stripe are drawn there alone) are
        repainted, text and stripes, unless the stripes' layout changed (``columns``: how many stripe columns
        there were before), which changes every line."""
        self._legend = None
        if rows is None:
            self._styled.clear()
        else:
            for row in rows:
                self._styled.pop(row, None)
        if reassign:
            self._assign_columns()
        if self.margin_width() != self._wrapped_margin:
            self._rewrap_and_refresh_virtual_size()
        elif span is not None and columns == self._columns and self.wrapped_document.height:
            self._repaint_span(*span)
            return
        self._line_cache.clear()
        self.refresh()

    def _repaint_span(self, start: int, end: int) -> None:
        """Repaint the wrapped lines that characters ``start`` to ``end`` lie on (out of view they cost nothing)."""
        wrapped = self.wrapped_document
        top = wrapped.location_to_offset(self.location_of(start)).y
        bottom = wrapped.location_to_offset(self.location_of(max(start, end - 1))).y
        for key in [key for key in self._line_cache.keys() if top <= key[2] <= bottom]:  # key[2]: the line's y
            self._line_cache.discard(key)
        self.refresh_lines(top, bottom - top + 1)

    # stripes -----------------------------------------------------------------------------------------------
    def _assign_columns(self) -> None:
        """Give each coding the leftmost stripe column free where it starts (longer codings first)."""
        ends: list[int] = []  # per column, where its last coding ends
        self._column = {}
        for coding in sorted(self.codings.values(), key=lambda c: (c.start, -c.end, c.id)):
            column = next((i for i, end in enumerate(ends) if end <= coding.start), len(ends))
            if column == len(ends):
                ends.append(coding.end)
            ends[column] = coding.end
            self._column[coding.id] = column
        self._columns = len(ends)

    def _place(self, coding: CodingInfo) -> None:
        """Give one new coding the leftmost column no coding it overlaps has (found through the rows it covers)."""
        taken = {self._column[i] for row in self._rows_of(coding.start, coding.end) for i in self._rows.get(row, ())
                 if i != coding.id and i in self._column
                 and self.codings[i].start < coding.end and coding.start < self.codings[i].end}
        self._column[coding.id] = column = next(i for i in range(len(taken) + 1) if i not in taken)
        self._columns = max(self._columns, column + 1)

    def _stripe_layout(self) -> tuple[int, int]:
        """(columns shown, cells per column) for the width the reader has now; (0, 0) without stripes."""
        if not self._columns:
            return 0, 0
        room = self.scrollable_content_region.width - self.gutter_width - 1 - MIN_TEXT
        columns = min(self._columns, STRIPE_COLUMNS, max(0, room // STRIPE_CELLS[0]))
        if not columns:
            return 0, 0
        share = room // 2 if room >= 40 else room  # at most half the room, all of it when it is small
        cells = max(STRIPE_CELLS[0], min(STRIPE_CELLS[1], share // columns))
        return columns, cells

    def margin_width(self) -> int:
        """Cells right of the text that the coding stripes take (0 without codings or room)."""
        columns, cells = self._stripe_layout()
        return columns * cells + 1 if columns else 0

    @property
    def wrap_width(self) -> int:
        width = super().wrap_width
        return max(1, width - self.margin_width()) if width else 0

    def _rewrap_and_refresh_virtual_size(self) -> None:
        if not isinstance(self.wrapped_document, KinsokuWrap):  # a new document: wrap it with kinsoku
            self.wrapped_document = KinsokuWrap(self.document, tab_width=self.indent_width)
            self.navigator = DocumentNavigator(self.wrapped_document)
        self._wrapped_margin = self.margin_width()
        super()._rewrap_and_refresh_virtual_size()

    def _render_line(self, y: int) -> Strip:
        strip = super()._render_line(y)
        margin = self.margin_width()
        if not margin or margin >= strip.cell_length:
            return strip
        theme = self._theme
        base = theme.base_style if theme and theme.base_style is not None else self.rich_style
        text = strip.crop(0, strip.cell_length - margin)
        stripes = self._stripes(y + self.scroll_offset.y)
        stripes.truncate(margin, pad=True)
        return Strip.join([text, Strip(stripes.render(self.app.console), margin).apply_style(base)])

    def _stripes(self, y: int) -> Text:
        """The margin of wrapped line ``y``: per column a bar in the code's colour, with ref and label where the
        coding starts."""
        columns, cells = self._stripe_layout()
        margin = Text(" ", no_wrap=True)
        if y >= self.wrapped_document.height:
            return margin
        row, column = self.wrapped_document.offset_to_location(Offset(0, y))
        breaks = [b for b in self.wrapped_document.get_offsets(row) if b > column]
        try:
            start = self.line_map.from_row_col(row, column)
        except GtcodeError:
            return margin
        end = start + (breaks[0] if breaks else len(self.document.get_line(row))) - column
        here: dict[int, list[CodingInfo]] = defaultdict(list)
        for coding in self.codings_on_row(row):
            if coding.start < max(end, start + 1) and coding.end > start:
                here[min(self._column[coding.id], columns - 1)].append(coding)
        for index in range(columns):
            cell = Text(no_wrap=True, overflow="ellipsis")
            found = here.get(index, [])
            if found:
                colour = Style(color=self.colour_of(found[0].code_id))
                cell.append("┃", style=colour)
                starting = [c for c in found if c.start >= start]
                if len(found) > 1 and index == columns - 1 and self._columns > columns:
                    cell.append(f"+{len(found)}", style=colour)  # deeper overlaps than columns shown
                elif len(starting) == 1:
                    cell.append(starting[0].code_ref, style=colour + Style(bold=True))
                    cell.append(f" {visible(starting[0].code_label)}", style=colour)
                else:  # several codings one after the other on this line: their refs
                    for coding in starting:
                        cell.append(f"{coding.code_ref} ", style=Style(color=self.colour_of(coding.code_id), bold=True))
            cell.truncate(cells, overflow="ellipsis", pad=True)
            margin.append_text(cell)
        return margin

    def _tint(self, code_id: int) -> Style:
        """The background of text coded with a code: its colour, faint over the reader's background."""
        colour = self.colour_of(code_id)
        tint = self._tints.get(colour)
        if tint is None:
            background = self.background_colors[1]
            mixed = background.blend(Color.parse(colour), TINT)
            tint = self._tints[colour] = Style(bgcolor=mixed.hex)
        return tint

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
        top: list[CodingInfo | None] = [None] * (length + 1)  # the innermost coding of each character
        for coding in self.codings_on_row(line_index):
            for i in range(max(coding.start, line_start) - line_start, min(coding.end, line_end) - line_start):
                depth[i] += 1
                inner = top[i]
                if inner is None or coding.end - coding.start <= inner.end - inner.start:
                    top[i] = coding
        run_start = 0
        for i in range(1, length + 1):
            if i == length or depth[i] != depth[run_start] or top[i] is not top[run_start]:
                coding = top[run_start]
                if coding is not None:
                    style = self._tint(coding.code_id)
                    line.stylize(style + Style(underline=True) if depth[run_start] > 1 else style, run_start, i)
                run_start = i
        return line
