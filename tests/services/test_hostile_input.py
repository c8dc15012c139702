"""Hostile and oversized input: each file is refused with one line naming it and the limit, or imported right.

The limits are scaled down through the project's ``[limits]`` setting instead of building huge files.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from sqlmodel import func, select

from gtcode.services.corpus import import_paths
from gtcode.services.errors import GtcodeError
from gtcode.services.project import CONFIG_NAME, open_project
from gtcode.store.tables import CodeRow, DocumentRow
from tests.exchange.refi.support import guid, make_qdpx, project_xml


def limited(project, **limits):
    """The project reopened with ``[limits]`` set in its gtcode.toml."""
    config = project.directory / CONFIG_NAME
    lines = [line for line in config.read_text().splitlines()]
    lines += ["[limits]", *(f"{key} = {value!r}" for key, value in limits.items())]
    config.write_text("\n".join(lines) + "\n")
    project.close()
    return open_project(project.directory)


def count(project, row=DocumentRow) -> int:
    with project.read() as session:
        return session.exec(select(func.count()).select_from(row)).one()


def one_line(message: str) -> str:
    assert message and "\n" not in message
    return message


def docx_bytes(paragraphs: list[str], extra_body: str = "") -> bytes:
    """A minimal .docx whose body holds ``paragraphs`` (and ``extra_body`` XML)."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = "".join(f"<w:p><w:r><w:t>{p}</w:t></w:r></w:p>" for p in paragraphs) + extra_body
    xml = f'<?xml version="1.0"?><w:document xmlns:w="{w}"><w:body>{body}</w:body></w:document>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", xml)
    return buffer.getvalue()


def test_a_folder_import_lists_each_refused_file_and_imports_the_others(project, tmp_path):
    project = limited(project, elements=50, characters=5_000)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "many.docx").write_bytes(docx_bytes([f"p{i}" for i in range(60)]))
    (folder / "long.txt").write_text("x" * 6_000)
    (folder / "rows.csv").write_text("text\n" + "".join(f"row {i}\n" for i in range(60)))
    (folder / "good.txt").write_text("A good interview.")
    (folder / "ok.docx").write_bytes(docx_bytes(["Title line", "Second\tpart"]))
    results = {Path(r.path).name: r for r in import_paths(project, [folder])}
    assert {name: r.status for name, r in results.items()} == {
        "many.docx": "failed", "long.txt": "failed", "rows.csv": "failed", "good.txt": "imported", "ok.docx": "imported"}
    many = one_line(results["many.docx"].message)
    assert many.startswith("many.docx has more than 50 paragraphs") and "raise `elements` under [limits]" in many
    assert "has more than 5,000 characters" in one_line(results["long.txt"].message)
    assert "has more than 50 rows" in one_line(results["rows.csv"].message)
    assert count(project) == 2
    with project.read() as session:
        texts = set(session.exec(select(DocumentRow.text)).all())
    assert texts == {"A good interview.", "Title line\nSecond\tpart"}
    project.close()


def test_docx_bombs_are_refused_by_size_and_depth(project, tmp_path):
    project = limited(project, expanded_bytes=20_000, depth=20)
    big = tmp_path / "big.docx"
    big.write_bytes(docx_bytes(["y" * 30_000]))
    deep = tmp_path / "deep.docx"
    deep.write_bytes(docx_bytes(["x"], extra_body="<w:tbl>" * 30 + "</w:tbl>" * 30))
    broken = tmp_path / "broken.docx"
    broken.write_bytes(docx_bytes(["x"])[:-30])
    big_r, deep_r, broken_r = import_paths(project, [big, deep, broken])
    assert one_line(big_r.message).startswith("big.docx unpacks to ") and "`expanded_bytes`" in big_r.message
    assert one_line(deep_r.message).startswith("deep.docx is nested more than 20 levels deep")
    assert one_line(broken_r.message).startswith("broken.docx is not a readable .docx")
    assert count(project) == 0
    project.close()


def test_xlsx_over_the_unpacked_size_is_refused_before_reading(project, tmp_path):
    import openpyxl

    project = limited(project, expanded_bytes=30_000)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["title", "text"])
    for i in range(400):
        sheet.append([f"r{i}", f"answer number {i} " * 5])
    path = tmp_path / "bomb.xlsx"
    book.save(path)
    (result,) = import_paths(project, [path])
    assert result.status == "failed" and one_line(result.message).startswith("bomb.xlsx unpacks to ")
    assert count(project) == 0
    project.close()


def test_a_csv_cell_over_128_kb_imports_and_a_broken_csv_does_not_stop_the_folder(project, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_big_cell.csv").write_text('title,text\nlong,"' + "word " * 40_000 + '"\n')
    (folder / "b_broken.csv").write_bytes(b"title,text\n\x00\x01\x02 binary\n")
    (folder / "c_good.txt").write_text("Still imported.")
    results = import_paths(project, [folder])
    assert [r.status for r in results] == ["imported", "failed", "imported"]
    assert results[0].document.characters == len(("word " * 40_000).strip())
    assert one_line(results[1].message).startswith("b_broken.csv")
    project.close()


def test_long_files_report_progress_per_block_of_rows(sqlite_project, tmp_path, monkeypatch):
    import gtcode.services.corpus as corpus

    monkeypatch.setattr(corpus, "PROGRESS_ROWS", 10)
    path = tmp_path / "rows.csv"
    path.write_text("text\n" + "".join(f"answer {i}\n" for i in range(25)))
    heard = []
    import_paths(sqlite_project, [path], progress=lambda n, total, what: heard.append(what))
    assert heard == [str(path), f"{path} (10/25 rows)", f"{path} (20/25 rows)"]


def test_links_out_of_the_folder_are_skipped_and_listed(project, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("Not part of the corpus.")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "real.txt").write_text("Part of the corpus.")
    os.symlink(outside, folder / "x.txt")
    os.symlink(folder / "real.txt", folder / "same.txt")  # a link inside the folder is followed
    results = {Path(r.path).name: r for r in import_paths(project, [folder])}
    assert results["x.txt"].status == "skipped" and "outside the folder" in one_line(results["x.txt"].message)
    assert results["real.txt"].status == "imported" and results["same.txt"].status == "skipped"  # same content
    with project.read() as session:
        assert session.exec(select(DocumentRow.text)).all() == ["Part of the corpus."]
    project.close()


def _source(n: int, text: str) -> str:
    return f'<TextSource guid="{guid(n)}" name="s{n}"><PlainTextContent>{text}</PlainTextContent></TextSource>'


def test_qdpx_over_the_character_limit_changes_nothing(project, tmp_path):
    from gtcode.services.refi_exchange import import_project

    project = limited(project, characters=1_000)
    path = make_qdpx(tmp_path / "big.qdpx", project_xml(f"<Sources>{_source(1, 'z' * 1_200)}</Sources>"))
    with pytest.raises(GtcodeError) as caught:
        import_project(project, path)
    assert one_line(str(caught.value)).startswith(f"{path} has more than 1,000 characters of text")
    assert count(project) == 0
    project.close()


def test_nul_characters_from_a_qdpx_source_are_shown_as_replacement_characters(project, tmp_path):
    from gtcode.services.refi_exchange import import_project

    path = make_qdpx(tmp_path / "nul.qdpx", project_xml(
        f'<Sources><TextSource guid="{guid(1)}" name="s1" plainTextPath="internal://s1.txt"/></Sources>'),
        {"sources/s1.txt": b"before\x00after"})
    report = import_project(project, path)
    with project.read() as session:
        assert session.exec(select(DocumentRow.text)).all() == ["before\ufffdafter"]
    assert any("NUL" in warning for warning in report.warnings)
    project.close()


def nested_codes(depth: int) -> str:
    return "".join(f'<Code guid="{guid(100 + i)}" name="c{i}" isCodable="true">' for i in range(depth)) + \
        "</Code>" * depth


def test_deeply_nested_codes_are_one_line_not_a_recursion_error(project, tmp_path):
    from gtcode.services.codebook_exchange import import_codebook
    from gtcode.services.refi_exchange import import_project

    qdc = tmp_path / "deep.qdc"
    qdc.write_text('<?xml version="1.0"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
                   f"{nested_codes(400)}</Codes></CodeBook>")
    qdpx = make_qdpx(tmp_path / "deep.qdpx", project_xml(f"<CodeBook><Codes>{nested_codes(400)}</Codes></CodeBook>"))
    for call, path in ((import_codebook, qdc), (import_project, qdpx)):
        with pytest.raises(GtcodeError) as caught:
            call(project, path)
        assert "is nested more than 100 levels deep" in one_line(str(caught.value))
    yaml_file = tmp_path / "deep.yaml"
    yaml_file.write_text("schema: " + "[" * 20_000 + "]" * 20_000 + "\n")
    with pytest.raises(GtcodeError) as caught:
        import_codebook(project, yaml_file)
    assert one_line(str(caught.value)).startswith(f"{yaml_file} is nested more than 100 levels deep")
    assert count(project, CodeRow) == 0
    project.close()


@pytest.mark.parametrize("config, expected", [
    ("[project]\ndatabase = 42\n", "database = 42 is not a database URL"),
    ('[project]\ndatabase = "mysql://u@h/db"\n', "SQLite or PostgreSQL"),
    ('[project]\ndatabase = "not a url"\n', "is not a database URL"),
    ("project = 3\n", "`project` must be a table"),
    ("[limits]\nelements = -1\n", "[limits] elements = -1 is not a positive whole number"),
    ('[limits]\nelements = "many"\n', "[limits] elements = 'many'"),
    ("[limits]\nbytes = 5\n", "unknown limit 'bytes'"),
    ("[project\n", "is not valid TOML"),
])
def test_bad_settings_are_one_line_naming_the_setting(sqlite_project, config, expected):
    (sqlite_project.directory / CONFIG_NAME).write_text(config)
    with pytest.raises(GtcodeError) as caught:
        open_project(sqlite_project.directory)
    assert expected in one_line(str(caught.value))


def test_numbers_too_large_for_the_database_name_nothing(project, tmp_path):
    from gtcode.exchange.model_yaml import load_model
    from gtcode.services.coding import quotes, uncode
    from gtcode.services.corpus import add_document
    from gtcode.services.documents import get_document
    from gtcode.services.errors import NotFound
    from gtcode.services.holdout import split_holdout

    add_document(project, "One", "Some text here.")
    huge = str(2**64)
    for call in (lambda: get_document(project, huge), lambda: uncode(project, huge), lambda: quotes(project, f"a{huge}")):
        with pytest.raises(NotFound):
            call()
    with pytest.raises(GtcodeError, match="seed 18446744073709551616: give a whole number"):
        split_holdout(project, "1/3", seed=2**64)
    with pytest.raises(GtcodeError) as caught:
        load_model(f"schema: gtcode-model/1\ncodes:\n  phenomena:\n    - ref: a{huge}\n      label: x\n", "m.yaml")
    assert "m.yaml" in one_line(str(caught.value))
    project.close()
