"""80x24 is a first-class size: the documents table keeps every column, cut titles are shown in full on focus,
the Selective screen shows its whole drawing and every part can be reached."""

import contextlib

import pytest
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


MAINS = {"en": ["Social demand", "Government guarantee", "Innovation drive", "Talent support", "Resource supply",
                "Technology support"],
         "zh": ["社会需求", "政府保障", "创新驱动", "人才支撑", "资源供给", "技术支撑"]}
OUTCOME = {"en": "Shared behavior", "zh": "共享行为"}


def six_factor_model(project, lang: str) -> None:
    """The paper's selective model: the first main category causes the outcome (R1), the other five act on R1,
    so the drawing has boxes above and below R1's arrow."""
    from gtcode.domain.levels import Level
    from gtcode.services import codes as codebook
    from gtcode.services import selective
    from gtcode.services.changes import ChangeRecorder
    from tests.conftest import raw_write

    with raw_write(project) as session:
        recorder = ChangeRecorder(session, "main categories", project.coder)
        for label in MAINS[lang]:
            codebook.create_code(session, recorder, Level.MAIN, label)
        recorder.save()
    selective.set_outcome(project, OUTCOME[lang])
    selective.relate(project, "M1", "causal", "O1")
    for n, kind in enumerate(["safeguard", "regulating", "supporting", "supporting", "supporting"], 2):
        selective.relate(project, f"M{n}", kind, "R1")


@contextlib.asynccontextmanager
async def selective_at(project, lang: str, size: tuple[int, int]):
    """The Selective screen over the six-factor model in ``lang``, in a terminal of ``size``."""
    six_factor_model(project, lang)
    async with GtcodeApp(project).run_test(size=size) as pilot:
        pilot.app.switch_mode("selective")
        await settle(pilot)
        yield pilot, pilot.app.screen


def fits(view) -> bool:
    return view.max_scroll_y == 0 and view.max_scroll_x == 0


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_selective_shows_the_whole_drawing_at_80x24_and_focus_brings_each_part_into_view(sqlite_project, lang):
    async with selective_at(sqlite_project, lang, (80, 24)) as (pilot, screen):
        graph = screen.query_one("#model-graph")
        drawing = str(graph.render())
        assert all(label[:2] in drawing for label in MAINS[lang])  # boxes cut to the width, but each there
        assert fits(screen.query_one("#model-view")) and screen.can_view_entire(graph)  # below R1 too
        for part in ("#relations", "#storyline", "#model-view"):  # tab goes round: each comes into view
            await pilot.press("tab")
            await settle(pilot, 1)
            assert screen.focused is screen.query_one(part) and screen.can_view_entire(screen.focused)
        relations = screen.query_one("#relations")
        assert relations.option_count == 6 and relations.size.height >= 6  # several relationships at once


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_selective_at_a_wide_size_needs_no_scrolling(sqlite_project, lang):
    """The scrolling body of a short terminal costs a wide one nothing: every part in view at once."""
    async with selective_at(sqlite_project, lang, (200, 50)) as (_pilot, screen):
        for part in ("#model-graph", "#model-status", "#relations", "#storyline"):
            assert screen.can_view_entire(screen.query_one(part))
        assert fits(screen.query_one("#model-view"))


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_readers_footer_leads_with_the_open_coding_keys_at_80x24(docs, lang):
    """The reader (a TextArea) binds F6, F7, Ctrl+Z and Ctrl+Y, which the app and the stage take first: the footer
    must not list those before Code, so that at 80 columns the stage's own keys are the ones shown."""
    from textual.widgets._footer import FooterKey

    project, en, zh = docs
    async with GtcodeApp(project).run_test(size=(80, 24)) as pilot:
        pilot.app.open_document((en if lang == "en" else zh).id)
        await settle(pilot)
        assert pilot.app.screen.focused is pilot.app.screen.query_one("Reader")
        keys = [key.key for key in pilot.app.screen.query(FooterKey)]
        assert keys[:3] == ["c", "s", "right_square_bracket"]
        assert {"f6", "f7", "ctrl+z", "ctrl+y"} <= set(keys)  # still there, after the stage's keys
