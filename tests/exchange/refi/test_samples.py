"""Every real file in the shared samples folder reads, with counts checked by hand against the XML."""

from __future__ import annotations

import pytest

from gtcode.exchange.refi import read_codebook, read_qdc, read_qdpx
from gtcode.exchange.refi.positions import is_word_boundary
from tests.exchange.refi.support import SAMPLES, needs_shared

pytestmark = needs_shared

# file -> (top-level codes, all codes, sets, warnings that must appear)
CODEBOOKS = {
    "atlasti-win-23.4.0_codebook_from-requal-test.qdc": (1, 1, 1, ()),
    "atlasti-win-9.0.19_codebook_ns-0-4.qdc": (3, 5, 2, ("urn:QDA-XML:codebook:0:4",)),
    "taguette_codebook_reconstructed-from-tests.qdc": (3, 3, 0, ("empty <Sets>",)),
}
# file -> (top-level codes, all codes, users, sources, selections)
PROJECTS = {
    "atlasti-win-23.2.3_target-atlas-project.qdpx": (1, 3, 2, 0, 0),
    "nvivo-mac-15.0.0_qc-project.qdpx": (3, 262, 2, 2, 0),
}


def test_every_sample_is_covered() -> None:
    assert {p.name for p in SAMPLES.iterdir()} == set(CODEBOOKS) | set(PROJECTS)


@pytest.mark.parametrize("name", sorted(CODEBOOKS))
def test_codebook_samples_read(name: str) -> None:
    top, total, sets, expected_warnings = CODEBOOKS[name]
    book = read_codebook(SAMPLES / name)
    assert len(book.codes) == top
    assert sum(len(code.walk()) for code in book.codes) == total
    assert len(book.sets) == sets
    for fragment in expected_warnings:
        assert any(fragment in warning for warning in book.warnings), book.warnings
    assert not expected_warnings or book.warnings
    codes, warnings = read_qdc(SAMPLES / name)
    assert codes == book.codes and warnings == book.warnings


def test_codebook_details_are_normalised() -> None:
    book = read_codebook(SAMPLES / "atlasti-win-23.4.0_codebook_from-requal-test.qdc")
    code = book.codes[0]
    assert (code.guid, code.name, code.colour, code.description) == (
        "1ff58b12-6f6f-4b0c-8be5-bbdc91f55294",
        "code1",
        "#46AA00",
        "description",
    )
    assert book.sets[0].code_guids == (code.guid,)
    atlas9 = read_codebook(SAMPLES / "atlasti-win-9.0.19_codebook_ns-0-4.qdc")
    folder = atlas9.codes[2]
    assert (folder.name, folder.is_codable, folder.children[0].name) == ("code3", False, "code:3.1")
    taguette = read_codebook(SAMPLES / "taguette_codebook_reconstructed-from-tests.qdc")
    assert [c.name for c in taguette.codes] == ["interesting", "people", "interesting\\places"]


@pytest.mark.parametrize("name", sorted(PROJECTS))
def test_project_samples_read(name: str) -> None:
    top, total, users, sources, selections = PROJECTS[name]
    project = read_qdpx(SAMPLES / name)
    assert len(project.codes) == top
    assert len(project.all_codes()) == total
    assert len(project.users) == users
    assert len(project.sources) == sources
    assert sum(len(s.selections) for s in project.sources) == selections
    assert all(c.guid == c.guid.lower() for c in project.all_codes())


def test_nvivo_sample_offsets() -> None:
    """NVivo for Mac 15 wrote two empty text sources (each file holds one newline) and no selections.

    So the sample cannot show the UTF-16 offsets; the conversion is exercised by synthetic
    NVivo-style files in test_read.py. Here every selection (none) must cover whole words.
    """
    project = read_qdpx(SAMPLES / "nvivo-mac-15.0.0_qc-project.qdpx")
    assert project.origin == "NVivo for Mac 15.0.0"
    assert [s.text for s in project.sources] == ["\n", "\n"]
    assert [s.path for s in project.sources] == [
        "sources/d097e6fd-7671-4d95-a8b6-7795fa4a72e1.txt",
        "sources/e65f5ee2-9a55-47f1-bb0b-4921d8ce15c4.txt",
    ]
    for source in project.sources:
        for sel in source.selections:
            assert is_word_boundary(source.text, sel.start) and is_word_boundary(source.text, sel.end)
    assert project.warnings == ()
