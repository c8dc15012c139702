"""The codebook entry dialog (e on a code in the tree)."""

from __future__ import annotations

from gtcode.services.coding import code_span
from gtcode.services.entries import code_entry
from gtcode.tui.app import GtcodeApp
from gtcode.tui.screens.entry import EntryDialog
from tests.tui.support import ZH, highlight_code, settle


async def test_the_entry_dialog_writes_criteria_and_examples(docs):
    project, en, zh = docs
    coding = code_span(project, zh.id, ZH.index("直播课"), ZH.index("直播课") + 3, "直播课")
    async with GtcodeApp(project).run_test(size=(140, 45)) as pilot:
        await highlight_code(pilot, zh.id, "a1")
        await pilot.press("e")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, EntryDialog)
        dialog.query_one("#entry-definition").load_text("城里老师的课")
        dialog.query_one("#entry-when").load_text("students follow a class given elsewhere")
        dialog.query_one("#entry-typical").value = str(coding.id)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, EntryDialog)
    entry = code_entry(project, "a1")
    assert (entry.definition, entry.when_to_use) == ("城里老师的课", "students follow a class given elsewhere")
    assert [x.coding_id for x in entry.examples] == [coding.id]
