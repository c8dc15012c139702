"""Managing documents: retitle, kind, attributes and delete are each one undoable change in the change log;
refusals change nothing; on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlmodel import SQLModel

from gtcode.services import codes
from gtcode.services.changes import history
from gtcode.services.coding import code_span, document_codings
from gtcode.services.corpus import add_document
from gtcode.services.documents import (
    delete_document, get_document, list_documents, retitle_document, set_document_attributes, set_document_kind,
)
from gtcode.services.errors import Conflict, Forbidden, GtcodeError, NotFound
from gtcode.services.holdout import split_holdout
from gtcode.services.memos import write_memo
from gtcode.services.team import add_coder

TEXT = "Interviewer: How far is the clinic?\nWang Li: Far. We take the bus twice a week."


def rows(project) -> dict:
    """Every row of every table but the change log, without versions (a row put back by undo counts one on)."""
    with project.read() as session:
        return {t.name: session.execute(select(*(c for c in t.columns if c.name != "version"))
                                        .order_by(*t.primary_key.columns)).all()
                for t in SQLModel.metadata.sorted_tables if t.name != "change"}


def test_retitle_kind_and_attributes_are_undoable(project):
    doc = add_document(project, "first line as title", TEXT, kind="other", attributes={"age": 34}).document.id
    assert retitle_document(project, doc, "  Wang   Li  ").title == "Wang Li"
    before = get_document(project, doc)[2]
    assert {s.speaker for s in before} == {"Interviewer"}  # outside interviews only known labels are speakers
    set_document_kind(project, doc, "interview")
    assert [s.speaker for s in get_document(project, doc)[2]][-1] == "Wang Li"
    info = set_document_attributes(project, doc, {"gender": "female", "age": "35"}, unset=[])
    assert info.attributes == {"age": 35, "gender": "female"}
    assert set_document_attributes(project, doc, {}, unset=["gender"]).attributes == {"age": 35}
    with project.read() as session:
        logged = [d for _, d, _ in history(session)]
    assert logged[:4] == [f"attributes of document {doc}: -gender", f"attributes of document {doc}: gender=female, "
                          "age=35", f"document {doc} is interview (was other)", f"retitle document {doc} to Wang Li"]
    for _ in range(4):
        codes.undo(project)
    (info,) = list_documents(project)
    assert (info.title, info.kind, info.attributes) == ("first line as title", "other", {"age": 34})
    assert get_document(project, doc)[2] == before
    codes.redo(project)
    assert list_documents(project)[0].title == "Wang Li"


def test_delete_with_codings_is_one_undoable_change(project):
    doc = add_document(project, "Wang", TEXT, kind="interview", attributes={"village": "north"}).document.id
    keep = add_document(project, "Other", "A second document about buses.").document.id
    start = TEXT.index("We take")
    coding = code_span(project, doc, start, start + 20, "Bus trips", memo="weekly")
    write_memo(project, f"doc:{doc}", "met at the clinic")
    before = rows(project)
    with pytest.raises(Conflict, match=rf"^document {doc} has 1 coding: delete it with --with-codings"):
        delete_document(project, doc)
    assert rows(project) == before
    delete_document(project, doc, with_codings=True)
    assert [d.id for d in list_documents(project)] == [keep]
    with pytest.raises(NotFound):
        get_document(project, doc)
    from gtcode.services.search import search

    assert {h.document_id for h in search(project, "bus")} == set()
    assert codes.undo(project) == f"delete document {doc} Wang"
    assert rows(project) == before
    assert {h.document_id for h in search(project, "bus")} == {doc}  # the search index came back too
    assert [c.id for c in document_codings(project, doc)] == [coding.id]
    codes.redo(project)
    assert [d.id for d in list_documents(project)] == [keep]


def test_refusals_change_nothing(project):
    doc = add_document(project, "Wang", TEXT, kind="interview").document.id
    hidden = add_document(project, "Secret", "Respondent: the hold-out text.", kind="interview").document.id
    split_holdout(project, documents=[str(hidden)])
    add_coder(project, "vic", role="viewer")
    before = rows(project)
    from gtcode.services.project import open_project

    viewer = open_project(project.directory, coder="vic")
    try:
        with pytest.raises(Forbidden, match="is a viewer and cannot retitle documents"):
            retitle_document(viewer, doc, "New")
    finally:
        viewer.close()
    with pytest.raises(Forbidden, match=rf"^document {hidden} is in the hold-out and stays unseen"):
        delete_document(project, hidden)
    with pytest.raises(GtcodeError, match="title cannot be empty"):
        retitle_document(project, doc, "   ")
    with pytest.raises(NotFound, match=rf"^document {doc} has no attribute 'age'; it has: \(none\)"):
        set_document_attributes(project, doc, {}, unset=["age"])
    with pytest.raises(GtcodeError, match="unknown kind 'diary'"):
        set_document_kind(project, doc, "diary")
    assert rows(project) == before


def test_deleting_a_document_takes_every_use_of_its_codings_and_undo_brings_them_back(project):
    from gtcode.services import axial, selective
    from gtcode.services.memos import add_memo

    doc = add_document(project, "王村访谈", "受访者：我们每周坐两次公交车去诊所。", lang="zh").document.id
    coding = code_span(project, doc, 4, 12, "坐公交车")
    other = code_span(project, add_document(project, "Other", "We take the bus.").document.id, 3, 15, "Bus trips")
    codes.group(project, "concept", "Travel", ["a1", "a2"])
    codes.group(project, "category", "Access", ["aa1"])
    codes.group(project, "main", "Distance", ["A1"])
    codes.describe(project, "a1", examples=(coding.id,))
    axial.slot_evidence(project, "M1", "causal", contradicting=[coding.id])
    relationship = selective.relate(project, "M1", "causal", "A1", evidence=[coding.id, other.id])
    add_memo(project, "project", "travel", links=[f"coding:{coding.id}", relationship.ref])
    before = rows(project)
    delete_document(project, doc, with_codings=True)
    after = rows(project)
    assert [r for r in after["slot_evidence"]] == [] and [r for r in after["code_example"]] == []
    assert [r.coding_id for r in after["evidence"]] == [other.id]
    assert [(r.target_kind, r.target_id) for r in after["memo_link"]] == [("relationship", 1)]
    codes.undo(project)
    assert rows(project) == before
