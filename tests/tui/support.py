"""Helpers for driving the TUI with Pilot: settling workers, selecting spans, typing labels."""

from __future__ import annotations

from gtcode.tui.widgets.reader import Reader

EN = ("Interviewer: What changed in the clinic?\n"
      "Respondent: The county hospital now runs video consultations. Doctors in the city read our scans. "
      "We still wait a week for the specialist.\n"
      "Interviewer: And the school?\n"
      "Respondent: Our children join live classes from the city.")
ZH = "采访者：有什么变化？\n受访者：村里的学生可以上城里老师的直播课。图书馆也有了数字资源。老人看病还是要去县城。"


def span(text: str, quote: str) -> tuple[int, int]:
    """Offsets of the first ``quote`` in ``text``."""
    start = text.index(quote)
    return start, start + len(quote)


def interviews(project):
    """The English and the Chinese interview, each with its first phenomenon coded (a1 Telemedicine, a2 直播课堂)."""
    from gtcode.services.coding import code_span
    from gtcode.services.corpus import add_document

    en = add_document(project, "Clinic interview", EN, kind="interview", lang="en").document
    zh = add_document(project, "教师访谈", ZH, kind="interview", lang="zh").document
    code_span(project, en.id, *span(EN, "video consultations"), "Telemedicine")
    code_span(project, zh.id, *span(ZH, "城里老师的直播课"), "直播课堂")
    return en, zh


async def on_relationship(pilot, index: int, key: str) -> None:
    """Put the Selective screen's cursor on a relationship and press ``key``, which opens a dialog."""
    relations = pilot.app.screen.query_one("#relations")
    relations.focus()
    relations.highlighted = index
    await press_for_dialog(pilot, key)
    await settle(pilot)


async def settle(pilot, rounds: int = 3) -> None:
    """Let workers finish and their results reach the screen (but a directory tree's loader, which waits for
    folders to open as long as the tree lives): at least ``rounds`` rounds, then more while a worker runs or a
    message or callback waits anywhere in the app (a result's message starting new work: a loaded list's
    selection loading its item, a request that opens another screen, say). A pause alone does not tell: it
    handles what the shown screen had queued, then waits until the process looks idle, which a process starved
    of CPU on a busy machine looks at once."""
    from textual.worker import WorkerCancelled

    for done in range(rounds + 40):
        pending = [w for w in pilot.app.workers if w.group != "_loader" and not w.is_finished]
        if done >= rounds and not pending and not _waiting(pilot.app):
            return
        for worker in pending:
            try:
                await worker.wait()
            except WorkerCancelled:  # a stale load made way for a newer one
                pass
        await pilot.pause()


def _waiting(app) -> bool:
    """Whether a message or a callback waits in the app or in a node of any screen it holds (of every mode, shown
    or not: a request posted to a screen being mounted, a callback after the next refresh)."""
    screens = [screen for stack in app._screen_stacks.values() for screen in stack]
    nodes = [app, *(node for screen in screens for node in screen.walk_children(with_self=True))]
    return (any(node.message_queue_size or node._next_callbacks for node in nodes)
            or any(screen._callbacks for screen in screens))


def reader(app) -> Reader:
    return app.screen.query_one(Reader)


async def open_document(pilot, document_id: int) -> None:
    pilot.app.open_document(document_id)
    await settle(pilot)


async def code_quote(pilot, text: str, quote: str, label: str, occurrence: int = 0) -> None:
    """Select a quote in the reader, press c, type the label and Enter."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quote, start + 1)
    reader(pilot.app).select_span(start, start + len(quote))
    await press_for_dialog(pilot, "c")
    await pilot.press(*label, "enter") if label else await pilot.press("enter")
    await settle(pilot)


async def press_for_dialog(pilot, key: str, tries: int = 100) -> None:
    """Press ``key`` and wait until a screen that was not open before is on top (at most ``tries`` rounds of
    waiting for workers and a short pause: a picker a worker fills opens when it ends). Keys typed before the
    dialog is mounted would reach the screen below it; a key that closes one dialog and opens the next passes
    through the screen below, which does not count."""
    before = list(pilot.app.screen_stack)
    await pilot.press(key)
    for _ in range(tries):
        if pilot.app.screen not in before:
            break
        await settle(pilot, 1)
    await settle(pilot, 1)


async def answer(pilot, key: str, *typed: str) -> None:
    """Press ``key``, which opens a dialog, and type ``typed`` into it once it is on top."""
    await press_for_dialog(pilot, key)
    await pilot.press(*typed)


async def answer_each(pilot, key: str, *answers: str) -> None:
    """Dialogs that follow each other (source, then type, then target): press ``key``, type the first answer into
    the dialog it opens, Enter, which opens the next, and so on; Enter after the last."""
    for typed in answers:
        await answer(pilot, key, *typed)
        key = "enter"
    await pilot.press("enter")


def messages(app) -> list[str]:
    """Texts of the notifications shown so far."""
    return list(app.__dict__.get("said", []))


async def mark(pilot, *refs: str) -> None:
    """Put the tree's cursor on each code and press space."""
    from gtcode.tui.widgets.codebook import CodebookTree

    tree = pilot.app.screen.query_one(CodebookTree)
    tree.focus()
    for ref in refs:
        code = next(c for c in tree.codes.values() if c.ref == ref)
        tree.select_code(code.id)
        await pilot.pause()
        await pilot.press("space")


async def group_marked(pilot, label: str) -> None:
    await press_for_dialog(pilot, "g")
    await pilot.press(*label, "enter")
    await settle(pilot)


async def highlight_code(pilot, document_id: int, ref: str) -> None:
    """Open a document, focus the codebook tree and put its cursor on a code."""
    from gtcode.tui.widgets.codebook import CodebookTree

    await settle(pilot)
    await open_document(pilot, document_id)
    tree = pilot.app.screen.query_one(CodebookTree)
    tree.focus()
    tree.select_code(next(c.id for c in tree.codes.values() if c.ref == ref))


async def steady(pilot, calm: int = 3, tries: int = 100) -> None:
    """Wait until the screen draws the same picture ``calm`` times in a row (late layout, footer and worker
    results settle at their own pace on a loaded machine), at most ``tries`` short pauses."""
    last, same = None, 0
    for _ in range(tries):
        await settle(pilot, rounds=1)
        picture = pilot.app.export_screenshot()
        same = same + 1 if picture == last else 0
        if same >= calm:
            return
        last = picture
        await pilot.pause(0.02)


def misdrawn(table) -> list[tuple[int, int, str]]:
    """(row, column, drawn) of the cells in the table's view not drawn whole at their column's place (row -1: the
    header; columns beyond the view's right edge are not looked at)."""
    from textual.strip import Strip

    wrong = []
    for y in range(min(table.row_count, table.size.height - 1) + 1):
        strip, x = Strip(table.render_line(y)), 0
        for index, column in enumerate(table.ordered_columns):
            width = column.get_render_width(table)
            cell = column.label if y == 0 else table.get_row_at(y - 1)[index]
            drawn = strip.crop(x, x + width).text
            if x + width <= strip.cell_length and drawn.strip() != str(cell).strip():
                wrong.append((y - 1, index, drawn))
            x += width
    return wrong


def slack(table) -> list[str]:
    """The labels of the columns (measured, not of a set width) wider than their label and every cell they hold."""
    from rich.cells import cell_len

    return [str(column.label) for index, column in enumerate(table.ordered_columns) if column.auto_width and
            column.content_width > max(cell_len(str(cell)) for cell in [column.label, *table.get_column_at(index)])]


def fits(table) -> bool:
    """Whether every cell on screen is drawn whole at its column's place and no column is wider than it holds."""
    return not misdrawn(table) and not slack(table)


def paint_before_measuring(monkeypatch) -> None:
    """Every table draws what it shows just before it measures new rows (as a paint between a refill and the
    table's idle does), so that a drawing kept at the widths before would show."""
    from textual.geometry import Region
    from textual.widgets import DataTable

    measure = DataTable._update_dimensions

    def painted_first(table, new_rows) -> None:
        if table.size.area:
            table.render_lines(Region(0, 0, table.size.width, table.size.height))
        measure(table, new_rows)

    monkeypatch.setattr(DataTable, "_update_dimensions", painted_first)
