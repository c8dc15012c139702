"""Exchange services: model apply (new/merge), codebooks, REFI-QDA projects, matrices, Table 2 rows."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from gtcode.domain.levels import Level
from gtcode.domain.model import CodeSpec, ModelSnapshot, RelationshipSpec
from gtcode.exchange.model_yaml import dump_model, load_model
from gtcode.services.errors import GtcodeError
from gtcode.services.model_apply import apply_snapshot
from gtcode.services.model_snapshot import snapshot
from gtcode.services.project import init_project
from tests.conftest import raw_write, shared_path

REPO = Path(__file__).resolve().parents[2]
SPR = REPO / "codebooks" / "spr-sharing.yaml"
ASTRAL_TEXT = "Villagers said 😀 the platform helps.\n\n𠀀 extension B: 数字共享 shares resources 🎉 widely."


def _state(project) -> tuple:
    """Everything an import could change, for before/after comparison."""
    from gtcode.services.documents import list_documents
    from gtcode.services.memos import list_memos

    codes = dump_model(snapshot(project))
    docs = [(d.title, d.characters, d.attributes) for d in list_documents(project)]
    memos = sorted((m.target_kind, m.text) for m in list_memos(project))
    return codes, docs, memos


def _coded_project(project):
    """Some documents with astral text, attributes, codings and memos over the SPR model."""
    from gtcode.services.coding import code_span
    from gtcode.services.corpus import add_document
    from gtcode.services.memos import write_memo

    apply_snapshot(project, load_model(SPR.read_text(encoding="utf-8")))
    add_document(project, "interview 1", ASTRAL_TEXT, kind="interview", lang="en", attributes={"age": 41, "town": "Wulong"})
    add_document(project, "policy 2", "Information-driven sharing among regions and levels.", kind="policy", lang="en")
    for doc, phrase, code in ((1, "😀 the platform", "a1"), (1, "𠀀 extension B", "a2"), (1, "数字共享", "a3"),
                              (1, "resources 🎉", "a3"), (2, "Information-driven", "a1")):
        text = ASTRAL_TEXT if doc == 1 else "Information-driven sharing among regions and levels."
        start = text.index(phrase)
        coding = code_span(project, doc, start, start + len(phrase), code)
    write_memo(project, f"coding:{coding.id}", "the policy names it outright 🎯")
    write_memo(project, "doc:1", "interviewed in the village hall")
    write_memo(project, "project", "pilot study")
    return project


def _codings(project) -> list[tuple]:
    from gtcode.services.coding import document_codings
    from gtcode.services.documents import list_documents

    return sorted((c.document_title, c.code_ref, c.start, c.end, c.quote, c.memo)
                  for d in list_documents(project) for c in document_codings(project, d.id))


# --- model apply ------------------------------------------------------------------------------


def test_yaml_model_round_trips_through_a_new_project(project, tmp_path):
    text = SPR.read_text(encoding="utf-8")
    report = apply_snapshot(project, load_model(text))
    assert report.conflicts == ()
    assert dump_model(snapshot(project)) == text
    second = init_project(tmp_path / "second", coder="bob")
    try:
        apply_snapshot(second, load_model(dump_model(snapshot(project))))
        assert dump_model(snapshot(second)) == text
    finally:
        second.close()


def test_merge_reports_conflicts_and_keeps_the_project(sqlite_project):
    model = load_model(SPR.read_text(encoding="utf-8"))
    apply_snapshot(sqlite_project, model)
    before = dump_model(snapshot(sqlite_project))
    codes = list(model.codes)
    core = next(i for i, c in enumerate(codes) if c.ref == "C1")
    codes[core] = replace(codes[core], definition="a different definition")
    a1 = next(i for i, c in enumerate(codes) if c.ref == "a1")
    codes[a1] = replace(codes[a1], parent="aa2")  # same label, other parent
    a2 = next(i for i, c in enumerate(codes) if c.ref == "a2")
    codes[a2] = replace(codes[a2], label="Something else")  # same ref, other label
    changed = replace(model, codes=tuple(codes), storyline="Another story.")
    report = apply_snapshot(sqlite_project, changed, "merge")
    messages = " | ".join(report.conflicts)
    assert "under aa1 here, not under aa2" in messages
    assert "a2 is 'Regional data sharing' here, not 'Something else'" in messages
    assert "another definition" in messages and "story line has another memo" in messages
    assert dump_model(snapshot(sqlite_project)) == before


def test_merge_adds_missing_codes_with_free_refs_and_renumbers_taken_ones(sqlite_project):
    apply_snapshot(sqlite_project, ModelSnapshot(codes=(CodeSpec("aa1", Level.CONCEPT, "Sharing"),)))
    incoming = ModelSnapshot(codes=(
        CodeSpec("aa1", Level.CONCEPT, "Sharing"),
        CodeSpec("a1", Level.PHENOMENON, "Regional sharing", parent="aa1"),
        CodeSpec("a2", Level.PHENOMENON, "Local sharing", parent="aa1"),
    ))
    report = apply_snapshot(sqlite_project, incoming, "merge")
    assert report.created == ("a1", "a2") and report.matched == ("aa1",) and report.conflicts == ()
    codes = {c.ref: c for c in snapshot(sqlite_project).codes}
    assert codes["a1"].parent == "aa1" and codes["a2"].label == "Local sharing"


def test_dry_run_and_rejected_import_change_nothing(project):
    apply_snapshot(project, load_model(SPR.read_text(encoding="utf-8")))
    before = _state(project)
    extra = ModelSnapshot(codes=(CodeSpec("a99", Level.PHENOMENON, "New one"),))
    assert apply_snapshot(project, extra, "merge", dry_run=True).created == ("a99",)
    assert _state(project) == before
    broken = ModelSnapshot(codes=(CodeSpec("a98", Level.PHENOMENON, "Fine"), CodeSpec("aa97", Level.CONCEPT, "Also")),
                           relationships=(RelationshipSpec("R40", "a98", "undefinedtype", "aa97"),))
    with pytest.raises(GtcodeError, match="undefinedtype"):
        apply_snapshot(project, broken, "merge")
    assert _state(project) == before
    with pytest.raises(GtcodeError, match="has codes already"):
        apply_snapshot(project, extra, "new")


# --- codebooks ---------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".yaml", ".qdc"])
def test_codebook_export_init_from_and_merge_back(sqlite_project, tmp_path, suffix):
    from gtcode.services.codebook_exchange import export_codebook, import_codebook, init_from

    apply_snapshot(sqlite_project, load_model(SPR.read_text(encoding="utf-8")))
    path = export_codebook(sqlite_project, tmp_path / f"book{suffix}")
    started, _ = init_from(tmp_path / "from", path)
    try:
        theirs = {(c.ref, c.level, c.label, c.parent, c.definition) for c in snapshot(started).codes}
        ours = {(c.ref, c.level, c.label, c.parent, c.definition) for c in snapshot(sqlite_project).codes}
        assert theirs == ours
        if suffix == ".yaml":
            assert dump_model(snapshot(started)) == SPR.read_text(encoding="utf-8")
    finally:
        started.close()
    result = import_codebook(sqlite_project, path)
    assert result.report.created == () and result.report.conflicts == ()


def test_qdc_samples_import_with_warnings_not_crashes(tmp_path):
    from gtcode.services.codebook_exchange import init_from

    samples = sorted(shared_path("refi-qda", "samples").glob("*.qdc"))
    assert samples
    for index, sample in enumerate(samples):
        project, result = init_from(tmp_path / f"p{index}", sample)
        try:
            assert result.report.created, sample.name
            if "ns-0-4" in sample.name or "taguette" in sample.name:
                assert result.warnings, sample.name
        finally:
            project.close()


# --- REFI-QDA projects --------------------------------------------------------------------------


def _validate(path: Path) -> None:
    xmlschema = pytest.importorskip("xmlschema")
    schema = xmlschema.XMLSchema(str(shared_path("refi-qda", "Project.xsd")))
    with zipfile.ZipFile(path) as archive:
        schema.validate(archive.read("project.qde").decode("utf-8"))


def _independent_spans(path: Path, tmp_path: Path) -> list[str]:
    pyrefiqda = pytest.importorskip("pyrefiqda")
    loaded = pyrefiqda.RefiProject.load(path, extract_dir=str(tmp_path / "x"))
    quotes = []
    for source in loaded.sources.text_source:
        text = pyrefiqda.RefiProject.resolve_source_path(source.plain_text_path, tmp_path / "x").read_bytes().decode("utf-8")
        quotes += [text[s.start_position:s.end_position] for s in source.plain_text_selection]
    return quotes


def test_qdpx_round_trip_keeps_codes_codings_memos_attributes(project, tmp_path):
    from gtcode.services.documents import list_documents
    from gtcode.services.refi_exchange import export_project, import_project

    _coded_project(project)
    first = tmp_path / "first.qdpx"
    summary = export_project(project, first)
    assert summary.selections == 5
    _validate(first)
    assert sorted(_independent_spans(first, tmp_path)) == sorted(c[4] for c in _codings(project))
    copy = init_project(tmp_path / "copy", coder="carol")
    try:
        report = import_project(copy, first, mode="new")
        assert report.codings == 5 and report.model.conflicts == ()
        assert _codings(copy) == _codings(project)
        assert _state(copy) == _state(project)
        assert [(d.kind, d.lang) for d in list_documents(copy)] == [(d.kind, d.lang) for d in list_documents(project)]
        second = tmp_path / "second.qdpx"
        export_project(copy, second)
        _validate(second)
        assert sorted(_independent_spans(second, tmp_path / "2")) == sorted(c[4] for c in _codings(project))
    finally:
        copy.close()


def test_qdpx_import_keeps_each_coders_coding_of_a_span_and_skips_only_true_twins(project, tmp_path):
    from gtcode.services.coding import code_span, document_codings
    from gtcode.services.corpus import add_document
    from gtcode.services.refi_exchange import export_project, import_project

    text = "村里的学生可以上城里老师的直播课。The clinic lends tablets."
    doc = add_document(project, "two coders", text, kind="interview").document
    for coder in ("alice", "bo"):
        for phrase in ("直播课", "lends tablets"):
            start = text.index(phrase)
            code_span(project, doc.id, start, start + len(phrase), phrase, coder=coder)
    path = tmp_path / "two.qdpx"
    export_project(project, path)
    copy = init_project(tmp_path / "copy", coder="carol")
    try:
        first = import_project(copy, path, mode="new")
        assert first.codings == 4
        assert sorted((c.coder, c.quote) for c in document_codings(copy, 1)) == sorted(
            (c.coder, c.quote) for c in document_codings(project, doc.id))
        again = import_project(copy, path)
        assert again.codings == 0 and len(document_codings(copy, 1)) == 4
        assert any("4 codings already there (same span, code and coder)" in w for w in again.warnings)
    finally:
        copy.close()


def test_every_sample_project_imports(tmp_path):
    from gtcode.services.refi_exchange import import_project

    samples = sorted(shared_path("refi-qda", "samples").glob("*.qdpx"))
    assert samples
    for index, sample in enumerate(samples):
        target = init_project(tmp_path / f"p{index}", coder="me")
        try:
            report = import_project(target, sample)
            assert report.model.created, sample.name
        finally:
            target.close()


@pytest.mark.parametrize("content", [b"not a zip", b"PK\x03\x04broken"])
def test_broken_qdpx_is_one_line_and_changes_nothing(sqlite_project, tmp_path, content):
    from gtcode.services.refi_exchange import import_project

    _coded_project(sqlite_project)
    before = _state(sqlite_project)
    bad = tmp_path / "bad.qdpx"
    bad.write_bytes(content)
    with pytest.raises(GtcodeError) as error:
        import_project(sqlite_project, bad)
    assert "bad.qdpx" in str(error.value) and "\n" not in str(error.value)
    assert _state(sqlite_project) == before


def test_qdpx_broken_after_its_first_source_is_one_line_and_changes_nothing(project, tmp_path):
    """The reader streams the file: a break found after a source was read still leaves the project untouched."""
    from sqlmodel import func, select

    from gtcode.services.refi_exchange import export_project, import_project
    from gtcode.store.tables import ChangeRow, CodeRow, CodingRow, DocumentRow

    source = init_project(tmp_path / "source", coder="carol")
    try:
        export_project(_coded_project(source), tmp_path / "whole.qdpx")
    finally:
        source.close()
    bad = tmp_path / "cut.qdpx"
    with zipfile.ZipFile(tmp_path / "whole.qdpx") as whole, zipfile.ZipFile(bad, "w") as out:
        for info in whole.infolist():
            data = whole.read(info)
            if info.filename == "project.qde":
                data = data[:data.index(b"</TextSource>") + len(b"</TextSource>")] + b"<TextSource guid="
            out.writestr(info.filename, data)
    before = _state(project)
    with pytest.raises(GtcodeError) as error:
        import_project(project, bad)
    assert str(error.value).startswith(f"{bad} (project.qde): malformed XML") and "\n" not in str(error.value)
    assert _state(project) == before
    with project.read() as session:
        assert [session.exec(select(func.count()).select_from(row)).one()
                for row in (DocumentRow, CodeRow, CodingRow, ChangeRow)] == [0, 0, 0, 0]


def test_qdpx_with_dangling_code_ref_is_rejected_whole(sqlite_project, tmp_path):
    """A file that reads but cannot be applied (a label clash in new mode is fine; a bad model note is not fatal)."""
    from gtcode.services.refi_exchange import export_project, import_project

    _coded_project(sqlite_project)
    out = tmp_path / "p.qdpx"
    export_project(sqlite_project, out)
    before = _state(sqlite_project)
    report = import_project(sqlite_project, out)  # merging a project into itself adds nothing
    assert report.codings == 0 and report.documents == 0 and report.model.created == ()
    assert _state(sqlite_project) == before


# --- analysis and Table 2 ----------------------------------------------------------------------


def test_matrices_roll_codings_up_and_leave_out_the_holdout(sqlite_project):
    from gtcode.services.analysis import code_document_matrix, cooccurrence_matrix
    from gtcode.services.project import project_row
    from gtcode.store.tables import DocumentRow

    _coded_project(sqlite_project)
    phen = code_document_matrix(sqlite_project)
    assert phen.loc["a1 Information driven", "interview 1"] == 1
    assert phen.loc["a3 Hierarchical data sharing", "interview 1"] == 2
    concept = code_document_matrix(sqlite_project, "concept")
    assert concept.loc["aa2 Data sharing", "interview 1"] == 3
    co = cooccurrence_matrix(sqlite_project, "phenomenon")
    assert co.loc["a2 Regional data sharing", "a3 Hierarchical data sharing"] == 1  # same sentence
    assert co.loc["a1 Information driven", "a2 Regional data sharing"] == 0
    assert co.loc["a3 Hierarchical data sharing", "a3 Hierarchical data sharing"] == 1
    with raw_write(sqlite_project) as session:
        session.get(DocumentRow, 2).split = "holdout"
    assert list(code_document_matrix(sqlite_project).columns) == ["interview 1"]
    with raw_write(sqlite_project) as session:
        project_row(session).phase = "saturation"
    assert list(code_document_matrix(sqlite_project).columns) == ["interview 1", "policy 2"]


def test_qdpx_import_is_one_undoable_change_that_redo_puts_back_under_the_same_ids(project, tmp_path):
    from gtcode.services.codes import redo, undo
    from gtcode.services.refi_exchange import export_project, import_project

    _coded_project(project)
    path = tmp_path / "coded.qdpx"
    export_project(project, path)
    copy = init_project(tmp_path / "copy", coder="carol")
    try:
        import_project(copy, path, mode="new")
        imported = _coded_ids(copy)
        assert len(imported) == 5
        assert "import coded.qdpx" in undo(copy)
        assert _coded_ids(copy) == []
        redo(copy)
        assert _coded_ids(copy) == [(*row[:-1], row[-1] + 1) for row in imported]  # put back: one version more
        assert _codings(copy) == _codings(project)
    finally:
        copy.close()


def _coded_ids(project) -> list[tuple]:
    from gtcode.services.coding import document_codings
    from gtcode.services.documents import list_documents

    return sorted((c.id, c.code_ref, c.start, c.end, c.coder, c.version)
                  for d in list_documents(project) for c in document_codings(project, d.id))
