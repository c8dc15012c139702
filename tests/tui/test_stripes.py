"""Coding stripes beside the text, code colours, document offsets in the margin, and kinsoku in the wrap."""

from contextlib import asynccontextmanager

from textual.document._document import Document
from textual.document._wrapped_document import WrappedDocument

from gtcode.domain.colours import PALETTE, code_colour, normal_colour
from gtcode.services import codes as codebook
from gtcode.services.coding import code_span
from gtcode.services.corpus import add_document
from gtcode.tui.app import GtcodeApp
from gtcode.tui.widgets.codebook import CodebookTree
from gtcode.tui.widgets.reader import NO_LINE_END, NO_LINE_START, KinsokuWrap, kinsoku_breaks
from tests.tui.support import EN, answer, messages, open_document, reader, settle


def line_text(view, y: int) -> str:
    return "".join(segment.text for segment in view.render_line(y))


def rows_showing(view, needle: str) -> list[int]:
    return [y for y in range(view.size.height) if needle in line_text(view, y)]


@asynccontextmanager
async def reading(project, document_id: int, size=(120, 40)):
    """The app at ``size`` with a document open: (pilot, reader)."""
    async with GtcodeApp(project).run_test(size=size) as pilot:
        await open_document(pilot, document_id)
        yield pilot, reader(pilot.app)


def coded(project, document, text, quote, label):
    start = text.index(quote)
    return code_span(project, document.id, start, start + len(quote), label)


async def test_stripes_show_each_coding_where_it_starts_and_overlaps_stack_in_columns(docs):
    project, en, _ = docs
    outer = coded(project, en, EN, "The county hospital now runs video consultations", "County hospital")
    inner = coded(project, en, EN, "video consultations", "Telemedicine")
    later = coded(project, en, EN, "live classes", "Live classes")
    async with reading(project, en.id) as (pilot, view):
        assert view.margin_width() > 0
        [outer_row] = rows_showing(view, "┃a1 Co")
        [inner_row] = rows_showing(view, "a2 Te")
        [later_row] = rows_showing(view, "a3 Li")
        def wrapped_row(offset: int) -> int:
            return view.wrapped_document.location_to_offset(view.location_of(offset)).y

        assert outer_row == inner_row == wrapped_row(outer.start)  # both start on the same wrapped line
        text = line_text(view, outer_row)
        assert text.index("a1 Co") < text.index("a2 Te")  # the longer coding takes the first column
        assert later_row == wrapped_row(later.start)
        assert "┃" not in line_text(view, 0)  # the interviewer's question is not coded
        assert inner.id in view.codings


async def test_stripes_scroll_with_the_text(sqlite_project):
    text = "\n".join(f"Respondent: sentence number {n} about the clinic." for n in range(200))
    document = add_document(sqlite_project, "long", text, kind="interview", lang="en").document
    coded(sqlite_project, document, text, "sentence number 150 about", "Far down")
    async with GtcodeApp(sqlite_project).run_test(size=(120, 40)) as pilot:
        await open_document(pilot, document.id)
        view = reader(pilot.app)
        assert rows_showing(view, "a1 Far") == []
        view.scroll_to(y=145, animate=False)
        await pilot.pause()
        [row] = rows_showing(view, "a1 Far")
        assert "sentence number 150" in line_text(view, row)


async def test_a_new_coding_repaints_only_the_wrapped_lines_it_lies_on(sqlite_project, monkeypatch):
    from gtcode.tui.widgets.reader import Reader

    text = "Respondent: " + " ".join(f"村民{n}说网课很方便, the clinic {n} opened." for n in range(60))  # one long row
    document = add_document(sqlite_project, "long turn", text, kind="interview", lang="zh").document
    coded(sqlite_project, document, text, "the clinic 2 opened", "Opening")
    async with GtcodeApp(sqlite_project).run_test(size=(120, 40)) as pilot:
        await open_document(pilot, document.id)
        view = reader(pilot.app)
        view.cursor_blink = False  # a blink repaints the cursor's line
        await pilot.pause()
        assert view.wrapped_document.height > 20  # the row wraps onto most of the view
        painted: list[int] = []
        render = Reader._render_line
        monkeypatch.setattr(Reader, "_render_line", lambda self, y: painted.append(y) or render(self, y))
        await pilot.pause()
        assert painted == []
        quote = "the clinic 9 opened"
        size = view.size
        coded(sqlite_project, document, text, quote, "Opening")  # a1's column is free there: no new column
        await settle(pilot)
        assert view.size == size  # (a change of size repaints everything)
        start = text.index(quote)
        wrapped = view.wrapped_document
        lines = {wrapped.location_to_offset(view.location_of(offset)).y for offset in range(start, start + len(quote))}
        assert set(painted) == lines
        rows = rows_showing(view, "a1 Op")
        assert len(rows) == 2 and rows[1] in lines
        painted.clear()
        coded(sqlite_project, document, text, "clinic 9", "Inside")  # overlaps it: a second column, every line changes
        await settle(pilot)
        assert len(set(painted)) == view.size.height


async def set_colour(pilot, code_id: int, colour: str) -> None:
    """Put the tree's cursor on a code, press k and answer."""
    tree = pilot.app.screen.query_one(CodebookTree)
    tree.focus()
    tree.select_code(code_id)
    await pilot.pause()
    await answer(pilot, "k", *colour, "enter")
    await settle(pilot)


async def test_colour_key_sets_the_code_colour_shown_in_tree_stripes_and_legend(docs):
    project, en, _ = docs
    coding = coded(project, en, EN, "video consultations", "Telemedicine")
    async with reading(project, en.id) as (pilot, view):
        assert view.colour_of(coding.code_id) == code_colour(coding.code_id, None)
        await set_colour(pilot, coding.code_id, "mauve")
        assert any("'mauve' is not #RRGGBB" in m for m in messages(pilot.app))
        assert codebook.list_codes(project)[0].colour is None
        await set_colour(pilot, coding.code_id, "red")
        assert view.colour_of(coding.code_id) == dict(PALETTE)["red"]
        assert "a1 Telemedicine (1)" in view.legend().plain
        legend_colour = [span.style for span in view.legend().spans if span.start == 0][0].color
        assert legend_colour.triplet.hex == dict(PALETTE)["red"]
    [code] = codebook.list_codes(project)
    assert code.colour == dict(PALETTE)["red"]


async def test_margin_shows_document_offsets(docs):
    project, en, _ = docs
    coding = coded(project, en, EN, "read our scans", "Remote reading")
    async with reading(project, en.id) as (pilot, view):
        view.select_span(coding.start + 2, coding.start + 2)
        await pilot.pause()
        margin = str(pilot.app.screen.query_one("#margin").render())
        assert f"offset {coding.start + 2} · line 2:" in margin
        assert f"a1 Remote reading {coding.start}-{coding.end} coding {coding.id}" in margin


def test_palette_and_colour_names():
    assert normal_colour("#ABC") == "#aabbcc" and normal_colour("Blue") == dict(PALETTE)["blue"]
    assert normal_colour("mauve") is None and normal_colour("#12345") is None
    assert code_colour(3, "#FF0000") == "#ff0000" and code_colour(3, None) == PALETTE[3][1]


ZH_LONG = ("受访者：村里的学生可以上城里老师的直播课。图书馆也有了数字资源，老人看病还是要去县城。"
           "我们说：“网络慢的时候（尤其是下雨天），课就断了！”大家都很着急；学校报修了三次？"
           "后来电信公司来了，换了路由器。现在好多了。") * 3


def sections(wrapped, lines) -> list[str]:
    return [part for index in range(len(lines)) for part in wrapped.get_sections(index)]


def test_kinsoku_no_closing_punctuation_starts_a_wrapped_line_nor_opening_bracket_ends_one():
    lines = ZH_LONG.split("\n")
    bad_somewhere = False
    for width in range(8, 41):
        plain = WrappedDocument(Document(ZH_LONG), width=width)
        plain_parts = sections(plain, lines)
        bad_somewhere |= any(p[0] in NO_LINE_START or p[-1] in NO_LINE_END for p in plain_parts[1:] if p)
        kinsoku = KinsokuWrap(Document(ZH_LONG), width=width)
        parts = sections(kinsoku, lines)
        assert "".join(parts) == ZH_LONG  # nothing lost or doubled
        assert all(p and p[0] not in NO_LINE_START for p in parts[1:]), width
        assert all(p[-1] not in NO_LINE_END for p in parts[:-1]), width
        assert all(sum(2 if ord(c) > 0x2e80 else 1 for c in p) <= width for p in parts), width
        assert kinsoku.height == len(parts)
    assert bad_somewhere  # the plain wrap does break before 。 at some width: the test can fail


def test_kinsoku_breaks_leave_a_run_longer_than_a_line_alone():
    line = "。" * 10
    assert kinsoku_breaks(line, [4, 8], lambda rest: []) == [4, 8]


async def test_reader_wraps_chinese_with_kinsoku(sqlite_project):
    document = add_document(sqlite_project, "访谈", ZH_LONG, kind="interview", lang="zh").document
    async with GtcodeApp(sqlite_project).run_test(size=(60, 30)) as pilot:
        await open_document(pilot, document.id)
        view = reader(pilot.app)
        assert isinstance(view.wrapped_document, KinsokuWrap)
        parts = view.wrapped_document.get_sections(0)
        assert len(parts) > 3
        assert all(p[0] not in NO_LINE_START for p in parts[1:])
