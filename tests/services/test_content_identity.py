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


def test_two_writers_importing_one_text_at_once_make_one_document(project):
    """A second import of a text waits for a first one still in its unit of work, then finds its document
    (on PostgreSQL the import lock; on SQLite the write lock taken at BEGIN)."""
    import threading

    from gtcode.services import corpus
    from gtcode.services.project import open_project
    from gtcode.text.readers import RawDocument
    from tests.conftest import raw_write

    text = "受访者：网课很方便。The respondent says online classes help."
    raw = RawDocument("first", text, "utf-8", "0" * 64, "first.txt")
    corpus.add_document(project, "warm-up", "Loads the sentence splitters. 先分句。")
    imported, release, results = threading.Event(), threading.Event(), []

    def first() -> None:
        with raw_write(project) as session:
            rows = corpus._Rows(session, corpus._Lengths())
            results.append(corpus._import_one(rows, raw, "interview", "auto", {}))
            rows.write()
            imported.set()
            release.wait(10)  # the unit stays open while the second import runs

    other = open_project(project.directory)
    writer = threading.Thread(target=first)
    writer.start()
    try:
        assert imported.wait(10)
        second = threading.Thread(target=lambda: results.append(corpus.add_document(other, "second", text)))
        second.start()
        second.join(1)  # time to reach its same-text check (it waits there for the first unit)
        release.set()
        writer.join(10)
        second.join(10)
    finally:
        release.set()
        other.close()
    assert [r.status for r in results] == ["imported", "skipped"]
    assert _count(project) == 2  # the warm-up and the one interview
