"""The history view (F9) with Pilot: changes listed, undone ones marked, undo and redo from the screen."""

from __future__ import annotations

from gtcode.services import codes as codebook
from gtcode.services.coding import code_span
from gtcode.tui.app import GtcodeApp
from gtcode.tui.screens.history import HistoryScreen
from tests.tui.support import ZH, settle


async def test_history_marks_undone_changes_and_undoes_and_redoes(docs):
    project, en, zh = docs
    code_span(project, zh.id, ZH.index("直播课"), ZH.index("直播课") + 3, "直播课")
    codebook.rename(project, "a1", "Live classes")
    async with GtcodeApp(project).run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f10")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, HistoryScreen)
        assert [(e.description, e.status) for e in screen.entries] == [
            ("rename a1 to Live classes", "done"), ("code 直播课 in document 2", "done")]
        assert "label 直播课 → Live classes" in str(screen.query_one("#history-detail").render())
        await pilot.press("u")
        await settle(pilot)
        assert screen.entries[0].status == "undone" and codebook.list_codes(project)[0].label == "直播课"
        screen.query_one("#history-coder").value = "nobody"
        await settle(pilot)
        assert screen.query_one("#history-table").row_count == 0
        screen.query_one("#history-coder").value = ""
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert screen.entries[0].status == "done" and codebook.list_codes(project)[0].label == "Live classes"
