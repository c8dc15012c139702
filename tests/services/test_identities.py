"""Identities that stay true: ids and numbers never reused, versions checked by stale views, no duplicate codings."""

import pytest
from sqlmodel import select

from gtcode.services import codes as codebook
from gtcode.services import selective
from gtcode.services.coding import adjust, code_span, document_codings, uncode
from gtcode.services.corpus import add_document
from gtcode.services.errors import Conflict
from gtcode.services.memos import write_memo
from gtcode.services.project import open_project
from gtcode.store.tables import CodingRow, EvidenceRow, MemoRow

TEXT = "The clinic opened. The doctor visits twice a week. Records move by phone."


def span(quote: str) -> tuple[int, int]:
    start = TEXT.index(quote)
    return start, start + len(quote)


@pytest.fixture
def doc(project):
    return add_document(project, "Clinic", TEXT).document


def test_ids_freed_by_undo_are_never_given_again(project, doc):
    first = code_span(project, doc.id, *span("The clinic opened."), "Opening", memo="first memo")
    with project.read() as session:
        memo_id = session.exec(select(MemoRow.id)).one()
    codebook.undo(project)
    again = code_span(project, doc.id, *span("The clinic opened."), "Opening", memo="second memo")
    with project.read() as session:
        new_memo_id = session.exec(select(MemoRow.id)).one()
    assert again.id > first.id and again.code_id > first.code_id and new_memo_id > memo_id
    uncode(project, again.id)
    third = code_span(project, doc.id, *span("The doctor visits"), "Visits")
    assert third.id > again.id


def test_code_and_relationship_numbers_only_grow_across_undo(project, doc):
    code_span(project, doc.id, *span("The clinic opened."), "first")
    second = code_span(project, doc.id, *span("The doctor visits"), "second")
    assert second.code_ref == "a2"
    codebook.undo(project)
    third = code_span(project, doc.id, *span("Records move by phone."), "third")
    assert third.code_ref == "a3"  # a2 was given once: never to another code
    r1 = selective.relate(project, "a1", "causality", "a3")
    codebook.undo(project)
    r2 = selective.relate(project, "a1", "causality", "a3")
    assert (r1.ref, r2.ref) == ("R1", "R2")


def test_redo_gives_an_undone_code_its_own_number_back(project, doc):
    code_span(project, doc.id, *span("The clinic opened."), "first")
    codebook.undo(project)
    codebook.redo(project)
    assert [c.ref for c in codebook.list_codes(project)] == ["a1"]
    assert code_span(project, doc.id, *span("The doctor visits"), "second").code_ref == "a2"


def test_a_stale_view_cannot_remove_a_coding_made_since(project, doc):
    """Two windows on one project: A removes its coding and codes again; B's stale screen is refused."""
    other = open_project(project.directory, coder="alice")
    try:
        first = code_span(project, doc.id, *span("The clinic opened."), "Opening")
        seen_by_b = document_codings(other, doc.id)
        assert [(c.id, c.version) for c in seen_by_b] == [(first.id, 1)]
        codebook.undo(project)  # A takes the coding back and codes the span again
        again = code_span(project, doc.id, *span("The clinic opened."), "Opening")
        with pytest.raises(Conflict, match=f"coding {first.id} was removed meanwhile"):
            uncode(other, seen_by_b[0].id, version=seen_by_b[0].version)
        assert [c.id for c in document_codings(project, doc.id)] == [again.id]
    finally:
        other.close()


def test_a_stale_version_is_refused_and_changes_nothing(project, doc):
    other = open_project(project.directory, coder="alice")
    try:
        coding = code_span(project, doc.id, *span("The clinic opened."), "Opening")
        seen_by_b = document_codings(other, doc.id)[0]
        moved = adjust(project, coding.id, *span("The clinic"), version=coding.version)
        assert moved.version == coding.version + 1
        with pytest.raises(Conflict, match=f"coding {coding.id} was changed meanwhile"):
            uncode(other, seen_by_b.id, version=seen_by_b.version)
        with pytest.raises(Conflict, match="changed meanwhile"):
            adjust(other, seen_by_b.id, *span("The clinic opened."), version=seen_by_b.version)
        assert [(c.id, c.quote) for c in document_codings(project, doc.id)] == [(coding.id, "The clinic")]
        codebook.undo(project)  # undo counts a version too: the moved view is stale now
        with pytest.raises(Conflict):
            uncode(project, moved.id, version=moved.version)
        current = document_codings(other, doc.id)[0]
        assert uncode(other, current.id, version=current.version).id == coding.id
        codebook.undo(project)  # the coding comes back as a version of its own
        back = document_codings(project, doc.id)[0]
        assert back.id == coding.id and back.version == current.version + 1
        with pytest.raises(Conflict, match="changed meanwhile"):
            uncode(other, current.id, version=current.version)
    finally:
        other.close()


def test_the_same_span_code_and_coder_is_stored_once(project, doc):
    from gtcode.services.team import add_coder

    add_coder(project, "bob")
    code_span(project, doc.id, *span("The clinic opened."), "Opening")
    with pytest.raises(Conflict, match="has coded .* with a1 already"):
        code_span(project, doc.id, *span("The clinic opened."), "opening")
    code_span(project, doc.id, *span("The clinic opened."), "Opening", coder="bob")  # another coder may
    other = code_span(project, doc.id, *span("The doctor visits"), "Opening")
    with pytest.raises(Conflict, match="already"):
        adjust(project, other.id, *span("The clinic opened."))
    assert sorted((c.coder, c.quote) for c in document_codings(project, doc.id)) == [
        ("alice", "The clinic opened."), ("alice", "The doctor visits"), ("bob", "The clinic opened.")]


def test_the_database_refuses_a_duplicate_a_service_did_not_check(project, doc):
    """The unique index: a writer that slipped past the service's check still cannot store a twin."""
    from sqlalchemy.exc import IntegrityError
    from sqlmodel import Session

    coding = code_span(project, doc.id, *span("The clinic opened."), "Opening")
    with pytest.raises(IntegrityError, match="uq_coding_span_code_coder|UNIQUE constraint failed: coding"):
        with Session(project.engine) as session, session.begin():
            session.add(CodingRow(document_id=doc.id, code_id=coding.code_id, start=coding.start, end=coding.end,
                                  quote=coding.quote, coder="alice"))
    assert len(document_codings(project, doc.id)) == 1


def test_merging_codes_folds_a_span_coded_with_both_and_undo_restores_it(project, doc):
    both = span("The clinic opened.")
    kept = code_span(project, doc.id, *both, "Opening")
    folded = code_span(project, doc.id, *both, "Start")
    write_memo(project, f"coding:{folded.id}", "why start")
    code_span(project, doc.id, *span("The doctor visits"), "Visits")
    selective.relate(project, "a1", "causality", "a3", evidence=[folded.id])
    codebook.merge(project, "a2", "a1")
    codings = document_codings(project, doc.id)
    assert [(c.id, c.code_ref, c.memo) for c in codings if c.code_ref != "a3"] == [(kept.id, "a1", "why start")]
    with project.read() as session:
        assert session.exec(select(EvidenceRow.coding_id)).all() == [kept.id]
    codebook.undo(project)
    assert sorted((c.id, c.code_ref) for c in document_codings(project, doc.id) if c.code_ref != "a3") == [
        (kept.id, "a1"), (folded.id, "a2")]
    with project.read() as session:
        assert session.exec(select(EvidenceRow.coding_id)).all() == [folded.id]


@pytest.mark.parametrize("remove", ["uncode", "delete the code"])
def test_removing_a_coding_used_as_evidence_is_undone_whole(project, doc, remove):
    evidence = code_span(project, doc.id, *span("The clinic opened."), "Opening", memo="seen in March")
    code_span(project, doc.id, *span("The doctor visits"), "Visits")
    code_span(project, doc.id, *span("Records move by phone."), "Phone records")
    selective.relate(project, "a2", "causality", "a3", evidence=[evidence.id])
    if remove == "uncode":
        uncode(project, evidence.id)
    else:
        codebook.delete_code(project, "a1")
    with project.read() as session:
        assert session.exec(select(EvidenceRow)).all() == [] and session.exec(select(MemoRow)).all() == []
    codebook.undo(project)
    with project.read() as session:
        assert session.exec(select(EvidenceRow.coding_id)).all() == [evidence.id]
        assert session.exec(select(MemoRow.text)).all() == ["seen in March"]


def test_an_older_database_migrates_keeping_rows_and_merging_duplicates(tmp_path, db_url):
    """A 0001 database (rowid ids, duplicate codings) upgrades: data, foreign keys and cascades kept."""
    from sqlalchemy import text

    from gtcode.store.engine import HEAD_REVISION, current_revision, migrate
    from tests.conftest import engine_at

    url = db_url or f"sqlite:///{tmp_path / 'old.sqlite'}"
    engine = engine_at(url, "0001")
    now = "'2026-01-01'"
    rows = [
        "INSERT INTO document (title, kind, lang, text, characters, sha256, encoding, source, split, created_at) "
        f"VALUES ('d', 'other', 'en', 'hello world', 11, 'x', 'utf-8', '', 'build', {now})",
        f"INSERT INTO code (level, number, label, definition, phase, version, created_at) VALUES ('phenomenon', 1, 'l', '', 'building', 1, {now})",
        *[f"INSERT INTO coding (document_id, code_id, start, \"end\", quote, coder, phase, created_at) VALUES (1, 1, 0, {end}, 'hello', 'me', 'building', {now})"
          for end in (5, 5, 5, 6)],
        f"INSERT INTO relationship (number, source_id, type, target_code_id, memo, created_at) VALUES (1, 1, 'causality', 1, '', {now})",
        "INSERT INTO evidence (relationship_id, coding_id) VALUES (1, 2)",
        f"INSERT INTO memo (target_kind, target_id, text, coder, updated_at) VALUES ('coding', 3, 'kept note', 'me', {now})",
        "INSERT INTO segment (document_id, idx, start, \"end\") VALUES (1, 0, 0, 11)",
    ]
    with engine.begin() as conn:
        for statement in rows:
            conn.execute(text(statement))
    migrate(engine)
    assert current_revision(engine) == HEAD_REVISION
    with engine.begin() as conn:
        assert conn.execute(text('SELECT id, "end", version FROM coding ORDER BY id')).all() == [(1, 5, 1), (4, 6, 1)]
        assert conn.execute(text("SELECT relationship_id, coding_id FROM evidence")).all() == [(1, 1)]
        assert conn.execute(text("SELECT target_id, text FROM memo")).all() == [(1, "kept note")]
        conn.execute(text("DELETE FROM coding WHERE id = 4"))
        conn.execute(text(f"INSERT INTO coding (document_id, code_id, start, \"end\", quote, coder, phase, version, created_at) "
                          f"VALUES (1, 1, 1, 6, 'ello ', 'me', 'building', 1, {now})"))
        assert conn.execute(text("SELECT max(id) FROM coding")).scalar() == 5  # 4 was freed, not given again
        conn.execute(text("DELETE FROM document"))  # cascades still hold after the rebuild
        assert conn.execute(text("SELECT count(*) FROM segment")).scalar() == 0
        assert conn.execute(text("SELECT count(*) FROM coding")).scalar() == 0
    engine.dispose()
