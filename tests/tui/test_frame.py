"""The app frame: documents table and welcome panel, hold-out lock, help screen, command palette, memo list."""

import re

from sqlalchemy import update

from gtcode.services.memos import write_memo
from gtcode.store.tables import DocumentRow
from gtcode.tui.app import GtcodeApp
from gtcode.tui.screens.help import HelpScreen
from gtcode.tui.screens.memos import MemoScreen
from tests.tui.support import answer, messages, reader, settle
from tests.conftest import raw_write


def hold_out(project, document_id: int) -> None:
    """Put a document in the hold-out (the split service belongs to the saturation stage)."""
    with raw_write(project) as session:
        session.execute(update(DocumentRow).where(DocumentRow.id == document_id).values(split="holdout"))


async def test_empty_project_shows_the_welcome_panel(sqlite_project):
    async with GtcodeApp(sqlite_project).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        welcome = pilot.app.screen.query_one("#welcome")
        assert welcome.display and "press  i  to import files or a folder" in str(welcome.render())
        assert not pilot.app.screen.query_one("#documents").display


async def test_documents_table_opens_a_document_and_refuses_a_locked_one(docs):
    project, en, zh = docs
    hold_out(project, zh.id)
    async with GtcodeApp(project).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = pilot.app.screen.query_one("#documents")
        assert table.row_count == 2
        assert str(table.get_row_at(1)[1]).startswith("🔒")
        await pilot.press("down", "enter")
        await settle(pilot)
        assert pilot.app.current_mode == "documents"
        assert any("hold-out" in m and "\n" not in m for m in messages(pilot.app))
        await pilot.press("up", "enter")
        await settle(pilot)
        assert pilot.app.current_mode == "open"
        assert reader(pilot.app).source_text.startswith("Interviewer: What changed")
        status = str(pilot.app.screen.query_one("#stage-status").render())
        assert "2 documents (0 coded, 1 hold-out)" in status


async def test_help_lists_the_screen_bindings(docs):
    project, en, _ = docs
    async with GtcodeApp(project).run_test(size=(120, 40)) as pilot:
        pilot.app.open_document(en.id)
        await settle(pilot)
        await pilot.press("f1")
        await settle(pilot)
        assert isinstance(pilot.app.screen, HelpScreen)
        places = dict(pilot.app.screen.table)
        assert ("c", "Code") in places["Open coding"] and ("space", "Mark") in places["Codebook tree"]
        assert ("ctrl+z", "Undo") in places["Open coding"] and ("f2", "Documents") in places["Everywhere"]
        assert [place for place in places if re.search("[a-z][A-Z]", place)] == []  # words, not class names
        await pilot.press("escape")
        assert not isinstance(pilot.app.screen, HelpScreen)


async def test_palette_jumps_to_a_document_and_memo_list(docs):
    project, en, zh = docs
    write_memo(project, f"doc:{zh.id}", "rural classrooms")
    async with GtcodeApp(project).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await answer(pilot, "ctrl+p", *"教师访谈")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.current_mode == "open"
        assert reader(pilot.app).source_text.startswith("采访者")
        await pilot.press("f7")
        await settle(pilot)
        assert isinstance(pilot.app.screen, MemoScreen)
        assert pilot.app.screen.query_one("#memo-table").row_count == 1


async def test_a_blinded_hold_out_document_shows_only_a_neutral_title(docs):
    from gtcode.services.holdout import split_holdout

    project, _en, zh = docs
    split_holdout(project, documents=[str(zh.id)])
    async with GtcodeApp(project).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        row = [str(cell) for cell in pilot.app.screen.query_one("#documents").get_row_at(1)]
        assert row[1] == f"🔒 hold-out document {zh.id}" and row[4:6] == ["-", "-"]
        await answer(pilot, "ctrl+p", *"教师访谈")
        await pilot.pause(0.5)
        await pilot.press("enter")  # the palette knows no blinded document by its title
        await settle(pilot)
        assert pilot.app.current_mode != "open"
    assert not any("教师访谈" in m for m in messages(pilot.app))


async def test_the_reader_shows_a_blind_coder_only_their_own_codings(docs):
    from gtcode.services import team
    from gtcode.services.coding import code_span
    from gtcode.services.project import open_project

    project, en, _zh = docs
    team.add_coder(project, "bob")
    team.assign(project, [en.id], ["alice", "bob"])
    bob = open_project(project.directory, coder="bob")
    try:
        code_span(project, en.id, 0, 11, "Asking")
        mine = code_span(bob, en.id, 13, 17, "Change").id
        async with GtcodeApp(bob).run_test(size=(120, 40)) as pilot:
            pilot.app.open_document(en.id)
            await settle(pilot)
            assert set(reader(pilot.app).codings) == {mine}
    finally:
        bob.close()


async def test_the_page_check_runs_after_the_first_screen_and_says_a_damaged_file_in_one_line(sqlite_project):
    """Opening checks the header and schema only; the full page check starts once the first screen shows, and a
    damaged file is then said in one notification line, every write refused with it."""
    from gtcode.services.project import open_project
    from gtcode.tui.messages import FirstScreenShown
    from tests.services.test_faults import damage

    damage(sqlite_project)
    project = open_project(sqlite_project.directory)
    shown: list[bool] = []

    def hook(message) -> None:
        if isinstance(message, FirstScreenShown):
            shown.append(project.damaged is None)  # seen at the screen and at the app: no verdict yet either time

    try:
        async with GtcodeApp(project).run_test(size=(120, 40), message_hook=hook) as pilot:
            await settle(pilot)
            assert set(shown) == {True} and project.damaged is not None and "is damaged" in project.damaged
            assert project.damaged in messages(pilot.app) and "\n" not in project.damaged
            from gtcode.services.documents import retitle_document

            pilot.app.screen.manage(retitle_document, 1, "new title")  # any write now: refused with that line
            await settle(pilot)
            assert messages(pilot.app).count(project.damaged) == 2
    finally:
        project.close()
