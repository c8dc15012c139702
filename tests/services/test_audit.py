"""The audit trail: every change with coder, time and words; undone ones kept and marked; the visibility rule."""

from __future__ import annotations

import pytest

from gtcode.services import codes as codebook
from gtcode.services.audit import audit_log, export_log
from gtcode.services.coding import code_span
from gtcode.services.corpus import add_document
from gtcode.services.errors import GtcodeError
from gtcode.services.memos import add_memo
from gtcode.services.project import open_project
from gtcode.store.tables import DocumentRow
from tests.conftest import raw_write

EN = "Respondent: The county hospital now runs video consultations."
ZH = "受访者：村里的学生可以上城里老师的直播课。"


def test_changes_in_words_with_undone_ones_kept_and_marked(project):
    doc = add_document(project, "Clinic", EN).document
    code_span(project, doc.id, EN.index("video"), EN.index("video") + 5, "Video")
    codebook.rename(project, "a1", "视频问诊")
    codebook.undo(project)
    assert [(e.description, e.status) for e in audit_log(project)] == [
        ("rename a1 to 视频问诊", "undone"), ("code Video in document 1", "done")]
    codebook.redo(project)
    assert audit_log(project)[0].status == "done"
    codebook.undo(project)
    code_span(project, doc.id, 0, 10, "Respondent")  # a new change ends the redo: the undone one stays, marked
    entries = audit_log(project)
    assert [(e.description, e.status) for e in entries] == [
        ("code Respondent in document 1", "done"), ("rename a1 to 视频问诊", "superseded"),
        ("code Video in document 1", "done")]
    assert entries[1].details == ("code a1 «视频问诊»: label Video → 视频问诊",) and entries[1].undone_at is not None
    assert entries[2].details == ("code a1 «Video» added", "coding 1 (a1, document 1, 41-46) added")
    with pytest.raises(GtcodeError, match="nothing to redo"):
        codebook.redo(project)  # undo behaves as before: the superseded change is not redone
    assert codebook.undo(project) == "code Respondent in document 1"
    assert codebook.undo(project) == "code Video in document 1"


def test_filters_by_coder_time_and_code(project):
    doc = add_document(project, "访谈", ZH, lang="zh").document
    code_span(project, doc.id, ZH.index("直播课"), ZH.index("直播课") + 3, "直播课")
    bob = open_project(project.directory, coder="bob")
    try:
        code_span(bob, doc.id, 0, 3, "受访者")
        add_memo(bob, "a2", "the speaker")
    finally:
        bob.close()
    assert [e.coder for e in audit_log(project, coder="bob")] == ["bob", "bob"]
    assert [e.description for e in audit_log(project, code="受访者")] == ["memo on a2 受访者", "code 受访者 in document 1"]
    assert [e.description for e in audit_log(project, code="a1")] == ["code 直播课 in document 1"]
    assert audit_log(project, since="2999-01-01") == [] and len(audit_log(project, since="2000-01-01")) == 3
    assert len(audit_log(project, limit=2)) == 2
    with pytest.raises(GtcodeError, match="--since 'last week'"):
        audit_log(project, since="last week")


def test_changes_on_hold_out_material_stay_hidden_and_the_csv_has_every_change(project, tmp_path):
    doc = add_document(project, "医生访谈", ZH, lang="zh").document
    code_span(project, doc.id, ZH.index("直播课"), ZH.index("直播课") + 3, "直播课")
    add_memo(project, f"doc:{doc.id}", "秘密的笔记")
    with raw_write(project) as session:  # coded, then held out by hand (as an old import could leave it)
        session.get(DocumentRow, doc.id).split = "holdout"
    entries = audit_log(project)
    assert [e.description for e in entries] == ["a change on material you may not see"] * 2
    shown = repr(entries)
    assert "医生访谈" not in shown and "秘密" not in shown and "直播课" not in shown.replace("code a1 «直播课» added", "")
    path = export_log(project, tmp_path / "log.csv")
    import csv

    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert [r["status"] for r in rows] == ["done", "done"] and "秘密" not in path.read_text(encoding="utf-8")


def test_changes_of_the_previous_schema_migrate_with_undone_ones_redoable(tmp_path, db_url):
    from sqlalchemy import text

    from gtcode.store.engine import migrate
    from tests.conftest import engine_at

    url = db_url or f"sqlite:///{tmp_path / 'old.sqlite'}"
    engine = engine_at(url, "0005")
    with engine.begin() as conn:
        for description, undone in (("first", False), ("second", True)):
            conn.execute(text("INSERT INTO change (description, coder, rows, undone, created_at) "
                              "VALUES (:d, 'bo', '[]', :u, '2026-01-01')"), {"d": description, "u": undone})
    migrate(engine)
    with engine.begin() as conn:
        rows = conn.execute(text("SELECT description, undone, superseded, undone_at FROM change ORDER BY id")).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [("first", False, False, None), ("second", True, False, None)]
