"""The per-category view of properties (p in the tree) and locating a coding on a dimension (v in the reader)."""

from __future__ import annotations

from gtcode.services import codes as codebook
from gtcode.services.coding import code_span
from gtcode.services.properties import code_properties
from gtcode.tui.app import GtcodeApp
from gtcode.tui.screens.dialogs import PromptDialog
from gtcode.tui.screens.properties import PropertiesScreen
from tests.tui.support import ZH, answer, highlight_code, reader, settle


async def test_add_a_property_and_locate_a_coding_on_it(docs):
    project, en, zh = docs
    start = ZH.index("直播课")
    coding = code_span(project, zh.id, start, start + 3, "直播课")
    codebook.group(project, "concept", "在线教育", ["a1"])
    codebook.group(project, "category", "教育共享", ["aa1"])
    async with GtcodeApp(project).run_test(size=(140, 40)) as pilot:
        await highlight_code(pilot, zh.id, "A1")
        await pilot.press("p")
        await settle(pilot)
        assert isinstance(pilot.app.screen, PropertiesScreen)
        await answer(pilot, "a", *"成本")
        await answer(pilot, "enter", *"免费,便宜,昂贵")
        assert isinstance(pilot.app.screen, PromptDialog)
        await pilot.press("enter")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, PropertiesScreen) and screen.query_one("#property-table").row_count == 3
        await pilot.press("escape")
        await settle(pilot)
        reader(pilot.app).focus()
        reader(pilot.app).select_span(start, start + 3)
        await answer(pilot, "v", *"成本=贵", "enter")  # not in the range: refused, nothing located
        await settle(pilot)
        assert [v.count for v in code_properties(project, "A1")[0].values] == [0, 0, 0]
        reader(pilot.app).select_span(start, start + 3)
        await answer(pilot, "v", *"成本=免费", "enter")
        await settle(pilot)
    assert code_properties(project, "A1")[0].values[0].coding_ids == (coding.id,)
