"""The search screen: query, keyword in context, open a hit in the reader, code all hits, undo."""

import re

import pytest
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from gtcode.services.coding import document_codings
from gtcode.services.corpus import add_document
from gtcode.tui.app import GtcodeApp
from gtcode.tui.screens.search import PAGE, SearchScreen
from tests.tui.support import ZH, answer, reader, settle


async def search_for(pilot, query: str) -> SearchScreen:
    screen = pilot.app.screen
    screen.query_one("#search-query").value = query
    screen.query_one("#search-query").focus()
    await pilot.press("enter")
    await settle(pilot)
    return screen


async def open_search(pilot, query: str) -> SearchScreen:
    """The search screen pushed, then ``query`` searched on it."""
    await pilot.app.push_screen(SearchScreen())
    await pilot.pause()
    return await search_for(pilot, query)


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
        await settle(pilot)  # sorted in a worker
        assert screen.sort_by == "right" and [h.right_word for h in screen.hits] == ["", "read", "的"]
        await pilot.press("s", "s")
        await settle(pilot)
        assert screen.sort_by == "position" and [h.keyword for h in screen.hits] == ["city", "city", "老师"]
        table.move_cursor(row=2)
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.current_mode == "open" and not isinstance(pilot.app.screen, SearchScreen)
        start = ZH.index("老师")
        assert reader(pilot.app).selected_span == (start, start + 2)


async def test_code_all_hits_then_undo_in_one_step(docs):
    project, en, zh = docs
    async with GtcodeApp(project).run_test(size=(140, 40)) as pilot:
        screen = await open_search(pilot, "city OR 城里")
        await pilot.press("t")  # code each hit's sentence
        assert screen.unit == "sentence"
        await answer(pilot, "c", *"Urban link", "enter")
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
        # a cell chosen among the phenomena, its message handled after the concepts were counted: that row is gone,
        # and the cell under the cursor (the code column) lists nothing
        table.post_message(DataTable.CellSelected(table, "", Coordinate(1, 1), table.coordinate_to_cell_key((0, 1))))
        await settle(pilot)
        assert pilot.app.screen is screen
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
        screen = await open_search(pilot, "city OR 城里")
        table = screen.query_one("#search-hits")
        table.move_cursor(row=1)
        await pilot.press("space")
        assert screen.marked == {(en.id, screen.hits[1].start, screen.hits[1].end)} and table.cursor_row == 2
        await answer(pilot, "c", *"City", "enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert [c.quote for c in document_codings(project, en.id)] == ["city"]
        assert document_codings(project, en.id)[0].start == screen.hits[1].start
        assert document_codings(project, zh.id) == []


def status(screen) -> str:
    return str(screen.query_one("#search-status").render())


def page_keys(screen) -> dict[str, bool]:
    """The page actions the footer offers now, and whether each can be taken."""
    return {shown.binding.action: shown.enabled for shown in screen.app.active_bindings.values()
            if shown.binding.action.startswith("page(")}


@pytest.mark.parametrize("size", [(80, 24), (140, 45)])
@pytest.mark.parametrize("query, word", [("clinics", "clinic"), ("学校", "学校")])
async def test_many_hits_are_laid_out_a_page_at_a_time_with_their_count_and_time(sqlite_project, size, query, word):
    project = sqlite_project
    sentences = PAGE + PAGE // 2 + 3  # two pages and a bit
    en = add_document(project, "Clinic diary", " ".join(f"Day {n}: the clinic opened." for n in range(sentences)),
                      kind="interview", lang="en").document
    zh = add_document(project, "学校日记", "".join(f"第{n}天学校开门了。" for n in range(sentences)),
                      kind="interview", lang="zh").document
    expected_document = en.id if word == "clinic" else zh.id
    async with GtcodeApp(project).run_test(size=size) as pilot:
        screen = await open_search(pilot, query)
        table = screen.query_one("#search-hits")
        assert len(screen.hits) == sentences and {h.document_id for h in screen.hits} == {expected_document}
        assert table.row_count == PAGE and str(table.get_row_at(0)[4]) == word
        assert re.match(rf"{sentences} hits of {query} in \d+\.\d\d s · page 1/2 \(n/p\)", status(screen))
        assert page_keys(screen) == {"page(1)": True, "page(-1)": False}  # in the footer; no page before the first
        await pilot.press("n")
        await pilot.pause()
        assert screen.page == 1 and table.row_count == sentences - PAGE and "page 2/2" in status(screen)
        assert page_keys(screen) == {"page(1)": False, "page(-1)": True}
        await pilot.press("n")  # no third page: stays
        assert screen.page == 1
        table.move_cursor(row=2)
        await pilot.press("space")  # marks the hit on this page's row, not the first page's
        third = screen.hits[PAGE + 2]
        assert screen.marked == {(third.document_id, third.start, third.end)}
        await pilot.press("p")
        await pilot.pause()
        assert screen.page == 0 and table.row_count == PAGE and str(table.get_row_at(2)[0]) == ""
        await pilot.press("n")
        await pilot.pause()
        assert str(table.get_row_at(2)[0]) == "✓"  # the mark stays with its hit
        table.move_cursor(row=2)
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.current_mode == "open" and reader(pilot.app).selected_span == (third.start, third.end)


async def test_a_few_hits_are_one_page_with_no_page_keys(docs):
    project, en, zh = docs
    async with GtcodeApp(project).run_test(size=(80, 24)) as pilot:
        screen = await open_search(pilot, "city OR 老师")
        assert screen.query_one("#search-hits").row_count == 3 and page_keys(screen) == {}
        assert re.match(r"3 hits of city OR 老师 in \d+\.\d\d s · sorted by position", status(screen))


async def test_the_words_screen_says_it_is_counting_until_the_words_are_in(docs, monkeypatch):
    import threading

    from gtcode.services import queries

    project, _en, _zh = docs
    count, may_end = queries.word_frequencies, threading.Event()
    monkeypatch.setattr(queries, "word_frequencies", lambda *a, **k: may_end.wait(30) and count(*a, **k))
    async with GtcodeApp(project).run_test(size=(80, 24)) as pilot:
        await pilot.app.push_screen("words")
        await pilot.pause()
        status = pilot.app.screen.query_one("#words-status")
        assert str(status.render()) == "counting words…"
        may_end.set()
        await settle(pilot)
        assert "most frequent words in the corpus" in str(status.render())


async def test_at_80_columns_both_contexts_are_on_screen_and_widen_with_the_terminal(docs):
    project, en, _zh = docs
    async with GtcodeApp(project).run_test(size=(80, 24)) as pilot:
        screen = await open_search(pilot, "specialist OR 图书馆")
        table = screen.query_one("#search-hits")
        assert table.row_count == 2 and table.virtual_size.width <= table.size.width  # "right" is on screen
        for row, hit in enumerate(screen.hits):
            left, right = (str(table.get_row_at(row)[n]) for n in (3, 5))
            assert right and hit.right.startswith(right) and left and hit.left.endswith(left)
        await pilot.resize_terminal(200, 40)
        await settle(pilot)
        assert [str(table.get_row_at(row)[5]) for row in range(2)] == [hit.right for hit in screen.hits]
