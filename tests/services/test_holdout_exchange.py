"""The hold-out through a .qdpx file: a released project restores exactly; a set named like ours is just a set."""

from __future__ import annotations

import uuid

import pytest
from sqlmodel import select

from gtcode.domain.levels import Level
from gtcode.exchange.refi import RefiSet, read_qdpx, write_qdpx
from gtcode.services.codebook_exchange import init_from
from gtcode.services.project import init_project
from gtcode.services.holdout_exchange import HOLDOUT_NOTE
from gtcode.services.saturation import model_changes
from gtcode.services.refi_exchange import HOLDOUT_SET, export_project, import_project
from gtcode.store.tables import AttributeRow, CodeRow, CodingRow, DocumentRow, HoldoutRow, ProjectRow
from tests.conftest import backends, copy_project, database


@pytest.fixture(scope="module")
def demo_file(demo_built, tmp_path_factory):
    """The demo project (released, coded in both phases) and its .qdpx export."""
    folder = tmp_path_factory.mktemp("demo")
    project = copy_project(demo_built[0], folder / "demo")
    path = folder / "demo.qdpx"
    export_project(project, path)
    yield project, path
    project.close()


def _state(project) -> dict:
    """Everything the hold-out and its test depend on, named by content rather than by database ids."""
    with project.read() as session:
        prefixes = project.prefixes
        docs = {d.id: d for d in session.exec(select(DocumentRow)).all()}
        codes = {c.id: c for c in session.exec(select(CodeRow)).all()}

        def ref(code_id: int) -> str:
            return prefixes.ref(Level(codes[code_id].level), codes[code_id].number)

        holdout = session.exec(select(HoldoutRow)).one()
        snapshot = dict(holdout.snapshot)
        snapshot["codes"] = sorted((c["ref"], c["level"], c["label"], c["parent_ref"], ref(c["id"]) if c["id"] else None)
                                   for c in snapshot["codes"])
        return {
            "phase": session.exec(select(ProjectRow.phase)).one(),
            "documents": sorted((d.title, d.kind, d.lang, d.sha256, d.split) for d in docs.values()),
            "attributes": sorted((docs[a.document_id].sha256, a.name, a.value)
                                 for a in session.exec(select(AttributeRow)).all()),
            "codes": sorted((ref(c.id), c.label, c.phase) for c in codes.values()),
            "codings": sorted((docs[c.document_id].sha256, ref(c.code_id), c.start, c.end, c.coder, c.phase)
                              for c in session.exec(select(CodingRow)).all()),
            "holdout": (holdout.fraction, holdout.seed, holdout.method, holdout.created_at, holdout.released_at,
                        holdout.release_memo, sorted(docs[d].sha256 for d in holdout.documents)),
            "snapshot": snapshot,
        }


def _selections(refi) -> list[tuple]:
    return sorted((source.name, sel.start, sel.end) for source in refi.sources for sel in source.selections)


@pytest.mark.parametrize("backend", backends())
def test_a_released_project_restores_exactly_from_its_qdpx(demo_file, backend, tmp_path):
    original, path = demo_file
    expected = _state(original)
    assert expected["phase"] == "saturation" and any(c[-1] == "saturation" for c in expected["codings"])
    with database(backend) as url:
        copy, report = init_from(tmp_path / "copy", path, db_url=url, coder="carol")
        try:
            assert not [w for w in report.warnings if "hold-out" in w]
            assert _state(copy) == expected
            assert [c.text for c in model_changes(copy).changes] == [c.text for c in model_changes(original).changes]
            again = tmp_path / "again.qdpx"
            summary = export_project(copy, again)
            first, second = read_qdpx(path), read_qdpx(again)
            assert summary.sources == len(first.sources) == 30
            assert _selections(second) == _selections(first)
            assert [n.name for n in second.notes if n.name == HOLDOUT_NOTE] == [HOLDOUT_NOTE]
        finally:
            copy.close()


def test_a_project_exported_while_blinded_says_it_cannot_restore_its_holdout(tmp_path):
    from gtcode.services.corpus import add_document
    from gtcode.services.holdout import split_holdout

    project = init_project(tmp_path / "p", coder="alice")
    try:
        for n, text in enumerate(("我的邻居帮我修车。", "The clinic lends tablets.", "村里有了直播课。")):
            add_document(project, f"doc {n}", text, kind="interview")
        split_holdout(project, documents=["3"])
        summary = export_project(project, tmp_path / "blinded.qdpx")
        assert summary.sources == 2
        assert any("1 hold-out documents left out while blinded" in w for w in summary.warnings)
        copy, report = init_from(tmp_path / "copy", tmp_path / "blinded.qdpx", coder="alice")
        try:
            assert any("hold-out not restored: the file lacks 1 of its hold-out documents" in w for w in report.warnings)
            with copy.read() as session:
                assert session.exec(select(HoldoutRow)).first() is None
                assert session.exec(select(ProjectRow.phase)).one() == "building"
                assert set(session.exec(select(DocumentRow.split)).all()) == {"build"}
        finally:
            copy.close()
    finally:
        project.close()


@pytest.mark.parametrize("backend", backends())
def test_a_set_merely_named_like_ours_is_an_ordinary_set(backend, tmp_path):
    from gtcode.exchange.refi import RefiProject, RefiSource
    from gtcode.services.documents import list_documents

    one, two, set_one, set_two = (str(uuid.uuid4()) for _ in range(4))
    sources = (RefiSource(one, "Interview 1", "我们村的合作社把农具共享给大家。"),
               RefiSource(two, "Interview 2", "The co-op shares its tractor."))
    foreign = RefiProject(name="foreign", sources=sources,
                          sets=(RefiSet(set_one, HOLDOUT_SET, source_guids=(two,)),
                                RefiSet(set_two, "第一批", source_guids=(one, two))))
    path = tmp_path / "foreign.qdpx"
    write_qdpx(foreign, path)
    with database(backend) as url:
        project = init_project(tmp_path / "p", coder="alice", db_url=url)
        try:
            report = import_project(project, path)
            docs = list_documents(project)
            assert [d.split for d in docs] == ["build", "build"]
            assert project.info().phase == "building"
            assert docs[1].attributes == {f"set: {HOLDOUT_SET}": "yes", "set: 第一批": "yes"}
            assert docs[0].attributes == {"set: 第一批": "yes"}
            assert any("set '第一批' kept as the attribute" in w for w in report.warnings)
        finally:
            project.close()


def test_only_an_owner_restores_a_holdout_and_never_into_a_project_with_documents(demo_file, tmp_path):
    from gtcode.services.corpus import add_document
    from gtcode.services.team import add_coder

    _, path = demo_file
    owned = init_project(tmp_path / "owned", coder="alice")
    try:
        add_document(owned, "mine", "A document of this project's own.", kind="interview")
        report = import_project(owned, path)
        assert any("hold-out not restored: this project has documents of its own" in w for w in report.warnings)
        with owned.read() as session:
            assert session.exec(select(HoldoutRow)).first() is None
            assert set(session.exec(select(DocumentRow.split)).all()) == {"build"}
            assert set(session.exec(select(CodingRow.phase)).all()) == {"building"}
    finally:
        owned.close()
    empty = init_project(tmp_path / "empty", coder="alice")
    try:
        add_coder(empty, "bob", "coder")
        empty.coder = "bob"
        report = import_project(empty, path)
        assert any("hold-out not restored: only an owner restores a hold-out;" in w for w in report.warnings)
        assert empty.info().phase == "building"
    finally:
        empty.close()
