"""Refilled tables draw every cell at its column's measured width, and no column is wider than what it holds: the
documents table after the terminal narrows (its titles cut shorter), the matrix when it was painted between a
refill and the table's measuring, and every other table of the TUI refilled with shorter rows (a filter, a
search, an undo) while painted before it measured them (``paint_before_measuring``)."""

from textual.geometry import Region

from gtcode.domain.records import ImportResult
from gtcode.services import codes
from gtcode.services.cases import set_case
from gtcode.services.coding import code_span
from gtcode.services.corpus import add_document
from gtcode.services.memos import add_memo
from gtcode.services.project import open_project
from gtcode.services.properties import add_property
from gtcode.services.queries import matrix_cell
from gtcode.services.search import autocode
from gtcode.services.team import add_coder
from gtcode.tui.app import GtcodeApp
from gtcode.tui.screens.analysis import QuotationsScreen
from gtcode.tui.screens.compare_coders import CompareCodersScreen
from gtcode.tui.screens.import_dialog import ImportSummary
from tests.tui.support import (EN, ZH, fits, highlight_code, misdrawn, paint_before_measuring, settle, span,
                               steady)

LONG = "村里的学生可以上城里老师的直播课，图书馆也有了数字资源，老人看病还是要去县城"  # wider than any column label


async def test_the_documents_table_narrows_with_the_terminal_and_keeps_every_column_on_screen(sqlite_project):
    for n in range(1, 31):
        add_document(sqlite_project, f"Interview {n} with a villager about the clinic's video consultations and "
                     "the county hospital", f"Respondent {n}: the clinic helps.", kind="interview", lang="en")
    async with GtcodeApp(sqlite_project).run_test(size=(160, 40)) as pilot:
        await steady(pilot)
        table = pilot.app.screen.query_one("#documents")
        wide = table.ordered_columns[1].get_render_width(table)
        await pilot.resize_terminal(100, 40)
        await steady(pilot)
        assert table.ordered_columns[1].get_render_width(table) < wide  # the titles are cut shorter
        assert table.virtual_size.width <= table.size.width  # "coded", the last column, is on screen
        assert not misdrawn(table)


async def test_a_matrix_painted_before_it_measured_its_refill_is_drawn_again_at_the_measured_widths(docs):
    project, _en, _zh = docs
    autocode(project, "city", "City", unit="sentence")
    autocode(project, "老师", "Teachers")
    codes.group(project, "concept", "Places where the villagers meet the city", ["a1"])
    codes.group(project, "concept", "Teaching from far away", ["a2"])
    async with GtcodeApp(project).run_test(size=(140, 40)) as pilot:
        await pilot.app.push_screen("matrix")
        await settle(pilot)
        screen = pilot.app.screen
        table = screen.query_one("#matrix-table")
        table.focus()
        await settle(pilot)
        assert not misdrawn(table)
        shown = screen._show

        def show_then_paint(result) -> None:  # the screen paints before the table's idle measures the rows
            shown(result)
            table.render_lines(Region(0, 0, table.size.width, table.size.height))

        screen._show = show_then_paint
        await pilot.press("l")  # as many rows with longer labels: the table keeps its size and its focus
        await steady(pilot)
        assert screen.result.rows == ["aa1 Places where the villagers meet the city", "aa2 Teaching from far away"]
        assert not misdrawn(table)


async def test_the_history_filtered_to_shorter_changes_fits_them(docs, monkeypatch):
    project, en, zh = docs
    paint_before_measuring(monkeypatch)
    code_span(project, zh.id, *span(ZH, "直播课"), LONG)
    code_span(project, en.id, *span(EN, "video"), "Video")
    async with GtcodeApp(project).run_test(size=(200, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f10")
        await settle(pilot)
        screen = pilot.app.screen
        table = screen.query_one("#history-table")
        assert table.row_count == 2 and fits(table)
        screen.query_one("#history-code").value = "a2"
        await settle(pilot)
        assert [str(row[4]) for row in map(table.get_row_at, range(table.row_count))] == [
            f"code Video in document {en.id}"]
        assert fits(table)


async def test_the_coders_comparison_is_cut_again_for_a_narrower_terminal(sqlite_project, monkeypatch):
    project = sqlite_project
    paint_before_measuring(monkeypatch)
    doc = add_document(project, LONG, ZH, lang="zh").document
    add_coder(project, "bob")
    bob = open_project(project.directory, coder="bob")
    code_span(project, doc.id, *span(ZH, "直播课"), "直播课")
    code_span(bob, doc.id, *span(ZH, "城里老师的直播课"), "直播课")
    bob.close()
    async with GtcodeApp(project).run_test(size=(200, 40)) as pilot:
        await pilot.app.push_screen(CompareCodersScreen())
        await settle(pilot)
        table = pilot.app.screen.query_one("#compare-table")
        wide = table.ordered_columns[0].get_render_width(table)
        assert fits(table)
        await pilot.resize_terminal(100, 40)
        await settle(pilot)
        assert table.ordered_columns[0].get_render_width(table) < wide and fits(table)


async def test_search_hits_of_a_shorter_context_fit_them(docs, monkeypatch):
    project, _en, _zh = docs
    paint_before_measuring(monkeypatch)
    add_document(project, "长句", f"受访者：{LONG}{LONG}。", kind="interview", lang="zh")
    async with GtcodeApp(project).run_test(size=(200, 40)) as pilot:
        await pilot.press("f9")
        await settle(pilot)
        screen = pilot.app.screen
        table = screen.query_one("#search-hits")
        for query in ("图书馆", "specialist"):
            screen.query_one("#search-query").value = query
            screen.query_one("#search-query").focus()
            await pilot.press("enter")
            await settle(pilot)
            assert table.row_count and fits(table)


async def test_properties_fit_what_is_left_after_an_undo(docs, monkeypatch):
    project, _en, zh = docs
    paint_before_measuring(monkeypatch)
    code_span(project, zh.id, *span(ZH, "直播课"), "直播课")
    codes.group(project, "concept", "在线教育", ["a1"])
    add_property(project, "aa1", "成本", "免费,便宜,昂贵")
    async with GtcodeApp(project).run_test(size=(200, 40)) as pilot:
        await highlight_code(pilot, zh.id, "aa1")
        await pilot.press("p")
        await settle(pilot)
        table = pilot.app.screen.query_one("#property-table")
        assert table.row_count == 3 and fits(table)
        add_property(project, "aa1", LONG, "1..3")
        await settle(pilot)
        assert table.row_count == 4 and fits(table)
        codes.undo(project)
        await settle(pilot)
        assert table.row_count == 3 and fits(table)


async def test_memos_filtered_to_shorter_titles_and_links_fit_them(docs, monkeypatch):
    project, en, zh = docs
    paint_before_measuring(monkeypatch)
    add_memo(project, f"doc:{zh.id}", "城乡共享的起点", title=LONG, links=[f"doc:{en.id}"])
    add_memo(project, "project", "An overview of the study.", title="Overview")
    async with GtcodeApp(project).run_test(size=(200, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        screen = pilot.app.screen
        table, links = screen.query_one("#memo-table"), screen.query_one("#memo-links")
        assert table.row_count == 2 and fits(table)
        screen.query_one("#memo-text-filter").value = "城乡"
        await settle(pilot)
        assert screen.current.title == LONG and links.row_count == 2 and fits(links)
        screen.query_one("#memo-text-filter").value = "overview"
        await settle(pilot)
        assert table.row_count == 1 and fits(table)
        assert screen.current.title == "Overview" and links.row_count == 1 and fits(links)


async def test_cases_fit_their_shorter_attributes(docs, monkeypatch):
    project, en, _zh = docs
    paint_before_measuring(monkeypatch)
    set_case(project, "村民甲", {"职业": LONG}, [str(en.id)])
    async with GtcodeApp(project).run_test(size=(200, 40)) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        table = pilot.app.screen.query_one("#cases")
        assert table.row_count == 1 and fits(table)
        set_case(project, "村民甲", {"职业": "教师"})
        await settle(pilot)
        assert str(table.get_row_at(0)[2]) == "职业=教师" and fits(table)


async def test_words_of_a_code_fit_them(docs, monkeypatch):
    project, en, _zh = docs
    paint_before_measuring(monkeypatch)
    add_document(project, "长句", f"受访者：{LONG}。", kind="interview", lang="zh")
    code_span(project, en.id, *span(EN, "city"), "City")
    async with GtcodeApp(project).run_test(size=(200, 40)) as pilot:
        await pilot.app.push_screen("words")
        await settle(pilot)
        screen = pilot.app.screen
        table = screen.query_one("#words-table")
        assert table.row_count > 1 and fits(table)
        screen.query_one("#words-code").value = "a1"
        screen.query_one("#words-code").focus()
        await pilot.press("enter")
        await settle(pilot)
        assert table.row_count == 1 and fits(table)


async def test_quotations_and_import_results_fit_them_at_once(docs, monkeypatch):
    project, _en, zh = docs
    paint_before_measuring(monkeypatch)
    code_span(project, zh.id, *span(ZH, "直播课"), "直播课")
    async with GtcodeApp(project).run_test(size=(200, 40)) as pilot:
        await settle(pilot)
        await pilot.app.push_screen(QuotationsScreen("a1", matrix_cell(project, "a1", f"{zh.id} {zh.title}")))
        await settle(pilot)
        assert fits(pilot.app.screen.query_one("#quotations-table"))
        pilot.app.pop_screen()
        await pilot.app.push_screen(ImportSummary([ImportResult(f"/tmp/{LONG}.txt", "imported", "imported"),
                                                   ImportResult("/tmp/x.txt", "failed", f"/tmp/x.txt: {LONG}")]))
        await settle(pilot)
        assert fits(pilot.app.screen.query_one("#import-results"))

