"""The memo workspace (F7) driven with Pilot: filters, editing with unsaved-change protection, links, jumps."""

from __future__ import annotations

from textual.widgets import DataTable

from gtcode.services.coding import code_span
from gtcode.services.memos import add_memo, get_memo, list_memos
from gtcode.tui.app import GtcodeApp
from gtcode.tui.screens.dialogs import ConfirmDialog, PromptDialog
from gtcode.tui.screens.memos import MemoScreen
from tests.tui.support import ZH, press_for_dialog, reader, settle


async def _open_memos(pilot):
    await settle(pilot)
    await pilot.press("f7")
    await settle(pilot)
    assert isinstance(pilot.app.screen, MemoScreen)
    return pilot.app.screen


async def test_filters_edit_save_and_unsaved_protection(docs):
    project, en, zh = docs
    code_span(project, zh.id, ZH.index("直播课"), ZH.index("直播课") + 3, "直播课")
    code_note = add_memo(project, "a1", "城乡共享的起点", title="直播课笔记", memo_type="code")
    add_memo(project, "project", "An overview of the study.", title="Overview", memo_type="free")
    async with GtcodeApp(project).run_test(size=(140, 40)) as pilot:
        screen = await _open_memos(pilot)
        table = screen.query_one("#memo-table")
        assert table.row_count == 2
        screen.query_one("#memo-type-filter").value = "code"
        await settle(pilot)
        assert table.row_count == 1 and screen.current.id == code_note.id
        screen.query_one("#memo-type-filter").value = "all"
        screen.query_one("#memo-text-filter").value = "overview"
        await settle(pilot)
        assert table.row_count == 1 and screen.memos[0].title == "Overview"
        screen.query_one("#memo-text-filter").value = ""
        screen.query_one("#memo-target-filter").value = "a1"
        await settle(pilot)
        assert [m.id for m in screen.memos] == [code_note.id]
        screen._open(screen.memos[0])
        screen.query_one("#memo-body").load_text("城乡共享的起点：直播课")
        await pilot.press("escape")  # unsaved: asked first
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("n")
        await settle(pilot)
        assert pilot.app.screen is screen
        await pilot.press("ctrl+q")  # quitting asks too
        await settle(pilot)
        assert "unsaved memo in the workspace" in pilot.app.screen.question
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert get_memo(project, code_note.id).text == "城乡共享的起点：直播课" and not screen.dirty
        assert pilot.app.unsaved == set()
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, MemoScreen)


async def test_new_memo_link_and_jump_to_a_text_position(docs):
    project, en, zh = docs
    async with GtcodeApp(project).run_test(size=(140, 40)) as pilot:
        screen = await _open_memos(pilot)
        screen.query_one("#memo-target-filter").value = f"doc:{en.id}"
        await settle(pilot)
        await pilot.press("ctrl+n")
        await settle(pilot)
        screen.query_one("#memo-title").value = "Clinic visit"
        screen.query_one("#memo-type").value = "operational"
        screen.query_one("#memo-body").load_text("Ask about the waiting week.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        [memo] = list_memos(project)
        assert (memo.title, memo.type, memo.target_kind, memo.target_id) == ("Clinic visit", "operational", "document", en.id)
        await press_for_dialog(pilot, "ctrl+l")
        assert isinstance(pilot.app.screen, PromptDialog)
        await pilot.press(*f"doc:{zh.id}@17-20", "enter")
        await settle(pilot)
        assert [link.ref for link in get_memo(project, memo.id).links] == [f"doc:{zh.id}@17-20"]
        links = screen.query_one("#memo-links")
        links.focus()
        links.move_cursor(row=1)
        await pilot.press("ctrl+g")
        await settle(pilot, 5)
        assert pilot.app.current_mode == "open"
        assert reader(pilot.app).selected_span == (17, 20) and reader(pilot.app).source_text == ZH


async def test_the_target_filter_offers_the_picker_and_keeps_free_typing(docs):
    project, en, zh = docs
    code_span(project, zh.id, ZH.index("直播课"), ZH.index("直播课") + 3, "直播课")
    code_note = add_memo(project, "a1", "城乡共享的起点", title="直播课笔记", memo_type="code")
    overview = add_memo(project, "project", "An overview of the study.", title="Overview")
    clinic = add_memo(project, f"doc:{en.id}", "Ask about the waiting week.", title="Clinic visit")
    async with GtcodeApp(project).run_test(size=(140, 40)) as pilot:
        screen = await _open_memos(pilot)
        await press_for_dialog(pilot, "ctrl+t")
        dialog = pilot.app.screen
        assert isinstance(dialog, PromptDialog)
        await pilot.press(*"直播", "down", "enter")  # the code picked by part of its Chinese label
        await settle(pilot)
        assert pilot.app.screen is screen and screen.query_one("#memo-target-filter").value == "a1"
        assert [m.id for m in screen.memos] == [code_note.id]
        target = screen.query_one("#memo-target-filter")
        target.focus()
        target.value = ""
        await pilot.press(*"Clin")
        await press_for_dialog(pilot, "enter")  # Enter in the filter opens the picker on what is typed
        assert isinstance(pilot.app.screen, PromptDialog)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert target.value == f"doc:{en.id}" and [m.id for m in screen.memos] == [clinic.id]
        target.value = "project"  # typed, not picked
        await settle(pilot)
        assert [m.id for m in screen.memos] == [overview.id]


async def test_at_80x24_every_filter_has_room_for_what_is_typed(docs):
    async with GtcodeApp(docs[0]).run_test(size=(80, 24)) as pilot:
        screen = await _open_memos(pilot)
        filters = [screen.query_one(f"#memo-{name}-filter") for name in ("type", "target", "author", "text")]
        assert min(widget.content_region.width for widget in filters) >= 14


def _columns_in_view(table) -> list[str]:
    """The labels of the memo list's columns drawn whole within its width."""
    shown, x = [], 0
    for column in table.ordered_columns:
        x += column.get_render_width(table)
        if x <= table.size.width:
            shown.append(str(column.label))
    return shown


async def test_the_memo_list_cuts_titles_and_targets_to_its_width(docs):
    project, en, zh = docs
    code_span(project, zh.id, 0, 3, "城乡数字资源共享中老年人使用智能手机的困难与家庭支持")
    add_memo(project, "a1", "正文", title="关于老年人数字鸿沟与家庭代际支持之间关系的理论备忘录（第二稿）")
    add_memo(project, f"doc:{en.id}", "Body.", title="A long English title about video consultations and the week-long wait")
    async with GtcodeApp(project).run_test(size=(80, 24)) as pilot:
        screen = await _open_memos(pilot)
        table = screen.query_one("#memo-table")
        assert _columns_in_view(table)[:3] == ["type", "title", "on"]  # author and time may lie off to the right
        narrow = list(table.get_column_at(1))
        assert len(narrow) == 2 and all(str(cell).endswith("…") for cell in narrow)
        await pilot.resize_terminal(200, 50)
        await settle(pilot)
        assert _columns_in_view(table) == ["type", "title", "on", "author", "updated"]
        wide = list(table.get_column_at(1))
        assert all(len(str(w)) > len(str(n)) for w, n in zip(wide, narrow))
        assert str(wide[0]).rstrip("…") in screen.memos[0].title


async def test_a_highlight_handled_after_the_list_was_laid_out_anew_opens_the_memo_under_the_cursor(docs):
    # a highlight says the row the cursor was on; when the list was laid out anew before it was handled (a filter,
    # a colleague's memo), that row holds another memo now: the editor opens the one the cursor is on
    project, _en, _zh = docs
    for title in ("Overview", "城乡共享", "Second thoughts"):
        add_memo(project, "project", f"Text of {title}.", title=title, memo_type="free")
    async with GtcodeApp(project).run_test(size=(140, 40)) as pilot:
        screen = await _open_memos(pilot)
        table = screen.query_one("#memo-table")
        table.focus()
        table.move_cursor(row=0)
        await settle(pilot)
        shown = screen.current.id
        stale_row = 2
        table.post_message(DataTable.RowHighlighted(table, stale_row, table.coordinate_to_cell_key((stale_row, 0)).row_key))
        await settle(pilot)
        assert screen.current.id == shown == screen.memos[table.cursor_row].id
