"""Working on the corpus without leaving the TUI: import through the picker (kind and attributes for the batch,
progress, a summary of every file), retitle, attribute edit, delete with undo."""

from __future__ import annotations

from gtcode.services.documents import get_document, list_documents
from gtcode.tui.app import GtcodeApp
from gtcode.tui.screens.dialogs import ConfirmDialog, PromptDialog
from gtcode.tui.screens.import_dialog import ImportDialog, ImportSummary, ImportableTree
from tests.tui.support import EN, ZH, messages, press_for_dialog, settle


async def type_into(pilot, selector: str, value: str) -> None:
    widget = pilot.app.screen.query_one(selector)
    widget.focus()
    widget.value = value
    await pilot.pause()


async def answer(pilot, key: str, value: str) -> None:
    """Press ``key``, check it asks in a prompt, type ``value`` into it and press Enter."""
    await press_for_dialog(pilot, key)
    assert isinstance(pilot.app.screen, PromptDialog)
    await type_into(pilot, "#prompt-input", value)
    await pilot.press("enter")
    await settle(pilot)


async def test_import_a_folder_from_the_documents_screen(sqlite_project, tmp_path):
    from tests.pdf_samples import sample_pdfs

    folder = tmp_path / "material"
    folder.mkdir()
    (folder / "wang-li.txt").write_text(EN, encoding="utf-8")
    (folder / "教师访谈.txt").write_text(ZH, encoding="utf-8")
    (folder / "policy.pdf").write_bytes((sample_pdfs() / "policy.pdf").read_bytes())
    (folder / "scan.pdf").write_bytes((sample_pdfs() / "scan.pdf").read_bytes())
    (folder / "notes.rtf").write_text("not a format")
    (folder / ".hidden.txt").write_text("a hidden draft")
    async with GtcodeApp(sqlite_project).run_test(size=(120, 45)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, ImportDialog)
        tree = dialog.query_one(ImportableTree)
        assert [p.name for p in tree.filter_paths(folder.iterdir())] == sorted(
            ["wang-li.txt", "教师访谈.txt", "policy.pdf", "scan.pdf"], key=[p.name for p in folder.iterdir()].index)
        await type_into(pilot, "#import-path", str(folder))
        dialog.query_one("#import-kind").value = "interview"
        await type_into(pilot, "#import-attrs", "site=north; wave=1")
        await pilot.press("ctrl+s")
        await settle(pilot, 6)
        summary = pilot.app.screen
        assert isinstance(summary, ImportSummary)
        line = str(summary.query_one("#import-summary-line").render())
        assert line == "3 imported, 2 skipped, 1 refused"
        table = summary.query_one("#import-results")
        rows = {str(table.get_row_at(i)[1]): (str(table.get_row_at(i)[0]), str(table.get_row_at(i)[2]))
                for i in range(table.row_count)}
        assert rows["scan.pdf"][0] == "refused" and "no text layer" in rows["scan.pdf"][1]
        assert rows["notes.rtf"][0] == rows[".hidden.txt"][0] == "skipped"
        assert rows["教师访谈.txt"][0] == "imported"
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen.query_one("#documents").row_count == 3
    documents = list_documents(sqlite_project)
    assert sorted(d.title for d in documents) == ["policy", "wang-li", "教师访谈"]
    assert {d.kind for d in documents} == {"interview"}
    assert all(d.attributes == {"site": "north", "wave": 1} for d in documents)


async def test_retitle_attributes_delete_and_undo(docs):
    project, en, zh = docs
    async with GtcodeApp(project).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await answer(pilot, "t", "Clinic, Wang Li")
        await answer(pilot, "a", "gender=female; age=41")
        assert get_document(project, en.id)[0].title == "Clinic, Wang Li"
        assert get_document(project, en.id)[0].attributes == {"gender": "female", "age": 41}
        await answer(pilot, "a", "age=42")
        assert get_document(project, en.id)[0].attributes == {"age": 42}
        await pilot.press("down", "x")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(pilot)
        assert [d.id for d in list_documents(project)] == [en.id]
        assert any(m == f"deleted document {zh.id} (教师访谈): press u to undo" for m in messages(pilot.app))
        await pilot.press("u")
        await settle(pilot)
        assert [d.id for d in list_documents(project)] == [en.id, zh.id]
        assert pilot.app.screen.query_one("#documents").row_count == 2


async def test_cases_from_the_documents_screen(docs):
    from gtcode.services.cases import list_cases
    from gtcode.tui.screens.cases import CasesDialog

    project, en, zh = docs

    def cases():
        return [(c.name, c.attributes, c.documents) for c in list_cases(project)]

    async with GtcodeApp(project).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = pilot.app.screen.query_one("#documents")
        assert "case" not in [str(c.label) for c in table.columns.values()]  # no case yet: no column
        await answer(pilot, "c", "P01; gender=female")
        assert cases() == [("P01", {"gender": "female"}, (en.id,))]
        assert [str(c.label) for c in table.columns.values()][:3] == ["id", "title", "case"]
        assert str(table.get_row_at(0)[2]) == "P01" and str(table.get_row_at(1)[2]) == "-"
        await pilot.press("down")
        await press_for_dialog(pilot, "c")
        await type_into(pilot, "#prompt-input", "P01")
        await pilot.press("enter")
        await settle(pilot)
        assert cases() == [("P01", {"gender": "female"}, (en.id, zh.id))]
        assert f"document {zh.id} in case P01: u undoes it" in messages(pilot.app)
        await pilot.press("C")
        await settle(pilot)
        dialog = pilot.app.screen
        assert isinstance(dialog, CasesDialog)
        rows = dialog.query_one("#cases")
        assert [str(cell) for cell in rows.get_row_at(0)] == ["P01", f"{en.id}, {zh.id}", "gender=female"]
        await press_for_dialog(pilot, "enter")
        await type_into(pilot, "#prompt-input", "age=34; 职业=农民")
        await pilot.press("enter")
        await settle(pilot)
        assert cases() == [("P01", {"age": 34, "职业": "农民"}, (en.id, zh.id))]
        assert [str(cell) for cell in rows.get_row_at(0)][2] == "age=34; 职业=农民"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert cases() == [("P01", {"gender": "female"}, (en.id, zh.id))]
        await answer(pilot, "c", "")  # the cursor is still on the Chinese interview
        assert cases() == [("P01", {"gender": "female"}, (en.id,))]


async def test_a_stale_read_of_the_cases_is_dropped_even_when_it_ends_last(docs, monkeypatch):
    import threading

    from gtcode.services import cases as service
    from gtcode.tui.screens.cases import CasesDialog

    project, en, _zh = docs
    read, may_end, reads = service.list_cases, threading.Event(), []

    def first_ends_last(project):
        found = read(project)
        reads.append(found)
        if len(reads) == 1:  # the dialog's first read (no case yet) ends after the one a write started
            may_end.wait(timeout=10)
        return found

    monkeypatch.setattr(service, "list_cases", first_ends_last)
    async with GtcodeApp(project).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("C")
        while not reads:
            await pilot.pause()
        dialog = pilot.app.screen
        assert isinstance(dialog, CasesDialog)
        service.set_case(project, "P01", {}, [str(en.id)])  # a write: the dialog reads the cases again
        rows = dialog.query_one("#cases")
        while rows.row_count == 0:
            await pilot.pause()
        may_end.set()
        await settle(pilot)
        assert [str(rows.get_row_at(i)[0]) for i in range(rows.row_count)] == ["P01"]
        assert [c.name for c in dialog.cases] == ["P01"]


async def test_the_reader_shows_the_page_and_the_turn_time(sqlite_project, tmp_path):
    from gtcode.services.corpus import import_paths
    from tests.pdf_samples import sample_pdfs
    from tests.text.test_pdf_and_transcripts import VTT

    vtt = tmp_path / "clinic.vtt"
    vtt.write_text(VTT, encoding="utf-8")
    pdf, transcript = (r.document.id for r in import_paths(sqlite_project, [sample_pdfs() / "policy.pdf", vtt]))
    async with GtcodeApp(sqlite_project).run_test(size=(120, 40)) as pilot:
        pilot.app.open_document(pdf)
        await settle(pilot)
        reader = pilot.app.screen.query_one("#reader")
        reader.move_cursor(reader.location_of(reader.source_text.index("村民")))
        await settle(pilot)
        assert "line 3 · p. 3:" in str(pilot.app.screen.query_one("#margin").render())
        pilot.app.open_document(transcript)
        await settle(pilot)
        reader = pilot.app.screen.query_one("#reader")
        reader.move_cursor(reader.location_of(reader.source_text.index("winter")))
        await settle(pilot)
        assert "line 3 · 00:01:12:" in str(pilot.app.screen.query_one("#margin").render())
