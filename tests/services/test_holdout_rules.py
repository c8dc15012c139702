"""The hold-out rule on the paths that write codings without coding: undo and redo across the split, imports
of a project or a corpus that hold a blinded document's text, and what refusals say about the hold-out."""

from __future__ import annotations

import pytest
from sqlalchemy import func
from sqlmodel import select

from gtcode.services import codes as codebook
from gtcode.services.coding import code_span, uncode
from gtcode.services.corpus import add_document
from gtcode.services.documents import get_document, list_documents
from gtcode.services.errors import Forbidden, NotFound
from gtcode.services.holdout import holdout_status, release_holdout, split_holdout
from gtcode.services.memos import write_memo
from gtcode.services.project import init_project
from gtcode.services.refi_exchange import export_project, import_project
from gtcode.store.tables import ChangeRow, CodingRow, MemoRow

BUILD = "Doctors in the city read our scans. The county hospital runs video consultations."
HELD = "Respondent 7: my brother lost his job when the factory closed. We moved to the city."
TITLE = "Respondent 7: my brother lost his job"


def codings_on(project, document_id: int) -> int:
    with project.read() as session:
        return session.exec(select(func.count()).where(CodingRow.document_id == document_id)).one()


def undone_flags(project) -> list[bool]:
    with project.read() as session:
        return list(session.exec(select(ChangeRow.undone).order_by(ChangeRow.id)).all())


@pytest.fixture
def two(project):
    """A build document with a small theory and a second document still outside the hold-out."""
    build = add_document(project, "Doctor A", BUILD, kind="interview").document.id
    held = add_document(project, TITLE, HELD, kind="interview").document.id
    code_span(project, build, 0, 7, "Doctors")
    codebook.group(project, "concept", "Remote care", ["a1"])
    return project, build, held


def test_undo_of_an_uncode_made_before_the_split_puts_no_coding_on_the_hold_out(two):
    project, _build, held = two
    uncode(project, code_span(project, held, 0, 12, "Family").id)
    split_holdout(project, documents=[str(held)])
    before = undone_flags(project)
    with pytest.raises(Forbidden, match=f"^document {held} is in the hold-out and stays untouched"):
        codebook.undo(project)
    assert codings_on(project, held) == 0 and undone_flags(project) == before
    release_holdout(project)
    with pytest.raises(Forbidden, match=f"^document {held} is in the hold-out and takes only saturation-phase"):
        codebook.undo(project)  # a coding made while building never joins the saturation test
    assert codings_on(project, held) == 0 and undone_flags(project) == before


@pytest.mark.parametrize("write", ["coding", "memo"])
def test_redo_of_a_coding_or_memo_undone_before_the_split_is_refused(two, write):
    project, _build, held = two
    if write == "coding":
        code_span(project, held, 0, 12, "Family")
    else:
        write_memo(project, f"doc:{held}", "about the family")
    codebook.undo(project)
    split_holdout(project, documents=[str(held)])
    with pytest.raises(Forbidden, match=f"^document {held} is in the hold-out"):
        codebook.redo(project)
    assert codings_on(project, held) == 0
    with project.read() as session:
        assert session.exec(select(MemoRow).where(MemoRow.target_id == held)).first() is None


def test_import_project_adds_no_codings_to_a_blinded_hold_out_document(two, tmp_path):
    project, _build, held = two
    source = init_project(tmp_path / "other", name="other", coder="alice")
    try:
        document = add_document(source, "Someone else's name for it", HELD, kind="interview").document.id
        code_span(source, document, 0, 12, "Family")
        export_project(source, tmp_path / "other.qdpx")
    finally:
        source.close()
    split_holdout(project, documents=[str(held)])
    report = import_project(project, tmp_path / "other.qdpx")
    assert report.codings == 0 and report.documents == 0 and codings_on(project, held) == 0
    warning = next(w for w in report.warnings if "hold-out document" in w)
    assert TITLE not in warning and str(held) not in warning


def test_refusals_and_duplicates_do_not_name_a_hold_out_document(two):
    project, _build, held = two
    split_holdout(project, documents=[str(held)])
    with pytest.raises(Forbidden) as refused:
        get_document(project, held)
    with pytest.raises(NotFound):  # a guessed title is not confirmed
        get_document(project, TITLE)
    duplicate = add_document(project, "a guess", HELD)
    assert duplicate.status == "skipped" and "a hold-out document" in duplicate.message
    for text in (str(refused.value), duplicate.message, repr(list_documents(project)), repr(holdout_status(project))):
        assert "brother" not in text and "Respondent 7" not in text
    shown = next(d for d in list_documents(project) if d.id == held)
    assert (shown.title, shown.blinded, shown.source, shown.sha256, shown.characters) == (
        f"hold-out document {held}", True, "", "", 0)
    release_holdout(project)
    assert get_document(project, held)[0].title == TITLE
