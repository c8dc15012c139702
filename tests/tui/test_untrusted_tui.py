"""Titles, texts and labels with brackets, terminal sequences and bidi marks: shown literally, never a crash."""

import itertools

from hypothesis import HealthCheck, example, given, settings
from textual.widgets import DataTable, Static

from gtcode.services import axial, selective
from gtcode.services import codes as codebook
from gtcode.services.coding import code_span
from gtcode.services.corpus import add_document
from gtcode.services.errors import GtcodeError
from gtcode.services.memos import write_memo
from gtcode.tui.app import GtcodeApp
from gtcode.tui.widgets.codebook import CodebookTree
from tests.tui.support import answer, code_quote, messages, open_document, reader, settle
from tests.untrusted_text import RAW, hostile

SIZE = (120, 40)
SERIAL = itertools.count()
OSC = "\x1b]0;pwned\x07\x1b]52;c;cm0gLXJmIH4vKg==\x07\x1b[2J"


def shown(app) -> str:
    """What the terminal would show now, as the screenshot's text (markup never applies to it)."""
    return app.export_screenshot()


def tree_labels(app) -> list[str]:
    tree = app.screen.query_one(CodebookTree)
    return [str(node.label) for node in tree._tree_nodes.values()]


async def test_a_title_with_a_closing_tag_opens(sqlite_project):
    text = "Respondent: we waited [laughs] a week. [/inaudible] Then it came."
    doc = add_document(sqlite_project, "Notes [/inaudible] interview", text).document
    add_document(sqlite_project, "[Draft] 访谈", "受访者：[笑] 我们等了一周。")
    async with GtcodeApp(sqlite_project).run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = pilot.app.screen.query_one(DataTable)
        titles = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert titles == ["Notes [/inaudible] interview", "[Draft] 访谈"]
        await open_document(pilot, doc.id)
        title = pilot.app.screen.query_one("#doc-title", Static)
        assert str(title.content).startswith("Notes [/inaudible] interview")
        assert reader(pilot.app).text == text
        await answer(pilot, "ctrl+p", *"Notes")
        await settle(pilot)
        assert pilot.app.is_running


async def test_a_label_with_markup_is_saved_and_the_document_reopens(sqlite_project):
    text = "Interviewer: and the price? Respondent: price [/] paid, then [Draft] plans."
    doc = add_document(sqlite_project, "Prices", text).document
    other = add_document(sqlite_project, "Other", "Nothing here.").document
    async with GtcodeApp(sqlite_project).run_test(size=SIZE) as pilot:
        await open_document(pilot, doc.id)
        await code_quote(pilot, text, "price [/] paid", "price [/] paid")
        assert "coded as a1 price [/] paid" in messages(pilot.app)
        await open_document(pilot, other.id)
        await open_document(pilot, doc.id)
        reader(pilot.app).select_span(text.index("price [/]"), text.index("price [/]"))
        await settle(pilot)
        assert any("price [/] paid" in label for label in tree_labels(pilot.app))
        assert "price [/] paid" in str(pilot.app.screen.query_one("#margin", Static).content)
    assert [c.label for c in codebook.list_codes(sqlite_project)] == ["price [/] paid"]


async def test_terminal_sequences_never_reach_the_screen(sqlite_project):
    text = f"Respondent: {OSC} we wait \u202eevil\u202c [laughs]. 受访者：等了一周。"
    doc = add_document(sqlite_project, f"Title {OSC} [b]", text).document
    code_span(sqlite_project, doc.id, 0, 10, f"label {OSC} [/]")
    write_memo(sqlite_project, f"doc:{doc.id}", f"memo {OSC}")
    async with GtcodeApp(sqlite_project).run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not RAW.search(shown(pilot.app))
        await open_document(pilot, doc.id)
        assert not RAW.search(shown(pilot.app))
        assert len(reader(pilot.app).text) == len(text)  # shown one for one: offsets stay true
        await pilot.press("f7")
        await settle(pilot)
        assert not RAW.search(shown(pilot.app))


async def test_every_stage_shows_hostile_labels_literally(sqlite_project):
    p = sqlite_project
    doc = add_document(p, f"[Draft] {OSC}", "Respondent: price [/] paid. 我们等了一周。").document
    code_span(p, doc.id, 0, 10, f"price [/] paid {OSC}")
    codebook.group(p, "concept", "[laughs] concept", ["a1"])
    codebook.group(p, "category", f"[/inaudible] category {OSC}", ["aa1"])
    codebook.group(p, "main", "[Draft] main", ["A1"])
    axial.set_slot(p, "M1", "causal", ["A1"])
    axial.set_slot(p, "M1", "context", text=f"a sentence [/] {OSC}")
    selective.set_core(p, f"core [b]{OSC}", storyline=f"story [/inaudible] {OSC}")
    selective.set_outcome(p, "outcome [laughs]")
    selective.relate(p, "M1", "causal", "O1", memo=f"memo [/] {OSC}")
    async with GtcodeApp(p).run_test(size=SIZE) as pilot:
        for key in ("f3", "f4", "f5", "f6"):
            await pilot.press(key)
            await settle(pilot)
            assert not RAW.search(shown(pilot.app)), key
        await pilot.press("f4")
        await settle(pilot)
        assert "[Draft] main" in str(pilot.app.screen.query_one("#paradigm-title", Static).content)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=hostile(1), text=hostile(), label=hostile(1))
@example(title="[laughs]\x1b", text="]\x1b[/]\r\n", label="\x1b")  # a line end that import makes \n
def test_random_hostile_text_in_the_reader_and_the_codebook(sqlite_project, title, text, label):
    import asyncio

    body = f"{text} An ordinary sentence {next(SERIAL)}. 普通的一句话。"
    doc = add_document(sqlite_project, title, body).document
    try:
        code_span(sqlite_project, doc.id, 0, min(5, len(body)), label)
    except GtcodeError:
        pass  # a label of spaces is refused; the rest is still shown

    async def drive() -> None:
        async with GtcodeApp(sqlite_project).run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert not RAW.search(shown(pilot.app))
            await open_document(pilot, doc.id)
            assert not RAW.search(shown(pilot.app))
            end = doc.characters  # the stored text's length: line ends are made \n on import (\r\n, \r)
            assert reader(pilot.app).line_map.to_row_col(end) == reader(pilot.app).document.end

    asyncio.run(drive())
