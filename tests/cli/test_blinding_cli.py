"""Blinding through the CLI: no registered command opens, codes or reveals a hold-out document before release."""

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from gtcode.cli.main import cli
from tests.conftest import copy_project, new_project, raw_write

SECRET = "ZEBRAQUARTZ"
BUILD = "The county hospital runs video consultations. Doctors in the city read our scans."
HIDDEN = f"县医院开通了远程会诊。The {SECRET} clinic lends tablets to every village."
TITLE = "医生访谈"
UNSAFE = {("tui",), ("serve",), ("init",), ("import",), ("demo",), ("holdout", "release")}  # the UI (in a terminal or a browser), new projects, the unblinding
REFUSING = {"document", "coding", "coding_or_text"}  # arguments naming a document or coding


def leaf_commands(group: click.Group, prefix=()):
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        if isinstance(command, click.Group):
            yield from leaf_commands(command, path)
        elif path not in UNSAFE:
            yield path, command


COMMANDS = dict(leaf_commands(cli))


@pytest.fixture(scope="module")
def blinded_once(tmp_path_factory):
    """A project with a theory, a hold-out document, and a coding and memos inside it (as an import could leave):
    its folder, the hold-out document's id and the hidden coding's id."""
    folder = tmp_path_factory.mktemp("blinded") / "proj"
    with new_project(folder) as project:
        hidden_id, coding_id = _blind(project)
    return folder, hidden_id, coding_id


@pytest.fixture
def blinded(blinded_once, tmp_path):
    """A copy of the blinded project for one test: the project, the hold-out document's id, the hidden coding's."""
    folder, hidden_id, coding_id = blinded_once
    project = copy_project(folder, tmp_path / "proj")
    yield project, hidden_id, coding_id
    project.close()


def _blind(project) -> tuple[int, int]:
    from gtcode.services import codes as codebook
    from gtcode.services.coding import code_span
    from gtcode.services.corpus import add_document
    from gtcode.services.holdout import split_holdout
    from gtcode.store.tables import CodingRow, MemoRow

    build = add_document(project, "Doctor A", BUILD, kind="interview").document
    hidden = add_document(project, TITLE, HIDDEN, kind="interview", source=f"{SECRET}-notes.txt",
                          attributes={"village": f"{SECRET}VILLE"}).document  # file name and attribute stay unseen too
    add_document(project, "Teacher C", "City teachers give live online classes to village students.")
    start = BUILD.index("video consultations")
    code_span(project, build.id, start, start + len("video consultations"), "Telemedicine")
    codebook.group(project, "concept", "Remote services", ["a1"])
    split_holdout(project, documents=[str(hidden.id)])
    with raw_write(project) as session:
        start = HIDDEN.index(SECRET)
        coding = CodingRow(document_id=hidden.id, code_id=1, start=start, end=start + len(SECRET) + 7,
                           quote=HIDDEN[start:start + len(SECRET) + 7])
        session.add(coding)
        session.flush()
        session.add(MemoRow(target_kind="coding", target_id=coding.id, text=f"memo about {SECRET}"))
        session.add(MemoRow(target_kind="document", target_id=hidden.id, text=f"document memo {SECRET}"))
    return hidden.id, coding.id


def arguments(command: click.Command, doc_id: int, coding_id: int, target: str) -> list[str]:
    values = {"document": [str(doc_id)], "coding": [str(coding_id)], "coding_or_text": [str(coding_id)],
              "target": [target], "code_ref": ["a1"], "start": ["0"], "end": ["5"], "label": ["Telemedicine"],
              "members": ["a1"], "items": [str(coding_id)], "into": ["aa1"], "parent": ["none"], "text": ["a note"],
              "directory": ["exported"], "file": ["exported.out"],
              "query": ["clinic OR ZEBRAQUARTZ"], "expression": ["a1"], "kind": ["policy"]}
    args = []
    for param in command.params:
        if isinstance(param, click.Argument):
            args += values.get(param.name, ["1"]) if param.required or param.name in values else []
    if any(isinstance(p, click.Option) and "--yes" in p.opts for p in command.params):
        args.append("--yes")
    for param in command.params:  # required options (`memo add --text`)
        if isinstance(param, click.Option) and param.required:
            args += [param.opts[0], *values.get(param.name, ["1"])]
    return args


def refuses(command: click.Command, target: str) -> bool:
    names = {p.name for p in command.params if isinstance(p, click.Argument)}
    memo_like = "target" in names and "doc:" in (command.help or "")
    return bool(names & REFUSING) or (memo_like and target.split(":")[0] in ("doc", "coding"))


def targets(command: click.Command) -> list[str]:
    """Memo-like commands take a document or a coding as target; the others are tried once."""
    if "target" in {p.name for p in command.params}:
        return ["doc:{doc}", "coding:{coding}"]
    return ["doc:{doc}"]


CALLS = [(path, target) for path in sorted(COMMANDS) for target in targets(COMMANDS[path])]


@pytest.mark.parametrize(("path", "target"), CALLS, ids=[f"{' '.join(path)}-{target[:3]}" for path, target in CALLS])
def test_no_command_reveals_or_touches_the_hold_out(blinded, path, target, tmp_path, monkeypatch):
    project, doc_id, coding_id = blinded
    command = COMMANDS[path]
    target = target.format(doc=doc_id, coding=coding_id)
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    args = ["--project", str(project.directory), *path, *arguments(command, doc_id, coding_id, target)]
    for as_json in ([], ["--json"]):
        result = CliRunner().invoke(cli, args + as_json, input="y\n")
        assert SECRET not in result.output, f"{' '.join(path)} revealed hold-out text"
        assert "县医院" not in result.output and TITLE not in result.output, f"{' '.join(path)} revealed the hold-out"
        for written in Path(work).rglob("*"):
            if written.is_file():
                assert SECRET.encode() not in written.read_bytes(), f"{' '.join(path)} wrote hold-out text"
        if refuses(command, target):
            assert result.exit_code == 1 and "hold-out" in result.output, f"{' '.join(path)}: {result.output}"


def test_the_loop_covers_the_commands_that_take_a_document_or_coding():
    taking = {" ".join(path) for path, command in COMMANDS.items() if refuses(command, "doc:1")}
    assert taking >= {"show", "code", "uncode", "adjust", "memo add", "memo link", "saturation suggest"}


def test_docs_lists_hold_out_documents_without_their_text(blinded):
    project, doc_id, _ = blinded
    result = CliRunner().invoke(cli, ["--project", str(project.directory), "docs"])
    assert result.exit_code == 0 and f"hold-out document {doc_id}" in result.output and "holdout" in result.output
    assert SECRET not in result.output and TITLE not in result.output


def test_cases_in_search_queries_and_matrices_leave_the_hold_out_out(blinded):
    from gtcode.store.tables import CaseRow, DocumentRow

    project, doc_id, _ = blinded
    with raw_write(project) as session:  # the hold-out document in a case with a build document
        case = CaseRow(name="P01")
        session.add(case)
        session.flush()
        for document_id in (1, doc_id):
            session.get(DocumentRow, document_id).case_id = case.id
    for args in (["matrix", "--columns", "cases", "--count", "cases"], ["search", "clinic OR ZEBRAQUARTZ OR 县医院",
                 "--case", "P01", "--kwic"], ["words", "--case", "P01"], ["query", "a1", "--case", "P01"],
                 ["cases"]):
        result = CliRunner().invoke(cli, ["--project", str(project.directory), *args])
        assert result.exit_code == 0, result.output
        assert SECRET not in result.output and "县医院" not in result.output and TITLE not in result.output, args
    result = CliRunner().invoke(cli, ["--project", str(project.directory), "matrix", "--columns", "cases", "--json"])
    assert json.loads(result.stdout)["cells"] == [[1]]  # the build document's coding, not the hold-out's
