"""One definition of "the same document" (its canonical text) for every import path."""

from __future__ import annotations

import unicodedata

from sqlmodel import func, select

from gtcode.services.corpus import add_document, import_paths
from gtcode.services.refi_exchange import export_project, import_project
from gtcode.store.tables import DocumentRow


def _files(folder):
    import docx

    folder.mkdir()
    (folder / "utf8.txt").write_text("Plain UTF-8 text.\nSecond line.\n", encoding="utf-8")
    (folder / "bom.txt").write_bytes("\ufeffWith a byte order mark.".encode("utf-8"))
    (folder / "crlf.txt").write_bytes(b"Windows line ends.\r\nAnother line.\r\n")
    (folder / "gb.txt").write_bytes("我们用手机挂号，很方便。医生也在网上。".encode("gb18030"))
    (folder / "nfd.txt").write_text(unicodedata.normalize("NFD", "Café résumé naïve."), encoding="utf-8")
    document = docx.Document()
    document.add_paragraph("A Word document.")
    document.add_paragraph("With two paragraphs.")
    document.save(folder / "word.docx")
    (folder / "rows.csv").write_text("title,text\nr1,First answer.\n", encoding="utf-8")


def _count(project) -> int:
    with project.read() as session:
        return session.exec(select(func.count()).select_from(DocumentRow)).one()


def test_a_projects_own_export_read_back_adds_no_document(project, tmp_path):
    _files(tmp_path / "in")
    results = import_paths(project, [tmp_path / "in"])
    assert [r.status for r in results] == ["imported"] * 7
    export_project(project, tmp_path / "out.qdpx")
    report = import_project(project, tmp_path / "out.qdpx")
    assert (report.documents, report.reused_documents, _count(project)) == (0, 7, 7)
    again = import_paths(project, [tmp_path / "in"])
    assert [r.status for r in again] == ["skipped"] * 7
    project.close()


def test_files_and_texts_given_in_memory_meet_the_same_rule(project, tmp_path):
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"\xef\xbb\xbfSame words.\r\nSame lines.")
    add_document(project, "typed", "Same words.\nSame lines.")
    (result,) = import_paths(project, [path])
    assert result.status == "skipped" and "same content as document 1" in result.message
    assert _count(project) == 1
    project.close()
