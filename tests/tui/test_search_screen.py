"""The search screen: query, keyword in context, open a hit in the reader, code all hits, undo."""

from gtcode.services.coding import document_codings
from gtcode.tui.app import GtcodeApp
from gtcode.tui.screens.search import SearchScreen
from tests.tui.support import ZH, reader, settle


async def search_for(pilot, query: str) -> SearchScreen:
    screen = pilot.app.screen
    screen.query_one("#search-query").value = query
    screen.query_one("#search-query").focus()
    await pilot.press("enter")
    await settle(pilot)
    return screen


async def test_f9_searches_shows_keywords_in_context_and_opens_a_hit_in_the_reader(docs):
    project, en, zh = docs
    async with GtcodeApp(project).run_test(size=(140, 40)) as pilot:
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(pilot.app.screen, SearchScreen)
        screen = await search_for(pilot, "city OR 老师")
        assert [(h.document_id, h.keyword) for h in screen.hits] == [(en.id, "city"), (en.id, "city"), (zh.id, "老师")]
        table = screen.query_one("#search-hits")
        assert table.row_count == 3 and str(table.get_row_at(2)[4]) == "老师"
        await pilot.press("s", "s")  # by the word right of the keyword (none after the last "city.")
        assert screen.sort_by == "right" and [h.right_word for h in screen.hits] == ["", "read", "的"]
        await pilot.press("s", "s")
        assert screen.sort_by == "position"
        table.move_cursor(row=2)
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.current_mode == "open" and not isinstance(pilot.app.screen, SearchScreen)
        start = ZH.index("老师")
        assert reader(pilot.app).selected_span == (start, start + 2)


async def test_code_all_hits_then_undo_in_one_step(docs):
    project, en, zh = docs
    async with GtcodeApp(project).run_test(size=(140, 40)) as pilot:
        await pilot.app.push_screen(SearchScreen())
        await pilot.pause()
        screen = await search_for(pilot, "city OR 城里")
        await pilot.press("t")  # code each hit's sentence
        assert screen.unit == "sentence"
        await pilot.press("c")
        await settle(pilot, 1)
        await pilot.press(*"Urban link", "enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        coded = [c.quote for c in document_codings(project, en.id)] + [c.quote for c in document_codings(project, zh.id)]
        assert coded == ["Doctors in the city read our scans.", "Our children join live classes from the city.",
                         "村里的学生可以上城里老师的直播课。"]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert document_codings(project, en.id) == [] and document_codings(project, zh.id) == []
        assert "undone: code 3 sentences" in str(screen.query_one("#search-status").render())


async def test_matrix_heat_map_drills_down_to_a_cells_quotations_and_opens_one(docs):
    from gtcode.services import codes
    from gtcode.services.search import autocode
    from gtcode.tui.screens.analysis import MatrixScreen, QuotationsScreen, WordsScreen

    project, en, zh = docs
    autocode(project, "city", "City", unit="sentence")
    autocode(project, "老师", "Teachers")
    codes.group(project, "concept", "Places", ["a1", "a2"])
    async with GtcodeApp(project).run_test(size=(140, 40)) as pilot:
        await pilot.app.push_screen(SearchScreen())
        await pilot.pause()
        await pilot.press("escape")
        await pilot.app.push_screen("matrix")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, MatrixScreen)
        assert (screen.result.rows, screen.result.cells) == (["a1 City", "a2 Teachers"], [[2, 0], [0, 1]])
        await pilot.press("l")
        await settle(pilot)
        assert (screen.result.rows, screen.result.cells) == (["aa1 Places"], [[2, 1]])
        table = screen.query_one("#matrix-table")
        table.move_cursor(row=0, column=2)
        await pilot.press("enter")
        await settle(pilot)
        drilled = pilot.app.screen
        assert isinstance(drilled, QuotationsScreen) and [q.text for q in drilled.quotations] == ["老师"]
        await pilot.press("enter")
        await settle(pilot)
        start = ZH.index("老师")
        assert pilot.app.current_mode == "open" and reader(pilot.app).selected_span == (start, start + 2)
        await pilot.app.push_screen("words")
        await settle(pilot)
        words = pilot.app.screen
        assert isinstance(words, WordsScreen)
        assert str(words.query_one("#words-table").get_row_at(0)[0]) == "city"


async def test_matrix_by_case_columns_counts_and_drill_down(docs):
    from gtcode.services.cases import set_case
    from gtcode.services.search import autocode
    from gtcode.tui.screens.analysis import MatrixScreen, QuotationsScreen

    project, en, zh = docs
    autocode(project, "city", "City", unit="sentence")
    autocode(project, "老师", "Teachers")
    set_case(project, "P01", {}, [str(en.id)])
    set_case(project, "村民甲", {}, [str(zh.id)])
    async with GtcodeApp(project).run_test(size=(140, 40)) as pilot:
        await pilot.app.push_screen("matrix")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, MatrixScreen)
        box = screen.query_one("#matrix-columns")
        box.focus()
        box.value = "cases"
        await pilot.press("enter")
        await settle(pilot)
        assert (screen.result.columns, screen.result.cells) == (["P01", "村民甲"], [[2, 0], [0, 1]])
        screen.query_one("#matrix-table").focus()
        await pilot.press("k", "k")
        await settle(pilot)
        assert (screen.result.count, screen.result.cells) == ("cases", [[1, 0], [0, 1]])
        screen.query_one("#matrix-table").move_cursor(row=0, column=1)
        await pilot.press("enter")
        await settle(pilot)
        drilled = pilot.app.screen
        assert isinstance(drilled, QuotationsScreen) and len(drilled.quotations) == 2


async def test_space_marks_hits_and_c_codes_only_the_marked_ones(docs):
    project, en, zh = docs
    async with GtcodeApp(project).run_test(size=(140, 40)) as pilot:
        await pilot.app.push_screen(SearchScreen())
        await pilot.pause()
        screen = await search_for(pilot, "city OR 城里")
        table = screen.query_one("#search-hits")
        table.move_cursor(row=1)
        await pilot.press("space")
        assert screen.marked == {(en.id, screen.hits[1].start, screen.hits[1].end)} and table.cursor_row == 2
        await pilot.press("c")
        await settle(pilot, 1)
        await pilot.press(*"City", "enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert [c.quote for c in document_codings(project, en.id)] == ["city"]
        assert document_codings(project, en.id)[0].start == screen.hits[1].start
        assert document_codings(project, zh.id) == []
