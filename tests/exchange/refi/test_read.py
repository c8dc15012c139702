"""Reading files shaped like other tools' output: GUID forms, layouts, BOM/CRLF, NVivo UTF-16 offsets."""

from __future__ import annotations

from pathlib import Path

import pytest

from gtcode.domain.errors import GtcodeError
from gtcode.exchange.refi import read_qdpx
from gtcode.exchange.refi.positions import is_word_boundary
from tests.exchange.refi.support import make_qdpx, project_xml

CODE = "A182CD3A-D83C-4D8C-BC80-26D9103EC6D6"
SRC = "69A4332D-5B31-4915-B520-5275CFC21B40"


def codebook() -> str:
    return f'<CodeBook><Codes><Code guid="{{{CODE}}}" name="c" isCodable="true" color="#abc"/></Codes></CodeBook>'


def selection(n: int, start: int, end: int, coded: bool = True) -> str:
    coding = f'<Coding guid="00000000-0000-4000-8000-1{n:011d}"><CodeRef targetGUID="{CODE}"/></Coding>' if coded else ""
    return f'<PlainTextSelection guid="00000000-0000-4000-8000-{n:012d}" startPosition="{start}" endPosition="{end}">{coding}</PlainTextSelection>'


def source_xml(selections: str, guid: str = SRC, path: str | None = None) -> str:
    where = f'plainTextPath="internal://{path or guid + ".txt"}"'
    return f'<Sources><TextSource guid="{guid}" name="s" {where}>{selections}</TextSource></Sources>'


def spans(project) -> list[str]:
    source = project.sources[0]
    return [source.text[s.start : s.end] for s in source.selections]


def test_guids_braces_case_colour_capital_sources_and_other_qde_name(tmp_path: Path) -> None:
    text = "Hello world"
    qde = project_xml(codebook() + source_xml(selection(1, 6, 11), path=SRC.lower() + ".txt"))
    path = make_qdpx(tmp_path / "a.qdpx", qde, {f"Sources/{SRC.lower()}.txt": text.encode()}, qde_name="My Project.qde")
    project = read_qdpx(path)
    code = project.codes[0]
    assert (code.guid, code.colour) == (CODE.lower(), "#AABBCC")
    source = project.sources[0]
    assert source.guid == SRC.lower() and source.path == f"Sources/{SRC.lower()}.txt"
    assert source.selections[0].codings[0].code_guid == CODE.lower()
    assert spans(project) == ["world"]


def test_bom_and_crlf_are_canonicalised_with_positions(tmp_path: Path) -> None:
    raw = "\ufeffLine one\r\nLine two\rLine three"
    body = raw[1:]  # positions count neither the BOM ...
    starts = [body.index("two"), body.index("three"), body.index("one")]
    sels = selection(1, starts[0], starts[0] + 3) + selection(2, starts[1], starts[1] + 5)
    sels += selection(3, starts[2], body.index("two"))  # ... but do count CR and LF
    qde = project_xml(codebook() + source_xml(sels))
    project = read_qdpx(make_qdpx(tmp_path / "b.qdpx", qde, {f"sources/{SRC}.txt": raw.encode("utf-8")}))
    assert project.sources[0].text == "Line one\nLine two\nLine three"
    assert spans(project) == ["two", "three", "one\nLine "]


def test_inline_text_uncoded_and_zero_length_selections(tmp_path: Path) -> None:
    sels = selection(1, 0, 5, coded=False) + selection(2, 3, 3) + selection(3, 4, 99)
    qde = project_xml(
        codebook()
        + f'<Sources><TextSource guid="{SRC}" name="s"><PlainTextContent>Inline text</PlainTextContent>{sels}'
        + "</TextSource></Sources>"
    )
    project = read_qdpx(make_qdpx(tmp_path / "c.qdpx", qde))
    source = project.sources[0]
    assert source.text == "Inline text" and source.path is None
    assert [(s.start, s.end, len(s.codings)) for s in source.selections] == [(0, 5, 0), (3, 3, 1)]
    joined = " | ".join(project.warnings)
    assert "1 x selection without coding kept" in joined
    assert "1 x zero-length selection kept" in joined
    assert "1 x selection outside its text" in joined


NVIVO_TEXT = "I 😀 love 𠀀 data.\r\nWe 😀😀 share resources 🎉 fairly.\r\n"
NVIVO_WORDS = ["love", "data", "share", "resources", "fairly"]


def utf16_spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Where NVivo would put each word: UTF-16 code units into the raw text (BOM not counted)."""
    out = []
    for word in words:
        start = len(text[: text.index(word)].encode("utf-16-le")) // 2
        out.append((start, start + len(word.encode("utf-16-le")) // 2))
    return out


def nvivo_file(tmp_path: Path, origin: str | None) -> Path:
    sels = "".join(selection(i + 1, s, e) for i, (s, e) in enumerate(utf16_spans(NVIVO_TEXT, NVIVO_WORDS)))
    attrs = {"origin": origin} if origin else {}
    qde = project_xml(codebook() + source_xml(sels), **attrs)
    data = "\ufeff".encode() + NVIVO_TEXT.encode("utf-8")
    return make_qdpx(tmp_path / "nvivo.qdpx", qde, {f"Sources/{SRC}.txt": data})


@pytest.mark.parametrize("origin", ["NVivo 12.6 (Windows)", None])
def test_nvivo_utf16_offsets_are_detected(tmp_path: Path, origin: str | None) -> None:
    """By the origin attribute, or (without one) because the spans only fit as UTF-16 units."""
    project = read_qdpx(nvivo_file(tmp_path, origin))
    assert project.offsets == "utf16"
    assert spans(project) == NVIVO_WORDS
    text = project.sources[0].text
    assert all(is_word_boundary(text, p) for s in project.sources[0].selections for p in (s.start, s.end))
    assert any("UTF-16" in w for w in project.warnings)


def test_offsets_can_be_forced(tmp_path: Path) -> None:
    path = nvivo_file(tmp_path, "NVivo 12.6")
    assert spans(read_qdpx(path, offsets="utf16")) == NVIVO_WORDS
    forced = read_qdpx(path, offsets="codepoints")
    assert forced.offsets == "codepoints" and spans(forced) != NVIVO_WORDS
    with pytest.raises(GtcodeError):
        read_qdpx(path, offsets="bytes")


def test_word_boundaries_decide_when_both_readings_fit(tmp_path: Path) -> None:
    text = "😀 alpha beta gamma delta epsilon zeta eta theta"
    words = ["beta", "delta", "zeta"]
    sels = "".join(selection(i + 1, s, e) for i, (s, e) in enumerate(utf16_spans(text, words)))
    qde = project_xml(codebook() + source_xml(sels), origin="Some Tool")
    project = read_qdpx(make_qdpx(tmp_path / "w.qdpx", qde, {f"sources/{SRC}.txt": text.encode()}))
    assert (project.offsets, spans(project)) == ("utf16", words)
    cp = "".join(selection(i + 1, text.index(w), text.index(w) + len(w)) for i, w in enumerate(words))
    qde = project_xml(codebook() + source_xml(cp), origin="ATLAS.ti")
    project = read_qdpx(make_qdpx(tmp_path / "c.qdpx", qde, {f"sources/{SRC}.txt": text.encode()}))
    assert (project.offsets, spans(project)) == ("codepoints", words)


def test_dangling_references_and_missing_users(tmp_path: Path) -> None:
    other = "11111111-2222-4333-8444-555555555555"
    sels = selection(1, 0, 2).replace("<Coding ", f'<Coding creatingUser="{other}" ')
    sels += f'<PlainTextSelection guid="{other[:-1]}6" startPosition="0" endPosition="1"><Coding guid="{other[:-1]}7"><CodeRef targetGUID="{other}"/></Coding></PlainTextSelection>'
    qde = project_xml(
        codebook() + source_xml(sels) + f'<Links><Link guid="{other[:-1]}8" originGUID="{CODE}" targetGUID="{other[:-1]}9"/></Links>'
    )
    project = read_qdpx(make_qdpx(tmp_path / "d.qdpx", qde, {f"sources/{SRC}.txt": b"abc"}))
    assert project.users[0].guid == other and project.users[0].name is None
    assert project.links == ()
    assert project.sources[0].selections[1].codings == ()
    joined = " | ".join(project.warnings)
    assert "coding of an unknown code dropped" in joined and "link between unknown objects dropped" in joined


def test_notes_targets_and_unsupported_parts(tmp_path: Path) -> None:
    note = "22222222-2222-4222-8222-222222222222"
    pdf = "33333333-3333-4333-8333-333333333333"
    body = (
        f'<CodeBook><Codes><Code guid="{CODE}" name="c" isCodable="true"><NoteRef targetGUID="{note}"/></Code></Codes></CodeBook>'
        f'<Sources><PDFSource guid="{pdf}" path="internal://{pdf}.pdf"/></Sources>'
        f'<Notes><Note guid="{note}" name="memo"><PlainTextContent>why\r\nthis</PlainTextContent></Note></Notes>'
        f'<Graphs><Graph guid="{pdf[:-1]}4"/></Graphs><NoteRef targetGUID="{note}"/>'
    )
    project = read_qdpx(make_qdpx(tmp_path / "n.qdpx", project_xml(body)))
    assert [(n.name, n.text, n.target_guids) for n in project.notes] == [("memo", "why\nthis", (CODE.lower(),))]
    assert project.sources == ()
    joined = " | ".join(project.warnings)
    assert "non-text sources (PDFSource)" in joined and "<Graphs>" in joined
