"""The comparison view: two coders' disagreements side by side, settled from the keyboard."""

from gtcode.services.coding import code_span, document_codings
from gtcode.services.corpus import add_document
from gtcode.services.project import open_project
from gtcode.services.team import add_coder
from gtcode.tui.app import GtcodeApp
from gtcode.tui.screens.compare_coders import CompareCodersScreen

TEXT = "The clinic opened on Mondays. Patients came from three villages."


async def test_accepting_the_right_side_keeps_it_and_writes_the_memo(sqlite_project):
    project = sqlite_project
    doc = add_document(project, "Clinic notes", TEXT).document
    add_coder(project, "bob")
    bob = open_project(project.directory, coder="bob")
    start = TEXT.index("clinic opened")
    code_span(project, doc.id, start, start + len("clinic opened"), "Opening")
    code_span(bob, doc.id, start, start + len("clinic opened on Mondays"), "Opening")
    bob.close()
    async with GtcodeApp(project).run_test(size=(120, 40)) as pilot:
        await pilot.app.push_screen(CompareCodersScreen())
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = pilot.app.screen
        assert len(screen.items) == 1
        screen.query_one("#compare-memo").value = "the day belongs to the code"
        await pilot.press("2")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        assert screen.items == []
    codings = sorted((c.coder, c.quote, c.memo) for c in document_codings(project, doc.id))
    assert codings == [("alice", "clinic opened on Mondays", "the day belongs to the code"),
                       ("bob", "clinic opened on Mondays", "")]


async def test_f8_opens_the_comparison_from_any_stage(sqlite_project):
    async with GtcodeApp(sqlite_project).run_test(size=(120, 40)) as pilot:
        await pilot.press("f3")
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(pilot.app.screen, CompareCodersScreen)


async def test_a_document_one_coder_alone_coded_is_no_disagreement(sqlite_project):
    project = sqlite_project
    doc = add_document(project, "Clinic notes", TEXT).document
    alone = add_document(project, "村医访谈", "村医说：远程会诊很有用。", lang="zh").document
    add_coder(project, "bob")
    bob = open_project(project.directory, coder="bob")
    start = TEXT.index("clinic opened")
    code_span(project, doc.id, start, start + len("clinic opened"), "Opening")
    code_span(bob, doc.id, start, start + len("clinic opened on Mondays"), "Opening")
    code_span(project, alone.id, 4, 8, "远程会诊")
    bob.close()
    async with GtcodeApp(project).run_test(size=(120, 40)) as pilot:
        await pilot.press("f8")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, CompareCodersScreen)
        assert [(item.document_id, item.code_label) for item in screen.items] == [(doc.id, "Opening")]
        assert screen.query_one("#compare-table").row_count == 1


async def test_at_80_columns_both_sides_are_on_screen(sqlite_project):
    project = sqlite_project
    long = " ".join([TEXT] * 4)
    doc = add_document(project, "教师访谈：乡村学校的远程课堂与家长的看法", long).document
    add_coder(project, "bob")
    bob = open_project(project.directory, coder="bob")
    code_span(project, doc.id, 0, len(long) - 1, "Opening")
    code_span(bob, doc.id, 4, len(long), "Opening")
    bob.close()
    async with GtcodeApp(project).run_test(size=(80, 24)) as pilot:
        await pilot.app.push_screen(CompareCodersScreen())
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        table = pilot.app.screen.query_one("#compare-table")
        assert table.row_count == 1 and table.virtual_size.width <= table.size.width
        assert str(table.get_row_at(0)[3]).startswith("4-")
