"""Bulk write paths (issue 19): codes created together on import, rows inserted with ids taken first, a file's
own sentences kept on import; the same rules as one by one, one undoable change, ids and numbers never reused."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from gtcode.domain.levels import Level
from gtcode.domain.model import CodeSpec, ModelSnapshot
from gtcode.services.errors import Conflict, GtcodeError
from gtcode.services.project import init_project

TEXT_EN = ("Interviewer: How did the clinic change?\nRespondent: We book online now. The nurse calls back. "
           "Dr. Wang said e.g. the app is slow.\n\nRespondent: Older farmers still walk in.")
TEXT_ZH = "采访者：网店怎么样？\n受访者：我们在网上卖茶叶。快递站就在村口！年轻人都会用。"


def _source(tmp_path: Path):
    """A small SQLite project with a three-level tree, codings on English and Chinese text, then undone work."""
    from gtcode.services.coding import code_span
    from gtcode.services.codes import describe, group
    from gtcode.services.corpus import add_document

    source = init_project(tmp_path / "source", name="source", coder="bob")
    en = add_document(source, "clinic", TEXT_EN, kind="interview", lang="en").document.id
    zh = add_document(source, "茶叶", TEXT_ZH, kind="interview", lang="zh").document.id
    for doc, text, phrase, label in ((en, TEXT_EN, "We book online now.", "online booking"),
                                     (en, TEXT_EN, "The nurse calls back.", "call back"),
                                     (en, TEXT_EN, "Older farmers still walk in.", "walking in"),
                                     (zh, TEXT_ZH, "我们在网上卖茶叶。", "网上卖茶"),
                                     (zh, TEXT_ZH, "快递站就在村口！", "快递站")):
        start = text.index(phrase)
        code_span(source, doc, start, start + len(phrase), label)
    group(source, "concept", "Digital services", ["online booking", "call back", "网上卖茶"])
    group(source, "category", "Access", ["Digital services"])
    describe(source, "Digital services", definition="services reached through a phone")
    return source


def _tree(project) -> list[tuple]:
    from gtcode.services.codes import list_codes

    return sorted((c.ref, c.label, c.parent_ref, c.definition, c.codings) for c in list_codes(project))


def _segments(project) -> dict[str, list[tuple]]:
    from gtcode.services.documents import list_documents
    from gtcode.services.reading import reader_view

    return {d.title: [(s.start, s.end, s.speaker) for s in reader_view(project, d.id).segments]
            for d in list_documents(project)}


def _coding_ids(project) -> list[int]:
    from gtcode.services.coding import document_codings
    from gtcode.services.documents import list_documents

    return sorted(c.id for d in list_documents(project) for c in document_codings(project, d.id))


@pytest.fixture
def exported(tmp_path):
    from gtcode.services.refi_exchange import export_project

    source = _source(tmp_path)
    path = tmp_path / "source.qdpx"
    export_project(source, path)
    yield source, path
    source.close()


def test_import_creates_the_tree_in_bulk_undo_removes_it_redo_puts_it_back(project, exported):
    from gtcode.services.codes import redo, undo
    from gtcode.services.coding import code_span
    from gtcode.services.documents import list_documents
    from gtcode.services.refi_exchange import import_project

    source, path = exported
    import_project(project, path, mode="new")
    tree, ids = _tree(project), _coding_ids(project)
    assert tree == _tree(source)
    assert ("A1", "Access", None, "", 0) in tree and ("a1", "online booking", "aa1", "", 1) in tree
    assert "import source.qdpx" in undo(project)
    assert _tree(project) == [] and _coding_ids(project) == []
    redo(project)
    assert _tree(project) == tree and _coding_ids(project) == ids  # under the same ids
    undo(project)
    doc = next(d for d in list_documents(project) if d.title == "clinic")
    start = TEXT_EN.index("Older")
    coding = code_span(project, doc.id, start, start + 5, "older")
    assert coding.id > max(ids)  # an id a bulk insert gave is never given again


def test_numbers_given_by_an_undone_bulk_import_are_not_given_again(project, exported):
    from gtcode.services.codes import list_codes, undo
    from gtcode.services.refi_exchange import import_project
    from gtcode.services.coding import code_span
    from gtcode.services.corpus import add_document

    _source_project, path = exported
    import_project(project, path, mode="new")
    numbers = {c.ref for c in list_codes(project) if c.level is Level.PHENOMENON}
    undo(project)
    doc = add_document(project, "other", "A new line about buses.", lang="en").document.id
    made = code_span(project, doc, 0, 5, "buses")
    assert made.code_ref not in numbers


def test_merge_import_matches_labels_and_keeps_a_number_held_by_another_label(project, exported):
    from gtcode.services.codes import list_codes
    from gtcode.services.model_apply import apply_snapshot
    from gtcode.services.refi_exchange import import_project

    _source_project, path = exported
    apply_snapshot(project, ModelSnapshot(name="mine", codes=(
        CodeSpec("a1", Level.PHENOMENON, "Online booking"),  # same label, other case: matched
        CodeSpec("a2", Level.PHENOMENON, "bus times"),
    )))
    report = import_project(project, path, mode="merge")
    labels = [c.label.lower() for c in list_codes(project, "phenomenon")]
    assert labels.count("online booking") == 1 and "bus times" in labels
    assert "a1" in report.model.matched
    assert "call back" not in labels  # the file's a2: the number is another label's here, reported
    assert any(c.startswith("a2 is 'bus times' here, not 'call back'") for c in report.model.conflicts)
    assert len(labels) == 5 and report.codings == 4


def test_create_codes_keeps_the_rules_of_create_code(project):
    from sqlmodel import select

    from gtcode.services.changes import ChangeRecorder
    from gtcode.services.codes import NewCode, create_codes, list_codes
    from gtcode.services.roles import WRITER, use_case
    from gtcode.store.tables import CodeRow

    @use_case(WRITER, "import a model")
    def make(codes: list[NewCode], level: Level = Level.PHENOMENON, parent: str | None = None):
        with project.write() as session:
            recorder = ChangeRecorder(session, "bulk", project.coder)
            if parent is not None:
                above = session.exec(select(CodeRow).where(CodeRow.label == parent)).one()
                codes = [NewCode(c.label, parent=above) for c in codes]
            rows = create_codes(session, recorder, level, codes)
            recorder.save()
            return [(r.number, r.label, r.parent_id is not None) for r in rows]

    assert make([NewCode("first"), NewCode("wanted", number=7), NewCode("next")]) == [
        (1, "first", False), (7, "wanted", False), (8, "next", False)]
    assert make([NewCode("gap", number=3)]) == [(3, "gap", False)]  # skipped before, never had by a code
    assert make([NewCode("again", number=1)]) == [(9, "again", False)]  # 1 is taken: the next number
    assert make([NewCode("idea")], Level.CONCEPT) == [(1, "idea", False)]
    before = _tree(project)
    for codes, level, parent, error in (
            ([NewCode("  ")], Level.PHENOMENON, None, GtcodeError),
            ([NewCode("twice"), NewCode("TWICE")], Level.PHENOMENON, None, Conflict),
            ([NewCode("fresh"), NewCode("First")], Level.PHENOMENON, None, Conflict),
            ([NewCode("bad")], Level.CONCEPT, "first", GtcodeError)):  # a concept goes under a category
        with pytest.raises(error):
            make(codes, level, parent)
    assert _tree(project) == before  # a refused batch makes nothing
    assert make([NewCode("under")], Level.PHENOMENON, "idea")[0][2]  # a phenomenon goes under a concept
    assert [c.ref for c in list_codes(project, "phenomenon")][-1] == "a10"


def test_import_keeps_the_file_s_sentences_and_splits_a_changed_text_again(project, exported, tmp_path):
    from gtcode.services.refi_exchange import import_project
    from gtcode.services.sentence_exchange import SENTENCES_NOTE
    from gtcode.text.sentences import split_sentences

    source, path = exported
    with zipfile.ZipFile(path) as archive:
        qde = archive.read("project.qde").decode("utf-8")
    assert SENTENCES_NOTE in qde
    import_project(project, path, mode="new")
    assert _segments(project) == _segments(source)
    from gtcode.services.memos import list_memos

    assert not any(m.text.startswith('{"format"') for m in list_memos(project))  # not a memo

    # the note decides while its digest is the text's (here: one sentence for the whole text) ...
    start = qde.index(SENTENCES_NOTE)
    body = qde.index("<PlainTextContent>", start) + len("<PlainTextContent>")
    end = qde.index("</PlainTextContent>", body)
    data = json.loads(qde[body:end])
    for entry in data["sources"].values():
        entry["spans"] = [0, 9]
    assert _imported(tmp_path, path, qde[:body] + json.dumps(data) + qde[end:], "one")["clinic"] == [(0, 9)]
    # ... and not when the text is another (an edit in another tool) or the spans do not fit: split as usual
    for entry in data["sources"].values():
        entry["digest"] = "0" * 40
    split = [tuple(span) for span in split_sentences(TEXT_EN, "en")]
    assert _imported(tmp_path, path, qde[:body] + json.dumps(data) + qde[end:], "other")["clinic"] == split
    data = json.loads(qde[body:end])
    for entry in data["sources"].values():
        entry["spans"] = [0, 10 ** 6]
    assert _imported(tmp_path, path, qde[:body] + json.dumps(data) + qde[end:], "long")["clinic"] == split


def _imported(tmp_path: Path, path: Path, qde: str, name: str) -> dict[str, list[tuple]]:
    """The sentences of each document after importing ``path`` with its ``project.qde`` replaced."""
    from gtcode.services.refi_exchange import import_project

    changed = tmp_path / f"{name}.qdpx"
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(changed, "w") as new:
        for item in old.infolist():
            new.writestr(item, qde.encode("utf-8") if item.filename == "project.qde" else old.read(item.filename))
    other = init_project(tmp_path / name, coder="carol")
    try:
        import_project(other, changed, mode="new")
        return {title: [(s, e) for s, e, _ in spans] for title, spans in _segments(other).items()}
    finally:
        other.close()


def test_autocode_inserts_in_bulk_as_one_undoable_change(project):
    from gtcode.services.codes import redo, undo
    from gtcode.services.corpus import add_document
    from gtcode.services.search import autocode

    add_document(project, "clinic", TEXT_EN, kind="interview", lang="en")
    add_document(project, "茶叶", TEXT_ZH, kind="interview", lang="zh")
    made = autocode(project, "online OR 网上", "online selling", unit="sentence")
    assert (made.hits, made.made, made.already) == (2, 2, 0)
    ids = _coding_ids(project)
    assert len(ids) == 2
    again = autocode(project, "online OR 网上 OR nurse", "online selling", unit="sentence")
    assert (again.made, again.already) == (1, 2)  # twins left as they are
    undo(project)
    assert _coding_ids(project) == ids
    undo(project)
    assert _coding_ids(project) == []
    redo(project)
    assert _coding_ids(project) == ids  # put back under the same ids


def test_bulk_rows_read_back_as_the_orm_wrote_them(project, exported):
    """Bulk rows go to SQLite's driver as tuples through each column type's own conversion: imported codings read
    back with the times, texts, phases and defaults the source's ORM-made ones have, after undo and redo too."""
    from sqlmodel import select

    from gtcode.services.codes import redo, undo
    from gtcode.services.refi_exchange import import_project
    from gtcode.store.tables import CodingRow

    source, path = exported

    def codings(p):
        with p.read() as session:
            return sorted((r.quote, r.coder, r.created_at, r.phase, r.version, r.end - r.start)
                          for r in session.exec(select(CodingRow)))

    import_project(project, path)
    assert codings(project) == codings(source) and len(codings(source)) == 5
    undo(project)
    assert codings(project) == []
    redo(project)
    assert [c[:4] for c in codings(project)] == [c[:4] for c in codings(source)]


def test_a_bulk_insert_that_breaks_a_rule_fails_as_a_statement_does_and_its_unit_writes_nothing(project):
    """A bulk insert (sqlite3 executemany, PostgreSQL COPY) is refused by the database's constraints and its error
    comes through SQLAlchemy's handling like any statement's (on PostgreSQL a foreign key race is a Conflict);
    the rows the unit inserted before it are rolled back with it."""
    from sqlalchemy.exc import IntegrityError

    from gtcode.services.changes import insert_rows
    from gtcode.services.documents import list_documents
    from gtcode.services.roles import WRITER, use_case
    from gtcode.store.tables import DocumentRow, SegmentRow

    @use_case(WRITER, "import documents")
    def write(document_id=None):
        with project.write() as session:
            (document,) = insert_rows(session, DocumentRow, [dict(
                title="lost", kind="other", lang="en", text="One. Two.", characters=9, sha256="0" * 64,
                encoding="utf-8", source="lost.txt")])
            insert_rows(session, SegmentRow, [dict(document_id=document_id or document["id"], idx=0, start=0, end=4)])
            return document["id"]

    with pytest.raises(Conflict if project.engine.dialect.name == "postgresql" else IntegrityError):
        write(document_id=10_000)
    assert list_documents(project) == []
    kept = write()
    assert [(d.id, d.title, d.segments) for d in list_documents(project)] == [(kept, "lost", 1)]


def _autocoded(project) -> list[int]:
    """Three codings made by one auto-coding of a code there already: one change holding just them, as a block
    inserted in bulk (after the coding that made the code)."""
    from gtcode.services.coding import code_span
    from gtcode.services.corpus import add_document
    from gtcode.services.search import autocode

    doc = add_document(project, "clinic", TEXT_EN, kind="interview", lang="en").document.id
    start = TEXT_EN.index("Dr. Wang")
    first = code_span(project, doc, start, start + 8, "access").id
    assert autocode(project, "online OR nurse OR farmers", "access", unit="sentence").made == 3
    ids = _coding_ids(project)
    assert ids[0] == first and len(ids) == 4
    return ids[1:]


@pytest.mark.parametrize("how", ["edited", "deleted"])
def test_undo_of_a_bulk_block_stops_when_one_of_its_rows_changed_outside_the_log(project, how):
    from gtcode.services.codes import undo
    from gtcode.store.tables import CodingRow
    from tests.conftest import raw_write

    ids = _autocoded(project)
    with raw_write(project) as session:
        row = session.get(CodingRow, ids[1])
        if how == "edited":
            row.quote = "changed by hand"
        else:
            session.delete(row)
    with pytest.raises(Conflict, match=f"coding {ids[1]} was changed since"):
        undo(project)
    assert _coding_ids(project)[1:] == (ids if how == "edited" else [ids[0], ids[2]])  # nothing undone


def test_undo_deletes_a_block_whose_ids_are_not_one_run_by_their_ids(project):
    """A block's rows are deleted by their ids: when they are not one run (here the log's block lost its middle
    row), the rows between stay."""
    from sqlmodel import select

    from gtcode.services.codes import undo
    from gtcode.store.tables import ChangeRow
    from tests.conftest import raw_write

    ids = _autocoded(project)
    with raw_write(project) as session:
        change = session.exec(select(ChangeRow).order_by(ChangeRow.id.desc()).limit(1)).one()
        rows = [dict(entry) for entry in change.rows]
        (block,) = [entry for entry in rows if "inserted" in entry and entry["table"] == "coding"]
        key = block["columns"].index("id")
        block["inserted"] = [values for values in block["inserted"] if values[key] != ids[1]]
        change.rows = rows
    undo(project)
    assert _coding_ids(project)[1:] == [ids[1]]


@pytest.mark.parametrize("how", ["id taken", "twin made"])
def test_redo_of_a_bulk_block_stops_when_a_row_made_since_takes_its_place(project, how):
    """Redo puts a block back in bulk: a row made since under one of its ids, or the same coding under another id,
    stops the redo with nothing redone (and it can be redone once that row is gone)."""
    from sqlmodel import select

    from gtcode.services.codes import redo, undo
    from gtcode.store.tables import ChangeRow, CodingRow
    from tests.conftest import raw_write

    ids = _autocoded(project)
    undo(project)
    with project.read() as session:
        (block,) = [entry for entry in session.exec(select(ChangeRow).order_by(ChangeRow.id.desc())).first().rows
                    if "inserted" in entry]
        values = dict(zip(block["columns"], block["inserted"][1]))
    with raw_write(project) as session:  # the middle row again, under its own id or as a twin under a new one
        session.add(CodingRow(**{k: v for k, v in values.items() if k != "created_at" and (k != "id" or how == "id taken")}))
    taken = _coding_ids(project)[-1]
    message = f"coding {ids[1]} was changed since" if how == "id taken" else f"coding {ids[0]}-{ids[-1]} cannot come back"
    with pytest.raises(Conflict, match=message):
        redo(project)
    assert _coding_ids(project) == [_coding_ids(project)[0], taken]  # nothing redone
    with raw_write(project) as session:
        session.delete(session.get(CodingRow, taken))
    redo(project)
    assert _coding_ids(project)[1:] == ids


def test_redo_of_a_bulk_block_keeps_the_hold_out_rule(project):
    """Codings a block puts back land on their documents: one held out since refuses the whole redo."""
    from sqlalchemy import func
    from sqlmodel import select

    from gtcode.services.codes import redo, undo
    from gtcode.services.corpus import add_document
    from gtcode.services.errors import Forbidden
    from gtcode.store.tables import CodingRow, DocumentRow
    from tests.conftest import raw_write

    _autocoded(project)
    undo(project)
    add_document(project, "茶叶", TEXT_ZH, kind="interview", lang="zh")
    with raw_write(project) as session:  # held out since (its coding before the auto-coding notwithstanding)
        session.get(DocumentRow, 1).split = "holdout"
    with pytest.raises(Forbidden, match="^document 1 is in the hold-out"):
        redo(project)
    with project.read() as session:  # the coding made before the auto-coding, and none of the block
        assert session.exec(select(func.count()).select_from(CodingRow)).one() == 1
