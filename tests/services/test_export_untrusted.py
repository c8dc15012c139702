"""Exports carry control characters they cannot hold as pictures, with one warning, instead of failing."""

import xml.dom.minidom

import openpyxl

from gtcode.exchange.model_files import write_model
from gtcode.exchange.refi import read_qdc, read_qdpx
from gtcode.exchange.refi.checks import walk_codes
from gtcode.exchange.tables import write_table
from gtcode.services.codebook_exchange import export_codebook
from gtcode.services.codes import group
from gtcode.services.coding import code_span
from gtcode.services.corpus import add_document
from gtcode.services.memos import write_memo
from gtcode.services.model_snapshot import snapshot
from gtcode.services.open_coding_table import open_coding_frame, open_coding_rows
from gtcode.services.refi_exchange import export_project

TEXT = "Respondent: we wait \x1b[31m a week\x01 for the specialist. 受访者：我们等了一周。"


def hostile_project(project):
    doc = add_document(project, "Notes \x1b]0;pwned\x07 访谈", TEXT, attributes={"role": "nurse\x1b"}).document
    code_span(project, doc.id, 0, 30, "Waiting \x1b[2J")
    group(project, "concept", "Delay\x1b", ["a1"])
    write_memo(project, f"doc:{doc.id}", "memo \x1b]52;c;x\x07")
    return doc


def test_a_project_with_escapes_exports_with_one_warning(project, tmp_path):
    hostile_project(project)
    summary = export_project(project, tmp_path / "out.qdpx")
    assert len(summary.warnings) == 1 and "U+001B" in summary.warnings[0]
    back = read_qdpx(tmp_path / "out.qdpx")
    [source] = back.sources
    assert source.name == "Notes ␛]0;pwned␇ 访谈"
    assert source.text == TEXT  # the source text travels as its own file, exact
    assert {c.name for c in back.all_codes()} == {"a1 Waiting ␛[2J", "aa1 Delay␛"}
    assert any(n.text == "memo ␛]52;c;x␇" for n in back.notes)


def test_a_clean_project_exports_without_warnings(project, tmp_path):
    doc = add_document(project, "Interview [Draft]", "We wait [laughs] a week.").document
    code_span(project, doc.id, 0, 7, "Waiting")
    assert export_project(project, tmp_path / "out.qdpx").warnings == ()


def test_a_codebook_with_escapes_exports_as_qdc_and_xlsx(project, tmp_path):
    hostile_project(project)
    for name in ("book.qdc", "book.xlsx"):
        notes = []
        export_codebook(project, tmp_path / name, notes=notes)
        assert len(notes) == 1 and notes[0].startswith(f"{name}: ")
    codes, _warnings = read_qdc(tmp_path / "book.qdc")
    assert {c.name for c in walk_codes(codes)} == {"a1 Waiting ␛[2J", "aa1 Delay␛"}
    labels = {row[2] for row in openpyxl.load_workbook(tmp_path / "book.xlsx").active.iter_rows(values_only=True)}
    assert {"Waiting ␛[2J", "Delay␛"} <= labels


def test_an_excerpt_with_controls_exports_to_xlsx_and_latex(project, tmp_path):
    hostile_project(project)
    frame = open_coding_frame(open_coding_rows(project))
    notes = []
    write_table(frame, tmp_path / "table.xlsx", notes=notes)
    write_table(frame, tmp_path / "table.tex", notes=notes)
    write_table(frame, tmp_path / "table.csv", notes=notes)
    assert [n.split(":")[0] for n in notes] == ["table.xlsx", "table.tex"]
    cells = [c for row in openpyxl.load_workbook(tmp_path / "table.xlsx").active.iter_rows(values_only=True)
             for c in row if isinstance(c, str)]
    assert any("␛[31m" in c for c in cells)
    assert "\x1b" not in (tmp_path / "table.tex").read_text(encoding="utf-8")
    assert "\x1b[31m" in (tmp_path / "table.csv").read_text(encoding="utf-8")  # CSV carries it exactly


def test_model_graphs_in_xml_formats_stay_well_formed(project, tmp_path):
    hostile_project(project)
    group(project, "category", "Category \x1b", ["aa1"])
    group(project, "main", "Main \x1b]0;x\x07", ["A1"])
    for fmt in ("graphml", "gexf", "svg"):
        notes = []
        path = write_model(snapshot(project), tmp_path / f"model.{fmt}", notes=notes)
        xml.dom.minidom.parse(str(path))
        assert len(notes) == 1 and "U+001B" in notes[0]
