"""The model drawn in the terminal: boxes on the layered layout, arrows labelled by type.

A relationship that other codes act on is drawn with a ``●`` where each of their arrows meets it,
so "Government guarantee safeguards Social demand → Shared behavior" reads as an arrow onto an arrow.
Squeezed into a narrow terminal, boxes whose labels no longer fit on one line get a second line (every box one
row taller, the layers one row further apart): the drawing grows down, where the view scrolls, rather than cut.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.containers import ScrollableContainer
from textual.message import Message
from textual.widgets import Static

from gtcode.domain.display import visible
from gtcode.domain.graph import ModelLayout, layout_model
from gtcode.domain.model import ModelSnapshot

BOX_WIDTH = 22
X_STEP = 25
ROWS = 3  # a box's rows: its edges and one line of label (4: two lines, when narrow boxes cut labels)
MIN_BOX = 12  # the narrowest box a drawing squeezed into a narrow terminal gets
LABEL_ROOM = 12  # cells left of a vertical arrow for its type label


class Canvas:
    """A grid of terminal cells; a wide (CJK) character takes two."""

    def __init__(self, width: int, height: int):
        self.width, self.height = width, height
        self.cells = [[" "] * width for _ in range(height)]

    def put(self, x: int, y: int, text: str) -> None:
        for ch in visible(text):
            w = cell_len(ch)
            if 0 <= y < self.height and 0 <= x and x + w <= self.width:
                self.cells[y][x] = ch
                if w == 2:
                    self.cells[y][x + 1] = ""
            x += w

    def get(self, x: int, y: int) -> str:
        return self.cells[y][x] if 0 <= y < self.height and 0 <= x < self.width else " "

    def hline(self, x0: int, x1: int, y: int, ch: str = "─") -> None:
        for x in range(min(x0, x1), max(x0, x1) + 1):
            if self.get(x, y) in (" ", "─", "│"):
                self.put(x, y, "┼" if self.get(x, y) == "│" else ch)

    def vline(self, x: int, y0: int, y1: int, ch: str = "│") -> None:
        for y in range(min(y0, y1), max(y0, y1) + 1):
            if self.get(x, y) in (" ", "│", "─"):
                self.put(x, y, "┼" if self.get(x, y) == "─" else ch)

    def box(self, x: int, y: int, label: str, width: int = BOX_WIDTH, rows: int = ROWS) -> None:
        inner = width - 2
        texts = _two_lines(label, inner) if rows > 3 else (_fit(label, inner),)
        self.put(x, y, "┌" + "─" * inner + "┐")
        for n, text in enumerate(texts, 1):
            pad = inner - cell_len(text)
            self.put(x, y + n, "│" + " " * (pad // 2) + text + " " * (pad - pad // 2) + "│")
        self.put(x, y + rows - 1, "└" + "─" * inner + "┘")

    def lines(self) -> list[str]:
        return ["".join(row).rstrip() for row in self.cells]


def _fit(text: str, width: int) -> str:
    text = visible(text)
    if cell_len(text) <= width:
        return text
    out = ""
    for ch in text:
        if cell_len(out + ch) > width - 1:
            break
        out += ch
    return out + "…"


def _two_lines(text: str, width: int) -> tuple[str, str]:
    """A label on two lines of ``width`` cells: broken after the last word that fits (anywhere in text without
    spaces, such as Chinese), the rest cut with "…" if it is still too long."""
    text = visible(text)
    if cell_len(text) <= width:
        return text, ""
    end = 0
    while cell_len(text[:end + 1]) <= width:
        end += 1
    space = text.rfind(" ", 0, end + 1)
    first, rest = (text[:space], text[space + 1:]) if space > 0 else (text[:end], text[end:])
    return first, _fit(rest.strip(), width)


def draw_model(snapshot: ModelSnapshot, width: int | None = None, core_line: bool = True) -> list[str]:
    """The model as lines of text (boxes, arrows, type labels), narrowed to ``width`` cells if given; the core
    category's line on top unless ``core_line`` is False (a screen that says it elsewhere)."""
    layout = layout_model(snapshot)
    if not layout.positions:
        return ["(no main categories or relationships yet: relate codes with n)"]
    box, step = BOX_WIDTH, X_STEP
    if width and layout.width:  # narrower steps, then narrower boxes, until the drawing fits (else it scrolls)
        for box in range(BOX_WIDTH, MIN_BOX - 1, -1):
            step = max(box + 1, min(X_STEP, int((width - box - 1) // layout.width)))
            if step * layout.width + box + 2 <= width:
                break
    cut = box < BOX_WIDTH and any(cell_len(visible(layout.labels[ref])) > box - 2 for ref in layout.positions)
    return _draw(layout, step, box, ROWS + 1 if cut else ROWS, core_line)


def _draw(layout: ModelLayout, step: int, box: int, rows: int = ROWS, core_line: bool = True) -> list[str]:
    ys = [y for _, y in layout.positions.values()]
    top = min(ys)
    title = 2 if layout.core and core_line else 0
    y_step = (rows + 1) / 2  # rows per layout unit: layers two units apart leave one free row between boxes

    def cell(point: tuple[float, float]) -> tuple[int, int]:
        return round(point[0] * step) + 1, round((point[1] - top) * y_step) + title

    boxes = {ref: cell(point) for ref, point in layout.positions.items()}
    width = max(x for x, _ in boxes.values()) + box + 2
    height = max(y for _, y in boxes.values()) + rows + 1
    canvas = Canvas(width, height)
    if title:
        canvas.put(1, 0, _fit(f"Core: {layout.labels[layout.core]}", width - 2))
    for ref, (x, y) in boxes.items():
        canvas.box(x, y, layout.labels[ref], box, rows)
    labels = []  # written after every line, so that no label blocks a line drawn later
    for arrow in layout.arrows:  # arrows between codes first: arrows onto them are drawn after
        if arrow.target in boxes:
            labels.append((_code_arrow(canvas, boxes[arrow.source], boxes[arrow.target], box), arrow.type))
    for arrow in layout.arrows:
        if arrow.target not in boxes:
            sx, sy = boxes[arrow.source]
            ex, ey = cell(arrow.end)
            labels.append((_arrow_onto(canvas, (sx, sy), (ex + box // 2, ey + 1), box, rows), arrow.type))
    for places, label in labels:
        _label(canvas, places, label)
    return canvas.lines()


def _code_arrow(canvas: Canvas, source: tuple[int, int], target: tuple[int, int], box: int) -> list[tuple[int, int]]:
    """An arrow from box to box; returns where its label may go."""
    (sx, sy), (tx, ty) = source, target
    start_x, row = sx + box, sy + 1
    end_x, end_row = (tx - 1, ty + 1) if tx > sx else (tx + box, ty + 1)
    if row == end_row:
        canvas.hline(start_x, end_x, row)
        canvas.put(end_x, row, "▶" if tx > sx else "◀")
        return [(start_x + 2, row - 1)]
    bend = end_x - 2
    canvas.hline(start_x, bend, row)
    canvas.vline(bend, row, end_row)
    canvas.hline(bend, end_x, end_row)
    canvas.put(end_x, end_row, "▶")
    return [(start_x + 2, row - 1)]


def _arrow_onto(canvas: Canvas, corner: tuple[int, int], spot: tuple[int, int], box: int,
                rows: int = ROWS) -> list[tuple[int, int]]:
    """From a code's box (top left ``corner``, ``box`` cells wide, ``rows`` high) to a spot on another arrow,
    ending in ``●`` on that arrow; returns where its label may go.

    Beside the spot, the arrow leaves the box's top (or bottom) edge and runs along the free row above (or below)
    the box, so it never shares the box's middle row with an arrow of the code's own relationships."""
    (bx, by), (x, y) = corner, spot
    if bx <= x < bx + box:  # straight up or down
        start = by + rows if y > by else by - 1
        step = 1 if y > start else -1
        canvas.vline(x, start, y - step)
        canvas.put(x, y - step, "▼" if step > 0 else "▲")
        canvas.put(x, y, "●")
        return [(x + 2, (start + y) // 2), (x - LABEL_ROOM, (start + y) // 2)]
    up, right = y < by, x > bx
    edge, row, inward = (by, by - 1, -1) if up else (by + rows - 1, by + rows, 1)
    column = bx + box - 3 if right else bx + 2
    canvas.put(column, edge, "┴" if up else "┬")
    canvas.hline(min(column, x) + 1, max(column, x) - 1, row)
    canvas.put(column, row, ("┌" if right else "┐") if up else ("└" if right else "┘"))
    canvas.put(x, row, ("┘" if right else "└") if up else ("┐" if right else "┌"))
    canvas.vline(x, row + inward, y - inward)
    canvas.put(x, y, "●")
    middle = (row + y) // 2
    return [(x + 2, middle), (x - LABEL_ROOM, middle), (min(column, x) + 2, row - inward)]


def _label(canvas: Canvas, places: list[tuple[int, int]], text: str) -> None:
    """Write ``text`` at the first of ``places`` where it covers nothing drawn."""
    for x, y in places:
        if x >= 0 and all(canvas.get(x + i, y) == " " for i in range(len(text))):
            canvas.put(x, y, text)
            return


class ModelGraph(Static):
    """Shows the drawing of a model snapshot; call ``show`` with a new snapshot."""

    DEFAULT_CSS = "ModelGraph { width: auto; height: auto; padding: 0 1; }"

    def show(self, snapshot: ModelSnapshot, width: int | None = None, core_line: bool = True) -> None:
        self.update(Text("\n".join(draw_model(snapshot, width, core_line)), no_wrap=True))


class ModelView(ScrollableContainer, can_focus=True):
    """The scrolling frame of a ``ModelGraph``: it posts ``Resized`` when its size changes, so that its screen
    draws the model again for the width it now has."""

    class Resized(Message):
        """The view changed size: a drawing may now take ``width`` cells."""

        def __init__(self, width: int) -> None:
            super().__init__()
            self.width = width

    @property
    def drawing_width(self) -> int:
        """The cells a drawing fits in without scrolling sideways (the graph's padding and a shown scroll bar
        taken off)."""
        return self.scrollable_content_region.width - 2

    def on_resize(self, event: events.Resize) -> None:
        self.post_message(self.Resized(self.drawing_width))
