"""The rules, generated from the services themselves: every registered write use case is refused to a viewer
(and every owner-only one to a coder) with nothing changed, and every read function shows nothing of a blinded
hold-out document or of another coder's blind codings. A new use case or read joins these tests by itself."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlmodel import SQLModel

import gtcode.services
from gtcode.cli.output import plain
from gtcode.services.errors import Forbidden, GtcodeError
from gtcode.services.project import Project, init_project, open_project
from gtcode.services.roles import USE_CASES, Role
from tests.conftest import backends, database

MODULES = [importlib.import_module(f"gtcode.services.{m.name}") for m in pkgutil.iter_modules(gtcode.services.__path__)]
WRITES = sorted(USE_CASES.values(), key=lambda case: case.name)
OWNER_ONLY = [case for case in WRITES if Role.CODER not in case.requires]
READS = sorted(
    (f"{module.__name__.rsplit('.', 1)[-1]}.{name}", function) for module in MODULES
    for name, function in vars(module).items()
    if inspect.isfunction(function) and function.__module__ == module.__name__ and not name.startswith("_")
    and not hasattr(function, "use_case") and next(iter(inspect.signature(function).parameters), "") == "project"
)

BUILD = "The clinic opened on Mondays. Patients came from three villages. Nurses stayed late."
HIDDEN_TITLE, HIDDEN_FILE, HIDDEN_VALUE = "Respondent OSPREY", "osprey-secret.txt", "KESTREL"
HIDDEN = "Respondent: the ZEBRAQUARTZ clinic lends tablets to every village."
BLIND = "Ward rounds start at eight. The night nurse hands over. Families wait in the corridor."
SECRETS = ("ZEBRAQUARTZ", "OSPREY", "osprey-secret", HIDDEN_VALUE, "GANNET")  # GANNET: carol's memo on her blind coding


def span(text: str, quote: str) -> tuple[int, int]:
    start = text.index(quote)
    return start, start + len(quote)


class World:
    """One project with every kind of thing a use case can act on, a blinded hold-out document (2) and a
    document (3) that bob and carol code blind; shared by the tests of a module, since refusals change nothing."""

    def __init__(self, folder: Path, db_url: str | None) -> None:
        from gtcode.services import codes, selective, team
        from gtcode.services.codebook_exchange import export_codebook
        from gtcode.services.coding import code_span
        from gtcode.services.corpus import add_document
        from gtcode.services.disagreements import disagreements
        from gtcode.services.holdout import split_holdout
        from gtcode.services.memos import write_memo
        from gtcode.services.model_snapshot import snapshot
        from gtcode.services.refi_exchange import build_refi_project, export_project

        self.folder = folder
        owner = self.owner = init_project(folder / "proj", name="rules", db_url=db_url, coder="alice")
        self.build = add_document(owner, "Clinic notes", BUILD, kind="interview").document.id
        self.hidden = add_document(owner, HIDDEN_TITLE, HIDDEN, kind="interview", source=HIDDEN_FILE,
                                   attributes={"village": HIDDEN_VALUE}).document.id
        self.blind = add_document(owner, "Ward rounds", BLIND, kind="interview").document.id
        for name, role in (("bob", "coder"), ("carol", "coder"), ("vic", "viewer")):
            team.add_coder(owner, name, role=role)
        self.as_ = {name: open_project(owner.directory, coder=name) for name in ("bob", "carol", "vic")}
        code_span(owner, self.build, *span(BUILD, "clinic opened"), "Opening")
        self.bob_coding = code_span(self.as_["bob"], self.build, *span(BUILD, "clinic opened on Mondays"), "Opening").id
        code_span(self.as_["bob"], self.build, *span(BUILD, "three villages"), "Catchment")
        codes.group(owner, "concept", "Access", ["a1", "a2"])
        codes.group(owner, "category", "Reach", ["aa1"])
        codes.group(owner, "main", "Service", ["A1"])
        selective.set_core(owner, "Care close to home", storyline="The clinic comes to the villages.")
        selective.set_outcome(owner, "Shared care")
        selective.relate(owner, "M1", "causal", "O1")
        self.memo = write_memo(owner, "project", "An overview").id
        team.assign(owner, [self.blind], ["bob", "carol"])
        code_span(self.as_["carol"], self.blind, *span(BLIND, "night nurse"), "Handover", memo="GANNET memo")
        code_span(self.as_["bob"], self.blind, *span(BLIND, "Ward rounds"), "Routine")
        split_holdout(owner, documents=[str(self.hidden)])
        team.assign(owner, [self.build], ["alice", "bob"], blind=False)  # the material the two code twice
        self.disagreement = disagreements(owner, "alice", "bob")[0]
        self.snapshot = snapshot(owner)
        self.refi = build_refi_project(owner)
        self.codebook = export_codebook(owner, folder / "codebook.yaml")
        self.qdpx = folder / "project.qdpx"
        export_project(owner, self.qdpx)
        self.corpus = folder / "new.txt"
        self.corpus.write_text("A new interview about buses.", encoding="utf-8")

    def arguments(self, name: str, function, document: int | None = None, out: Path | None = None) -> dict:
        """Keyword arguments for a service function, by parameter name: required ones, and optional ones a
        call needs to get past its own checks."""
        values = {
            "document_ref": document or self.build, "ref": "a1", "start": 0, "end": 5, "label": "Fresh label",
            "memo": "a note", "coding_id": self.bob_coding, "level": "concept", "members": ["a1"],
            "parent_ref": "none", "into_ref": "a2", "items": [str(self.bob_coding)], "target": "project",
            "text": "Some text", "main": "M1", "slot": "causal", "snapshot": self.snapshot, "mode": "merge",
            "paths": [str(self.corpus)], "title": "New document", "item": self.disagreement, "keep": "first",
            "documents": [str(self.build)], "refi": self.refi, "path": str(out / "out.file") if out else "in.qdpx",
            "name": "Someone", "description": "A type", "source": "M1", "type_name": "causal", "role": "coder",
            "coders": ["bob", "carol"], "kind": "code-doc", "span_text": "clinic", "lang": "en",
            "coding_or_text": "clinic", "first": "bob", "second": "carol", "query": "clinic", "expression": "a1 OR a2",
            "row_ref": "a1", "column": "1 Clinic notes", "memo_id": self.memo, "targets": ["a1"],
            "code_ref": "A1", "value_range": "low,high", "value": "low",
            "ids": list(range(1, 40)),  # every coding there is, carol's blind ones included
            "numbers": [1],  # search.numbered_hits: the first hit
            "code_ids": list(range(1, 40)),  # codes.coding_counts: every code there is
        }
        values |= {"selective.annotate": {"ref": "R1"}, "selective.unrelate": {"ref": "R1"},
                   "axial.slot_evidence": {"supporting": [str(self.bob_coding)]},
                   "codebook_exchange.import_codebook": {"path": str(self.codebook)},
                   "refi_exchange.import_project": {"path": str(self.qdpx)}, "corpus.import_paths": {"kind": None},
                   "documents.set_document_kind": {"kind": "policy"},
                   "documents.set_document_attributes": {"values": {"village": "east"}},
                   "codebook_exchange.export_codebook": {"path": str(out / "codebook.yaml") if out else ""},
                   "open_coding_table.export_open_coding": {"fmt": "csv",
                                                            "path": str(out / "open-coding.csv") if out else ""},
                   "exports.run_export": {"name": "project", "fmt": "qdpx",
                                          "path": str(out / "project.qdpx") if out else ""}}.get(name, {})
        parameters = list(inspect.signature(function).parameters.values())[1:]
        missing = [p.name for p in parameters if p.default is inspect.Parameter.empty and p.name not in values]
        assert not missing, f"{name}: give the test a value for {missing} in World.arguments"
        return {p.name: values[p.name] for p in parameters if p.name in values}

    def fingerprint(self) -> dict[str, list]:
        """Every row of every table."""
        with self.owner.read() as session:
            return {table.name: [tuple(row) for row in session.execute(
                select(table).order_by(*table.primary_key.columns)).all()]
                for table in SQLModel.metadata.sorted_tables}

    def close(self) -> None:
        for handle in (self.owner, *self.as_.values()):
            handle.close()


@pytest.fixture(scope="module", params=backends())
def world(request, tmp_path_factory):
    with database(request.param) as url:
        built = World(tmp_path_factory.mktemp("rules"), url)
        yield built
        built.close()


def call(world: World, project: Project, name: str, function, **where):
    return function(project, **world.arguments(name, function, **where))


REFUSALS = [(case, "vic", f"is a viewer and cannot {case.action}: ") for case in WRITES]  # viewers: every write
REFUSALS += [(case, "bob", f"is a coder; only an owner can {case.action}: ") for case in OWNER_ONLY]  # coders: owners'


@pytest.mark.parametrize(("case", "who", "refusal"), REFUSALS, ids=[f"{who}-{c.name}" for c, who, _r in REFUSALS])
def test_a_write_beyond_the_coders_role_is_refused_and_changes_nothing(world, case, who, refusal):
    before = world.fingerprint()
    with pytest.raises(Forbidden, match=f"^coder '{who}' {refusal}"):
        call(world, world.as_[who], case.name, case.run)
    assert world.fingerprint() == before


def test_the_owner_only_use_cases_are_the_method_and_team_decisions():
    assert {case.name for case in OWNER_ONLY} >= {
        "holdout.split_holdout", "holdout.release_holdout", "team.add_coder", "team.assign", "team.end_blinding",
        "disagreements.resolve"}


def test_writes_open_only_inside_a_use_case(world):
    with pytest.raises(RuntimeError, match="outside a use case"):
        with world.owner.write():
            pass


def test_a_use_case_run_inside_another_meets_both(world):
    from gtcode.services.roles import WRITER, use_case

    @use_case(WRITER, "write")
    def inner(project):
        with project.write():
            return "written"

    @use_case(Role.OWNER, "do what owners do")
    def outer(project):
        return inner(project)

    try:
        assert inner(world.as_["bob"]) == "written"
        with pytest.raises(Forbidden, match="only an owner can do what owners do"):
            outer(world.as_["bob"])
        assert outer(world.owner) == "written"
    finally:
        for case in (inner.use_case, outer.use_case):
            USE_CASES.pop(case.name)


def leaks(world: World, data: object, reader: str) -> list[str]:
    """What of the hold-out document, or (to bob, who codes document 3 blind beside her) of carol's codings
    there, a piece of data shows."""
    found = [secret for secret in SECRETS if secret in repr(data) and (reader == "bob" or secret != "GANNET")]

    def walk(value: object) -> None:
        if isinstance(value, dict):
            if reader == "bob" and "quote" in value and value.get("coder") == "carol" and value.get("document_id") == world.blind:
                found.append(f"carol's blind coding {value.get('id')}")
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(data)
    return found


READ_CALLS = [(name, function, document) for name, function in READS
              for document in (("build", "hidden", "blind") if "document_ref" in inspect.signature(function).parameters
                               else (None,))]


@pytest.mark.parametrize("reader", ["bob", "vic"])
@pytest.mark.parametrize(("name", "function", "document"), READ_CALLS,
                         ids=[f"{n}-{d}" if d else n for n, _f, d in READ_CALLS])
def test_no_read_shows_the_hold_out_or_blind_codings(world, reader, name, function, document, tmp_path):
    where = {"document": getattr(world, document) if document else None, "out": tmp_path}
    try:
        result = call(world, world.as_[reader], name, function, **where)
        data = result.to_csv() if hasattr(result, "to_csv") else plain(result)  # tables as their whole text
    except GtcodeError as error:
        data = str(error)
    assert not leaks(world, data, reader), f"{name} showed {leaks(world, data, reader)}"
    for written in tmp_path.rglob("*"):
        if written.is_file():
            content = written.read_bytes()
            assert not [s for s in SECRETS if s.encode() in content], f"{name} wrote the hold-out into {written.name}"
