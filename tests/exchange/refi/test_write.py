"""Writing: schema-valid, deterministic, readable by an independent reader, lossless round trip."""

from __future__ import annotations

import dataclasses
import zipfile
from pathlib import Path

import pytest

from gtcode.exchange.refi import RefiCode, RefiError, read_codebook, read_qdc, read_qdpx, write_qdc, write_qdpx
from tests.exchange.refi.support import SAMPLES, SHARED, guid, make_qdpx, needs_shared, project_xml, rich_project


@pytest.fixture(scope="module")
def schemas():
    if not SHARED.is_dir():
        pytest.skip(f"shared REFI-QDA schemas not found at {SHARED}")
    xmlschema = pytest.importorskip("xmlschema")
    return {name: xmlschema.XMLSchema(str(SHARED / f"{name}.xsd")) for name in ("Project", "Codebook")}


def test_project_round_trip_with_astral_and_chinese(tmp_path: Path) -> None:
    project = rich_project()
    write_qdpx(project, tmp_path / "p.qdpx")
    back = read_qdpx(tmp_path / "p.qdpx")
    assert back == project
    assert back.warnings == ()
    source = back.sources[0]
    assert [source.text[s.start : s.end] for s in source.selections] == ["数字共享", "Emoji", "𠀀 extension B"]


def test_output_is_deterministic_and_laid_out(tmp_path: Path) -> None:
    write_qdpx(rich_project(), tmp_path / "a.qdpx")
    write_qdpx(rich_project(), tmp_path / "b.qdpx")
    assert (tmp_path / "a.qdpx").read_bytes() == (tmp_path / "b.qdpx").read_bytes()
    with zipfile.ZipFile(tmp_path / "a.qdpx") as archive:
        infos = archive.infolist()
        assert [i.filename for i in infos] == ["project.qde", f"sources/{guid(50)}.txt", f"sources/{guid(51)}.txt"]
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        qde = archive.read("project.qde").decode("utf-8")
        text = archive.read(f"sources/{guid(50)}.txt")
    assert f'plainTextPath="internal://{guid(50)}.txt"' in qde
    assert not text.startswith(b"\xef\xbb\xbf") and b"\r" not in text
    tags = ["Users", "CodeBook", "Variables", "Cases", "Sources", "Notes", "Links", "Sets", "Description"]
    order = [f"\n  <{tag}>" for tag in tags]  # children of <Project> are indented by two spaces
    assert [qde.index(tag) for tag in order] == sorted(qde.index(tag) for tag in order)


def test_written_files_are_schema_valid(tmp_path: Path, schemas) -> None:
    write_qdpx(rich_project(), tmp_path / "p.qdpx")
    with zipfile.ZipFile(tmp_path / "p.qdpx") as archive:
        schemas["Project"].validate(archive.read("project.qde").decode("utf-8"))
    sparse = dataclasses.replace(rich_project(), users=(), notes=(), cases=(), links=(), sets=(), sources=(), variables=(), creating_user=None)
    write_qdpx(sparse, tmp_path / "s.qdpx")  # empty containers must be left out, not written empty
    with zipfile.ZipFile(tmp_path / "s.qdpx") as archive:
        schemas["Project"].validate(archive.read("project.qde").decode("utf-8"))
    project = rich_project()
    write_qdc(project.codes, tmp_path / "c.qdc", sets=[dataclasses.replace(project.sets[0], source_guids=(), note_guids=())])
    schemas["Codebook"].validate(str(tmp_path / "c.qdc"))


@needs_shared
@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*")) if SAMPLES.is_dir() else [])
def test_samples_rewrite_valid_and_equal(tmp_path: Path, schemas, name: str) -> None:
    """Each sample, even the schema-invalid ones, is written back valid and reads back equal."""
    out = tmp_path / name
    if name.endswith(".qdc"):
        book = read_codebook(SAMPLES / name)
        write_qdc(book.codes, out, sets=book.sets)
        schemas["Codebook"].validate(str(out))
        assert read_codebook(out) == book
    else:
        project = read_qdpx(SAMPLES / name)
        write_qdpx(project, out)
        with zipfile.ZipFile(out) as archive:
            schemas["Project"].validate(archive.read("project.qde").decode("utf-8"))
        assert read_qdpx(out) == project


def test_independent_reader_sees_the_same_spans(tmp_path: Path) -> None:
    pyrefiqda = pytest.importorskip("pyrefiqda")
    project = rich_project()
    write_qdpx(project, tmp_path / "p.qdpx")
    loaded = pyrefiqda.RefiProject.load(tmp_path / "p.qdpx", extract_dir=str(tmp_path / "x"))
    expected = {s.guid: {sel.guid: s.text[sel.start : sel.end] for sel in s.selections} for s in project.sources}
    seen = 0
    for source in loaded.sources.text_source:
        local = pyrefiqda.RefiProject.resolve_source_path(source.plain_text_path, tmp_path / "x")
        text = local.read_bytes().decode("utf-8")
        for sel in source.plain_text_selection:
            assert text[sel.start_position : sel.end_position] == expected[source.guid][sel.guid]
            seen += 1
    assert seen == 3
    assert len(loaded.code_book.codes.code) == 2


def test_crlf_input_round_trips_canonically(tmp_path: Path) -> None:
    code = "a182cd3a-d83c-4d8c-bc80-26d9103ec6d6"
    raw = "甲\r\n😀 line\r\nend"
    start = len(raw[1:].split("line")[0]) + 1  # code points of the raw text, BOM not counted, CRLF counted as two
    qde = project_xml(
        f'<CodeBook><Codes><Code guid="{code}" name="c" isCodable="true"/></Codes></CodeBook>'
        f'<Sources><TextSource guid="{guid(5)}" name="s" plainTextPath="internal://{guid(5)}.txt">'
        f'<PlainTextSelection guid="{guid(6)}" startPosition="{start}" endPosition="{start + 4}">'
        f'<Coding guid="{guid(7)}"><CodeRef targetGUID="{code}"/></Coding></PlainTextSelection></TextSource></Sources>',
        origin="ATLAS.ti",
    )
    first = read_qdpx(make_qdpx(tmp_path / "in.qdpx", qde, {f"sources/{guid(5)}.txt": ("\ufeff" + raw).encode()}))
    source = first.sources[0]
    assert source.text == "甲\n😀 line\nend" and source.text[source.selections[0].start : source.selections[0].end] == "line"
    write_qdpx(first, tmp_path / "out.qdpx")
    assert read_qdpx(tmp_path / "out.qdpx") == first


def test_writer_canonicalises_crlf_text(tmp_path: Path) -> None:
    project = rich_project()
    source = project.sources[1]
    crlf = dataclasses.replace(source, text="\ufeffA\r\nB\r\nC")
    crlf = dataclasses.replace(crlf, selections=(dataclasses.replace(project.sources[0].selections[0], guid=guid(99), start=4, end=6, codings=()),))
    write_qdpx(dataclasses.replace(project, sources=(project.sources[0], crlf)), tmp_path / "p.qdpx")
    back = read_qdpx(tmp_path / "p.qdpx").sources[1]
    assert back.text == "A\nB\nC" and back.text[back.selections[0].start : back.selections[0].end] == "B\n"


def test_qdc_round_trip(tmp_path: Path) -> None:
    codes = rich_project().codes
    write_qdc(codes, tmp_path / "c.qdc")
    assert read_qdc(tmp_path / "c.qdc") == (codes, ())


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda p: dataclasses.replace(p, codes=p.codes + (RefiCode(guid(10), "dup"),)), "reuses GUID"),
        (lambda p: dataclasses.replace(p, codes=(dataclasses.replace(p.codes[0], colour="red"),) + p.codes[1:]), "colour"),
        (lambda p: dataclasses.replace(p, creating_user=guid(999)), "unknown GUID"),
        (
            lambda p: dataclasses.replace(
                p, sources=(dataclasses.replace(p.sources[0], selections=(dataclasses.replace(p.sources[0].selections[0], end=10_000),)),)
            ),
            "does not fit",
        ),
        (lambda p: dataclasses.replace(p, codes=(dataclasses.replace(p.codes[0], guid="not-a-guid"),) + p.codes[1:]), "not a GUID"),
    ],
)
def test_writer_refuses_inconsistent_projects(tmp_path: Path, change, message: str) -> None:
    with pytest.raises(RefiError, match=message) as caught:
        write_qdpx(change(rich_project()), tmp_path / "bad.qdpx")
    assert "\n" not in str(caught.value) and "bad.qdpx" in str(caught.value)
    assert not (tmp_path / "bad.qdpx").exists()


def test_writer_carries_what_xml_cannot_with_one_warning(tmp_path: Path) -> None:
    rich = rich_project()
    project = dataclasses.replace(rich, name="bad\x0bname",
                                  codes=(dataclasses.replace(rich.codes[0], name="esc\x1b"), *rich.codes[1:]))
    warnings = write_qdpx(project, tmp_path / "ok.qdpx")
    assert len(warnings) == 1 and "U+000B" in warnings[0] and "U+001B" in warnings[0]
    back = read_qdpx(tmp_path / "ok.qdpx")
    assert back.name == "bad\u240bname" and back.codes[0].name == "esc␛"
    assert write_qdpx(rich_project(), tmp_path / "clean.qdpx") == ()


def test_guids_written_canonical(tmp_path: Path) -> None:
    upper = RefiCode("{" + guid(1).upper() + "}", "c", colour="#abc")
    write_qdc([upper], tmp_path / "c.qdc")
    text = (tmp_path / "c.qdc").read_text("utf-8")
    assert f'guid="{guid(1)}"' in text and 'color="#AABBCC"' in text


def test_markup_characters_in_sources_and_selections_round_trip(tmp_path: Path) -> None:
    """Sources and selections are written as text, not through an XML library: XML's own characters in their
    names, descriptions and values are escaped, and a character XML cannot carry is still carried."""
    rich = rich_project()
    tricky = 'a&b <c> "d" \'e\'\r\n\tf &amp;'
    source = rich.sources[0]
    selections = tuple(dataclasses.replace(sel, name=tricky, description="x & <y>\nz ]]>") for sel in source.selections)
    source = dataclasses.replace(source, name=tricky, description="", selections=selections,
                                 variables={guid(40): 'v&<>"\n\t', guid(41): False})
    project = dataclasses.replace(rich, sources=(source, *rich.sources[1:]))
    assert write_qdpx(project, tmp_path / "p.qdpx") == ()
    assert read_qdpx(tmp_path / "p.qdpx") == project
    escaped = dataclasses.replace(project, sources=(dataclasses.replace(
        source, selections=(dataclasses.replace(selections[0], name="esc\x1b"), *selections[1:])), *rich.sources[1:]))
    warnings = write_qdpx(escaped, tmp_path / "e.qdpx")
    assert len(warnings) == 1 and "U+001B" in warnings[0] and "selection 'esc␛'" in warnings[0]
    assert read_qdpx(tmp_path / "e.qdpx").sources[0].selections[0].name == "esc␛"
