"""Codebook entries (MacQueen et al. 1998): definition, when to use, when not, examples; in and out of files."""

from __future__ import annotations

import pytest

from gtcode.services import codes as codebook
from gtcode.services.codebook_exchange import codes_frame, export_codebook, read_model_file
from gtcode.services.coding import code_span, uncode
from gtcode.services.corpus import add_document
from gtcode.services.entries import code_entry
from gtcode.services.errors import GtcodeError, NotFound
from gtcode.services.model_snapshot import snapshot
from gtcode.store.tables import DocumentRow
from tests.conftest import raw_write

ZH = "受访者：村里的学生可以上城里老师的直播课。图书馆也有了数字资源。"
EN = "Respondent: Our children join live classes from the city."


@pytest.fixture
def coded(project):
    zh = add_document(project, "教师访谈", ZH, lang="zh").document
    en = add_document(project, "Parent", EN).document
    live = code_span(project, zh.id, ZH.index("直播课"), ZH.index("直播课") + 3, "直播课")
    classes = code_span(project, en.id, EN.index("live classes"), EN.index("live classes") + 12, "Live classes")
    library = code_span(project, zh.id, ZH.index("数字资源"), ZH.index("数字资源") + 4, "数字资源")
    codebook.group(project, "concept", "在线教育", ["a1", "a2"])
    codebook.group(project, "category", "Education sharing", ["aa1"])
    return project, zh, en, (live, classes, library)


def test_an_entry_with_criteria_and_examples(coded):
    project, zh, en, (live, classes, library) = coded
    codebook.describe(project, "A1", definition="城乡教育资源共享", when_to_use="a class or teacher reaches the village",
                      when_not_to_use="只谈网络", examples=(live.id,), atypical=(classes.id,))
    entry = code_entry(project, "A1")
    assert (entry.definition, entry.when_to_use, entry.when_not_to_use) == (
        "城乡教育资源共享", "a class or teacher reaches the village", "只谈网络")
    assert [(x.coding_id, x.kind, x.quote) for x in entry.examples] == [
        (live.id, "typical", "直播课"), (classes.id, "atypical", "live classes")]
    codebook.describe(project, "A1", examples=(classes.id,), drop_examples=(live.id,))
    assert [(x.coding_id, x.kind) for x in code_entry(project, "A1").examples] == [(classes.id, "typical")]
    with pytest.raises(GtcodeError, match=f"coding {library.id} is not a quotation of A1"):
        codebook.describe(project, "A1", when_to_use="changed", examples=(library.id,))
    assert code_entry(project, "A1").when_to_use == "a class or teacher reaches the village"  # nothing changed
    with pytest.raises(NotFound, match="no coding 99"):
        codebook.describe(project, "A1", examples=(99,))


def test_examples_follow_their_codings_through_undo_and_stay_hidden_on_the_hold_out(coded):
    project, zh, en, (live, classes, _library) = coded
    codebook.describe(project, "A1", examples=(live.id, classes.id))
    uncode(project, classes.id)
    assert [x.coding_id for x in code_entry(project, "A1").examples] == [live.id]
    codebook.undo(project)
    assert [x.coding_id for x in code_entry(project, "A1").examples] == [live.id, classes.id]
    with raw_write(project) as session:  # coded, then held out by hand
        session.get(DocumentRow, zh.id).split = "holdout"
    assert [x.coding_id for x in code_entry(project, "A1").examples] == [classes.id]
    assert snapshot(project).codes[-1].examples == ("live classes",)


@pytest.mark.parametrize("suffix", ["yaml", "qdc"])
def test_entries_travel_in_our_codebook_files_and_come_back(coded, tmp_path, suffix):
    project, zh, en, (live, classes, _library) = coded
    codebook.describe(project, "A1", definition="城乡教育资源共享", when_to_use="a class reaches the village",
                      when_not_to_use="只谈网络", examples=(live.id,), atypical=(classes.id,))
    model, _notes = read_model_file(export_codebook(project, tmp_path / f"book.{suffix}"))
    spec = next(c for c in model.codes if c.ref == "A1")
    assert (spec.definition, spec.when_to_use, spec.when_not_to_use, spec.examples, spec.atypical_examples) == (
        "城乡教育资源共享", "a class reaches the village", "只谈网络", ("直播课",), ("live classes",))
    from gtcode.services.project import init_project

    other = init_project(tmp_path / "other", name="other", coder="alice")
    try:
        from gtcode.services.codebook_exchange import import_codebook

        import_codebook(other, tmp_path / f"book.{suffix}")
        back = code_entry(other, "A1")
        assert (back.definition, back.when_to_use, back.when_not_to_use) == (
            "城乡教育资源共享", "a class reaches the village", "只谈网络")
    finally:
        other.close()


def test_the_table_codebook_has_the_entry_columns(coded, tmp_path):
    import openpyxl

    project, _zh, _en, (live, _classes, _library) = coded
    codebook.describe(project, "A1", when_to_use="in class", examples=(live.id,))
    frame = codes_frame(snapshot(project))
    row = frame[frame["Ref"] == "A1"].iloc[0]
    assert (row["When to use"], row["Typical examples"]) == ("in class", "直播课")
    sheet = openpyxl.load_workbook(export_codebook(project, tmp_path / "book.xlsx")).active
    header = [c.value for c in sheet[1]]
    assert header[4:9] == ["Definition", "When to use", "When not to use", "Typical examples", "Atypical examples"]


def test_the_docx_codebook_reads_down_the_tree_with_each_entry(coded, tmp_path):
    from docx import Document

    project, _zh, _en, (live, _classes, library) = coded
    codebook.describe(project, "A1", definition="教育资源的共享", when_to_use="in class", when_not_to_use="家庭辅导",
                      examples=(live.id,))
    codebook.describe(project, "a3", definition="Digital holdings\x1b of the library")  # ESC: DOCX cannot carry it
    notes: list[str] = []
    document = Document(str(export_codebook(project, tmp_path / "book.docx", notes=notes)))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    # the category first, then its concept, then the concept's phenomena; the ungrouped phenomenon last
    assert headings == [("Heading 1", "A1 Education sharing"), ("Heading 2", "aa1 在线教育"),
                        ("Heading 3", "a1 直播课"), ("Heading 3", "a2 Live classes"), ("Heading 1", "a3 数字资源")]
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert rows == [["Definition", "教育资源的共享"], ["When to use", "in class"], ["When not to use", "家庭辅导"],
                    ["Typical examples", "«直播课»"]]
    assert ["Definition", "Digital holdings␛ of the library"] in [[c.text for c in r.cells] for r in document.tables[-1].rows]
    assert notes and "book.docx" in notes[0] and "U+001B" in notes[0]


def test_the_cli_writes_a_docx_codebook(coded, tmp_path):
    from tests.cli.helpers import run

    project = coded[0]
    run(project.directory, "export", "codebook", tmp_path / "codebook.docx")
    assert (tmp_path / "codebook.docx").read_bytes()[:2] == b"PK"
    refused = run(project.directory, "export", "codebook", tmp_path / "codebook.odt", ok=False)
    assert "format 'odt' is not one of yaml|qdc|md|csv|xlsx|docx" in refused.output
