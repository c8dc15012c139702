"""80x24 is a first-class size: the documents table keeps every column, cut titles are shown in full on focus,
the model view keeps room for the drawing."""

from textual.widgets import DataTable, Static

from gtcode.services.corpus import add_document
from gtcode.tui.app import GtcodeApp
from gtcode.tui.screens.documents import COLUMNS
from gtcode.tui.widgets.codebook import CodebookTree
from tests.tui.support import EN, settle

LONG = "Village Party secretary on digital village services and the long road to the county town"


async def test_documents_table_keeps_every_column_and_shows_the_full_title_on_focus(sqlite_project):
    add_document(sqlite_project, LONG, EN, kind="interview", lang="en")
    async with GtcodeApp(sqlite_project).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert pilot.app.screen.has_class("-narrow") and pilot.app.screen.has_class("-short")
        table = pilot.app.screen.query_one("#documents", DataTable)
        assert [str(c.label) for c in table.ordered_columns] == list(COLUMNS)
        assert sum(c.get_render_width(table) for c in table.ordered_columns) <= table.scrollable_content_region.width
        assert str(table.get_row_at(0)[1]).endswith("…")
        detail = str(pilot.app.screen.query_one("#doc-detail", Static).render())
        assert LONG in detail


async def test_codebook_tree_label_in_full_under_the_tree(docs):
    from gtcode.services.coding import code_span

    project, en, _ = docs
    start = EN.index("video consultations")
    code_span(project, en.id, start, start + 19, LONG)
    async with GtcodeApp(project).run_test(size=(80, 24)) as pilot:
        pilot.app.open_document(en.id)
        await settle(pilot)
        tree = pilot.app.screen.query_one(CodebookTree)
        tree.focus()
        tree.select_code(next(iter(tree.codes)))
        await settle(pilot)
        assert tree.size.width < len(LONG)
        assert LONG in str(pilot.app.screen.query_one("#code-detail", Static).render())


async def test_model_view_keeps_room_at_80x24(sqlite_project):
    async with GtcodeApp(sqlite_project).run_test(size=(80, 24)) as pilot:
        pilot.app.switch_mode("selective")
        await settle(pilot)
        assert pilot.app.screen.query_one("#model-view").size.height >= 5
