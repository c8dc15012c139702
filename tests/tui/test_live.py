"""Live screens: a change made on one screen (or undone) shows on every other screen without a reload; stale
loads never win; refusals name the TUI's keys."""

import inspect
import threading

import pytest
from textual.app import App
from textual.screen import Screen
from textual.widgets import Static

import gtcode.tui.screens as screens_package
from gtcode.services import codes as codebook
from gtcode.services.corpus import add_document
from gtcode.domain.errors import COMMANDS
from gtcode.services.errors import NotFound, run, where
from gtcode.tui.hints import KEYS, PLACES, tui_message
from gtcode.tui.app import GtcodeApp
from gtcode.tui.screens.live import Live
from gtcode.tui.widgets.codebook import CodebookTree
from gtcode.tui.workers import run_service
from tests.tui.support import EN, answer, code_quote, interviews, messages, reader, settle


@pytest.fixture
def coded(project):
    """An English and a Chinese interview, a phenomenon in each, grouped up to a category."""
    en, zh = interviews(project)
    codebook.group(project, "concept", "Remote services", ["a1", "a2"])
    codebook.group(project, "category", "数字服务", ["aa1"])
    return project, en, zh


def tree_labels(app) -> list[str]:
    tree = app.screen.query_one(CodebookTree)
    labels = []

    def walk(node):
        for child in node.children:
            labels.append(str(child.label))
            walk(child)

    walk(tree.root)
    return labels


def status(app) -> str:
    return str(app.screen.query_one("#stage-status", Static).render())


async def test_rename_group_and_undo_show_on_every_screen(coded):
    project, en, zh = coded
    async with GtcodeApp(project).run_test(size=(140, 45)) as pilot:
        pilot.app.open_document(zh.id)
        await settle(pilot)
        assert [c.code_label for c in reader(pilot.app).codings.values()] == ["直播课堂"]
        # rename in the tree: the reader's coding shows the new label at once
        tree = pilot.app.screen.query_one(CodebookTree)
        tree.focus()
        tree.select_code(next(c.id for c in tree.codes.values() if c.ref == "a2"))
        await pilot.pause()
        await answer(pilot, "r", *["backspace"] * 10, *"直播教学", "enter")
        await settle(pilot)
        assert [c.code_label for c in reader(pilot.app).codings.values()] == ["直播教学"]
        assert "0 main" in status(pilot.app)
        # group the category into a main category on F4: F3's tree and status follow without a reload
        await pilot.press("f4")
        await settle(pilot)
        await answer(pilot, "g", *"Social demand", "enter")
        await settle(pilot)
        await pilot.press(*"A1", "enter")
        await settle(pilot)
        assert [c.parent_ref for c in codebook.list_codes(project, "category")] == ["M1"]
        assert "1 main" in status(pilot.app)
        await pilot.press("f3")
        await settle(pilot)
        labels = tree_labels(pilot.app)
        assert any("M1 Social demand" in label for label in labels)
        assert not any(label.startswith("ungrouped categories") for label in labels)
        assert "1 main" in status(pilot.app)
        # undo on F4 (the grouping): F3 lists the category as ungrouped again
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("ctrl+z")
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        assert any(label.startswith("ungrouped categories (1)") for label in tree_labels(pilot.app))
        assert "0 main" in status(pilot.app)


async def test_an_undone_coding_leaves_the_reader_and_the_documents_table(coded):
    project, en, _zh = coded
    async with GtcodeApp(project).run_test(size=(140, 45)) as pilot:
        pilot.app.open_document(en.id)
        await settle(pilot)
        await code_quote(pilot, EN, "Doctors in the city", "Remote reading")
        assert sorted(c.code_label for c in reader(pilot.app).codings.values()) == ["Remote reading", "Telemedicine"]
        await pilot.press("f2")
        await settle(pilot)
        table = pilot.app.screen.query_one("#documents")
        assert str(table.get_row(str(en.id))[-1]) == "2"
        await pilot.press("u")  # undo on the Documents screen: the coding made in the reader
        await settle(pilot)
        assert str(table.get_row(str(en.id))[-1]) == "1"
        await pilot.press("f3")
        await settle(pilot)
        assert [c.code_label for c in reader(pilot.app).codings.values()] == ["Telemedicine"]
        assert any(m.startswith("undone:") for m in messages(pilot.app))


async def test_opening_a_second_document_while_the_first_loads_shows_the_second(coded):
    project, en, zh = coded
    big = add_document(project, "Long interview", "Respondent: We talk. " * 20000, kind="interview", lang="en").document
    async with GtcodeApp(project).run_test(size=(140, 45)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        pilot.app.open_document(big.id)
        await pilot.pause()
        pilot.app.open_document(zh.id)
        await settle(pilot)
        assert pilot.app.screen.view.document.id == zh.id
        assert reader(pilot.app).text.startswith("采访者")


async def test_a_write_while_a_document_is_read_reloads_the_one_asked_for(coded, monkeypatch):
    from gtcode.services.documents import retitle_document
    from gtcode.tui.screens import open_coding

    project, en, zh = coded
    read, may_end, reads = open_coding.reader_view, threading.Event(), []

    def first_zh_ends_last(project, document_id):
        view = read(project, document_id)
        reads.append(document_id)
        if document_id == zh.id and reads.count(zh.id) == 1:
            may_end.wait(timeout=10)
        return view

    monkeypatch.setattr(open_coding, "reader_view", first_zh_ends_last)
    async with GtcodeApp(project).run_test(size=(140, 45)) as pilot:
        await pilot.press("f3")
        await settle(pilot)
        pilot.app.open_document(en.id)
        await settle(pilot)
        pilot.app.open_document(zh.id)
        while zh.id not in reads:
            await pilot.pause()
        retitle_document(project, en.id, "Clinic interview, retitled")  # the shown document changes meanwhile
        while len(reads) < 3:  # the screen reads again after the write
            await pilot.pause()
        may_end.set()
        await settle(pilot)
        assert pilot.app.screen.view.document.id == zh.id
        assert reader(pilot.app).text.startswith("采访者")


class Race(App):
    """Two loads of one exclusive group; the first is still running when the second is asked for."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[str] = []
        self.first_may_end = threading.Event()

    def slow(self) -> str:
        self.first_may_end.wait(timeout=10)
        return "first"

    def on_mount(self) -> None:
        run_service(self, self.slow, self.shown.append, group="load", exclusive=True)
        run_service(self, lambda: "second", self.shown.append, group="load", exclusive=True)


async def test_a_stale_load_is_dropped_even_when_it_ends_last():
    app = Race()
    async with app.run_test() as pilot:
        while not app.shown:
            await pilot.pause()
        app.first_may_end.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.shown == ["second"]


async def test_a_refusal_names_the_key_not_the_cli_command(project):
    async with GtcodeApp(project).run_test(size=(140, 45)) as pilot:
        await pilot.press("f6")
        await settle(pilot)
        await answer(pilot, "r", "y")  # release without a hold-out
        await settle(pilot)
        refusal = next(m for m in messages(pilot.app) if "no hold-out" in m)
        assert refusal == "there is no hold-out to release: press s on the Saturation screen (F6) first"


def test_the_cli_keeps_the_command_in_the_same_refusal():
    error = NotFound(f"there is no hold-out to release: {run('holdout.release')} first")
    assert str(error) == "there is no hold-out to release: run `gtcode holdout release` first"
    with pytest.raises(KeyError):
        run("holdout.unknown")
    assert set(KEYS) | set(PLACES) <= set(COMMANDS)  # the TUI names keys only for actions the refusals know
    listing = NotFound(f"no code 'a9': list codes {where('codes')}")
    assert (str(listing), tui_message(listing)) == ("no code 'a9': list codes with `gtcode codes`",
                                                    "no code 'a9': list codes in the codebook tree (F3)")


STILL = {"HelpScreen", "SamplingDialog", "ExportDialog", "ImportDialog", "ImportSummary", "QuotationsScreen", "EntryDialog", "PromptDialog",
         "ConfirmDialog", "MemoDialog"}  # dialogs that show what they were given, nothing they read themselves


def test_every_screen_that_reads_the_project_is_live():
    import importlib
    import pkgutil

    classes = set()
    for module in pkgutil.iter_modules(screens_package.__path__):
        loaded = importlib.import_module(f"gtcode.tui.screens.{module.name}")
        classes |= {cls for _name, cls in inspect.getmembers(loaded, inspect.isclass)
                    if issubclass(cls, Screen) and cls.__module__ == loaded.__name__}
    not_live = {cls.__name__ for cls in classes if not issubclass(cls, Live)}
    assert not_live == STILL
